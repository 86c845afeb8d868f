package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertObject;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.KBugCheckCallbackRecord;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KeInitializeCallbackRecord, KeRegisterBugCheckCallback and KeDeregisterBugCheckCallback: a
 * registered callback runs when the system stops (recorded in the trace), one that throws does
 * not disturb the bug check, and a callback still registered at Unload is bug check 0xCE.
 */
class CallbackBugCheckTest {
  private static final String DUMPER = "Dumper";

  private final Journal journal = new Journal();

  /**
   * "Dumper": DriverEntry registers a callback per name in {@code components}, each noting its
   * component, buffer, length and IRQL (and throwing if the component is "throws"); Unload
   * deregisters them if {@code deregister}.
   */
  private TestDriver dumper(boolean deregister, String... components) {
    return TestDriver.legacy(DUMPER, journal)
        .entry(self -> {
          for (String component : components) {
            register(self, component);
          }
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          if (deregister) {
            for (String component : components) {
              self.note("deregister " + component + ": " + self.k.keDeregisterBugCheckCallback(
                  (KBugCheckCallbackRecord) self.values.get(component)));
            }
          }
        })
        .build();
  }

  /** The driver's own registration: leaks must name it. */
  private static void register(TestDriver.Instance self, String component) {
    KernelServices k = self.k;
    KBugCheckCallbackRecord record = k.keInitializeCallbackRecord();
    self.values.put(component, record);
    boolean registered = k.keRegisterBugCheckCallback(record, (buffer, length) -> {
      self.note(component + " callback with " + buffer + ", " + length + " at "
          + k.keGetCurrentIrql());
      if (component.equals("throws")) {
        throw new IllegalStateException("a broken callback");
      }
    }, component + " buffer", 64, component);
    self.note("registered " + component + ": " + registered + ", " + record.isRegistered());
  }

  /** Stops the system as the driver would, with KeBugCheckEx(0xDEAD, 1, 2, 3, 4). */
  private static BugCheck crash(Kernel kernel, TestDriver.Instance self) {
    return stops(kernel, () -> kernel.runAsKernelThread(() ->
        self.k.keBugCheckEx(0xDEAD, 1, 2, 3, 4)));
  }

  @Test
  void registeredCallbacksRunWhenTheSystemStopsTheNewestFirst() {
    Kernel kernel = VerifierAsserts.boot(DUMPER, VerifierFlags.STANDARD);
    kernel.loadDriver(dumper(true, "disk", "net"));

    BugCheck check = crash(kernel, journal.last(DUMPER));

    assertEquals(0xDEAD, check.code());
    assertEquals(List.of("DriverEntry", "registered disk: true, true",
        "registered net: true, true", "net callback with net buffer, 64 at HIGH_LEVEL",
        "disk callback with disk buffer, 64 at HIGH_LEVEL"), journal.eventsOf(DUMPER));
    VerifierAsserts.assertTraced(kernel, "BugCheckCallback", DUMPER, "(disk) ran");
    VerifierAsserts.assertTraced(kernel, "BugCheckCallback", DUMPER, "(net) ran");
  }

  @Test
  void aCallbackThatThrowsIsRecordedAndTheBugCheckStands() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(dumper(true, "first", "throws", "last"));

    BugCheck check = crash(kernel, journal.last(DUMPER));

    assertEquals(0xDEAD, check.code());
    assertEquals(1, check.parameter1());
    assertEquals(4, check.parameter4());
    assertTrue(journal.contains(DUMPER + " first callback with first buffer, 64 at HIGH_LEVEL"),
        journal::toString);
    VerifierAsserts.assertTraced(kernel, "BugCheckCallback", DUMPER,
        "(throws) threw java.lang.IllegalStateException: a broken callback");
    VerifierAsserts.assertTraced(kernel, "BugCheckCallback", DUMPER, "(first) ran");
  }

  @Test
  void aDeregisteredCallbackDoesNotRunAndRecordsRegisterOnce() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(TestDriver.legacy(DUMPER, journal)
        .entry(self -> {
          register(self, "once");
          KBugCheckCallbackRecord record = (KBugCheckCallbackRecord) self.values.get("once");
          self.note("again: " + self.k.keRegisterBugCheckCallback(record, (b, l) -> { }, null, 0,
              "again"));
          self.note("deregister: " + self.k.keDeregisterBugCheckCallback(record));
          self.note("deregister again: " + self.k.keDeregisterBugCheckCallback(record));
          self.note("registered: " + record.isRegistered());
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build());

    crash(kernel, journal.last(DUMPER));

    assertEquals(List.of("DriverEntry", "registered once: true, true", "again: false",
        "deregister: true", "deregister again: false", "registered: false"),
        journal.eventsOf(DUMPER));
  }

  @Test
  void aDriverThatDeregistersUnloadsCleanly() {
    Kernel kernel = VerifierAsserts.boot(DUMPER, VerifierFlags.STANDARD);
    kernel.loadDriver(dumper(true, "disk"));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(DUMPER));

    assertTrue(journal.contains(DUMPER + " deregister disk: true"), journal::toString);
    assertCleanRun(kernel);
  }

  @Test
  void aCallbackStillRegisteredAtUnloadIsBugCheckCEAndDoesNotRun() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(dumper(false, "disk"));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(DUMPER));

    assertEquals(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, check.code());
    assertObject(check.objects().get(0), "BugCheckCallback", DUMPER, "Unload",
        CallbackBugCheckTest.class, "register");
    assertFalse(journal.events().stream().anyMatch(e -> e.contains("callback with")),
        () -> "the unloaded driver's callback must not run: " + journal);
  }
}

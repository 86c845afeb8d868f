package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertObject;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IoRegisterPlugPlayNotification and IoUnregisterPlugPlayNotificationEx: a callback hears of each
 * device node that starts (GUID_DEVICE_INTERFACE_ARRIVAL) and is removed
 * (GUID_DEVICE_INTERFACE_REMOVAL), at PASSIVE_LEVEL once the PnP operation is over; with
 * PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES it hears of the started ones at once; a
 * registration left at Unload is bug check 0xCE.
 */
class CallbackPlugPlayTest {
  private static final String WATCHER = "Watcher";
  private static final String TOAST = "Toast";
  private static final String HARDWARE_ID = "ROOT\\TOAST";
  private static final String INTERFACE = "{781EF630-72B2-11d2-B852-00C04FAD5101}";

  private final Journal journal = new Journal();

  /**
   * "Watcher": a legacy driver whose DriverEntry registers a callback noting each event, with
   * {@code flags}; Unload unregisters it if {@code unregister}.
   */
  private TestDriver watcher(int flags, boolean unregister) {
    return TestDriver.legacy(WATCHER, journal)
        .entry(self -> register(self, flags))
        .unload(self -> {
          if (unregister) {
            self.note("unregister: "
                + self.k.ioUnregisterPlugPlayNotificationEx(self.values.get("entry")));
          }
        })
        .build();
  }

  /** The driver's own registration: leaks must name it. */
  private static NtStatus register(TestDriver.Instance self, int flags) {
    Out<Object> entry = new Out<>();
    NtStatus status = self.k.ioRegisterPlugPlayNotification(
        Wdm.EVENT_CATEGORY_DEVICE_INTERFACE_CHANGE, flags, INTERFACE, self.driverObject,
        (event, instanceId, context) -> {
          self.note(event + " " + instanceId + " at " + self.k.keGetCurrentIrql() + " with "
              + context);
          return NtStatus.SUCCESS;
        }, "ctx", entry);
    self.values.put("entry", entry.get());
    return status;
  }

  private TestDriver toast() {
    return TestDriver.wdm(TOAST, journal, HARDWARE_ID).build();
  }

  private static String arrival(String instance) {
    return WATCHER + " GUID_DEVICE_INTERFACE_ARRIVAL " + instance + " at PASSIVE_LEVEL with ctx";
  }

  private static String removal(String instance) {
    return WATCHER + " GUID_DEVICE_INTERFACE_REMOVAL " + instance + " at PASSIVE_LEVEL with ctx";
  }

  @Test
  void aCallbackHearsOfEachDeviceThatStartsAndIsRemovedAfterThePnpOperation() {
    Kernel kernel = VerifierAsserts.boot(WATCHER, VerifierFlags.STANDARD);
    kernel.install(toast());
    kernel.loadDriver(watcher(0, true));

    DeviceNode node = kernel.plugIn(HARDWARE_ID);
    String instance = node.instanceId();
    int started = journal.indexOf(TOAST + " started");
    assertEquals(DeviceNode.State.STARTED, node.state());
    assertTrue(started >= 0 && journal.indexOf(arrival(instance)) > started, journal::toString);

    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertTrue(journal.indexOf(removal(instance)) > journal.indexOf(arrival(instance)),
        journal::toString);
    assertTrue(journal.indexOf(removal(instance)) < journal.indexOf(TOAST + " Unload"),
        () -> "the removal is delivered before the PnP manager unloads the function driver: "
            + journal);

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(WATCHER));
    DeviceNode second = kernel.plugIn(HARDWARE_ID);
    assertEquals(1, journal.events().stream().filter(e -> e.contains("ARRIVAL")).count(),
        "an unregistered callback hears nothing of " + second.instanceId());
    assertEquals(NtStatus.SUCCESS, kernel.remove(second));
    assertCleanRun(kernel);
  }

  @Test
  void includeExistingInterfacesDeliversTheStartedDevicesBeforeRegistrationReturns() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.install(toast());
    DeviceNode first = kernel.plugIn(HARDWARE_ID);
    DeviceNode second = kernel.plugIn(HARDWARE_ID);

    kernel.loadDriver(TestDriver.legacy(WATCHER, journal)
        .entry(self -> {
          NtStatus status = register(self,
              Wdm.PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES);
          self.note("registered");
          return status;
        })
        .unload(self -> self.k.ioUnregisterPlugPlayNotificationEx(self.values.get("entry")))
        .build());

    assertEquals(List.of("DriverEntry",
        arrival(first.instanceId()).substring(WATCHER.length() + 1),
        arrival(second.instanceId()).substring(WATCHER.length() + 1), "registered"),
        journal.eventsOf(WATCHER));
    kernel.unloadDriver(WATCHER);
    kernel.remove(first);
    kernel.remove(second);
    assertCleanRun(kernel);
  }

  @Test
  void withoutIncludeExistingInterfacesStartedDevicesAreNotAnnounced() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.install(toast());
    DeviceNode node = kernel.plugIn(HARDWARE_ID);

    kernel.loadDriver(watcher(0, true));

    assertEquals(List.of("DriverEntry"), journal.eventsOf(WATCHER));
    kernel.disable(node);
    kernel.enable(node);
    assertEquals(List.of("DriverEntry", removal(node.instanceId()).substring(WATCHER.length() + 1),
        arrival(node.instanceId()).substring(WATCHER.length() + 1)), journal.eventsOf(WATCHER));
    kernel.unloadDriver(WATCHER);
    kernel.remove(node);
    assertCleanRun(kernel);
  }

  @Test
  void aSurpriseRemovalIsOneRemoval() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.install(toast());
    kernel.loadDriver(watcher(0, true));
    DeviceNode node = kernel.plugIn(HARDWARE_ID);

    kernel.surpriseRemove(node);

    assertEquals(DeviceNode.State.REMOVED, node.state(), "no handle was open");
    assertEquals(1, journal.count(removal(node.instanceId())), journal::toString);
    kernel.unloadDriver(WATCHER);
    assertCleanRun(kernel);
  }

  @Test
  void unknownEntriesAndCategoriesAreRefused() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(TestDriver.legacy(WATCHER, journal)
        .entry(self -> {
          Out<Object> entry = new Out<>();
          self.note("unknown entry: " + self.k.ioUnregisterPlugPlayNotificationEx("entry"));
          self.note("target device change: " + self.k.ioRegisterPlugPlayNotification(3, 0,
              INTERFACE, self.driverObject, (e, i, c) -> NtStatus.SUCCESS, null, entry));
          self.note("no callback: " + self.k.ioRegisterPlugPlayNotification(
              Wdm.EVENT_CATEGORY_DEVICE_INTERFACE_CHANGE, 0, INTERFACE, self.driverObject, null,
              null, entry));
          self.note("register: " + register(self, 0));
          Object registered = self.values.get("entry");
          self.note("unregister: " + self.k.ioUnregisterPlugPlayNotificationEx(registered));
          self.note("again: " + self.k.ioUnregisterPlugPlayNotificationEx(registered));
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build());

    assertEquals(List.of("DriverEntry", "unknown entry: " + NtStatus.INVALID_PARAMETER,
        "target device change: " + NtStatus.NOT_SUPPORTED,
        "no callback: " + NtStatus.INVALID_PARAMETER, "register: " + NtStatus.SUCCESS,
        "unregister: " + NtStatus.SUCCESS, "again: " + NtStatus.INVALID_PARAMETER),
        journal.eventsOf(WATCHER));
    kernel.unloadDriver(WATCHER);
    assertCleanRun(kernel);
  }

  @Test
  void aRegistrationLeftAtUnloadIsBugCheckCEWithTheRegisteringStack() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(watcher(0, false));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(WATCHER));

    assertEquals(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, check.code());
    assertEquals(1, check.objects().size(), check::render);
    assertObject(check.objects().get(0), "PlugPlayNotification", WATCHER, "Unload",
        CallbackPlugPlayTest.class, "register");
  }
}

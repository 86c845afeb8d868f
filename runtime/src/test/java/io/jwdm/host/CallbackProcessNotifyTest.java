package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertObject;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jwdm.kernel.CreateProcessNotifyRoutine;
import io.jwdm.kernel.NtStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PsSetCreateProcessNotifyRoutineEx with the simulated system's processes
 * ({@link Kernel#createProcess}, {@link Kernel#exitProcess}): routines see creations with their
 * image name and exits without create information, may block a creation, and a routine still
 * registered at Unload is bug check 0xCE.
 */
class CallbackProcessNotifyTest {
  private static final String WATCH = "Watch";

  private final Journal journal = new Journal();

  /**
   * "Watch": DriverEntry registers a routine that notes each creation and exit, and blocks images
   * named {@code blocked} with ACCESS_DENIED; Unload removes it if {@code removeInUnload}.
   */
  private TestDriver watch(String blocked, boolean removeInUnload) {
    return TestDriver.legacy(WATCH, journal)
        .entry(self -> register(self, blocked))
        .unload(self -> {
          if (removeInUnload) {
            NtStatus status = self.k.psSetCreateProcessNotifyRoutineEx(
                (CreateProcessNotifyRoutine) self.values.get("routine"), true);
            self.note("removed: " + status);
          }
        })
        .build();
  }

  /** The driver's own registration: leaks must name it. */
  private static NtStatus register(TestDriver.Instance self, String blocked) {
    CreateProcessNotifyRoutine routine = (processId, createInfo) -> {
      if (createInfo == null) {
        self.note("exit " + processId + " at " + self.k.keGetCurrentIrql());
        return;
      }
      self.note("create " + processId + " " + createInfo.imageFileName() + " at "
          + self.k.keGetCurrentIrql());
      if (createInfo.imageFileName().equals(blocked)) {
        createInfo.setCreationStatus(NtStatus.ACCESS_DENIED);
      }
    };
    self.values.put("routine", routine);
    return self.k.psSetCreateProcessNotifyRoutineEx(routine, false);
  }

  @Test
  void routinesSeeCreationsAndExitsUntilRemoved() {
    Kernel kernel = VerifierAsserts.boot(WATCH, VerifierFlags.STANDARD);
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(watch("none", true)));

    assertEquals(4, kernel.createProcess("notepad.exe"));
    assertEquals(8, kernel.createProcess("calc.exe"));
    kernel.exitProcess(4);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(WATCH));
    assertEquals(12, kernel.createProcess("cmd.exe"));
    kernel.exitProcess(8);

    assertEquals(List.of("DriverEntry", "create 4 notepad.exe at PASSIVE_LEVEL",
        "create 8 calc.exe at PASSIVE_LEVEL", "exit 4 at PASSIVE_LEVEL", "Unload",
        "removed: STATUS_SUCCESS (0x00000000)"), journal.eventsOf(WATCH));
    assertCleanRun(kernel);
    VerifierAsserts.assertTraced(kernel, "ProcessCreated", "cmd.exe", "process 12");
  }

  @Test
  void aRoutineBlocksACreationWithAnErrorCreationStatus() {
    Kernel kernel = VerifierAsserts.boot(WATCH, VerifierFlags.STANDARD);
    kernel.loadDriver(watch("evil.exe", true));

    NtStatusException blocked = assertThrows(NtStatusException.class,
        () -> kernel.createProcess("evil.exe"));

    assertEquals(NtStatus.ACCESS_DENIED, blocked.status());
    assertThrows(IllegalArgumentException.class, () -> kernel.exitProcess(4),
        "a blocked process never ran");
    assertEquals(8, kernel.createProcess("good.exe"));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(WATCH));
    assertCleanRun(kernel);
  }

  @Test
  void aRoutineStillRegisteredAtUnloadIsBugCheckCEWithTheRegisteringStack() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(watch("none", false));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(WATCH));

    assertEquals(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, check.code());
    assertNotEquals(0L, check.parameter1());
    assertEquals(WATCH, check.driverName());
    assertEquals(1, check.objects().size(), check::render);
    assertObject(check.objects().get(0), "ProcessNotifyRoutine", WATCH, "Unload",
        CallbackProcessNotifyTest.class, "register");
  }

  @Test
  void removingARoutineThatIsNotRegisteredIsInvalidParameter() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(TestDriver.legacy(WATCH, journal)
        .entry(self -> {
          CreateProcessNotifyRoutine routine = (id, info) -> { };
          CreateProcessNotifyRoutine lookalike = (id, info) -> { };
          self.note("remove unknown: " + self.k.psSetCreateProcessNotifyRoutineEx(routine, true));
          self.note("register: " + self.k.psSetCreateProcessNotifyRoutineEx(routine, false));
          self.note("register again: "
              + self.k.psSetCreateProcessNotifyRoutineEx(routine, false));
          self.note("remove another object: "
              + self.k.psSetCreateProcessNotifyRoutineEx(lookalike, true));
          self.note("remove: " + self.k.psSetCreateProcessNotifyRoutineEx(routine, true));
          self.note("remove again: " + self.k.psSetCreateProcessNotifyRoutineEx(routine, true));
          self.note("register null: " + self.k.psSetCreateProcessNotifyRoutineEx(null, false));
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build());

    assertEquals(List.of("DriverEntry",
        "remove unknown: " + NtStatus.INVALID_PARAMETER, "register: " + NtStatus.SUCCESS,
        "register again: " + NtStatus.INVALID_PARAMETER,
        "remove another object: " + NtStatus.INVALID_PARAMETER, "remove: " + NtStatus.SUCCESS,
        "remove again: " + NtStatus.INVALID_PARAMETER,
        "register null: " + NtStatus.INVALID_PARAMETER), journal.eventsOf(WATCH));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(WATCH));
    assertCleanRun(kernel);
  }

  @Test
  void exitingAProcessThatIsNotRunningIsRefused() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();

    assertThrows(IllegalArgumentException.class, () -> kernel.exitProcess(4));
    long id = kernel.createProcess("a.exe");
    kernel.exitProcess(id);
    assertThrows(IllegalArgumentException.class, () -> kernel.exitProcess(id));
  }
}

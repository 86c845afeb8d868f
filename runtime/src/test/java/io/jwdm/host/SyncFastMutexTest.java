package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.sleep;
import static io.jwdm.host.SchedulerTestSupport.waitForever;
import static io.jwdm.host.SyncTestSupport.address;
import static io.jwdm.host.SyncTestSupport.value;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.EventType;
import io.jwdm.kernel.FastMutex;
import io.jwdm.kernel.KEvent;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ExAcquireFastMutex and ExReleaseFastMutex: APC_LEVEL while held, mutual exclusion between
 * system threads through the deterministic scheduler's waits, a wait nothing can end (a hang), and
 * the bug checks for acquiring a mutex the thread holds (0xBF, or 0xC4 / 0x1000) and releasing one
 * it does not hold (0x1E with STATUS_MUTANT_NOT_OWNED, 0xC4 / 0x34, or 0xC4 / 0x1007).
 */
class SyncFastMutexTest {
  private static final String GUARD = "Guard";

  private final Journal journal = new Journal();
  private Kernel kernel;

  @AfterEach
  void close() {
    if (kernel != null) {
      kernel.close();
    }
  }

  /** "Guard": a legacy driver without devices. */
  private static TestDriver guard(Journal journal, TestDriver.Entry entry,
      TestDriver.Unload unload) {
    return TestDriver.legacy(GUARD, journal).entry(entry).unload(unload).build();
  }

  private TestDriver guard(TestDriver.Entry entry) {
    return guard(journal, entry, self -> { });
  }

  // ---------------------------------------------------------------------------------------------
  // Correct use

  @Test
  void acquireRaisesToApcLevelAndReleaseRestoresTheIrql() {
    kernel = SyncTestSupport.boot(GUARD, VerifierFlags.STANDARD);
    TestDriver driver = guard(self -> {
      KernelServices k = self.k;
      FastMutex mutex = k.exInitializeFastMutex();
      k.exAcquireFastMutex(mutex);
      self.note("inside at " + k.keGetCurrentIrql() + ", held " + mutex.isHeld());
      k.exReleaseFastMutex(mutex);
      self.note("after at " + k.keGetCurrentIrql() + ", held " + mutex.isHeld());
      return NtStatus.SUCCESS;
    });

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(GUARD));

    assertEquals(List.of("DriverEntry", "inside at APC_LEVEL, held true",
        "after at PASSIVE_LEVEL, held false", "Unload"), journal.eventsOf(GUARD));
    assertCleanRun(kernel);
  }

  /**
   * Two system threads, A and B, each take the mutex, note "in", sleep 10 ms of kernel time
   * holding it, note "out" and release it. Unload waits for both threads.
   */
  private static TestDriver twoThreads(Journal journal) {
    return guard(journal, self -> {
      KernelServices k = self.k;
      FastMutex mutex = k.exInitializeFastMutex();
      for (String name : new String[] {"A", "B"}) {
        Out<KThreadObject> thread = new Out<>();
        k.psCreateSystemThread(thread, context -> {
          k.exAcquireFastMutex(mutex);
          self.note(name + " in");
          sleep(k, 10);
          self.note(name + " out");
          k.exReleaseFastMutex(mutex);
        }, null);
        self.values.put(name, thread.get());
      }
      return NtStatus.SUCCESS;
    }, self -> {
      waitForever(self.k, value(self, "A", KThreadObject.class));
      waitForever(self.k, value(self, "B", KThreadObject.class));
    });
  }

  @Test
  void systemThreadsTakeTheMutexInTurnWhateverTheSeed() {
    List<List<String>> runs = new ArrayList<>();
    for (long seed = 0; seed < 6; seed++) {
      Journal seedJournal = new Journal();
      Kernel seeded = SchedulerTestSupport.deterministic(seed);
      try {
        seeded.loadDriver(twoThreads(seedJournal));
        seeded.advanceClock(Duration.ofMillis(50));
        assertEquals(NtStatus.SUCCESS, seeded.unloadDriver(GUARD));

        List<String> events = seedJournal.eventsOf(GUARD);
        List<String> sections = events.subList(1, events.size() - 1);
        assertEquals(4, sections.size(), events::toString);
        for (int i = 0; i < 4; i += 2) {
          String name = sections.get(i).substring(0, 1);
          assertEquals(List.of(name + " in", name + " out"), sections.subList(i, i + 2),
              () -> "a thread entered while the other held the mutex: " + events);
        }
        assertCleanRun(seeded);
        runs.add(sections);
      } finally {
        seeded.close();
      }
    }
    assertTrue(runs.stream().anyMatch(run -> run.get(0).startsWith("A"))
        && runs.stream().anyMatch(run -> run.get(0).startsWith("B")),
        () -> "the seeds should let either thread go first: " + runs);
  }

  @Test
  void theSameSeedGivesTheSameInterleaving() {
    List<List<String>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Journal runJournal = new Journal();
      Kernel seeded = SchedulerTestSupport.deterministic(3);
      try {
        seeded.loadDriver(twoThreads(runJournal));
        seeded.advanceClock(Duration.ofMillis(50));
        runs.add(runJournal.events());
      } finally {
        seeded.close();
      }
    }
    assertEquals(runs.get(0), runs.get(1));
  }

  // ---------------------------------------------------------------------------------------------
  // A wait nothing ends

  @Test
  void waitingForAMutexWhoseHolderNeverReleasesItIsAHang() {
    kernel = SyncTestSupport.boot(GUARD, 0);
    TestDriver driver = TestDriver.legacyDevice(GUARD, journal)
        .entry(self -> {
          KernelServices k = self.k;
          NtStatus status = Routines.createDevice(self, "\\Device\\" + GUARD, "\\??\\" + GUARD,
              0);
          FastMutex mutex = k.exInitializeFastMutex();
          KEvent never = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
          self.values.put("mutex", mutex);
          Out<KThreadObject> thread = new Out<>();
          k.psCreateSystemThread(thread, context -> {
            k.exAcquireFastMutex(mutex);
            self.note("holder waits");
            waitForever(k, never);
          }, null);
          return status;
        })
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          self.k.exAcquireFastMutex(value(self, "mutex", FastMutex.class));
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .build();
    kernel.loadDriver(driver);
    assertTrue(journal.contains(GUARD + " holder waits"), journal::toString);
    long mutex = address(value(journal.last(GUARD), "mutex", FastMutex.class));
    Handle handle = kernel.open("\\\\.\\" + GUARD);

    BugCheck check = stops(kernel, () -> handle.deviceIoControl(SchedulerTestSupport.IOCTL_KICK,
        new byte[0], 0));

    assertBugCheck(check, BugCheck.JWDM_HANG_DETECTED, mutex, 0, 0, 0, GUARD);
    assertTrue(check.message().contains("nothing released it"), check::render);
    assertTrue(check.message().contains("Guard-thread-1"), check::render);
    assertEquals("FastMutex", check.objects().get(0).kind(), check::render);
  }

  // ---------------------------------------------------------------------------------------------
  // Acquiring a mutex the thread holds

  /** DriverEntry acquires its mutex twice. */
  private TestDriver acquiresTwice() {
    return guard(self -> {
      FastMutex mutex = self.k.exInitializeFastMutex();
      self.values.put("mutex", mutex);
      self.k.exAcquireFastMutex(mutex);
      self.k.exAcquireFastMutex(mutex);
      return NtStatus.SUCCESS;
    });
  }

  @Test
  void recursiveAcquireWithoutTheVerifierIsBugCheckBFMutexAlreadyOwned() {
    kernel = SyncTestSupport.boot(GUARD, 0);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(acquiresTwice()));

    long mutex = address(value(journal.last(GUARD), "mutex", FastMutex.class));
    assertBugCheck(check, SyncManager.MUTEX_ALREADY_OWNED, mutex, 0, 0, 0, GUARD);
    VerifierAsserts.assertObject(check.objects().get(0), "FastMutex", GUARD,
        "acquired recursively", SyncFastMutexTest.class, "acquiresTwice");
  }

  @Test
  void recursiveAcquireWithDeadlockDetectionIsBugCheckC4Subcode1000() {
    kernel = SyncTestSupport.boot(GUARD, VerifierFlags.DEADLOCK_DETECTION);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(acquiresTwice()));

    long mutex = address(value(journal.last(GUARD), "mutex", FastMutex.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1000, mutex, 0, 0,
        GUARD);
  }

  // ---------------------------------------------------------------------------------------------
  // Releasing a mutex the thread does not hold

  /** DriverEntry releases a mutex it never acquired. */
  private TestDriver releasesUnowned() {
    return guard(self -> {
      FastMutex mutex = self.k.exInitializeFastMutex();
      self.values.put("mutex", mutex);
      self.k.exReleaseFastMutex(mutex);
      return NtStatus.SUCCESS;
    });
  }

  @Test
  void releasingAnUnownedMutexWithoutTheVerifierIsBugCheck1EMutantNotOwned() {
    kernel = SyncTestSupport.boot(GUARD, 0);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(releasesUnowned()));

    long driver = VerifierAsserts.address(journal.last(GUARD).driverObject);
    assertBugCheck(check, BugCheck.KMODE_EXCEPTION_NOT_HANDLED,
        SyncManager.STATUS_MUTANT_NOT_OWNED, driver, 0, 0, GUARD);
    VerifierAsserts.assertObject(check.objects().get(0), "FastMutex", GUARD, "released unowned",
        SyncFastMutexTest.class, "releasesUnowned");
  }

  @Test
  void releasingAnUnownedMutexWithIrqlCheckingIsBugCheckC4Subcode34() {
    kernel = SyncTestSupport.boot(GUARD, VerifierFlags.FORCE_IRQL_CHECKING);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(releasesUnowned()));

    long mutex = address(value(journal.last(GUARD), "mutex", FastMutex.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x34, 0, mutex, 0, GUARD);
  }

  @Test
  void releasingAnUnownedMutexWithDeadlockDetectionIsBugCheckC4Subcode1007() {
    kernel = SyncTestSupport.boot(GUARD, VerifierFlags.STANDARD);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(releasesUnowned()));

    long mutex = address(value(journal.last(GUARD), "mutex", FastMutex.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1007, mutex, 0, 0,
        GUARD);
  }

  @Test
  void acquiringAtDispatchLevelIsAnIrqlViolation() {
    kernel = SyncTestSupport.boot(GUARD, 0);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(guard(self -> {
      FastMutex mutex = self.k.exInitializeFastMutex();
      self.k.keRaiseIrql(io.jwdm.kernel.Irql.DISPATCH_LEVEL);
      self.k.exAcquireFastMutex(mutex);
      return NtStatus.SUCCESS;
    })));

    assertEquals(BugCheck.IRQL_NOT_LESS_OR_EQUAL, check.code(), check::render);
  }
}

package io.jwdm.host;

import static io.jwdm.host.SyncTestSupport.address;
import static io.jwdm.host.SyncTestSupport.boot;
import static io.jwdm.host.SyncTestSupport.value;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KSpinLock;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * KeAcquireSpinLock and KeReleaseSpinLock: the IRQL they raise to and restore, and the bug checks
 * for acquiring a lock the thread holds, releasing one it does not hold, and a lock whose holder
 * ended (a hang). The subcodes are those of the WDK's bug check 0xC4 table (deadlock detection
 * 0x1000, 0x1004, 0x1007; IRQL checking 0x32) and the plain 0xF and 0x10 without the verifier.
 */
class SyncSpinLockTest {
  private static final String LOCKER = "Locker";
  private static final String LINK = "\\??\\" + LOCKER;

  private final Journal journal = new Journal();
  private Kernel kernel;

  @AfterEach
  void close() {
    if (kernel != null) {
      kernel.close();
    }
  }

  /** "Locker": a legacy driver with a device; DriverEntry then runs {@code body}. */
  private TestDriver locker(TestDriver.Entry body) {
    return TestDriver.legacyDevice(LOCKER, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + LOCKER, LINK, 0);
          return status.isSuccess() ? body.run(self) : status;
        })
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Correct use

  @Test
  void acquireRaisesToDispatchAndReleaseReturnsToTheGivenIrql() {
    kernel = boot(LOCKER, VerifierFlags.STANDARD);
    TestDriver driver = locker(self -> {
      KernelServices k = self.k;
      KSpinLock lock = k.keInitializeSpinLock();
      self.note("before: held " + lock.isHeld());
      Irql old = k.keAcquireSpinLock(lock);
      self.note("inside at " + k.keGetCurrentIrql() + ", held " + lock.isHeld());
      k.keReleaseSpinLock(lock, old);
      self.note("after at " + k.keGetCurrentIrql() + ", held " + lock.isHeld() + ", old " + old);
      return NtStatus.SUCCESS;
    });

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(LOCKER));

    assertEquals(List.of("DriverEntry", "before: held false", "inside at DISPATCH_LEVEL, held true",
        "after at PASSIVE_LEVEL, held false, old PASSIVE_LEVEL", "Unload"),
        journal.eventsOf(LOCKER));
    assertCleanRun(kernel);
  }

  @Test
  void acquiringAtDispatchLevelReturnsDispatchLevelAndTwoLocksNest() {
    kernel = boot(LOCKER, VerifierFlags.STANDARD);
    TestDriver driver = locker(self -> {
      KernelServices k = self.k;
      KSpinLock first = k.keInitializeSpinLock();
      KSpinLock second = k.keInitializeSpinLock();
      Irql passive = k.keRaiseIrql(Irql.DISPATCH_LEVEL);
      Irql old = k.keAcquireSpinLock(first);
      Irql nested = k.keAcquireSpinLock(second);
      k.keReleaseSpinLock(second, nested);
      k.keReleaseSpinLock(first, old);
      self.note("old " + old + ", nested " + nested + ", now " + k.keGetCurrentIrql());
      k.keLowerIrql(passive);
      return NtStatus.SUCCESS;
    });

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));

    assertTrue(journal.contains(LOCKER + " old DISPATCH_LEVEL, nested DISPATCH_LEVEL, now"
        + " DISPATCH_LEVEL"), journal::toString);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(LOCKER));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // Releasing a lock the thread does not hold

  /** DriverEntry acquires and releases its lock, then releases it a second time. */
  private TestDriver releasesTwice() {
    return locker(self -> {
      KSpinLock lock = self.k.keInitializeSpinLock();
      self.values.put("lock", lock);
      Irql old = self.k.keAcquireSpinLock(lock);
      self.k.keReleaseSpinLock(lock, old);
      self.k.keReleaseSpinLock(lock, old);
      return NtStatus.SUCCESS;
    });
  }

  @Test
  void doubleReleaseWithoutTheVerifierIsBugCheck10SpinLockNotOwned() {
    kernel = boot(LOCKER, 0);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(releasesTwice()));

    assertBugCheck(check, SyncManager.SPIN_LOCK_NOT_OWNED, 0, 0, 0, 0, LOCKER);
    assertEquals(1, check.objects().size(), check::render);
    VerifierAsserts.assertObject(check.objects().get(0), "SpinLock", LOCKER, "released unowned",
        SyncSpinLockTest.class, "releasesTwice");
  }

  @Test
  void doubleReleaseWithIrqlCheckingIsBugCheckC4Subcode32AtPassiveLevel() {
    kernel = boot(LOCKER, VerifierFlags.FORCE_IRQL_CHECKING);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(releasesTwice()));

    long lock = address(value(journal.last(LOCKER), "lock", KSpinLock.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x32,
        Irql.PASSIVE_LEVEL.level(), lock, 0, LOCKER);
  }

  @Test
  void doubleReleaseWithDeadlockDetectionIsBugCheckC4Subcode1007() {
    kernel = boot(LOCKER, VerifierFlags.DEADLOCK_DETECTION);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(releasesTwice()));

    long lock = address(value(journal.last(LOCKER), "lock", KSpinLock.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1007, lock, 0, 0,
        LOCKER);
    assertTrue(check.message().contains("no thread holds"), check::render);
  }

  /**
   * DriverEntry starts a system thread that acquires the lock and ends holding it; Unload then
   * runs {@code unload} on the lock.
   */
  private TestDriver threadKeepsTheLock(TestDriver.Unload unload) {
    return TestDriver.legacyDevice(LOCKER, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + LOCKER, LINK, 0);
          KSpinLock lock = self.k.keInitializeSpinLock();
          self.values.put("lock", lock);
          Out<KThreadObject> thread = new Out<>();
          self.k.psCreateSystemThread(thread, context -> {
            self.k.keAcquireSpinLock(lock);
            self.note("thread took the lock");
          }, null);
          self.values.put("thread", thread.get());
          return status;
        })
        .unload(unload)
        .build();
  }

  @Test
  void releasingALockAnotherThreadHoldsIsBugCheckC4Subcode1004WithBothThreads() {
    kernel = boot(LOCKER, VerifierFlags.DEADLOCK_DETECTION);
    kernel.loadDriver(threadKeepsTheLock(self ->
        self.k.keReleaseSpinLock(value(self, "lock", KSpinLock.class), Irql.PASSIVE_LEVEL)));
    assertTrue(journal.contains(LOCKER + " thread took the lock"), journal::toString);
    TestDriver.Instance self = journal.last(LOCKER);

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(LOCKER));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1004,
        address(value(self, "lock", KSpinLock.class)),
        SchedulerTestSupport.address(value(self, "thread", KThreadObject.class)), 0, LOCKER);
  }

  @Test
  void acquiringALockWhoseHolderEndedIsAHang() {
    kernel = boot(LOCKER, 0);
    kernel.loadDriver(threadKeepsTheLock(self ->
        self.k.keAcquireSpinLock(value(self, "lock", KSpinLock.class))));
    long lock = address(value(journal.last(LOCKER), "lock", KSpinLock.class));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(LOCKER));

    assertBugCheck(check, BugCheck.JWDM_HANG_DETECTED, lock, 0, 0, 0, LOCKER);
    assertTrue(check.message().contains("ended holding it")
        || check.message().contains("spun 300 ms"), check::render);
    assertEquals("SpinLock", check.objects().get(0).kind());
  }

  // ---------------------------------------------------------------------------------------------
  // Acquiring a lock the thread holds

  /** DriverEntry acquires its lock twice. */
  private TestDriver acquiresTwice() {
    return locker(self -> {
      KSpinLock lock = self.k.keInitializeSpinLock();
      self.values.put("lock", lock);
      self.k.keAcquireSpinLock(lock);
      self.k.keAcquireSpinLock(lock);
      return NtStatus.SUCCESS;
    });
  }

  @Test
  void recursiveAcquireWithoutTheVerifierIsBugCheckFSpinLockAlreadyOwned() {
    kernel = boot(LOCKER, 0);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(acquiresTwice()));

    assertBugCheck(check, SyncManager.SPIN_LOCK_ALREADY_OWNED, 0, 0, 0, 0, LOCKER);
    VerifierAsserts.assertObject(check.objects().get(0), "SpinLock", LOCKER,
        "acquired recursively", SyncSpinLockTest.class, "acquiresTwice");
  }

  @Test
  void recursiveAcquireWithDeadlockDetectionIsBugCheckC4Subcode1000() {
    kernel = boot(LOCKER, VerifierFlags.STANDARD);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(acquiresTwice()));

    long lock = address(value(journal.last(LOCKER), "lock", KSpinLock.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1000, lock, 0, 0,
        LOCKER);
    VerifierAsserts.assertObject(check.objects().get(0), "SpinLock", LOCKER,
        "acquired recursively", SyncSpinLockTest.class, "acquiresTwice");
  }

  // ---------------------------------------------------------------------------------------------
  // Objects that are not spin locks

  @Test
  void aLockOfAnotherKernelIsAnAccessViolation() {
    Kernel other = Kernel.boot();
    KSpinLock[] foreign = new KSpinLock[1];
    other.loadDriver(TestDriver.legacy("Other", new Journal())
        .entry(self -> {
          foreign[0] = self.k.keInitializeSpinLock();
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build());
    kernel = boot(LOCKER, 0);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(locker(self -> {
      self.k.keAcquireSpinLock(foreign[0]);
      return NtStatus.SUCCESS;
    })));

    assertBugCheck(check, BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0, LOCKER);
    assertFalse(foreign[0].isHeld(), "the other kernel's lock was not taken");
  }
}

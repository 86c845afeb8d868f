package io.jwdm.host;

import static io.jwdm.host.SyncTestSupport.address;
import static io.jwdm.host.SyncTestSupport.boot;
import static io.jwdm.host.SyncTestSupport.value;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.FastMutex;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KSpinLock;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Driver Verifier's deadlock detection (0x20, part of {@code /standard}): a lock-order graph over
 * spin locks and fast mutexes. Taking B while holding A, then A while holding B, is a lock
 * hierarchy violation, bug check 0xC4 / 0x1001, even on one thread and before any thread actually
 * deadlocks; the bug check names each lock with the stacks that took it in each order.
 */
class SyncDeadlockDetectionTest {
  private static final String ORDERLY = "Orderly";

  private final Journal journal = new Journal();

  // ---------------------------------------------------------------------------------------------
  // Spin locks

  /** Takes spin lock "A", then "B" while holding it. */
  private static void lockAThenB(TestDriver.Instance self) {
    KernelServices k = self.k;
    KSpinLock a = value(self, "A", KSpinLock.class);
    KSpinLock b = value(self, "B", KSpinLock.class);
    Irql old = k.keAcquireSpinLock(a);
    Irql nested = k.keAcquireSpinLock(b);
    k.keReleaseSpinLock(b, nested);
    k.keReleaseSpinLock(a, old);
  }

  /** Takes spin lock "B", then "A" while holding it. */
  private static void lockBThenA(TestDriver.Instance self) {
    KernelServices k = self.k;
    KSpinLock a = value(self, "A", KSpinLock.class);
    KSpinLock b = value(self, "B", KSpinLock.class);
    Irql old = k.keAcquireSpinLock(b);
    Irql nested = k.keAcquireSpinLock(a);
    k.keReleaseSpinLock(a, nested);
    k.keReleaseSpinLock(b, old);
  }

  /** "Orderly": DriverEntry creates spin locks A and B and runs {@code body}. */
  private TestDriver spinLocks(TestDriver.Entry body) {
    return TestDriver.legacy(ORDERLY, journal)
        .entry(self -> {
          self.values.put("A", self.k.keInitializeSpinLock());
          self.values.put("B", self.k.keInitializeSpinLock());
          return body.run(self);
        })
        .unload(self -> { })
        .build();
  }

  private TestDriver invertsSpinLocks() {
    return spinLocks(self -> {
      lockAThenB(self);
      self.note("A then B done");
      lockBThenA(self);
      self.note("B then A done");
      return NtStatus.SUCCESS;
    });
  }

  @Test
  void spinLockOrderInversionIsBugCheckC4Subcode1001NamingBothOrders() {
    Kernel kernel = boot(ORDERLY, VerifierFlags.DEADLOCK_DETECTION);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(invertsSpinLocks()));

    TestDriver.Instance self = journal.last(ORDERLY);
    long a = address(value(self, "A", KSpinLock.class));
    long b = address(value(self, "B", KSpinLock.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1001, a, b, 0, ORDERLY);
    assertEquals(List.of("DriverEntry", "A then B done"), journal.eventsOf(ORDERLY),
        "the inversion stops the system before B then A completes");
    List<Leak> objects = check.objects();
    assertEquals(4, objects.size(), check::render);
    String inverted = String.format("lock order KSPIN_LOCK %016x -> KSPIN_LOCK %016x", b, a);
    String earlier = String.format("lock order KSPIN_LOCK %016x -> KSPIN_LOCK %016x", a, b);
    assertAll(check.render(),
        () -> assertLock(objects.get(0), "SpinLock", b, inverted, "lockBThenA"),
        () -> assertLock(objects.get(1), "SpinLock", a, inverted, "lockBThenA"),
        () -> assertLock(objects.get(2), "SpinLock", a, earlier, "lockAThenB"),
        () -> assertLock(objects.get(3), "SpinLock", b, earlier, "lockAThenB"),
        () -> assertTrue(check.message().contains("lock hierarchy violation"), check.message()));
  }

  private static void assertLock(Leak object, String kind, long address, String when,
      String method) {
    assertEquals(kind, object.kind(), object.render());
    assertTrue(object.description().startsWith(String.format("%s %016x",
        kind.equals("SpinLock") ? "KSPIN_LOCK" : "FAST_MUTEX", address)), object.render());
    assertEquals(when, object.when(), object.render());
    assertEquals(ORDERLY, object.driverName(), object.render());
    Leaks.assertCreatedIn(object, SyncDeadlockDetectionTest.class, method);
  }

  @Test
  void deadlockDetectionIsPartOfStandardFlags() {
    Kernel kernel = boot(ORDERLY, VerifierFlags.STANDARD);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(invertsSpinLocks()));

    assertEquals(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, check.code());
    assertEquals(0x1001, check.parameter1());
  }

  @Test
  void withoutDeadlockDetectionAnInversionGoesUnnoticed() {
    Kernel kernel = boot(ORDERLY, VerifierFlags.STANDARD & ~VerifierFlags.DEADLOCK_DETECTION);

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(invertsSpinLocks()));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(ORDERLY));

    assertTrue(journal.contains(ORDERLY + " B then A done"), journal::toString);
    assertCleanRun(kernel);
  }

  @Test
  void takingLocksAlwaysInTheSameOrderIsClean() {
    Kernel kernel = boot(ORDERLY, VerifierFlags.STANDARD);
    TestDriver driver = spinLocks(self -> {
      for (int i = 0; i < 3; i++) {
        lockAThenB(self);
      }
      KSpinLock b = value(self, "B", KSpinLock.class);
      self.k.keReleaseSpinLock(b, self.k.keAcquireSpinLock(b));
      return NtStatus.SUCCESS;
    });

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(ORDERLY));

    assertCleanRun(kernel);
  }

  @Test
  void aCycleThroughThreeLocksIsFound() {
    Kernel kernel = boot(ORDERLY, VerifierFlags.DEADLOCK_DETECTION);
    TestDriver driver = spinLocks(self -> {
      KernelServices k = self.k;
      KSpinLock c = k.keInitializeSpinLock();
      self.values.put("C", c);
      KSpinLock a = value(self, "A", KSpinLock.class);
      KSpinLock b = value(self, "B", KSpinLock.class);
      lockAThenB(self);
      Irql old = k.keAcquireSpinLock(b);
      Irql nested = k.keAcquireSpinLock(c);
      k.keReleaseSpinLock(c, nested);
      k.keReleaseSpinLock(b, old);
      self.note("A, B, C in order");
      old = k.keAcquireSpinLock(c);
      k.keAcquireSpinLock(a);
      return NtStatus.SUCCESS;
    });

    BugCheck check = stops(kernel, () -> kernel.loadDriver(driver));

    TestDriver.Instance self = journal.last(ORDERLY);
    long a = address(value(self, "A", KSpinLock.class));
    long c = address(value(self, "C", KSpinLock.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1001, a, c, 0, ORDERLY);
    assertEquals(6, check.objects().size(), check::render);
    assertTrue(journal.contains(ORDERLY + " A, B, C in order"), journal::toString);
  }

  // ---------------------------------------------------------------------------------------------
  // Fast mutexes

  /** Takes fast mutex "first", then "second" while holding it. */
  private static void mutexes(TestDriver.Instance self, String first, String second) {
    KernelServices k = self.k;
    FastMutex outer = value(self, first, FastMutex.class);
    FastMutex inner = value(self, second, FastMutex.class);
    k.exAcquireFastMutex(outer);
    k.exAcquireFastMutex(inner);
    k.exReleaseFastMutex(inner);
    k.exReleaseFastMutex(outer);
  }

  @Test
  void fastMutexOrderInversionIsBugCheckC4Subcode1001() {
    Kernel kernel = boot(ORDERLY, VerifierFlags.DEADLOCK_DETECTION);
    TestDriver driver = TestDriver.legacy(ORDERLY, journal)
        .entry(self -> {
          self.values.put("M", self.k.exInitializeFastMutex());
          self.values.put("N", self.k.exInitializeFastMutex());
          mutexes(self, "M", "N");
          mutexes(self, "N", "M");
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(driver));

    TestDriver.Instance self = journal.last(ORDERLY);
    long m = address(value(self, "M", FastMutex.class));
    long n = address(value(self, "N", FastMutex.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1001, m, n, 0, ORDERLY);
    assertEquals(4, check.objects().size(), check::render);
    for (Leak object : check.objects()) {
      assertEquals("FastMutex", object.kind(), object.render());
      Leaks.assertCreatedIn(object, SyncDeadlockDetectionTest.class, "mutexes");
    }
  }

  @Test
  void aSpinLockTakenUnderAFastMutexInBothOrdersAcrossRoutinesIsFound() {
    Kernel kernel = boot(ORDERLY, VerifierFlags.DEADLOCK_DETECTION);
    TestDriver driver = TestDriver.legacy(ORDERLY, journal)
        .entry(self -> {
          KernelServices k = self.k;
          FastMutex mutex = k.exInitializeFastMutex();
          KSpinLock lock = k.keInitializeSpinLock();
          self.values.put("M", mutex);
          self.values.put("S", lock);
          k.exAcquireFastMutex(mutex);
          k.keReleaseSpinLock(lock, k.keAcquireSpinLock(lock));
          k.exReleaseFastMutex(mutex);
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          KernelServices k = self.k;
          KSpinLock lock = value(self, "S", KSpinLock.class);
          FastMutex mutex = value(self, "M", FastMutex.class);
          Irql old = k.keAcquireSpinLock(lock);
          k.keLowerIrql(Irql.PASSIVE_LEVEL); // a broken driver: drops the IRQL holding the lock
          k.exAcquireFastMutex(mutex);
        })
        .build();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(ORDERLY));

    assertEquals(0x1001, check.parameter1(), check::render);
    assertEquals(address(value(journal.last(ORDERLY), "M", FastMutex.class)),
        check.parameter2());
  }
}

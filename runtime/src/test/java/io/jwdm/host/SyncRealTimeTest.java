package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.waitForever;
import static io.jwdm.host.SyncTestSupport.value;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.FastMutex;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KSpinLock;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Locks under the real-time scheduler, where system threads run concurrently on real Java
 * threads: a counter that two threads increment under a spin lock (or a fast mutex) ends exact,
 * which a read-modify-write without the lock would not.
 */
class SyncRealTimeTest {
  private static final String COUNTER = "Counter";
  private static final int ROUNDS = 20_000;

  private final Journal journal = new Journal();
  private Kernel kernel;

  @AfterEach
  void close() {
    if (kernel != null) {
      kernel.close();
    }
  }

  /** The counter the threads share: a plain field, so only the lock keeps updates apart. */
  static final class Shared {
    int value;
  }

  /**
   * "Counter": DriverEntry starts two system threads that each add 1 to a shared counter
   * {@value #ROUNDS} times, reading and writing it in two steps inside {@code section}. Unload
   * waits for both threads.
   */
  private TestDriver counter(Section section) {
    return TestDriver.legacy(COUNTER, journal)
        .entry(self -> {
          KernelServices k = self.k;
          Shared shared = new Shared();
          self.values.put("shared", shared);
          self.values.put("lock", k.keInitializeSpinLock());
          self.values.put("mutex", k.exInitializeFastMutex());
          AtomicInteger wrongIrql = new AtomicInteger();
          self.values.put("wrongIrql", wrongIrql);
          for (String name : new String[] {"first", "second"}) {
            Out<KThreadObject> thread = new Out<>();
            NtStatus status = k.psCreateSystemThread(thread, context -> {
              for (int i = 0; i < ROUNDS; i++) {
                section.run(self, () -> {
                  int read = shared.value;
                  if ((read & 15) == 0) {
                    Thread.yield();
                  }
                  shared.value = read + 1;
                }, wrongIrql);
              }
            }, null);
            if (!status.isSuccess()) {
              return status;
            }
            self.values.put(name, thread.get());
          }
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          waitForever(self.k, value(self, "first", KThreadObject.class));
          waitForever(self.k, value(self, "second", KThreadObject.class));
        })
        .build();
  }

  /** How a thread guards its increment. */
  @FunctionalInterface
  interface Section {
    void run(TestDriver.Instance self, Runnable body, AtomicInteger wrongIrql);
  }

  @Test
  void twoThreadsContendingForASpinLockLoseNoIncrement() {
    kernel = SchedulerTestSupport.realTime();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(counter((self, body, wrongIrql) -> {
      KSpinLock lock = value(self, "lock", KSpinLock.class);
      Irql old = self.k.keAcquireSpinLock(lock);
      if (self.k.keGetCurrentIrql() != Irql.DISPATCH_LEVEL) {
        wrongIrql.incrementAndGet();
      }
      body.run();
      self.k.keReleaseSpinLock(lock, old);
    })));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(COUNTER)); // Unload waits for the threads

    TestDriver.Instance self = journal.last(COUNTER);
    assertEquals(2 * ROUNDS, value(self, "shared", Shared.class).value);
    assertEquals(0, value(self, "wrongIrql", AtomicInteger.class).get());
    assertTrue(!value(self, "lock", KSpinLock.class).isHeld());
    assertCleanRun(kernel);
  }

  @Test
  void twoThreadsContendingForAFastMutexLoseNoIncrement() {
    kernel = SchedulerTestSupport.realTime();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(counter((self, body, wrongIrql) -> {
      FastMutex mutex = value(self, "mutex", FastMutex.class);
      self.k.exAcquireFastMutex(mutex);
      if (self.k.keGetCurrentIrql() != Irql.APC_LEVEL) {
        wrongIrql.incrementAndGet();
      }
      body.run();
      self.k.exReleaseFastMutex(mutex);
    })));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(COUNTER)); // Unload waits for the threads

    TestDriver.Instance self = journal.last(COUNTER);
    assertEquals(2 * ROUNDS, value(self, "shared", Shared.class).value);
    assertEquals(0, value(self, "wrongIrql", AtomicInteger.class).get());
    assertCleanRun(kernel);
  }
}

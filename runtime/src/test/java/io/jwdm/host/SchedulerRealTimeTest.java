package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.REAL_TIME_BOUND;
import static io.jwdm.host.SchedulerTestSupport.eventually;
import static io.jwdm.host.SchedulerTestSupport.realTime;
import static io.jwdm.host.SchedulerTestSupport.waitForever;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.kernel.Wdm.DELAYED_WORK_QUEUE;
import static io.jwdm.kernel.Wdm.RELATIVE_MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.EventType;
import io.jwdm.kernel.IoWorkItem;
import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.KEvent;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KTimer;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The REAL_TIME scheduler: timers fire on the wall clock and their DPCs run on the DPC thread,
 * work items run on worker threads, system threads run freely, and {@link Kernel#close()} stops
 * them (SchedulerMode#REAL_TIME). Every wait here is bounded by {@link
 * SchedulerTestSupport#REAL_TIME_BOUND}; the tests take milliseconds when the kernel behaves.
 */
class SchedulerRealTimeTest {
  private static final String LINK = "\\??\\Live";

  private final Journal journal = new Journal();
  private Kernel kernel;

  @AfterEach
  void stopKernelThreads() {
    if (kernel != null) {
      kernel.close();
    }
  }

  private static boolean await(CountDownLatch latch) throws InterruptedException {
    return latch.await(REAL_TIME_BOUND.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Unloads {@code name}, at once or after its pending unload finished, within the bound. */
  private void unload(String name) {
    NtStatus status = kernel.unloadDriver(name);
    assertTrue(status.equals(NtStatus.SUCCESS) || status.equals(NtStatus.PENDING),
        status::toString);
    assertTrue(kernel.awaitUnloaded(name, REAL_TIME_BOUND),
        () -> name + " did not unload; blockers: " + kernel.unloadBlockers(name) + "\n" + journal);
  }

  /** "Live": a legacy driver with a device; {@code body} does the rest of DriverEntry. */
  private TestDriver.Builder live(TestDriver.Entry body) {
    return TestDriver.legacyDevice("Live", journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\Live", LINK, 0);
          return status.isSuccess() ? body.run(self) : status;
        });
  }

  @Test
  void periodicTimerDpcFiresOnTheWallClockOnTheDpcThread() throws InterruptedException {
    kernel = realTime();
    CountDownLatch fired = new CountDownLatch(3);
    List<String> where = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    TestDriver driver = live(self -> {
      KTimer timer = self.k.keInitializeTimer();
      KDpc dpc = self.k.keInitializeDpc((d, c, a1, a2) -> {
        where.add(self.k.keGetCurrentIrql() + " on " + Thread.currentThread().getName());
        fired.countDown();
      }, null);
      self.values.put("timer", timer);
      self.k.keSetTimerEx(timer, RELATIVE_MILLISECONDS(5), 5, dpc);
      return NtStatus.SUCCESS;
    }).unload(self -> {
      self.k.keCancelTimer((KTimer) self.values.get("timer"));
      Routines.deleteDeviceAndLink(self, LINK);
    }).build();
    long start = System.nanoTime();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));

    assertTrue(await(fired), "three periods of 5 ms passed on the wall clock: " + where);
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(elapsedMillis >= 14, "not before three periods: " + elapsedMillis + " ms");
    assertEquals("DISPATCH_LEVEL on jwdm DPC", where.get(0));
    assertTrue(kernel.clock().toMillis() >= 15, "the kernel clock is the wall clock since boot");

    TestDriver.Instance self = journal.last("Live");
    boolean[] cancelled = new boolean[1];
    kernel.runAsKernelThread(() -> {
      cancelled[0] = self.k.keCancelTimer((KTimer) self.values.get("timer"));
      self.k.keFlushQueuedDpcs();
    });
    assertTrue(cancelled[0]);
    int after = where.size();
    Thread.sleep(30);
    assertEquals(after, where.size(), "no DPC after KeCancelTimer and KeFlushQueuedDpcs");
    unload("Live");
    assertCleanRun(kernel);
  }

  @Test
  void workItemsRunAtPassiveLevelOnWorkerThreads() throws InterruptedException {
    kernel = realTime();
    CountDownLatch ran = new CountDownLatch(1);
    List<String> where = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    TestDriver driver = live(self -> {
      IoWorkItem item = self.k.ioAllocateWorkItem(self.device);
      self.values.put("item", item);
      self.k.ioQueueWorkItem(item, (device, context) -> {
        where.add(self.k.keGetCurrentIrql() + " on " + Thread.currentThread().getName());
        ran.countDown();
      }, DELAYED_WORK_QUEUE, null);
      return NtStatus.SUCCESS;
    }).unload(self -> {
      self.k.ioFreeWorkItem((IoWorkItem) self.values.get("item"));
      Routines.deleteDeviceAndLink(self, LINK);
    }).build();

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));

    assertTrue(await(ran), "the work item ran");
    assertEquals(List.of("PASSIVE_LEVEL on jwdm worker"), where);
    unload("Live");
    assertCleanRun(kernel);
  }

  @Test
  void queuedWorkItemKeepsTheUnloadPendingUntilItReturns() throws InterruptedException {
    kernel = realTime();
    CountDownLatch waiting = new CountDownLatch(1);
    TestDriver driver = live(self -> {
      KEvent go = self.k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
      IoWorkItem item = self.k.ioAllocateWorkItem(self.device);
      self.values.put("go", go);
      self.values.put("item", item);
      self.k.ioQueueWorkItem(item, (device, context) -> {
        waiting.countDown();
        NtStatus status = waitForever(self.k, go);
        self.note("work item done " + status.name());
      }, DELAYED_WORK_QUEUE, null);
      return NtStatus.SUCCESS;
    }).unload(self -> {
      self.k.ioFreeWorkItem((IoWorkItem) self.values.get("item"));
      Routines.deleteDeviceAndLink(self, LINK);
    }).build();
    kernel.loadDriver(driver);
    assertTrue(await(waiting), "the work item runs and waits");
    TestDriver.Instance self = journal.last("Live");

    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Live"));
    assertTrue(kernel.isLoaded("Live"));
    assertTrue(kernel.unloadBlockers("Live").contains("1 reference"),
        kernel.unloadBlockers("Live"));
    assertFalse(journal.contains("Live Unload"));

    kernel.runAsKernelThread(() -> self.k.keSetEvent((KEvent) self.values.get("go"), 0, false));

    assertTrue(kernel.awaitUnloaded("Live", REAL_TIME_BOUND), () -> "blockers: "
        + kernel.unloadBlockers("Live"));
    List<String> events = journal.eventsOf("Live");
    assertTrue(events.indexOf("work item done SUCCESS") >= 0
        && events.indexOf("work item done SUCCESS") < events.indexOf("Unload"), journal::toString);
    assertCleanRun(kernel);
  }

  @Test
  void systemThreadsRunFreelyAndWaitOnEventsSetByTheHost() {
    kernel = realTime();
    TestDriver driver = live(self -> {
      KernelServices k = self.k;
      KEvent go = k.keInitializeEvent(EventType.SYNCHRONIZATION_EVENT, false);
      Out<KThreadObject> thread = new Out<>();
      NtStatus status = k.psCreateSystemThread(thread, context -> {
        self.note("thread at " + k.keGetCurrentIrql() + " on "
            + Thread.currentThread().getName().startsWith("jwdm Live-thread-"));
        self.note("thread woke " + waitForever(k, go).name());
      }, null);
      self.values.put("go", go);
      self.values.put("thread", thread.get());
      return status;
    }).unload(self -> {
      waitForever(self.k, (KThreadObject) self.values.get("thread"));
      Routines.deleteDeviceAndLink(self, LINK);
    }).build();
    kernel.loadDriver(driver);
    TestDriver.Instance self = journal.last("Live");
    KThreadObject thread = (KThreadObject) self.values.get("thread");

    assertTrue(eventually(REAL_TIME_BOUND,
        () -> journal.contains("Live thread at PASSIVE_LEVEL on true")), journal::toString);
    assertFalse(thread.isTerminated());
    kernel.runAsKernelThread(() -> self.k.keSetEvent((KEvent) self.values.get("go"), 0, false));

    assertTrue(eventually(REAL_TIME_BOUND, thread::isTerminated), journal::toString);
    assertTrue(journal.contains("Live thread woke SUCCESS"));
    SchedulerTestSupport.awaitThreadGone(thread);
    unload("Live");
    assertCleanRun(kernel);
  }

  @Test
  void unloadRequestedWhileADpcRunsCompletesOnceTheDpcReturns() throws InterruptedException {
    kernel = realTime();
    CountDownLatch inDpc = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestDriver driver = live(self -> {
      KTimer timer = self.k.keInitializeTimer();
      KDpc dpc = self.k.keInitializeDpc((d, c, a1, a2) -> {
        inDpc.countDown();
        try {
          // A long DPC: still running when the service stop arrives.
          release.await(REAL_TIME_BOUND.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
        }
      }, null);
      self.values.put("timer", timer);
      self.k.keSetTimer(timer, RELATIVE_MILLISECONDS(1), dpc);
      return NtStatus.SUCCESS;
    }).unload(self -> {
      self.k.keCancelTimer((KTimer) self.values.get("timer"));
      self.k.keFlushQueuedDpcs();
      self.note("flushed on " + Thread.currentThread().getName());
      Routines.deleteDeviceAndLink(self, LINK);
    }).build();
    kernel.loadDriver(driver);
    assertTrue(await(inDpc), "the DPC runs");

    NtStatus status = kernel.unloadDriver("Live");
    release.countDown();

    assertEquals(NtStatus.PENDING, status, "a routine of the driver is running");
    assertTrue(kernel.awaitUnloaded("Live", REAL_TIME_BOUND), () -> "the unload never finished;"
        + " journal:\n" + journal + "\nthreads: " + kernelThreads());
    assertCleanRun(kernel);
  }

  /** The kernel-owned Java threads alive now and what they do, for failure messages. */
  private static String kernelThreads() {
    StringBuilder out = new StringBuilder();
    Thread.getAllStackTraces().forEach((thread, stack) -> {
      if (thread.getName().startsWith("jwdm")) {
        out.append("\n").append(thread.getName()).append(":");
        for (int i = 0; i < Math.min(8, stack.length); i++) {
          out.append("\n    at ").append(stack[i]);
        }
      }
    });
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // close()

  @Test
  void closeStopsTheDpcThread() throws InterruptedException {
    kernel = realTime();
    AtomicInteger fired = new AtomicInteger();
    TestDriver driver = live(self -> {
      KTimer timer = self.k.keInitializeTimer();
      self.k.keSetTimerEx(timer, RELATIVE_MILLISECONDS(2), 2,
          self.k.keInitializeDpc((d, c, a1, a2) -> fired.incrementAndGet(), null));
      return NtStatus.SUCCESS;
    }).unload(self -> Routines.deleteDeviceAndLink(self, LINK)).build();
    kernel.loadDriver(driver);
    assertTrue(eventually(REAL_TIME_BOUND, () -> fired.get() >= 2), "the timer fires");

    kernel.close();
    Thread.sleep(20); // a DPC already running may finish
    int afterClose = fired.get();
    Thread.sleep(60);

    assertEquals(afterClose, fired.get(), "no timer fires once the kernel is closed");
    assertTrue(kernel.isLoaded("Live"), "the kernel's state stays readable");
  }

  @Test
  void closeEndsSystemThreadsStillWaiting() {
    kernel = realTime();
    TestDriver driver = live(self -> {
      KEvent never = self.k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
      Out<KThreadObject> thread = new Out<>();
      NtStatus status = self.k.psCreateSystemThread(thread, context -> {
        self.note("thread waits");
        waitForever(self.k, never);
        self.note("thread woke");
      }, null);
      self.values.put("thread", thread.get());
      return status;
    }).unload(self -> Routines.deleteDeviceAndLink(self, LINK)).build();
    kernel.loadDriver(driver);
    KThreadObject thread = (KThreadObject) journal.last("Live").values.get("thread");
    assertTrue(eventually(REAL_TIME_BOUND, () -> journal.contains("Live thread waits")));

    kernel.close();

    assertTrue(eventually(REAL_TIME_BOUND, thread::isTerminated),
        () -> "the waiting system thread still runs after close():" + kernelThreads());
    assertFalse(journal.contains("Live thread woke"), "it was stopped, not woken");
  }

  @Test
  void advanceClockIsRefusedUnderTheRealTimeScheduler() {
    kernel = realTime();
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> kernel.advanceClock(Duration.ofMillis(1)));
    assertNotEquals(null, refused.getMessage());
    assertTrue(refused.getMessage().contains("deterministic"), refused.getMessage());
  }
}

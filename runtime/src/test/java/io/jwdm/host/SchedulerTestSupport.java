package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.jwdm.kernel.DispatcherObject;
import io.jwdm.kernel.IoWorkItem;
import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KTimer;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Wdm;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * What the scheduler and low-resources tests share: how they boot kernels, waits on kernel objects
 * written as a driver writes them, the kernel addresses bug checks carry, and bounded polling for
 * the real-time tests. Stateless.
 */
final class SchedulerTestSupport {
  private SchedulerTestSupport() {}

  /** An I/O control code the test drivers accept on their device. */
  static final int IOCTL_KICK = 0x0022_2000;

  /** How long the real-time tests wait at most for something to happen on the wall clock. */
  static final Duration REAL_TIME_BOUND = Duration.ofSeconds(2);

  /** A deterministic kernel (the default scheduler) with seed {@code seed}. */
  static Kernel deterministic(long seed) {
    return Kernel.boot(KernelOptions.builder()
        .waitTimeout(Duration.ofSeconds(2))
        .schedulerMode(SchedulerMode.DETERMINISTIC)
        .seed(seed)
        .build());
  }

  /** A deterministic kernel with seed 0. */
  static Kernel deterministic() {
    return deterministic(0);
  }

  /** A real-time kernel with a short wait timeout. */
  static Kernel realTime() {
    return Kernel.boot(KernelOptions.builder()
        .waitTimeout(Duration.ofSeconds(2))
        .schedulerMode(SchedulerMode.REAL_TIME)
        .build());
  }

  /** {@code KeWaitForSingleObject(object, Executive, KernelMode, FALSE, timeout)}. */
  static NtStatus waitFor(KernelServices k, DispatcherObject object, Long timeout) {
    return k.keWaitForSingleObject(object, Wdm.EXECUTIVE, Wdm.KERNEL_MODE, false, timeout);
  }

  /** {@code KeWaitForSingleObject} with no timeout. */
  static NtStatus waitForever(KernelServices k, DispatcherObject object) {
    return waitFor(k, object, null);
  }

  /** {@code KeDelayExecutionThread(KernelMode, FALSE, -ms)}. */
  static NtStatus sleep(KernelServices k, long milliseconds) {
    return k.keDelayExecutionThread(Wdm.KERNEL_MODE, false,
        Wdm.RELATIVE_MILLISECONDS(milliseconds));
  }

  /** The kernel's clock in whole milliseconds, as a driver reads it. */
  static long nowMillis(KernelServices k) {
    return k.keQueryInterruptTime() / 10_000;
  }

  // ---------------------------------------------------------------------------------------------
  // Kernel addresses of scheduler objects, as bug checks carry them

  static long address(KTimer timer) {
    return assertInstanceOf(Scheduler.TimerImpl.class, timer).address;
  }

  static long address(KDpc dpc) {
    return assertInstanceOf(Scheduler.DpcImpl.class, dpc).address;
  }

  static long address(IoWorkItem item) {
    return assertInstanceOf(Scheduler.WorkItemImpl.class, item).address;
  }

  static long address(KThreadObject thread) {
    return assertInstanceOf(Scheduler.SystemThread.class, thread).address;
  }

  /**
   * Waits (bounded) until the Java thread behind a system thread that has ended is gone.
   *
   * <p>A workaround, for tests whose subject is something else: the scheduler marks a system thread
   * terminated and hands the baton back before it stops tracking the thread (Scheduler.threadBody),
   * so an unload right after a thread ended can find it "still running" (a spurious 0xCE).
   * {@code SchedulerSystemThreadTest#threadThatEndedIsNeverReportedStillRunningAtUnload} is the
   * test for that race.
   */
  static void awaitThreadGone(KThreadObject thread) {
    Thread java = assertInstanceOf(Scheduler.SystemThread.class, thread).thread;
    try {
      java.join(REAL_TIME_BOUND.toMillis());
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
    if (java.isAlive()) {
      throw new AssertionError("the Java thread of " + thread + " did not end");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Real time

  /** Polls {@code condition} every few milliseconds for at most {@code bound}; true if it held. */
  static boolean eventually(Duration bound, BooleanSupplier condition) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** The trace as text, one event a line: what determinism tests compare byte for byte. */
  static String traceText(Kernel kernel) {
    return kernel.trace().stream().map(TraceEvent::toString).collect(Collectors.joining("\n"));
  }

  /** The injected failures' summaries, one a line. */
  static String failureText(List<InjectedFailure> failures) {
    return failures.stream().map(InjectedFailure::summary).collect(Collectors.joining("\n"));
  }
}

package io.jwdm.host;

/** How a kernel runs its timers, DPCs, work items and system threads. */
public enum SchedulerMode {
  /**
   * A virtual clock that the host advances ({@link Kernel#advanceClock}), and one kernel thread
   * running at a time, in an order drawn from the kernel's seed: a run repeats exactly. DPCs, work
   * items and ready system threads run when a host call returns, or while a kernel thread waits.
   * The host drives such a kernel from one thread. The default.
   */
  DETERMINISTIC,
  /**
   * Real time and real threads: timers fire on the wall clock, DPCs run on a DPC thread, work items
   * on worker threads, system threads run freely. For stress runs; {@link Kernel#close()} stops
   * the threads.
   */
  REAL_TIME
}

package io.jwdm.host;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DispatcherObject;
import io.jwdm.kernel.EventType;
import io.jwdm.kernel.IoWorkItem;
import io.jwdm.kernel.IoWorkItemRoutine;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KDeferredRoutine;
import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.KEvent;
import io.jwdm.kernel.KStartRoutine;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KTimer;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * The kernel's clock and scheduler: timers, DPCs, work items, system threads, events and waits.
 *
 * <p>In {@link SchedulerMode#DETERMINISTIC} mode time is virtual and moves only when the host
 * advances it or when every kernel thread waits with a timeout; one kernel thread runs at a time,
 * and which of the ready ones runs next (a work item or a system thread) is drawn from the kernel's
 * seed. DPCs run first, in queue order, as they would at DISPATCH_LEVEL. System threads are Java
 * threads that run only while they hold the scheduler's baton, so the run repeats exactly.
 *
 * <p>In {@link SchedulerMode#REAL_TIME} mode a DPC thread fires timers on the wall clock and runs
 * DPCs, two worker threads run work items, and system threads run freely.
 */
final class Scheduler {
  /** Unwinds a system thread that called PsTerminateSystemThread or was aborted. */
  static final class ThreadExit extends Error {
    private static final long serialVersionUID = 1L;

    ThreadExit() {
      super("system thread exit", null, false, false);
    }
  }

  private static final long FOREVER = Long.MAX_VALUE;

  private final KernelCore core;
  private final Services services;
  private final boolean deterministic;
  private final SplittableRandom random;
  private final long bootNanos = System.nanoTime();
  private long virtualNow;
  /** When the first timer is due ({@link Long#MAX_VALUE} if none); see {@link #step}. */
  private volatile long firstDue = Long.MAX_VALUE;
  private long sequence;
  private int threadNumber;
  private final ArrayDeque<DpcImpl> dpcQueue = new ArrayDeque<>();
  private final ArrayDeque<WorkItemImpl> workQueue = new ArrayDeque<>();
  private final TreeSet<TimerImpl> timers = new TreeSet<>(
      Comparator.comparingLong((TimerImpl t) -> t.due).thenComparingLong(t -> t.sequence));
  private final List<SystemThread> ready = new ArrayList<>();
  private final List<SystemThread> waiting = new ArrayList<>();
  private final List<SystemThread> live = new ArrayList<>();
  private SystemThread running;
  private int dpcsRunning;
  private boolean closed;
  private Thread dpcThread;
  private ExecutorService workers;

  Scheduler(KernelCore core, Services services) {
    this.core = core;
    this.services = services;
    this.deterministic = core.options.schedulerMode() == SchedulerMode.DETERMINISTIC;
    this.random = new SplittableRandom(core.options.seed());
    core.onBugCheck(this::abortThreads);
    core.setClock(this::now);
    if (!deterministic) {
      core.setDeferredKick(this::drainOnWorker);
    }
    if (deterministic) {
      core.setActivity(this::step);
    }
  }

  boolean deterministic() {
    return deterministic;
  }

  /** The kernel's time in 100-ns units since boot. */
  long now() {
    if (deterministic) {
      synchronized (core.lock) {
        return virtualNow;
      }
    }
    return (System.nanoTime() - bootNanos) / 100;
  }

  private long deadline(Long timeout) {
    if (timeout == null) {
      return FOREVER;
    }
    long now = now();
    return timeout < 0 ? now - timeout : Math.max(now, timeout);
  }

  private DriverObjectImpl currentDriver() {
    return core.thread().currentDriver;
  }

  // ---------------------------------------------------------------------------------------------
  // Dispatcher objects

  /** A dispatcher object's state. Guarded by the kernel lock. */
  abstract static class Waitable implements DispatcherObject {
    boolean signaled;

    @Override
    public boolean isSignaled() {
      return signaled;
    }

    /** Called when a wait on this object is satisfied. */
    void acquired() {}
  }

  static final class EventImpl extends Waitable implements KEvent {
    private final EventType type;

    EventImpl(EventType type, boolean state) {
      this.type = type;
      this.signaled = state;
    }

    @Override
    public EventType type() {
      return type;
    }

    @Override
    void acquired() {
      if (type == EventType.SYNCHRONIZATION_EVENT) {
        signaled = false;
      }
    }
  }

  final class TimerImpl extends Waitable implements KTimer {
    final DriverObjectImpl owner;
    final long address = core.allocateAddress();
    final List<StackTraceElement> creationStack = KernelCore.creationStack();
    boolean set;
    long due;
    long sequence;
    int period;
    DpcImpl dpc;

    TimerImpl(DriverObjectImpl owner) {
      this.owner = owner;
    }

    @Override
    public boolean isSet() {
      synchronized (core.lock) {
        return set;
      }
    }

    @Override
    public String toString() {
      return String.format("KTIMER %016x", address);
    }
  }

  final class DpcImpl implements KDpc {
    final DriverObjectImpl owner;
    final long address = core.allocateAddress();
    final KDeferredRoutine routine;
    final Object context;
    final List<StackTraceElement> creationStack = KernelCore.creationStack();
    boolean queued;
    Object argument1;
    Object argument2;

    DpcImpl(DriverObjectImpl owner, KDeferredRoutine routine, Object context) {
      this.owner = owner;
      this.routine = routine;
      this.context = context;
    }

    @Override
    public boolean isQueued() {
      synchronized (core.lock) {
        return queued;
      }
    }

    @Override
    public String toString() {
      return String.format("KDPC %016x", address);
    }
  }

  final class WorkItemImpl implements IoWorkItem {
    final DriverObjectImpl owner;
    final DeviceObjectImpl device;
    final long address = core.allocateAddress();
    final List<StackTraceElement> creationStack = KernelCore.creationStack();
    boolean queued;
    boolean freed;
    IoWorkItemRoutine routine;
    Object context;

    WorkItemImpl(DriverObjectImpl owner, DeviceObjectImpl device) {
      this.owner = owner;
      this.device = device;
    }

    @Override
    public boolean isQueued() {
      synchronized (core.lock) {
        return queued;
      }
    }

    @Override
    public String toString() {
      return String.format("IO_WORKITEM %016x", address);
    }
  }

  /** A system thread: a Java thread the kernel owns. */
  final class SystemThread extends Waitable implements KThreadObject {
    final DriverObjectImpl owner;
    final long address = core.allocateAddress();
    final List<StackTraceElement> creationStack = KernelCore.creationStack();
    final Semaphore permit = new Semaphore(0);
    final String name;
    Waitable waitingOn;
    long wakeAt = FOREVER;
    boolean terminated;
    boolean aborted;
    Thread thread;

    SystemThread(DriverObjectImpl owner, String name) {
      this.owner = owner;
      this.name = name;
    }

    @Override
    public boolean isTerminated() {
      synchronized (core.lock) {
        return terminated;
      }
    }

    @Override
    public String toString() {
      return String.format("ETHREAD %016x (%s)", address, name);
    }
  }

  private Waitable waitable(DispatcherObject object) {
    if (object instanceof Waitable) {
      return (Waitable) object;
    }
    throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
        currentDriver(), "KeWaitForSingleObject was given " + object
            + ", which is not a kernel dispatcher object", null);
  }

  private <T> T cast(Object object, Class<T> type, String service) {
    if (type.isInstance(object)) {
      return type.cast(object);
    }
    throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
        currentDriver(), service + " was given " + object + " instead of a "
            + type.getSimpleName().replace("Impl", ""), null);
  }

  /** Wakes the deterministic threads waiting on {@code object}. Holds the kernel lock. */
  private void signaledLocked(Waitable object) {
    for (int i = 0; i < waiting.size(); i++) {
      SystemThread thread = waiting.get(i);
      if (thread.waitingOn == object) {
        waiting.remove(i--);
        ready.add(thread);
      }
    }
    core.wakeAllLocked();
  }

  // ---------------------------------------------------------------------------------------------
  // Events and waits

  KEvent initializeEvent(EventType type, boolean state) {
    return new EventImpl(type == null ? EventType.NOTIFICATION_EVENT : type, state);
  }

  int setEvent(KEvent event) {
    EventImpl impl = cast(event, EventImpl.class, "KeSetEvent");
    synchronized (core.lock) {
      boolean previous = impl.signaled;
      impl.signaled = true;
      signaledLocked(impl);
      return previous ? 1 : 0;
    }
  }

  void clearEvent(KEvent event) {
    EventImpl impl = cast(event, EventImpl.class, "KeClearEvent");
    synchronized (core.lock) {
      impl.signaled = false;
    }
  }

  NtStatus waitForSingleObject(DispatcherObject object, Long timeout) {
    Waitable target = waitable(object);
    long deadline = deadline(timeout);
    if (timeout != null && timeout == 0) {
      synchronized (core.lock) {
        if (target.signaled) {
          target.acquired();
          return NtStatus.SUCCESS;
        }
        return NtStatus.TIMEOUT;
      }
    }
    return await(target, deadline, "KeWaitForSingleObject on " + object);
  }

  NtStatus delayExecution(long interval) {
    long deadline = interval < 0 ? now() - interval : Math.max(now(), interval);
    await(new EventImpl(EventType.NOTIFICATION_EVENT, false), deadline,
        "KeDelayExecutionThread");
    return NtStatus.SUCCESS;
  }

  /** Waits until {@code target} is signaled (SUCCESS) or the kernel time reaches {@code deadline}. */
  private NtStatus await(Waitable target, long deadline, String what) {
    KernelCore.KThread thread = core.thread();
    if (!deterministic) {
      return realTimeWait(target, deadline);
    }
    if (thread.systemThread != null) {
      return threadWait(thread.systemThread, target, deadline);
    }
    boolean[] satisfied = new boolean[1];
    long horizon = deadline == FOREVER ? horizon() : deadline;
    boolean done = runUntil(() -> {
      if (target.signaled) {
        target.acquired();
        satisfied[0] = true;
        return true;
      }
      return virtualNow >= deadline;
    }, horizon, deadline != FOREVER, what);
    if (done) {
      return satisfied[0] ? NtStatus.SUCCESS : NtStatus.TIMEOUT;
    }
    if (deadline != FOREVER) {
      return NtStatus.TIMEOUT;
    }
    // Nothing in the kernel can satisfy the wait: only another host thread could.
    long until = System.nanoTime() + core.options.waitTimeout().toNanos();
    synchronized (core.lock) {
      while (true) {
        core.checkRunning();
        if (target.signaled) {
          target.acquired();
          return NtStatus.SUCCESS;
        }
        long left = until - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          core.waitLocked(Math.max(1, left / 1_000_000));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    throw core.bugCheck(BugCheck.JWDM_HANG_DETECTED, 0, 0, 0, 0, thread.currentDriver, what
        + " waits forever: no timer, DPC, work item or thread of this kernel can satisfy it, and"
        + " no other thread did within " + core.options.waitTimeout().toMillis() + " ms", null);
  }

  private NtStatus realTimeWait(Waitable target, long deadline) {
    SystemThread self = core.thread().systemThread;
    synchronized (core.lock) {
      while (true) {
        core.checkRunning();
        if (self != null && self.aborted) {
          throw new ThreadExit();
        }
        if (target.signaled) {
          target.acquired();
          return NtStatus.SUCCESS;
        }
        long left = deadline == FOREVER ? 10_000_000 : deadline - now();
        if (left <= 0) {
          return NtStatus.TIMEOUT;
        }
        try {
          core.waitLocked(Math.max(1, left / 10_000));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new ThreadExit();
        }
      }
    }
  }

  /** A deterministic system thread's wait: gives up the baton until woken. */
  private NtStatus threadWait(SystemThread self, Waitable target, long deadline) {
    while (true) {
      synchronized (core.lock) {
        if (target.signaled) {
          target.acquired();
          return NtStatus.SUCCESS;
        }
        if (virtualNow >= deadline) {
          return NtStatus.TIMEOUT;
        }
        self.waitingOn = target;
        self.wakeAt = deadline;
        waiting.add(self);
      }
      yieldBaton(self);
      synchronized (core.lock) {
        self.waitingOn = null;
        self.wakeAt = FOREVER;
      }
    }
  }

  /**
   * Deterministic: runs DPCs, work items and threads, and moves the virtual clock to the next timer
   * or wake-up, until {@code condition} holds (checked under the kernel lock) or the clock reaches
   * {@code deadline}. A wait nothing can ever satisfy stops the system as hung.
   *
   * @return true if the condition held
   */
  boolean runUntil(BooleanSupplier condition, long deadline, String what) {
    return runUntil(condition, deadline, true, what);
  }

  /**
   * {@link #runUntil(BooleanSupplier, long, String)}; with {@code jumpToDeadline} false, a wait
   * with nothing scheduled gives up at once instead of moving the clock to {@code deadline}.
   */
  boolean runUntil(BooleanSupplier condition, long deadline, boolean jumpToDeadline,
      String what) {
    while (true) {
      core.checkRunning();
      synchronized (core.lock) {
        if (condition.getAsBoolean()) {
          return true;
        }
        if (virtualNow >= deadline) {
          return false;
        }
      }
      if (step()) {
        continue;
      }
      long next;
      synchronized (core.lock) {
        next = nextEventLocked();
        if (next == FOREVER && (deadline == FOREVER || !jumpToDeadline)) {
          return false;
        }
        virtualNow = Math.max(virtualNow, Math.min(next, deadline));
      }
      fireDue();
    }
  }

  /** Runs deferred activity and waits for {@code condition}; the I/O manager's kernel waits. */
  boolean waitForCondition(BooleanSupplier condition, String what) {
    if (!deterministic) {
      return false;
    }
    return runUntil(condition, horizon(), false, what);
  }

  /**
   * How far a wait without a deadline may move the virtual clock: the kernel's wait timeout from
   * now. A periodic timer always has a next event, so without a horizon such a wait would run
   * forever.
   */
  private long horizon() {
    long now;
    synchronized (core.lock) {
      now = virtualNow;
    }
    long span = core.options.waitTimeout().toNanos() / 100;
    return now > FOREVER - span ? FOREVER - 1 : now + span;
  }

  // ---------------------------------------------------------------------------------------------
  // Timers and DPCs

  KTimer initializeTimer() {
    return new TimerImpl(currentDriver());
  }

  boolean setTimer(KTimer timer, long dueTime, int period, KDpc dpc, String service) {
    TimerImpl impl = cast(timer, TimerImpl.class, service);
    DpcImpl dpcImpl = dpc == null ? null : cast(dpc, DpcImpl.class, service);
    long due = deadline(dueTime);
    boolean wasSet;
    synchronized (core.lock) {
      wasSet = impl.set;
      if (wasSet) {
        timers.remove(impl);
      }
      impl.set = true;
      impl.signaled = false;
      impl.due = due;
      impl.period = Math.max(0, period);
      impl.dpc = dpcImpl;
      impl.sequence = ++sequence;
      timers.add(impl);
      timersChangedLocked();
      core.wakeAllLocked();
    }
    if (!wasSet) {
      core.track(new Tracked("Timer", impl.owner, impl.address, impl.toString() + " set",
          Tracked.Category.TIMER_OR_DPC, impl.creationStack, () -> cancelTimer(impl)));
    }
    ensureRealTimeThreads();
    return wasSet;
  }

  boolean cancelTimer(KTimer timer) {
    TimerImpl impl = cast(timer, TimerImpl.class, "KeCancelTimer");
    boolean wasSet;
    synchronized (core.lock) {
      wasSet = impl.set;
      if (wasSet) {
        timers.remove(impl);
        timersChangedLocked();
        impl.set = false;
      }
    }
    if (wasSet) {
      core.untrack(impl.address);
    }
    return wasSet;
  }

  KDpc initializeDpc(KDeferredRoutine routine, Object context) {
    if (routine == null) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
          currentDriver(), "KeInitializeDpc was given no deferred routine", null);
    }
    return new DpcImpl(currentDriver(), routine, context);
  }

  boolean insertQueueDpc(KDpc dpc, Object argument1, Object argument2) {
    DpcImpl impl = cast(dpc, DpcImpl.class, "KeInsertQueueDpc");
    synchronized (core.lock) {
      if (impl.queued) {
        return false;
      }
      queueDpcLocked(impl, argument1, argument2);
    }
    ensureRealTimeThreads();
    return true;
  }

  private void queueDpcLocked(DpcImpl impl, Object argument1, Object argument2) {
    impl.queued = true;
    impl.argument1 = argument1;
    impl.argument2 = argument2;
    dpcQueue.add(impl);
    core.track(new Tracked("Dpc", impl.owner, impl.address, impl.toString() + " queued",
        Tracked.Category.TIMER_OR_DPC, impl.creationStack, () -> removeQueueDpc(impl)));
    core.wakeAllLocked();
  }

  boolean removeQueueDpc(KDpc dpc) {
    DpcImpl impl = cast(dpc, DpcImpl.class, "KeRemoveQueueDpc");
    synchronized (core.lock) {
      if (!impl.queued) {
        return false;
      }
      impl.queued = false;
      dpcQueue.remove(impl);
    }
    core.untrack(impl.address);
    return true;
  }

  void flushQueuedDpcs() {
    if (deterministic) {
      while (true) {
        DpcImpl next;
        synchronized (core.lock) {
          next = dpcQueue.poll();
          if (next == null) {
            return;
          }
          next.queued = false;
        }
        runDpc(next);
      }
    }
    synchronized (core.lock) {
      while (!dpcQueue.isEmpty() || dpcsRunning > 0) {
        core.checkRunning();
        try {
          core.waitLocked(10);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void runDpc(DpcImpl dpc) {
    core.untrack(dpc.address);
    Object argument1;
    Object argument2;
    synchronized (core.lock) {
      argument1 = dpc.argument1;
      argument2 = dpc.argument2;
      dpcsRunning++;
    }
    try {
      core.callRoutine(dpc.owner, Irql.DISPATCH_LEVEL, "DPC routine", () -> {
        dpc.routine.run(dpc, dpc.context, argument1, argument2);
        return null;
      });
    } finally {
      synchronized (core.lock) {
        dpcsRunning--;
        core.wakeAllLocked();
      }
    }
  }

  /** Fires the timers whose time has come and wakes the threads whose wait timed out. */
  /** Under the lock, after the timer queue changed. */
  private void timersChangedLocked() {
    firstDue = timers.isEmpty() ? Long.MAX_VALUE : timers.first().due;
  }

  /** Under the lock, deterministic: true if a timer is due or a waiting thread's wait ends. */
  private boolean anythingDueLocked() {
    if (!timers.isEmpty() && timers.first().due <= virtualNow) {
      return true;
    }
    for (int i = 0; i < waiting.size(); i++) {
      if (waiting.get(i).wakeAt <= virtualNow) {
        return true;
      }
    }
    return false;
  }

  private void fireDue() {
    List<TimerImpl> expired = new ArrayList<>();
    synchronized (core.lock) {
      long now = deterministic ? virtualNow : now();
      while (!timers.isEmpty() && timers.first().due <= now) {
        TimerImpl timer = timers.pollFirst();
        timer.signaled = true;
        signaledLocked(timer);
        if (timer.dpc != null && !timer.dpc.queued) {
          queueDpcLocked(timer.dpc, null, null);
        }
        if (timer.period > 0) {
          timer.due += timer.period * 10_000L;
          timer.sequence = ++sequence;
          timers.add(timer);
        } else {
          timer.set = false;
          expired.add(timer);
        }
      }
      timersChangedLocked();
      for (int i = 0; i < waiting.size(); i++) {
        SystemThread thread = waiting.get(i);
        if (thread.wakeAt <= now) {
          waiting.remove(i--);
          ready.add(thread);
        }
      }
    }
    for (TimerImpl timer : expired) {
      core.untrack(timer.address);
    }
  }

  /** The next time a timer fires or a waiting thread times out. Holds the kernel lock. */
  private long nextEventLocked() {
    long next = timers.isEmpty() ? FOREVER : timers.first().due;
    for (SystemThread thread : waiting) {
      next = Math.min(next, thread.wakeAt);
    }
    return next;
  }

  /** Deterministic: moves the clock forward by {@code ticks} 100-ns units, running what falls due. */
  void advance(long ticks) {
    if (!deterministic) {
      throw new IllegalStateException(
          "advanceClock needs the deterministic scheduler; a real-time kernel follows the wall clock");
    }
    long target;
    synchronized (core.lock) {
      target = virtualNow + ticks;
    }
    runUntil(() -> false, target, "advanceClock");
    while (step()) {
      // run what the last timers queued
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Work items

  IoWorkItem allocateWorkItem(DeviceObjectImpl device) {
    DriverObjectImpl owner = currentDriver() != null ? currentDriver() : device.driver();
    if (services.verifier().failAllocation(owner, "IoAllocateWorkItem", "IoWk")) {
      return null;
    }
    WorkItemImpl item = new WorkItemImpl(owner, device);
    core.track(new Tracked("WorkItem", owner, item.address, item + " not freed",
        Tracked.Category.PENDING_OPERATION, item.creationStack, () -> {
          synchronized (core.lock) {
            item.freed = true;
            workQueue.remove(item);
          }
        }));
    return item;
  }

  void queueWorkItem(IoWorkItem item, IoWorkItemRoutine routine, Object context) {
    WorkItemImpl impl = cast(item, WorkItemImpl.class, "IoQueueWorkItem");
    synchronized (core.lock) {
      if (impl.freed || impl.queued) {
        throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0xE4, impl.address, 0, 0,
            impl.owner, "IoQueueWorkItem on " + impl + ", which is " + (impl.freed ? "freed"
                : "already queued"), null);
      }
      impl.queued = true;
      impl.routine = routine;
      impl.context = context;
      impl.device.referenceCount++;
      workQueue.add(impl);
      core.wakeAllLocked();
    }
    if (!deterministic) {
      ensureRealTimeThreads();
      workers.execute(() -> {
        KernelCore.KThread thread = core.thread();
        thread.worker = true;
        WorkItemImpl next;
        synchronized (core.lock) {
          next = workQueue.poll();
        }
        if (next != null) {
          runWorkItem(next);
        }
      });
    }
  }

  void freeWorkItem(IoWorkItem item) {
    WorkItemImpl impl = cast(item, WorkItemImpl.class, "IoFreeWorkItem");
    synchronized (core.lock) {
      if (impl.freed) {
        throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0xE5, impl.address, 0, 0,
            impl.owner, "IoFreeWorkItem on " + impl + ", which is freed already", null);
      }
      impl.freed = true;
    }
    core.untrack(impl.address);
  }

  private void runWorkItem(WorkItemImpl item) {
    try {
      core.callRoutine(item.owner, Irql.PASSIVE_LEVEL, "work item routine", () -> {
        item.routine.run(item.device, item.context);
        return null;
      });
    } catch (KernelCore.BugCheckUnwind unwind) {
      if (deterministic) {
        throw unwind;
      }
      return;
    } finally {
      synchronized (core.lock) {
        item.queued = false;
        item.device.referenceCount--;
        core.wakeAllLocked();
      }
    }
    if (core.bugCheck() == null) {
      services.io().afterRelease(item.device);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // System threads

  NtStatus createSystemThread(Out<KThreadObject> out, KStartRoutine routine, Object context) {
    DriverObjectImpl owner = currentDriver();
    SystemThread self;
    synchronized (core.lock) {
      self = new SystemThread(owner, (owner == null ? "system" : owner.name()) + "-thread-"
          + (++threadNumber));
      live.add(self);
    }
    core.track(new Tracked("SystemThread", owner, self.address, self + " still running",
        Tracked.Category.PENDING_OPERATION, self.creationStack, () -> abort(self)));
    Thread thread = new Thread(() -> threadBody(self, routine, context), "jwdm " + self.name);
    thread.setDaemon(true);
    self.thread = thread;
    synchronized (core.lock) {
      if (deterministic) {
        ready.add(self);
      }
    }
    thread.start();
    out.set(self);
    core.trace("PsCreateSystemThread", owner == null ? "system" : owner.name(), self.toString());
    return NtStatus.SUCCESS;
  }

  private void threadBody(SystemThread self, KStartRoutine routine, Object context) {
    KernelCore.KThread thread = core.thread();
    thread.systemThread = self;
    thread.irql = Irql.PASSIVE_LEVEL;
    try {
      if (deterministic) {
        self.permit.acquireUninterruptibly();
      }
      if (!self.aborted && core.bugCheck() == null) {
        core.callRoutine(self.owner, Irql.PASSIVE_LEVEL, "system thread", () -> {
          routine.run(context);
          return null;
        }, false);
      }
    } catch (ThreadExit | KernelCore.BugCheckUnwind exit) {
      // the thread ends
    } finally {
      synchronized (core.lock) {
        core.untrack(self.address);
        self.terminated = true;
        self.signaled = true;
        live.remove(self);
        ready.remove(self);
        waiting.remove(self);
        signaledLocked(self);
        if (running == self) {
          running = null;
        }
        core.wakeAllLocked();
      }
    }
  }

  NtStatus terminateSystemThread(NtStatus exitStatus) {
    if (core.thread().systemThread == null) {
      return NtStatus.INVALID_PARAMETER;
    }
    throw new ThreadExit();
  }

  /** Deterministic: gives the baton back to the scheduler and waits for the next turn. */
  private void yieldBaton(SystemThread self) {
    synchronized (core.lock) {
      if (running == self) {
        running = null;
      }
      core.wakeAllLocked();
    }
    self.permit.acquireUninterruptibly();
    if (self.aborted || core.bugCheck() != null) {
      throw new ThreadExit();
    }
  }

  /** Deterministic: runs {@code thread} until it waits or ends. */
  private void runThread(SystemThread thread) {
    synchronized (core.lock) {
      running = thread;
    }
    thread.permit.release();
    synchronized (core.lock) {
      while (running == thread && core.bugCheck() == null) {
        try {
          core.waitLocked(1000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void abort(SystemThread thread) {
    synchronized (core.lock) {
      thread.aborted = true;
      ready.remove(thread);
      waiting.remove(thread);
    }
    thread.permit.release();
    if (thread.thread != null) {
      thread.thread.interrupt();
    }
  }

  private void abortThreads() {
    List<SystemThread> threads;
    synchronized (core.lock) {
      threads = new ArrayList<>(live);
      for (SystemThread thread : threads) {
        thread.aborted = true;
      }
      core.wakeAllLocked();
    }
    for (SystemThread thread : threads) {
      thread.permit.release();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Running

  /**
   * Deterministic: runs one unit of ready work: the next DPC, or else a work item or ready thread
   * drawn from the seed.
   *
   * @return false if nothing was ready
   */
  boolean step() {
    if (!deterministic) {
      return false;
    }
    // Without the lock first: the host thread that queued work sees its own writes, and another
    // host thread's work is run when its own host call ends. Reads that race are stale, never
    // wrong in kind: a collection's emptiness, a long on a 64-bit JVM.
    if (dpcQueue.isEmpty() && workQueue.isEmpty() && ready.isEmpty() && waiting.isEmpty()
        && firstDue > virtualNow) {
      return false;
    }
    synchronized (core.lock) {
      if (dpcQueue.isEmpty() && workQueue.isEmpty() && ready.isEmpty() && !anythingDueLocked()) {
        return false; // the common case at the end of a host call: one lock, nothing allocated
      }
    }
    fireDue();
    DpcImpl dpc = null;
    WorkItemImpl work = null;
    SystemThread thread = null;
    synchronized (core.lock) {
      if (!dpcQueue.isEmpty()) {
        dpc = dpcQueue.poll();
        dpc.queued = false;
      } else {
        int choices = (workQueue.isEmpty() ? 0 : 1) + ready.size();
        if (choices == 0) {
          return false;
        }
        int pick = choices == 1 ? 0 : random.nextInt(choices);
        if (!workQueue.isEmpty() && pick == 0) {
          work = workQueue.poll();
        } else {
          thread = ready.remove(pick - (workQueue.isEmpty() ? 0 : 1));
        }
      }
    }
    if (dpc != null) {
      runDpc(dpc);
    } else if (work != null) {
      runWorkItem(work);
    } else {
      runThread(thread);
    }
    return true;
  }

  private void ensureRealTimeThreads() {
    if (deterministic) {
      return;
    }
    synchronized (core.lock) {
      if (dpcThread != null || closed) {
        return;
      }
      workers = Executors.newFixedThreadPool(2, runnable -> {
        Thread worker = new Thread(runnable, "jwdm worker");
        worker.setDaemon(true);
        return worker;
      });
      dpcThread = new Thread(this::dpcLoop, "jwdm DPC");
      dpcThread.setDaemon(true);
      dpcThread.start();
    }
  }

  /** Real time: runs deferred PASSIVE work (such as a pending unload) on a worker thread. */
  private void drainOnWorker() {
    ensureRealTimeThreads();
    synchronized (core.lock) {
      if (closed || workers == null) {
        return;
      }
    }
    try {
      workers.execute(() -> {
        core.thread().worker = true;
        try {
          core.drainDeferredIfIdle();
        } catch (KernelCore.BugCheckUnwind unwind) {
          // the system stopped; the bug check is recorded
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      // the kernel is closing
    }
  }

  /** Real time: fires timers on the wall clock and runs DPCs. */
  private void dpcLoop() {
    KernelCore.KThread thread = core.thread();
    thread.worker = true;
    thread.dpcThread = true;
    while (true) {
      DpcImpl next;
      synchronized (core.lock) {
        if (closed || core.bugCheck() != null) {
          return;
        }
      }
      fireDue();
      synchronized (core.lock) {
        next = dpcQueue.poll();
        if (next == null) {
          long wait = timers.isEmpty() ? 50 : Math.max(1, (timers.first().due - now()) / 10_000);
          try {
            core.waitLocked(Math.min(wait, 50));
          } catch (InterruptedException interrupted) {
            return;
          }
          continue;
        }
        next.queued = false;
      }
      try {
        runDpc(next);
      } catch (KernelCore.BugCheckUnwind unwind) {
        return;
      }
    }
  }

  /** Stops the real-time threads and ends the system threads that are still waiting. */
  void close() {
    synchronized (core.lock) {
      closed = true;
      core.wakeAllLocked();
    }
    abortThreads();
    if (workers != null) {
      workers.shutdownNow();
    }
    if (dpcThread != null) {
      dpcThread.interrupt();
    }
  }
}

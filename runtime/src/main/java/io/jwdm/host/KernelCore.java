package io.jwdm.host;

import io.jwdm.kernel.Irql;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The state one kernel instance shares between its managers: the lock, the per-thread context,
 * the deferred-work queue, the bug check, the trace and the leak list. Nothing here is static.
 *
 * <p>Threading: kernel state is guarded by {@link #lock}. Driver routines are always called with
 * the lock released, so a routine may call any service. The host thread that calls into the kernel
 * is adopted as a kernel thread for the duration of the call.
 */
final class KernelCore {
  /** Guards every mutable field of every kernel object of this kernel. */
  final Object lock = new Object();
  final KernelOptions options;
  private final ThreadLocal<KThread> threads = ThreadLocal.withInitial(KThread::new);
  private final java.util.Queue<Runnable> deferred =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private final ArrayDeque<TraceEvent> trace = new ArrayDeque<>();
  private final List<Leak> leaks = new ArrayList<>();
  private final List<Runnable> bugCheckHooks = new ArrayList<>();
  private BooleanSupplier activity;

  /** Runs {@code hook} once when the system stops. */
  void onBugCheck(Runnable hook) {
    synchronized (lock) {
      bugCheckHooks.add(hook);
    }
  }

  /** Sets the scheduler's step, run when deferred work drains. */
  void setActivity(BooleanSupplier step) {
    this.activity = step;
  }

  /** Live driver objects the verifier watches, by address, in creation order. */
  private final java.util.Map<Long, Tracked> tracked = new java.util.LinkedHashMap<>();
  private long traceSequence;
  private final java.util.concurrent.atomic.AtomicLong nextAddress =
      new java.util.concurrent.atomic.AtomicLong(0xFFFF_A000_0000_1000L);
  /** Threads in {@link #waitLocked}: {@link #wakeAllLocked} notifies only when there are some. */
  private int waiters;
  private volatile BugCheck bugCheck;

  KernelCore(KernelOptions options) {
    this.options = options;
  }

  /** Per-thread kernel context: the IRQL, and how deep the thread is in kernel and driver code. */
  static final class KThread {
    Irql irql = Irql.PASSIVE_LEVEL;
    int hostDepth;
    int routineDepth;
    DriverObjectImpl currentDriver;
    /** The system thread this Java thread runs, or null. */
    Scheduler.SystemThread systemThread;
    /** True on a kernel-owned worker (DPC, work item, timer) thread. */
    boolean worker;
    /** True while this thread drains deferred work, so draining does not nest. */
    boolean draining;
    /** True on the real-time scheduler's DPC thread, which never runs deferred PASSIVE work. */
    boolean dpcThread;

    /** True if the kernel owns this thread now: a host call, a system thread or a worker. */
    boolean isKernelThread() {
      return hostDepth > 0 || routineDepth > 0 || systemThread != null || worker;
    }
  }

  /** The kernel's clock in 100-ns units; set by the scheduler. */
  private java.util.function.LongSupplier clock = () -> 0;

  void setClock(java.util.function.LongSupplier clock) {
    this.clock = clock;
  }

  long now() {
    return clock.getAsLong();
  }

  /** The calling thread's kernel context. */
  KThread thread() {
    // The last thread's context, checked against the current thread: a kernel is mostly driven by
    // one thread at a time, and Thread.currentThread() is much cheaper than a ThreadLocal lookup.
    LastThread last = lastThread;
    Thread current = Thread.currentThread();
    if (last != null && last.thread == current) {
      return last.context;
    }
    KThread context = threads.get();
    lastThread = new LastThread(current, context);
    return context;
  }

  /**
   * A thread and its kernel context. Immutable, so that the racy, unsynchronized {@link
   * #lastThread} field is always seen whole.
   */
  private static final class LastThread {
    final Thread thread;
    final KThread context;

    LastThread(Thread thread, KThread context) {
      this.thread = thread;
      this.context = context;
    }
  }

  /** The context {@link #thread()} returned last; read and written without the lock. */
  private LastThread lastThread;

  /** A new, unique, deterministic kernel address for an object, for reports and bug checks. */
  long allocateAddress() {
    return nextAddress.getAndAdd(0x100);
  }

  /**
   * Waits on the kernel lock, which the caller holds, for a {@link #wakeAllLocked} or up to
   * {@code millis}. Every wait on the lock goes through here, so that a wake with no waiter costs
   * nothing.
   */
  void waitLocked(long millis) throws InterruptedException {
    waiters++;
    try {
      lock.wait(millis);
    } finally {
      waiters--;
    }
  }

  /** Wakes every thread in {@link #waitLocked}; the caller holds the kernel lock. */
  void wakeAllLocked() {
    if (waiters > 0) {
      lock.notifyAll();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Host calls

  /**
   * Runs a host request: refuses it once the system stopped, adopts the thread at PASSIVE_LEVEL,
   * and, when the outermost host call returns, runs the deferred work (unloads, removals) it caused.
   */
  <T> T hostCall(Supplier<T> request) {
    BugCheck stopped = bugCheck;
    if (stopped != null) {
      throw new SystemStoppedException(stopped);
    }
    KThread thread = thread();
    thread.hostDepth++;
    try {
      T result;
      try {
        result = request.get();
      } finally {
        if (thread.hostDepth == 1 && bugCheck == null) {
          drainDeferred();
        }
      }
      return result;
    } catch (BugCheckUnwind unwind) {
      throw new SystemStoppedException(unwind.bugCheck);
    } finally {
      thread.hostDepth--;
      if (thread.hostDepth == 0) {
        thread.irql = Irql.PASSIVE_LEVEL;
        thread.routineDepth = 0;
        thread.currentDriver = null;
      }
    }
  }

  void hostRun(Runnable request) {
    hostCall(() -> {
      request.run();
      return null;
    });
  }

  /** Hands deferred work to a kernel worker thread; set by the real-time scheduler. */
  private Runnable deferredKick = () -> { };

  void setDeferredKick(Runnable kick) {
    this.deferredKick = kick;
  }

  /**
   * Queues work that must run at PASSIVE_LEVEL outside any driver routine: when the outermost host
   * call returns, or, under the real-time scheduler, on a worker thread.
   */
  void defer(Runnable work) {
    deferred.add(work);
    deferredKick.run();
  }

  /**
   * Runs deferred work now if the calling thread is outside every driver routine, at PASSIVE_LEVEL,
   * and not the DPC thread.
   */
  void drainDeferredIfIdle() {
    KThread thread = thread();
    if (thread.routineDepth == 0 && thread.hostDepth <= 1 && thread.irql == Irql.PASSIVE_LEVEL
        && !thread.dpcThread) {
      drainDeferred();
    } else if (thread.hostDepth == 0) {
      deferredKick.run();
    }
  }

  private void drainDeferred() {
    KThread thread = thread();
    if (thread.draining) {
      return;
    }
    thread.draining = true;
    try {
      while (true) {
        Runnable work = deferred.poll();
        if (work != null) {
          work.run();
          continue;
        }
        BooleanSupplier step = activity;
        if (step == null || bugCheck != null || !step.getAsBoolean()) {
          return;
        }
      }
    } finally {
      thread.draining = false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Driver routines

  /** What a driver routine returns, or, for a void routine, null. */
  interface Routine<T> {
    T run();
  }

  /**
   * Calls a driver routine at {@code irql} on behalf of {@code driver}. A routine that throws stops
   * the system with bug check 0x1E; the exception never reaches the caller.
   */
  <T> T callRoutine(DriverObjectImpl driver, Irql irql, String what, Routine<T> routine) {
    return callRoutine(driver, irql, what, routine, true);
  }

  /**
   * {@link #callRoutine(DriverObjectImpl, Irql, String, Routine)}; {@code counted} false for a
   * system thread's body, which may run while its driver unloads (Unload stops it and waits).
   */
  <T> T callRoutine(DriverObjectImpl driver, Irql irql, String what, Routine<T> routine,
      boolean counted) {
    KThread thread = thread();
    Irql savedIrql = thread.irql;
    DriverObjectImpl savedDriver = thread.currentDriver;
    thread.irql = irql;
    thread.routineDepth++;
    thread.currentDriver = driver;
    boolean count = counted && driver != null;
    if (count) {
      driver.enterRoutine();
    }
    try {
      return routine.run();
    } catch (BugCheckUnwind | Scheduler.ThreadExit unwind) {
      throw unwind;
    } catch (RuntimeException | Error thrown) {
      throw routineThrew(driver, what, thrown);
    } finally {
      if (count) {
        driver.exitRoutine();
      }
      thread.currentDriver = savedDriver;
      thread.routineDepth--;
      thread.irql = savedIrql;
      if (count && routineExit != null && bugCheck == null) {
        routineExit.accept(driver);
      }
    }
  }

  /** Bug check 0x1E for a routine that threw: what a C driver's unhandled exception causes. */
  private BugCheckUnwind routineThrew(DriverObjectImpl driver, String what, Throwable thrown) {
    return bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, exceptionCode(thrown),
        driver == null ? 0 : driver.address(), 0, 0, driver,
        (driver == null ? "a kernel callback" : driver.name()) + " threw from " + what + ": "
            + thrown,
        thrown);
  }

  /** Called after each driver routine returns: a pending unload may now run. */
  private java.util.function.Consumer<DriverObjectImpl> routineExit;

  void onRoutineExit(java.util.function.Consumer<DriverObjectImpl> hook) {
    this.routineExit = hook;
  }

  /** The exception code a C driver would see for {@code thrown}. */
  private static long exceptionCode(Throwable thrown) {
    if (thrown instanceof NullPointerException || thrown instanceof IndexOutOfBoundsException
        || thrown instanceof java.nio.BufferOverflowException
        || thrown instanceof java.nio.BufferUnderflowException
        || thrown instanceof ClassCastException) {
      return 0xC0000005L; // STATUS_ACCESS_VIOLATION
    }
    if (thrown instanceof AssertionError) {
      return 0xC0000420L; // STATUS_ASSERTION_FAILURE
    }
    if (thrown instanceof StackOverflowError) {
      return 0xC00000FDL; // STATUS_STACK_OVERFLOW
    }
    return 0xE0000001L; // a software exception: any other Java throwable
  }

  // ---------------------------------------------------------------------------------------------
  // Bug checks

  /**
   * Stops the system. Returns the unwind error for the caller to throw, so the calling driver code
   * never continues. Only the first bug check counts.
   */
  BugCheckUnwind bugCheck(int code, long p1, long p2, long p3, long p4, DriverObjectImpl driver,
      String message, Throwable cause) {
    return bugCheck(code, p1, p2, p3, p4, driver, message, cause, List.of());
  }

  /** {@link #bugCheck(int, long, long, long, long, DriverObjectImpl, String, Throwable)} about objects. */
  BugCheckUnwind bugCheck(int code, long p1, long p2, long p3, long p4, DriverObjectImpl driver,
      String message, Throwable cause, List<Leak> objects) {
    BugCheck check;
    synchronized (lock) {
      if (bugCheck == null) {
        bugCheck = new BugCheck(code, p1, p2, p3, p4, driver == null ? null : driver.name(),
            message, cause, objects);
        traceLocked("BugCheck", driver == null ? "system" : driver.name(),
            String.format("0x%X (%x, %x, %x, %x) %s", code, p1, p2, p3, p4, message));
        lock.notifyAll();
        for (Runnable hook : bugCheckHooks) {
          hook.run();
        }
      }
      check = bugCheck;
    }
    return new BugCheckUnwind(check);
  }

  BugCheck bugCheck() {
    return bugCheck;
  }

  /** Throws the unwind if the system has stopped: for services called by other threads. */
  void checkRunning() {
    BugCheck stopped = bugCheck;
    if (stopped != null) {
      throw new BugCheckUnwind(stopped);
    }
  }

  /**
   * Unwinds driver code after a bug check. Private to the kernel: it is caught at the host
   * boundary and turned into {@link SystemStoppedException}.
   */
  static final class BugCheckUnwind extends Error {
    private static final long serialVersionUID = 1L;
    final transient BugCheck bugCheck;

    BugCheckUnwind(BugCheck bugCheck) {
      super(bugCheck.toString(), null, false, false);
      this.bugCheck = bugCheck;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Trace and leaks

  void trace(String kind, String subject, String detail) {
    synchronized (lock) {
      traceLocked(kind, subject, detail);
    }
  }

  private void traceLocked(String kind, String subject, String detail) {
    if (options.traceCapacity() == 0) {
      return;
    }
    if (trace.size() == options.traceCapacity()) {
      trace.removeFirst();
    }
    trace.addLast(new TraceEvent(++traceSequence, kind, subject, detail));
  }

  List<TraceEvent> traceSnapshot() {
    synchronized (lock) {
      return List.copyOf(trace);
    }
  }

  /** Starts watching {@code object}; see {@link Tracked}. */
  void track(Tracked object) {
    synchronized (lock) {
      tracked.put(object.address, object);
    }
  }

  /** Stops watching the object at {@code address}: it was released. */
  void untrack(long address) {
    synchronized (lock) {
      tracked.remove(address);
    }
  }

  /** The watched objects {@code driver} still has, in creation order. */
  List<Tracked> trackedBy(DriverObjectImpl driver) {
    synchronized (lock) {
      List<Tracked> objects = new ArrayList<>();
      for (Tracked object : tracked.values()) {
        if (object.owner == driver) {
          objects.add(object);
        }
      }
      return objects;
    }
  }

  void addLeak(Leak leak) {
    synchronized (lock) {
      leaks.add(leak);
      traceLocked("Leak", leak.driverName(), leak.kind() + " " + leak.description() + " at "
          + leak.when());
    }
  }

  List<Leak> leaksSnapshot() {
    synchronized (lock) {
      return List.copyOf(leaks);
    }
  }

  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /**
   * Whether a class is jwdm's runtime itself (loaded from the same place as this class), worked out
   * once per class. A {@link ClassValue} keeps no class, and so no driver image, alive.
   */
  private static final ClassValue<Boolean> KERNEL_CLASS = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> type) {
      java.security.CodeSource own = KernelCore.class.getProtectionDomain().getCodeSource();
      java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
      return own == null ? source == null
          : source != null && java.util.Objects.equals(own.getLocation(), source.getLocation());
    }
  };

  /** True for a frame of jwdm's runtime itself. */
  private static boolean isKernelFrame(StackWalker.StackFrame frame) {
    return KERNEL_CLASS.get(frame.getDeclaringClass());
  }

  /**
   * The stack of the caller, without the kernel's own frames: where a driver created an object,
   * innermost first, up to the kernel frame that called the driver.
   */
  static List<StackTraceElement> creationStack() {
    return WALKER.walk(frames -> frames
        .dropWhile(KernelCore::isKernelFrame)
        .takeWhile(frame -> !isKernelFrame(frame))
        .map(StackWalker.StackFrame::toStackTraceElement)
        .collect(java.util.stream.Collectors.toList()));
  }
}

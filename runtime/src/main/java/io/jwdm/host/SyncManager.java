package io.jwdm.host;

import io.jwdm.kernel.EventType;
import io.jwdm.kernel.FastMutex;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KEvent;
import io.jwdm.kernel.KSpinLock;
import io.jwdm.kernel.NtStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The kernel's spin locks and fast mutexes, with Driver Verifier deadlock detection.
 *
 * <p><b>Spin locks</b> give real mutual exclusion between Java threads: a contended
 * {@code KeAcquireSpinLock} spins (never holding the kernel lock) until the holder releases it. A
 * spin that lasts longer than the kernel's {@link KernelOptions#waitTimeout() wait timeout}, or
 * waits for a thread that has ended, stops the system with {@link BugCheck#JWDM_HANG_DETECTED}:
 * a real system would hang there.
 *
 * <p><b>Fast mutexes</b> block through the scheduler's wait machinery (each mutex is a
 * synchronization event underneath), so under the deterministic scheduler a system thread that
 * finds a mutex taken gives up its turn until the holder releases it. A host thread (one that
 * drives the deterministic scheduler) that waits longer than the wait timeout of kernel time, or
 * any thread under the real-time scheduler that waits longer than the wait timeout, stops the
 * system with {@link BugCheck#JWDM_HANG_DETECTED}, naming the holder.
 *
 * <p><b>Deadlock detection</b> ({@link VerifierFlags#DEADLOCK_DETECTION}, part of
 * {@code /standard}): the kernel keeps a lock-order graph over the spin locks and fast mutexes
 * that verified drivers acquire. Acquiring B while holding A adds the edge A→B; if B already
 * reaches A, two threads taking the locks in these orders could deadlock, and the system stops
 * with 0xC4 / 0x1001 before the acquisition, naming each lock of the cycle with the stacks that
 * took it in each order.
 *
 * <p>The bug checks, with the subcodes of the WDK's bug check 0xC4 table where one exists:
 * <table>
 *   <caption>Lock misuse and its bug check</caption>
 *   <tr><th>misuse</th><th>deadlock detection on</th><th>otherwise</th></tr>
 *   <tr><td>acquiring a spin lock the thread holds</td><td>0xC4 / 0x1000 (P2 lock)</td>
 *       <td>0xF SPIN_LOCK_ALREADY_OWNED (no parameters)</td></tr>
 *   <tr><td>acquiring a fast mutex the thread holds</td><td>0xC4 / 0x1000 (P2 mutex)</td>
 *       <td>0xBF MUTEX_ALREADY_OWNED (P1 mutex)</td></tr>
 *   <tr><td>lock order inversion</td><td>0xC4 / 0x1001 (P2 the lock being acquired, P3 the held
 *       lock it inverts with; Windows reserves P3)</td><td>nothing</td></tr>
 *   <tr><td>releasing a lock nobody holds (such as a second release)</td>
 *       <td>0xC4 / 0x1007 (P2 lock)</td><td>spin lock: with any verifier flag 0xC4 / 0x32 if
 *       the IRQL is not DISPATCH_LEVEL (Windows' diagnosis of a double release), else 0x10
 *       SPIN_LOCK_NOT_OWNED; fast mutex: with any verifier flag 0xC4 / 0x34 if the IRQL is not
 *       APC_LEVEL, else 0x1E with STATUS_MUTANT_NOT_OWNED, the exception Windows raises for
 *       releasing a mutex one does not own</td></tr>
 *   <tr><td>releasing a lock another thread holds</td><td>0xC4 / 0x1004 (P2 lock, P3 and P4 the
 *       holding and the releasing system thread, 0 for a thread that is not one)</td>
 *       <td>as releasing a lock nobody holds</td></tr>
 *   <tr><td>a lock object that is not this kernel's</td><td colspan="2">0x1E with
 *       STATUS_ACCESS_VIOLATION</td></tr>
 * </table>
 * Each of these bug checks lists the lock in {@link BugCheck#objects()} (kind {@code SpinLock}
 * or {@code FastMutex}) with the stack that created it, or for a deadlock, the stacks that
 * acquired it.
 *
 * <p>Simplification: lock ownership is per Java thread, so a work item the deterministic scheduler
 * runs on the thread of a routine that holds a fast mutex counts as that routine's thread.
 */
final class SyncManager {
  /** {@code STATUS_MUTANT_NOT_OWNED}: what releasing a mutex one does not own raises. */
  static final long STATUS_MUTANT_NOT_OWNED = 0xC0000046L;
  /** 0xF SPIN_LOCK_ALREADY_OWNED. */
  static final int SPIN_LOCK_ALREADY_OWNED = BugCheck.SPIN_LOCK_ALREADY_OWNED;
  /** 0x10 SPIN_LOCK_NOT_OWNED. */
  static final int SPIN_LOCK_NOT_OWNED = BugCheck.SPIN_LOCK_NOT_OWNED;
  /** 0xBF MUTEX_ALREADY_OWNED. */
  static final int MUTEX_ALREADY_OWNED = BugCheck.MUTEX_ALREADY_OWNED;

  private final KernelCore core;
  private final Services services;
  /** The locks each thread acquired through the services, oldest first. */
  private final ThreadLocal<List<Held>> held = ThreadLocal.withInitial(ArrayList::new);
  /**
   * The lock-order graph: for each lock, the locks acquired while holding it, in the order first
   * seen. Guarded by the kernel lock.
   */
  private final Map<SyncLock, Map<SyncLock, Edge>> order = new HashMap<>();

  SyncManager(KernelCore core, Services services) {
    this.core = core;
    this.services = services;
  }

  // ---------------------------------------------------------------------------------------------
  // Lock objects

  /**
   * A spin lock or fast mutex: who holds it, and where it came from. It keeps its creator's name,
   * not its driver object, as the lock-order graph outlives drivers and must not keep an unloaded
   * driver's image alive.
   */
  abstract static class SyncLock {
    final SyncManager manager;
    final long address;
    final String creator;
    final List<StackTraceElement> creationStack;
    final AtomicReference<Thread> holder = new AtomicReference<>();
    /** Where the holder acquired it, when deadlock detection recorded it; else null. */
    volatile List<StackTraceElement> acquiredAt;
    /** The address of the holder's system thread, or 0 if the holder is not one. */
    volatile long holderThread;

    SyncLock(SyncManager manager, long address, DriverObjectImpl creator,
        List<StackTraceElement> creationStack) {
      this.manager = manager;
      this.address = address;
      this.creator = creator == null ? "system" : creator.name();
      this.creationStack = creationStack;
    }

    /** The kind its leaks and bug check objects carry: {@code SpinLock} or {@code FastMutex}. */
    abstract String kind();

    /** The WDK type name, for messages. */
    abstract String typeName();

    public boolean isHeld() {
      return holder.get() != null;
    }

    String ownerName() {
      return creator;
    }

    @Override
    public String toString() {
      return String.format("%s %016x", typeName(), address);
    }
  }

  /** A {@code KSPIN_LOCK}. */
  static final class SpinLockImpl extends SyncLock implements KSpinLock {
    SpinLockImpl(SyncManager manager, long address, DriverObjectImpl creator,
        List<StackTraceElement> creationStack) {
      super(manager, address, creator, creationStack);
    }

    @Override
    String kind() {
      return "SpinLock";
    }

    @Override
    String typeName() {
      return "KSPIN_LOCK";
    }
  }

  /** A {@code FAST_MUTEX}: a synchronization event underneath, so waits use the scheduler. */
  static final class FastMutexImpl extends SyncLock implements FastMutex {
    final KEvent free;
    /** The IRQL before the holder acquired it. */
    volatile Irql oldIrql = Irql.PASSIVE_LEVEL;

    FastMutexImpl(SyncManager manager, long address, DriverObjectImpl creator,
        List<StackTraceElement> creationStack, KEvent free) {
      super(manager, address, creator, creationStack);
      this.free = free;
    }

    @Override
    String kind() {
      return "FastMutex";
    }

    @Override
    String typeName() {
      return "FAST_MUTEX";
    }
  }

  /** A lock a thread holds, with the stack that acquired it (empty when not recorded). */
  private record Held(SyncLock lock, List<StackTraceElement> stack) {}

  /** An edge of the lock-order graph: {@code to} was acquired while holding {@code from}. */
  private record Edge(SyncLock from, SyncLock to, List<StackTraceElement> fromStack,
      List<StackTraceElement> toStack, String thread) {}

  // ---------------------------------------------------------------------------------------------
  // Spin locks

  KSpinLock initializeSpinLock() {
    return newSpinLock();
  }

  /** A new spin lock owned by the calling driver; also the kernel's own interrupt spin locks. */
  SpinLockImpl newSpinLock() {
    return new SpinLockImpl(this, core.allocateAddress(), core.thread().currentDriver,
        KernelCore.creationStack());
  }

  Irql acquireSpinLock(KSpinLock spinLock) {
    SpinLockImpl lock = spinLock(spinLock, "KeAcquireSpinLock");
    KernelCore.KThread thread = core.thread();
    DriverObjectImpl driver = thread.currentDriver;
    boolean detect = services.verifier().enabled(driver, VerifierFlags.DEADLOCK_DETECTION);
    Thread me = Thread.currentThread();
    if (lock.holder.get() == me) {
      throw alreadyOwned(lock, driver, detect, "KeAcquireSpinLock");
    }
    List<StackTraceElement> stack = detect ? KernelCore.creationStack() : List.of();
    if (detect) {
      checkOrder(lock, stack, driver);
    }
    Irql old = thread.irql;
    thread.irql = Irql.DISPATCH_LEVEL;
    spin(lock, me, "KeAcquireSpinLock");
    taken(lock, thread, detect ? stack : null);
    return old;
  }

  void releaseSpinLock(KSpinLock spinLock, Irql newIrql) {
    SpinLockImpl lock = spinLock(spinLock, "KeReleaseSpinLock");
    KernelCore.KThread thread = core.thread();
    DriverObjectImpl driver = thread.currentDriver;
    if (newIrql == null) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0, driver,
          "KeReleaseSpinLock on " + lock + " was given no IRQL to return to", null);
    }
    Thread holder = lock.holder.get();
    if (holder != Thread.currentThread()) {
      throw notOwned(lock, holder, driver, "KeReleaseSpinLock", Irql.DISPATCH_LEVEL, 0x32);
    }
    if (thread.irql != Irql.DISPATCH_LEVEL
        && services.verifier().enabled(driver, VerifierFlags.FORCE_IRQL_CHECKING)) {
      throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x32, thread.irql.level(),
          lock.address, 0, driver, "KeReleaseSpinLock on " + lock + " at " + thread.irql
              + "; a thread holding a spin lock stays at DISPATCH_LEVEL", null,
          List.of(creationLeak(lock, "released at " + thread.irql)));
    }
    released(lock);
    thread.irql = newIrql;
    if (newIrql == Irql.PASSIVE_LEVEL) {
      core.drainDeferredIfIdle();
    }
  }

  /**
   * Takes {@code lock} for the kernel itself (an ISR's interrupt spin lock): spins like
   * KeAcquireSpinLock, without changing the IRQL and without the verifier's checks.
   */
  void acquireRaw(SpinLockImpl lock, String what) {
    spin(lock, Thread.currentThread(), what);
    lock.holderThread = threadAddress(core.thread());
  }

  /** Releases a lock taken with {@link #acquireRaw}. */
  void releaseRaw(SpinLockImpl lock) {
    lock.holderThread = 0;
    lock.acquiredAt = null;
    lock.holder.set(null);
  }

  /** The address of {@code thread}'s system thread, or 0 if it is not one. */
  private static long threadAddress(KernelCore.KThread thread) {
    Scheduler.SystemThread system = thread.systemThread;
    return system == null ? 0 : system.address;
  }

  /** Casts a driver's spin lock, stopping the system for one that is not this kernel's. */
  SpinLockImpl spinLock(KSpinLock spinLock, String service) {
    if (spinLock instanceof SpinLockImpl && ((SpinLockImpl) spinLock).manager == this) {
      return (SpinLockImpl) spinLock;
    }
    throw foreign(spinLock, "a spin lock", service);
  }

  /**
   * Spins until {@code me} holds {@code lock}. Checks now and then whether the system stopped,
   * whether the holder ended, and whether the spin outlasted the wait timeout.
   */
  private void spin(SyncLock lock, Thread me, String service) {
    if (lock.holder.compareAndSet(null, me)) {
      return;
    }
    long start = System.nanoTime();
    long limit = core.options.waitTimeout().toNanos();
    for (int i = 1; ; i++) {
      if (lock.holder.compareAndSet(null, me)) {
        return;
      }
      if ((i & 0xFF) != 0) {
        Thread.onSpinWait();
        continue;
      }
      core.checkRunning();
      if (me.isInterrupted() && core.thread().systemThread != null) {
        throw new Scheduler.ThreadExit();
      }
      Thread holder = lock.holder.get();
      boolean ended = holder != null && !holder.isAlive();
      if (ended || System.nanoTime() - start > limit) {
        throw core.bugCheck(BugCheck.JWDM_HANG_DETECTED, lock.address, 0, 0, 0,
            core.thread().currentDriver, service + " on " + lock + " "
                + (ended ? "waits for thread '" + holder.getName() + "', which ended holding it"
                    : "spun " + core.options.waitTimeout().toMillis() + " ms while thread '"
                        + (holder == null ? "?" : holder.getName()) + "' held it")
                + ": the system would hang", null,
            List.of(holderLeak(lock, "held when " + service + " spun")));
      }
      Thread.yield();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Fast mutexes

  FastMutex initializeFastMutex() {
    KEvent free = services.scheduler().initializeEvent(EventType.SYNCHRONIZATION_EVENT, true);
    return new FastMutexImpl(this, core.allocateAddress(), core.thread().currentDriver,
        KernelCore.creationStack(), free);
  }

  void acquireFastMutex(FastMutex fastMutex) {
    FastMutexImpl mutex = fastMutex(fastMutex, "ExAcquireFastMutex");
    KernelCore.KThread thread = core.thread();
    DriverObjectImpl driver = thread.currentDriver;
    boolean detect = services.verifier().enabled(driver, VerifierFlags.DEADLOCK_DETECTION);
    if (mutex.holder.get() == Thread.currentThread()) {
      throw alreadyOwned(mutex, driver, detect, "ExAcquireFastMutex");
    }
    List<StackTraceElement> stack = detect ? KernelCore.creationStack() : List.of();
    if (detect) {
      checkOrder(mutex, stack, driver);
    }
    Irql old = thread.irql;
    thread.irql = Irql.APC_LEVEL;
    if (!take(mutex, thread)) {
      Thread holder = mutex.holder.get();
      throw core.bugCheck(BugCheck.JWDM_HANG_DETECTED, mutex.address, 0, 0, 0, driver,
          "ExAcquireFastMutex on " + mutex + " waited " + core.options.waitTimeout().toMillis()
              + " ms while thread '" + (holder == null ? "?" : holder.getName()) + "' held it,"
              + " and nothing released it: the system would hang", null,
          List.of(holderLeak(mutex, "held when ExAcquireFastMutex waited")));
    }
    mutex.holder.set(Thread.currentThread());
    mutex.oldIrql = old;
    taken(mutex, thread, detect ? stack : null);
  }

  /**
   * Waits until the calling thread owns the mutex's event. Under the deterministic scheduler a
   * system thread gives up its turn until the holder releases it (however long that takes, as
   * any kernel wait), and a host thread waiting for a system thread runs the scheduler for up to
   * the wait timeout of kernel time. Otherwise (real time, or a holder that is another host
   * thread) the wait lasts up to the wait timeout of wall-clock time.
   *
   * @return false if the wait timed out: nothing released the mutex
   */
  private boolean take(FastMutexImpl mutex, KernelCore.KThread thread) {
    Scheduler scheduler = services.scheduler();
    if (scheduler.waitForSingleObject(mutex.free, 0L).equals(NtStatus.SUCCESS)) {
      return true;
    }
    long timeout = core.options.waitTimeout().toNanos() / 100;
    if (scheduler.deterministic() && thread.systemThread != null) {
      return scheduler.waitForSingleObject(mutex.free, null).equals(NtStatus.SUCCESS);
    }
    if (scheduler.deterministic() && mutex.holderThread != 0) {
      return scheduler.waitForSingleObject(mutex.free, -timeout).equals(NtStatus.SUCCESS);
    }
    Scheduler.Waitable event = (Scheduler.Waitable) mutex.free;
    long deadline = System.nanoTime() + core.options.waitTimeout().toNanos();
    synchronized (core.lock) {
      while (true) {
        core.checkRunning();
        if (event.signaled) {
          event.acquired();
          return true;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          core.waitLocked(Math.max(1, Math.min(10, left / 1_000_000)));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new Scheduler.ThreadExit();
        }
      }
    }
  }

  void releaseFastMutex(FastMutex fastMutex) {
    FastMutexImpl mutex = fastMutex(fastMutex, "ExReleaseFastMutex");
    KernelCore.KThread thread = core.thread();
    DriverObjectImpl driver = thread.currentDriver;
    Thread holder = mutex.holder.get();
    if (holder != Thread.currentThread()) {
      throw notOwned(mutex, holder, driver, "ExReleaseFastMutex", Irql.APC_LEVEL, 0x34);
    }
    if (thread.irql != Irql.APC_LEVEL
        && services.verifier().enabled(driver, VerifierFlags.FORCE_IRQL_CHECKING)) {
      throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x34, thread.irql.level(),
          mutex.address, 0, driver, "ExReleaseFastMutex on " + mutex + " at " + thread.irql
              + "; a thread holding a fast mutex stays at APC_LEVEL", null,
          List.of(creationLeak(mutex, "released at " + thread.irql)));
    }
    Irql old = mutex.oldIrql;
    released(mutex);
    services.scheduler().setEvent(mutex.free);
    thread.irql = old;
    if (old == Irql.PASSIVE_LEVEL) {
      core.drainDeferredIfIdle();
    }
  }

  private FastMutexImpl fastMutex(FastMutex fastMutex, String service) {
    if (fastMutex instanceof FastMutexImpl && ((FastMutexImpl) fastMutex).manager == this) {
      return (FastMutexImpl) fastMutex;
    }
    throw foreign(fastMutex, "a fast mutex", service);
  }

  // ---------------------------------------------------------------------------------------------
  // Holding

  private void taken(SyncLock lock, KernelCore.KThread thread, List<StackTraceElement> stack) {
    lock.acquiredAt = stack;
    lock.holderThread = threadAddress(thread);
    held.get().add(new Held(lock, stack == null ? List.of() : stack));
  }

  private void released(SyncLock lock) {
    List<Held> mine = held.get();
    for (int i = mine.size() - 1; i >= 0; i--) {
      if (mine.get(i).lock == lock) {
        mine.remove(i);
        break;
      }
    }
    if (mine.isEmpty()) {
      held.remove();
    }
    lock.acquiredAt = null;
    lock.holderThread = 0;
    lock.holder.set(null);
  }

  // ---------------------------------------------------------------------------------------------
  // Deadlock detection

  /**
   * Before {@code acquiring} is taken: stops the system if a lock the thread holds is reachable
   * from it in the lock-order graph; otherwise adds an edge from each held lock to it.
   */
  private void checkOrder(SyncLock acquiring, List<StackTraceElement> stack,
      DriverObjectImpl driver) {
    List<Held> mine = held.get();
    if (mine.isEmpty()) {
      return;
    }
    String threadName = Thread.currentThread().getName();
    Held inverted = null;
    List<Edge> path = null;
    synchronized (core.lock) {
      for (Held h : mine) {
        if (h.lock == acquiring) {
          continue;
        }
        path = path(acquiring, h.lock);
        if (path != null) {
          inverted = h;
          break;
        }
      }
      if (path == null) {
        for (Held h : mine) {
          if (h.lock != acquiring) {
            order.computeIfAbsent(h.lock, key -> new LinkedHashMap<>()).putIfAbsent(acquiring,
                new Edge(h.lock, acquiring, h.stack, stack, threadName));
          }
        }
        return;
      }
    }
    List<Edge> cycle = new ArrayList<>();
    cycle.add(new Edge(inverted.lock, acquiring, inverted.stack, stack, threadName));
    cycle.addAll(path);
    List<Leak> objects = new ArrayList<>();
    StringBuilder chain = new StringBuilder(acquiring.toString());
    for (Edge edge : path) {
      chain.append(" -> ").append(edge.to);
    }
    for (Edge edge : cycle) {
      String when = "lock order " + edge.from + " -> " + edge.to;
      objects.add(new Leak(edge.from.kind(), edge.from.ownerName(), edge.from + " held by thread '"
          + edge.thread + "' when it acquired " + edge.to, when, edge.fromStack));
      objects.add(new Leak(edge.to.kind(), edge.to.ownerName(), edge.to + " acquired by thread '"
          + edge.thread + "' while holding " + edge.from, when, edge.toStack));
    }
    throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1001, acquiring.address,
        inverted.lock.address, 0, driver, "Deadlock detection: lock hierarchy violation. "
            + acquiring + " is being acquired while holding " + inverted.lock + ", but the"
            + " locks were taken before in the order " + chain + "; threads taking them in"
            + " these two orders would deadlock", null, objects);
  }

  /** The edges of a path from {@code from} to {@code to} in the lock-order graph, or null. */
  private List<Edge> path(SyncLock from, SyncLock to) {
    Map<SyncLock, Edge> reachedBy = new HashMap<>();
    ArrayDeque<SyncLock> queue = new ArrayDeque<>();
    queue.add(from);
    reachedBy.put(from, null);
    while (!queue.isEmpty()) {
      SyncLock next = queue.poll();
      if (next == to) {
        List<Edge> path = new ArrayList<>();
        for (Edge edge = reachedBy.get(to); edge != null; edge = reachedBy.get(edge.from)) {
          path.add(edge);
        }
        Collections.reverse(path);
        return path;
      }
      for (Edge edge : order.getOrDefault(next, Map.of()).values()) {
        if (!reachedBy.containsKey(edge.to)) {
          reachedBy.put(edge.to, edge);
          queue.add(edge.to);
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Violations

  private KernelCore.BugCheckUnwind alreadyOwned(SyncLock lock, DriverObjectImpl driver,
      boolean detect, String service) {
    String message = service + " on " + lock + ", which the calling thread already holds: it"
        + " would wait for itself forever";
    List<Leak> objects = List.of(holderLeak(lock, "acquired recursively"));
    if (detect) {
      return core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1000, lock.address, 0,
          0, driver, "Deadlock detection: self-deadlock. " + message, null, objects);
    }
    if (lock instanceof SpinLockImpl) {
      return core.bugCheck(SPIN_LOCK_ALREADY_OWNED, 0, 0, 0, 0, driver, message, null, objects);
    }
    Scheduler.SystemThread self = core.thread().systemThread;
    return core.bugCheck(MUTEX_ALREADY_OWNED, lock.address, self == null ? 0 : self.address, 0,
        0, driver, message, null, objects);
  }

  private KernelCore.BugCheckUnwind notOwned(SyncLock lock, Thread holder,
      DriverObjectImpl driver, String service, Irql holdingIrql, int irqlSubcode) {
    KernelCore.KThread thread = core.thread();
    String whose = holder == null ? "which no thread holds (released twice, or never acquired)"
        : "which thread '" + holder.getName() + "' holds, not the calling thread '"
            + Thread.currentThread().getName() + "'";
    String message = service + " on " + lock + ", " + whose;
    List<Leak> objects = List.of(holder == null ? creationLeak(lock, "released unowned")
        : holderLeak(lock, "released by another thread"));
    Verifier verifier = services.verifier();
    if (verifier.enabled(driver, VerifierFlags.DEADLOCK_DETECTION)) {
      if (holder == null) {
        return core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1007, lock.address, 0,
            0, driver, "Deadlock detection: unacquired resource. " + message, null, objects);
      }
      return core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x1004, lock.address,
          lock.holderThread, threadAddress(thread), driver,
          "Deadlock detection: unexpected thread. " + message, null, objects);
    }
    if (verifier.flags(driver) != 0 && thread.irql != holdingIrql) {
      return core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, irqlSubcode,
          thread.irql.level(), lock.address, 0, driver, message + "; the caller is at "
              + thread.irql + ", not at " + holdingIrql + " as a holder would be", null, objects);
    }
    if (lock instanceof SpinLockImpl) {
      return core.bugCheck(SPIN_LOCK_NOT_OWNED, 0, 0, 0, 0, driver, message, null, objects);
    }
    return core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, STATUS_MUTANT_NOT_OWNED,
        driver == null ? 0 : driver.address(), 0, 0, driver, message, null, objects);
  }

  private KernelCore.BugCheckUnwind foreign(Object object, String what, String service) {
    return core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
        core.thread().currentDriver, service + " was given " + (object == null ? "null"
            : object instanceof SyncLock ? what + " of another kernel" : "a foreign object")
            + " instead of " + what + " of this kernel", null);
  }

  /** The lock as a bug check object, with the stack that created it. */
  private static Leak creationLeak(SyncLock lock, String when) {
    return new Leak(lock.kind(), lock.ownerName(), lock + " (created by " + lock.ownerName()
        + ")", when, lock.creationStack);
  }

  /**
   * The lock as a bug check object, with the stack its holder acquired it at when deadlock
   * detection recorded it, else the stack that created it.
   */
  private static Leak holderLeak(SyncLock lock, String when) {
    List<StackTraceElement> acquired = lock.acquiredAt;
    Thread holder = lock.holder.get();
    String by = holder == null ? "" : ", held by thread '" + holder.getName() + "'";
    if (acquired != null && !acquired.isEmpty()) {
      return new Leak(lock.kind(), lock.ownerName(), lock + by + " (stack: where it was"
          + " acquired)", when, acquired);
    }
    return new Leak(lock.kind(), lock.ownerName(), lock + by + " (stack: where it was created)",
        when, lock.creationStack);
  }
}

package io.jwdm.host;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.IoDpcRoutine;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.KInterrupt;
import io.jwdm.kernel.KServiceRoutine;
import io.jwdm.kernel.KSpinLock;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel's interrupt objects, ISRs and DpcForIsr.
 *
 * <p>{@code IoConnectInterrupt} connects an ISR to a vector; {@link Kernel#raiseInterrupt} is the
 * simulated hardware raising it. The ISRs connected to the vector run in connection order, each at
 * its interrupt's SynchronizeIrql (a DIRQL) holding its interrupt spin lock, until one returns
 * true. A driver that passes its own spin lock to IoConnectInterrupt may take that lock with
 * KeAcquireSpinLock to synchronize with its ISR (jwdm has no KeSynchronizeExecution).
 *
 * <p>A connected interrupt is tracked as a pending operation of the driver that connected it:
 * one still connected when the driver unloads is bug check 0xCE, with the stack that connected
 * it. Disconnecting an interrupt twice is bug check 0x1E (STATUS_ACCESS_VIOLATION), as touching
 * the KINTERRUPT that the first IoDisconnectInterrupt freed would be.
 *
 * <p>{@code IoInitializeDpcRequest} gives a device a DpcForIsr: a KDPC whose routine gets the
 * device, and the IRP and context {@code IoRequestDpc} passed. Requesting it again while it is
 * queued does nothing, as in Windows.
 */
final class InterruptManager {
  private final KernelCore core;
  private final Services services;
  /** Connected interrupts by vector, in connection order. Guarded by the kernel lock. */
  private final Map<Integer, List<InterruptImpl>> vectors = new TreeMap<>();
  /**
   * Each device's DpcForIsr. Guarded by the kernel lock. An entry's DPC reaches the driver's code,
   * so entries of deleted devices are dropped (see {@link #deviceDeleted}) lest they keep an
   * unloaded driver's image alive.
   */
  private final Map<DeviceObjectImpl, KDpc> dpcForIsr = new IdentityHashMap<>();

  InterruptManager(KernelCore core, Services services) {
    this.core = core;
    this.services = services;
  }

  /** A connected interrupt object ({@code KINTERRUPT}). */
  final class InterruptImpl implements KInterrupt {
    final DriverObjectImpl owner;
    final long address = core.allocateAddress();
    final List<StackTraceElement> creationStack;
    final KServiceRoutine routine;
    final Object context;
    final SyncManager.SpinLockImpl spinLock;
    final int vector;
    final Irql irql;
    final Irql synchronizeIrql;
    final boolean shared;
    /** Guarded by the kernel lock; changed while holding {@link #spinLock}. */
    boolean connected = true;

    InterruptImpl(DriverObjectImpl owner, List<StackTraceElement> creationStack,
        KServiceRoutine routine, Object context, SyncManager.SpinLockImpl spinLock, int vector,
        Irql irql, Irql synchronizeIrql, boolean shared) {
      this.owner = owner;
      this.creationStack = creationStack;
      this.routine = routine;
      this.context = context;
      this.spinLock = spinLock;
      this.vector = vector;
      this.irql = irql;
      this.synchronizeIrql = synchronizeIrql;
      this.shared = shared;
    }

    @Override
    public int vector() {
      return vector;
    }

    InterruptManager manager() {
      return InterruptManager.this;
    }

    @Override
    public String toString() {
      return String.format("KINTERRUPT %016x (vector %d)", address, vector);
    }
  }

  NtStatus connect(Out<KInterrupt> interruptObject, KServiceRoutine serviceRoutine,
      Object serviceContext, KSpinLock spinLock, int vector, Irql irql, Irql synchronizeIrql,
      int interruptMode, boolean shareVector, long processorEnableMask, boolean floatingSave) {
    DriverObjectImpl owner = core.thread().currentDriver;
    String invalid = null;
    if (interruptObject == null || serviceRoutine == null) {
      invalid = "no interrupt object to fill or no service routine";
    } else if (vector < 0) {
      invalid = "vector " + vector;
    } else if (irql == null || synchronizeIrql == null || !irql.isAbove(Irql.DISPATCH_LEVEL)) {
      invalid = "IRQL " + irql + ": an interrupt's IRQL is a device IRQL, above DISPATCH_LEVEL";
    } else if (irql.isAbove(synchronizeIrql)) {
      invalid = "SynchronizeIrql " + synchronizeIrql + " below the interrupt's IRQL " + irql;
    } else if (interruptMode != Wdm.LEVEL_SENSITIVE && interruptMode != Wdm.LATCHED) {
      invalid = "interrupt mode " + interruptMode;
    } else if (processorEnableMask == 0) {
      invalid = "a processor enable mask with no processor";
    }
    if (invalid != null) {
      core.trace("IoConnectInterrupt", name(owner), "refused: " + invalid);
      return NtStatus.INVALID_PARAMETER;
    }
    SyncManager.SpinLockImpl lock = spinLock == null ? services.sync().newSpinLock()
        : services.sync().spinLock(spinLock, "IoConnectInterrupt");
    List<StackTraceElement> stack = KernelCore.creationStack();
    InterruptImpl interrupt = new InterruptImpl(owner, stack, serviceRoutine, serviceContext,
        lock, vector, irql, synchronizeIrql, shareVector);
    synchronized (core.lock) {
      List<InterruptImpl> connected = vectors.computeIfAbsent(vector, key -> new ArrayList<>());
      for (InterruptImpl other : connected) {
        if (!other.shared || !shareVector) {
          core.trace("IoConnectInterrupt", name(owner), "refused: vector " + vector
              + " is connected to " + other + " of " + name(other.owner)
              + " and one of them does not share it");
          return NtStatus.INSUFFICIENT_RESOURCES;
        }
      }
      connected.add(interrupt);
    }
    core.track(new Tracked("Interrupt", owner, interrupt.address, interrupt + " still connected",
        Tracked.Category.PENDING_OPERATION, stack, () -> unlink(interrupt)));
    interruptObject.set(interrupt);
    core.trace("IoConnectInterrupt", name(owner), interrupt + (shareVector ? ", shared" : ""));
    return NtStatus.SUCCESS;
  }

  void disconnect(KInterrupt interruptObject) {
    DriverObjectImpl caller = core.thread().currentDriver;
    if (!(interruptObject instanceof InterruptImpl)
        || ((InterruptImpl) interruptObject).manager() != this) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0, caller,
          "IoDisconnectInterrupt was given " + (interruptObject == null ? "null"
              : interruptObject instanceof InterruptImpl ? "an interrupt object of another kernel"
              : "a foreign object") + " instead of an interrupt object of this kernel", null);
    }
    InterruptImpl interrupt = (InterruptImpl) interruptObject;
    boolean wasConnected = unlink(interrupt);
    if (!wasConnected) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L,
          caller == null ? 0 : caller.address(), interrupt.address, 0, caller,
          "IoDisconnectInterrupt on " + interrupt + ", which is disconnected already: the first"
              + " IoDisconnectInterrupt freed it", null,
          List.of(new Leak("Interrupt", name(interrupt.owner), interrupt.toString(),
              "disconnected twice", interrupt.creationStack)));
    }
    core.untrack(interrupt.address);
    synchronized (core.lock) {
      pruneLocked();
    }
    core.trace("IoDisconnectInterrupt", name(interrupt.owner), interrupt.toString());
  }

  /**
   * Takes the interrupt off its vector, holding its spin lock so no ISR call is in progress.
   *
   * @return false if it was disconnected already
   */
  private boolean unlink(InterruptImpl interrupt) {
    services.sync().acquireRaw(interrupt.spinLock, "IoDisconnectInterrupt");
    try {
      synchronized (core.lock) {
        if (!interrupt.connected) {
          return false;
        }
        interrupt.connected = false;
        List<InterruptImpl> connected = vectors.get(interrupt.vector);
        if (connected != null) {
          connected.remove(interrupt);
          if (connected.isEmpty()) {
            vectors.remove(interrupt.vector);
          }
        }
        return true;
      }
    } finally {
      services.sync().releaseRaw(interrupt.spinLock);
    }
  }

  void initializeDpcRequest(DeviceObject deviceObject, IoDpcRoutine dpcRoutine) {
    DeviceObjectImpl device = services.device(deviceObject, "IoInitializeDpcRequest");
    if (dpcRoutine == null) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
          core.thread().currentDriver, "IoInitializeDpcRequest for " + device.describe()
              + " was given no DpcForIsr routine", null);
    }
    KDpc dpc = services.scheduler().initializeDpc(
        (self, context, irp, requestContext) -> dpcRoutine.run(self, device, (Irp) irp,
            requestContext), device);
    synchronized (core.lock) {
      pruneLocked();
      dpcForIsr.put(device, dpc);
    }
  }

  /**
   * A device was deleted: forgets its DpcForIsr. (Until the I/O manager calls this, entries of
   * deleted devices are pruned whenever the interrupt manager is used.)
   */
  void deviceDeleted(DeviceObjectImpl device) {
    synchronized (core.lock) {
      dpcForIsr.remove(device);
    }
  }

  /** Drops the DpcForIsr of deleted devices and of unloaded drivers. Holds the kernel lock. */
  private void pruneLocked() {
    dpcForIsr.keySet().removeIf(device -> device.deleted
        || device.driver().state == DriverObjectImpl.State.UNLOADED);
  }

  void requestDpc(DeviceObject deviceObject, Irp irp, Object context) {
    DeviceObjectImpl device = services.device(deviceObject, "IoRequestDpc");
    KDpc dpc;
    synchronized (core.lock) {
      dpc = dpcForIsr.get(device);
      pruneLocked();
    }
    if (dpc == null) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
          core.thread().currentDriver, "IoRequestDpc for " + device.describe() + ", which has"
              + " no DpcForIsr: IoInitializeDpcRequest was not called for it", null);
    }
    services.scheduler().insertQueueDpc(dpc, irp, context);
  }

  /**
   * The simulated hardware raises interrupt {@code vector}: runs the connected ISRs in connection
   * order, each at its SynchronizeIrql holding its interrupt spin lock, until one claims it.
   *
   * @return true if an ISR returned true
   */
  boolean raise(int vector) {
    List<InterruptImpl> connected;
    synchronized (core.lock) {
      connected = new ArrayList<>(vectors.getOrDefault(vector, List.of()));
      pruneLocked();
    }
    for (InterruptImpl interrupt : connected) {
      boolean claimed;
      services.sync().acquireRaw(interrupt.spinLock, "the interrupt dispatcher");
      try {
        synchronized (core.lock) {
          if (!interrupt.connected) {
            continue;
          }
        }
        claimed = core.callRoutine(interrupt.owner, interrupt.synchronizeIrql, "ISR",
            () -> interrupt.routine.service(interrupt, interrupt.context));
      } finally {
        services.sync().releaseRaw(interrupt.spinLock);
      }
      if (claimed) {
        core.trace("Interrupt", "vector " + vector, "claimed by " + interrupt + " of "
            + name(interrupt.owner));
        return true;
      }
    }
    core.trace("Interrupt", "vector " + vector, connected.isEmpty() ? "nothing connected"
        : "no ISR claimed it");
    return false;
  }

  private static String name(DriverObjectImpl driver) {
    return driver == null ? "system" : driver.name();
  }
}

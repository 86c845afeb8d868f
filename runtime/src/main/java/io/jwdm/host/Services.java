package io.jwdm.host;

import io.jwdm.kernel.BugCheckCallback;
import io.jwdm.kernel.CreateProcessNotifyRoutine;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DispatcherObject;
import io.jwdm.kernel.EventType;
import io.jwdm.kernel.FastMutex;
import io.jwdm.kernel.IoDpcRoutine;
import io.jwdm.kernel.IoWorkItem;
import io.jwdm.kernel.IoWorkItemRoutine;
import io.jwdm.kernel.KBugCheckCallbackRecord;
import io.jwdm.kernel.KDeferredRoutine;
import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.KEvent;
import io.jwdm.kernel.KInterrupt;
import io.jwdm.kernel.KServiceRoutine;
import io.jwdm.kernel.KSpinLock;
import io.jwdm.kernel.KStartRoutine;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KTimer;
import io.jwdm.kernel.LookasideList;
import io.jwdm.kernel.PlugPlayNotificationCallback;
import io.jwdm.kernel.RegistryCallback;
import io.jwdm.kernel.DriverCancel;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.DriverStartIo;
import io.jwdm.kernel.IoCompletionRoutine;
import io.jwdm.kernel.IoRemoveLock;
import io.jwdm.kernel.IoStackLocation;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.Mdl;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The services drivers call: {@link KernelServices} implemented over one kernel's state.
 *
 * <p>Simplifications, where the simulation differs from Windows: there is one processor per
 * kernel thread, so IRQL is tracked per thread; there is no cancel spin lock (cancel routines do
 * not release one); and a device queue entry cancelled while waiting for StartIo is removed from the
 * queue by the kernel before the driver's cancel routine runs.
 */
final class Services implements KernelServices {
  private final KernelCore core;
  private final Verifier verifier;
  private final PoolManager pool;
  private final Scheduler scheduler;
  private final SyncManager sync;
  private final InterruptManager interrupts;
  private final CallbackManager callbacks;
  private final LookasideManager lookasides;
  private IoManager io;

  Services(KernelCore core, Verifier verifier) {
    this.core = core;
    this.verifier = verifier;
    this.pool = new PoolManager(core, verifier);
    this.scheduler = new Scheduler(core, this);
    this.sync = new SyncManager(core, this);
    this.interrupts = new InterruptManager(core, this);
    this.callbacks = new CallbackManager(core, this);
    this.lookasides = new LookasideManager(core, this);
  }

  Scheduler scheduler() {
    return scheduler;
  }

  SyncManager sync() {
    return sync;
  }

  InterruptManager interrupts() {
    return interrupts;
  }

  CallbackManager callbacks() {
    return callbacks;
  }

  LookasideManager lookasides() {
    return lookasides;
  }

  IoManager io() {
    return io;
  }

  Verifier verifier() {
    return verifier;
  }

  PoolManager pool() {
    return pool;
  }

  void connect(IoManager io) {
    this.io = io;
  }

  KernelCore core() {
    return core;
  }

  // ---------------------------------------------------------------------------------------------
  // Checks

  void enter(Irql limit, String service) {
    core.checkRunning();
    KernelCore.KThread current = core.thread();
    if (!current.isKernelThread()) {
      throw core.bugCheck(BugCheck.JWDM_FOREIGN_THREAD, 0, 0, 0, 0, null, service
          + " was called from thread '" + Thread.currentThread().getName() + "', which this kernel"
          + " does not own: a driver runs code on kernel threads only (PsCreateSystemThread,"
          + " IoQueueWorkItem, a DPC or a timer), never on a Java thread of its own", null);
    }
    Irql irql = current.irql;
    if (irql.isAbove(limit)) {
      KernelCore.KThread thread = core.thread();
      throw core.bugCheck(BugCheck.IRQL_NOT_LESS_OR_EQUAL, 0, irql.level(), 0, 0,
          thread.currentDriver,
          service + " was called at " + irql + "; it may be called at most at " + limit, null);
    }
  }

  /**
   * The kernel's own implementation of an object a driver passed to {@code service}; anything else
   * (null, a foreign implementation, an object of another kernel) is an access violation, as a bad
   * pointer is in C: bug check 0x1E.
   */
  private <T> T own(Object object, Class<T> type, boolean ours, String what, String service) {
    if (type.isInstance(object) && ours) {
      return type.cast(object);
    }
    throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
        core.thread().currentDriver, service + " was given " + (object == null ? "null"
            : type.isInstance(object) ? what + " of another kernel" : "a foreign object")
            + " instead of " + what, null);
  }

  private DriverObjectImpl driver(DriverObject driver, String service) {
    return own(driver, DriverObjectImpl.class,
        driver instanceof DriverObjectImpl && ((DriverObjectImpl) driver).kernelServices() == this,
        "a driver object", service);
  }

  DeviceObjectImpl device(DeviceObject device, String service) {
    return own(device, DeviceObjectImpl.class, device != null && device.kernel() == this,
        "a device object", service);
  }

  IrpImpl irp(Irp irp, String service) {
    return own(irp, IrpImpl.class, true, "an IRP", service);
  }

  // ---------------------------------------------------------------------------------------------
  // Device objects and names

  @Override
  public NtStatus ioCreateDevice(DriverObject driverObject, Object deviceExtension,
      String deviceName, int deviceType, int deviceCharacteristics, boolean exclusive,
      Out<DeviceObject> deviceObject) {
    enter(Irql.PASSIVE_LEVEL, "IoCreateDevice");
    DriverObjectImpl driver = driver(driverObject, "IoCreateDevice");
    if (deviceObject == null) {
      return NtStatus.INVALID_PARAMETER;
    }
    if (deviceName != null && ObjectNamespace.validate(deviceName) != null) {
      return NtStatus.OBJECT_NAME_INVALID;
    }
    if (verifier.failAllocation(driver, "IoCreateDevice", null)) {
      return NtStatus.INSUFFICIENT_RESOURCES;
    }
    List<StackTraceElement> stack = KernelCore.creationStack();
    synchronized (core.lock) {
      if (driver.state != DriverObjectImpl.State.LOADING
          && driver.state != DriverObjectImpl.State.LOADED) {
        return NtStatus.DELETE_PENDING;
      }
      if (deviceName != null && io.namespace().exists(deviceName)) {
        return NtStatus.OBJECT_NAME_COLLISION;
      }
      int flags = Wdm.DO_DEVICE_INITIALIZING | (exclusive ? Wdm.DO_EXCLUSIVE : 0);
      DeviceObjectImpl device = new DeviceObjectImpl(driver, this, deviceName, deviceType,
          deviceCharacteristics, exclusive, deviceExtension, flags, core.allocateAddress(), stack);
      driver.devices.addFirst(device);
      if (deviceName != null) {
        io.namespace().addDevice(deviceName, device);
      }
      deviceObject.set(device);
    }
    core.trace("IoCreateDevice", driver.name(), deviceName == null ? "(unnamed)" : deviceName);
    return NtStatus.SUCCESS;
  }

  @Override
  public void ioDeleteDevice(DeviceObject deviceObject) {
    enter(Irql.PASSIVE_LEVEL, "IoDeleteDevice");
    DeviceObjectImpl device = device(deviceObject, "IoDeleteDevice");
    io.deleteDevice(device, "IoDeleteDevice");
  }

  @Override
  public NtStatus ioCreateSymbolicLink(String symbolicLinkName, String deviceName) {
    enter(Irql.PASSIVE_LEVEL, "IoCreateSymbolicLink");
    if (ObjectNamespace.validate(symbolicLinkName) != null
        || ObjectNamespace.validate(deviceName) != null) {
      return NtStatus.OBJECT_NAME_INVALID;
    }
    List<StackTraceElement> stack = KernelCore.creationStack();
    DriverObjectImpl creator = core.thread().currentDriver;
    synchronized (core.lock) {
      if (io.namespace().exists(symbolicLinkName)) {
        return NtStatus.OBJECT_NAME_COLLISION;
      }
      io.namespace().addLink(
          new ObjectNamespace.SymbolicLink(symbolicLinkName, deviceName, creator, stack));
    }
    core.trace("IoCreateSymbolicLink", creator == null ? "system" : creator.name(),
        symbolicLinkName + " -> " + deviceName);
    return NtStatus.SUCCESS;
  }

  @Override
  public NtStatus ioDeleteSymbolicLink(String symbolicLinkName) {
    enter(Irql.PASSIVE_LEVEL, "IoDeleteSymbolicLink");
    if (ObjectNamespace.validate(symbolicLinkName) != null) {
      return NtStatus.OBJECT_NAME_INVALID;
    }
    ObjectNamespace.SymbolicLink removed;
    synchronized (core.lock) {
      removed = io.namespace().removeLink(symbolicLinkName);
    }
    if (removed == null) {
      return NtStatus.OBJECT_NAME_NOT_FOUND;
    }
    core.trace("IoDeleteSymbolicLink", removed.creator() == null ? "system"
        : removed.creator().name(), symbolicLinkName);
    return NtStatus.SUCCESS;
  }

  @Override
  public DeviceObject ioAttachDeviceToDeviceStack(DeviceObject sourceDevice,
      DeviceObject targetDevice) {
    enter(Irql.PASSIVE_LEVEL, "IoAttachDeviceToDeviceStack");
    DeviceObjectImpl source = device(sourceDevice, "IoAttachDeviceToDeviceStack");
    DeviceObjectImpl target = device(targetDevice, "IoAttachDeviceToDeviceStack");
    DeviceObjectImpl top;
    synchronized (core.lock) {
      top = target.top();
      if (top == source || source.attachedTo != null || source.deleted || top.deleted
          || top.driver().state != DriverObjectImpl.State.LOADED
              && top.driver().state != DriverObjectImpl.State.LOADING
          || top.node != null && top.node.isRemoving()) {
        return null;
      }
      top.attachedDevice = source;
      source.attachedTo = top;
      source.stackSize = top.stackSize + 1;
      if (source.node == null && top.node != null) {
        top.node.adopt(source);
      }
    }
    core.trace("IoAttachDevice", source.driver().name(),
        source.describe() + " above " + top.describe());
    return top;
  }

  @Override
  public void ioDetachDevice(DeviceObject targetDevice) {
    enter(Irql.PASSIVE_LEVEL, "IoDetachDevice");
    DeviceObjectImpl target = device(targetDevice, "IoDetachDevice");
    io.detach(target, "IoDetachDevice");
  }

  // ---------------------------------------------------------------------------------------------
  // IRPs

  @Override
  public IoStackLocation ioGetCurrentIrpStackLocation(Irp irp) {
    return irp(irp, "IoGetCurrentIrpStackLocation").currentLocation0();
  }

  @Override
  public IoStackLocation ioGetNextIrpStackLocation(Irp irp) {
    return irp(irp, "IoGetNextIrpStackLocation").nextLocation0();
  }

  @Override
  public void ioSkipCurrentIrpStackLocation(Irp irp) {
    IrpImpl request = irp(irp, "IoSkipCurrentIrpStackLocation");
    request.current--;
  }

  @Override
  public void ioCopyCurrentIrpStackLocationToNext(Irp irp) {
    IrpImpl request = irp(irp, "IoCopyCurrentIrpStackLocationToNext");
    IrpImpl.StackLocation current = request.currentLocation0();
    IrpImpl.StackLocation next = request.nextLocation0();
    if (current == null || next == null) {
      throw core.bugCheck(BugCheck.NO_MORE_IRP_STACK_LOCATIONS, request.address, 0, 0, 0,
          core.thread().currentDriver,
          "IoCopyCurrentIrpStackLocationToNext on " + request + " has no next stack location",
          null);
    }
    next.copyParametersFrom(current);
  }

  @Override
  public void ioSetCompletionRoutine(Irp irp, IoCompletionRoutine routine, Object context,
      boolean invokeOnSuccess, boolean invokeOnError, boolean invokeOnCancel) {
    IrpImpl request = irp(irp, "IoSetCompletionRoutine");
    IrpImpl.StackLocation next = request.nextLocation0();
    if (next == null) {
      throw core.bugCheck(BugCheck.NO_MORE_IRP_STACK_LOCATIONS, request.address, 0, 0, 0,
          core.thread().currentDriver,
          "IoSetCompletionRoutine on " + request + " has no next stack location", null);
    }
    next.completionRoutine = routine;
    next.completionContext = context;
    next.invokeOnSuccess = invokeOnSuccess;
    next.invokeOnError = invokeOnError;
    next.invokeOnCancel = invokeOnCancel;
  }

  @Override
  public NtStatus ioCallDriver(DeviceObject deviceObject, Irp irp) {
    enter(Irql.DISPATCH_LEVEL, "IoCallDriver");
    DeviceObjectImpl device = device(deviceObject, "IoCallDriver");
    IrpImpl request = irp(irp, "IoCallDriver");
    return io.callDriver(device, request);
  }

  @Override
  public boolean ioForwardIrpSynchronously(DeviceObject deviceObject, Irp irp) {
    enter(Irql.PASSIVE_LEVEL, "IoForwardIrpSynchronously");
    DeviceObjectImpl device = device(deviceObject, "IoForwardIrpSynchronously");
    IrpImpl request = irp(irp, "IoForwardIrpSynchronously");
    ioCopyCurrentIrpStackLocationToNext(request);
    boolean[] done = new boolean[1];
    ioSetCompletionRoutine(request, (d, i, c) -> {
      synchronized (core.lock) {
        done[0] = true;
        core.wakeAllLocked();
      }
      return NtStatus.MORE_PROCESSING_REQUIRED;
    }, null, true, true, true);
    io.callDriver(device, request);
    io.waitUntil(() -> done[0], request.address, "IoForwardIrpSynchronously on " + request);
    return true;
  }

  @Override
  public void ioCompleteRequest(Irp irp, int priorityBoost) {
    enter(Irql.DISPATCH_LEVEL, "IoCompleteRequest");
    io.completeRequest(irp(irp, "IoCompleteRequest"));
  }

  @Override
  public void ioMarkIrpPending(Irp irp) {
    IrpImpl.StackLocation current = irp(irp, "IoMarkIrpPending").currentLocation0();
    if (current != null) {
      current.pending = true;
    }
  }

  @Override
  public DriverCancel ioSetCancelRoutine(Irp irp, DriverCancel routine) {
    return irp(irp, "IoSetCancelRoutine").exchangeCancelRoutine(routine);
  }

  @Override
  public boolean ioCancelIrp(Irp irp) {
    enter(Irql.DISPATCH_LEVEL, "IoCancelIrp");
    return io.cancelIrp(irp(irp, "IoCancelIrp"));
  }

  @Override
  public void ioStartPacket(DeviceObject deviceObject, Irp irp, DriverCancel cancelFunction) {
    enter(Irql.DISPATCH_LEVEL, "IoStartPacket");
    DeviceObjectImpl device = device(deviceObject, "IoStartPacket");
    IrpImpl request = irp(irp, "IoStartPacket");
    if (cancelFunction != null) {
      request.exchangeCancelRoutine(cancelFunction);
    }
    boolean start;
    synchronized (core.lock) {
      start = device.currentIrp == null;
      if (start) {
        device.currentIrp = request;
      } else {
        device.deviceQueue.add(request);
      }
    }
    if (start) {
      startIo(device, request);
    }
  }

  @Override
  public void ioStartNextPacket(DeviceObject deviceObject, boolean cancelable) {
    enter(Irql.DISPATCH_LEVEL, "IoStartNextPacket");
    DeviceObjectImpl device = device(deviceObject, "IoStartNextPacket");
    IrpImpl next;
    synchronized (core.lock) {
      next = device.deviceQueue.poll();
      device.currentIrp = next;
    }
    if (next != null) {
      startIo(device, next);
    }
  }

  private void startIo(DeviceObjectImpl device, IrpImpl request) {
    DriverObjectImpl driver = device.driver();
    DriverStartIo routine = driver.startIo();
    if (routine == null) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, device.address(), 0,
          0, driver, "IoStartPacket on a device of " + driver.name()
              + ", which has no StartIo routine", null);
    }
    core.callRoutine(driver, Irql.DISPATCH_LEVEL, "StartIo", () -> {
      routine.startIo(device, request);
      return null;
    });
  }

  @Override
  public ByteBuffer mmGetSystemAddressForMdlSafe(Mdl mdl, int priority) {
    enter(Irql.DISPATCH_LEVEL, "MmGetSystemAddressForMdlSafe");
    DriverObjectImpl driver = core.thread().currentDriver;
    if (driver != null && verifier.failAllocation(driver, "MmGetSystemAddressForMdlSafe", null)) {
      return null;
    }
    return mdl instanceof MdlImpl ? ((MdlImpl) mdl).buffer : null;
  }

  // ---------------------------------------------------------------------------------------------
  // Pool

  @Override
  public PoolMemory exAllocatePool2(long flags, long numberOfBytes, String tag) {
    core.checkRunning();
    boolean paged = (flags & Wdm.POOL_FLAG_PAGED) != 0;
    boolean nonPaged = (flags & Wdm.POOL_FLAG_NON_PAGED) != 0;
    if (paged == nonPaged) {
      core.trace("PoolRefused", currentDriverName(), String.format(
          "ExAllocatePool2 flags 0x%X name neither or both of POOL_FLAG_PAGED and"
              + " POOL_FLAG_NON_PAGED", flags));
      return null;
    }
    return pool.allocate(paged, numberOfBytes, tag, "ExAllocatePool2");
  }

  @Override
  public PoolMemory exAllocatePoolWithTag(int poolType, long numberOfBytes, String tag) {
    core.checkRunning();
    boolean paged = (poolType & 1) == Wdm.PAGED_POOL;
    PoolMemory memory = pool.allocate(paged, numberOfBytes, tag, "ExAllocatePoolWithTag");
    return memory;
  }

  @Override
  public void exFreePoolWithTag(PoolMemory memory, String tag) {
    core.checkRunning();
    pool.free(memory, tag, "ExFreePoolWithTag");
  }

  @Override
  public void exFreePool(PoolMemory memory) {
    core.checkRunning();
    pool.free(memory, null, "ExFreePool");
  }

  private String currentDriverName() {
    DriverObjectImpl driver = core.thread().currentDriver;
    return driver == null ? "system" : driver.name();
  }

  // ---------------------------------------------------------------------------------------------
  // Timers and DPCs

  @Override
  public KTimer keInitializeTimer() {
    enter(Irql.DISPATCH_LEVEL, "KeInitializeTimer");
    return scheduler.initializeTimer();
  }

  @Override
  public boolean keSetTimer(KTimer timer, long dueTime, KDpc dpc) {
    enter(Irql.DISPATCH_LEVEL, "KeSetTimer");
    return scheduler.setTimer(timer, dueTime, 0, dpc, "KeSetTimer");
  }

  @Override
  public boolean keSetTimerEx(KTimer timer, long dueTime, int period, KDpc dpc) {
    enter(Irql.DISPATCH_LEVEL, "KeSetTimerEx");
    return scheduler.setTimer(timer, dueTime, period, dpc, "KeSetTimerEx");
  }

  @Override
  public boolean keCancelTimer(KTimer timer) {
    enter(Irql.DISPATCH_LEVEL, "KeCancelTimer");
    return scheduler.cancelTimer(timer);
  }

  @Override
  public KDpc keInitializeDpc(KDeferredRoutine deferredRoutine, Object deferredContext) {
    enter(Irql.HIGH_LEVEL, "KeInitializeDpc");
    return scheduler.initializeDpc(deferredRoutine, deferredContext);
  }

  @Override
  public boolean keInsertQueueDpc(KDpc dpc, Object systemArgument1, Object systemArgument2) {
    enter(Irql.HIGH_LEVEL, "KeInsertQueueDpc");
    return scheduler.insertQueueDpc(dpc, systemArgument1, systemArgument2);
  }

  @Override
  public boolean keRemoveQueueDpc(KDpc dpc) {
    enter(Irql.HIGH_LEVEL, "KeRemoveQueueDpc");
    return scheduler.removeQueueDpc(dpc);
  }

  @Override
  public void keFlushQueuedDpcs() {
    enter(Irql.PASSIVE_LEVEL, "KeFlushQueuedDpcs");
    scheduler.flushQueuedDpcs();
  }

  // ---------------------------------------------------------------------------------------------
  // Work items and system threads

  @Override
  public IoWorkItem ioAllocateWorkItem(DeviceObject deviceObject) {
    enter(Irql.DISPATCH_LEVEL, "IoAllocateWorkItem");
    return scheduler.allocateWorkItem(device(deviceObject, "IoAllocateWorkItem"));
  }

  @Override
  public void ioQueueWorkItem(IoWorkItem item, IoWorkItemRoutine routine, int queueType,
      Object context) {
    enter(Irql.DISPATCH_LEVEL, "IoQueueWorkItem");
    scheduler.queueWorkItem(item, routine, context);
  }

  @Override
  public void ioFreeWorkItem(IoWorkItem item) {
    enter(Irql.DISPATCH_LEVEL, "IoFreeWorkItem");
    scheduler.freeWorkItem(item);
  }

  @Override
  public NtStatus psCreateSystemThread(Out<KThreadObject> thread, KStartRoutine startRoutine,
      Object startContext) {
    enter(Irql.PASSIVE_LEVEL, "PsCreateSystemThread");
    if (thread == null || startRoutine == null) {
      return NtStatus.INVALID_PARAMETER;
    }
    return scheduler.createSystemThread(thread, startRoutine, startContext);
  }

  @Override
  public NtStatus psTerminateSystemThread(NtStatus exitStatus) {
    enter(Irql.PASSIVE_LEVEL, "PsTerminateSystemThread");
    return scheduler.terminateSystemThread(exitStatus);
  }

  @Override
  public NtStatus keDelayExecutionThread(int waitMode, boolean alertable, long interval) {
    enter(Irql.APC_LEVEL, "KeDelayExecutionThread");
    return scheduler.delayExecution(interval);
  }

  // ---------------------------------------------------------------------------------------------
  // Events and waits

  @Override
  public KEvent keInitializeEvent(EventType type, boolean state) {
    enter(Irql.HIGH_LEVEL, "KeInitializeEvent");
    return scheduler.initializeEvent(type, state);
  }

  @Override
  public int keSetEvent(KEvent event, int increment, boolean wait) {
    enter(Irql.DISPATCH_LEVEL, "KeSetEvent");
    return scheduler.setEvent(event);
  }

  @Override
  public void keClearEvent(KEvent event) {
    enter(Irql.DISPATCH_LEVEL, "KeClearEvent");
    scheduler.clearEvent(event);
  }

  @Override
  public int keReadStateEvent(KEvent event) {
    enter(Irql.DISPATCH_LEVEL, "KeReadStateEvent");
    return event.isSignaled() ? 1 : 0;
  }

  @Override
  public NtStatus keWaitForSingleObject(DispatcherObject object, int waitReason, int waitMode,
      boolean alertable, Long timeout) {
    enter(timeout != null && timeout == 0 ? Irql.DISPATCH_LEVEL : Irql.APC_LEVEL,
        "KeWaitForSingleObject" + (timeout != null && timeout == 0 ? "" : " with a nonzero timeout"));
    return scheduler.waitForSingleObject(object, timeout);
  }

  @Override
  public long keQueryInterruptTime() {
    return scheduler.now();
  }

  // ---------------------------------------------------------------------------------------------
  // Locks

  @Override
  public KSpinLock keInitializeSpinLock() {
    enter(Irql.HIGH_LEVEL, "KeInitializeSpinLock");
    return sync.initializeSpinLock();
  }

  @Override
  public Irql keAcquireSpinLock(KSpinLock spinLock) {
    enter(Irql.DISPATCH_LEVEL, "KeAcquireSpinLock");
    return sync.acquireSpinLock(spinLock);
  }

  @Override
  public void keReleaseSpinLock(KSpinLock spinLock, Irql newIrql) {
    enter(Irql.DISPATCH_LEVEL, "KeReleaseSpinLock");
    sync.releaseSpinLock(spinLock, newIrql);
  }

  @Override
  public FastMutex exInitializeFastMutex() {
    enter(Irql.DISPATCH_LEVEL, "ExInitializeFastMutex");
    return sync.initializeFastMutex();
  }

  @Override
  public void exAcquireFastMutex(FastMutex fastMutex) {
    enter(Irql.APC_LEVEL, "ExAcquireFastMutex");
    sync.acquireFastMutex(fastMutex);
  }

  @Override
  public void exReleaseFastMutex(FastMutex fastMutex) {
    enter(Irql.APC_LEVEL, "ExReleaseFastMutex");
    sync.releaseFastMutex(fastMutex);
  }

  // ---------------------------------------------------------------------------------------------
  // Interrupts

  @Override
  public NtStatus ioConnectInterrupt(Out<KInterrupt> interruptObject,
      KServiceRoutine serviceRoutine, Object serviceContext, KSpinLock spinLock, int vector,
      Irql irql, Irql synchronizeIrql, int interruptMode, boolean shareVector,
      long processorEnableMask, boolean floatingSave) {
    enter(Irql.PASSIVE_LEVEL, "IoConnectInterrupt");
    return interrupts.connect(interruptObject, serviceRoutine, serviceContext, spinLock, vector,
        irql, synchronizeIrql, interruptMode, shareVector, processorEnableMask, floatingSave);
  }

  @Override
  public void ioDisconnectInterrupt(KInterrupt interruptObject) {
    enter(Irql.PASSIVE_LEVEL, "IoDisconnectInterrupt");
    interrupts.disconnect(interruptObject);
  }

  @Override
  public void ioInitializeDpcRequest(DeviceObject deviceObject, IoDpcRoutine dpcRoutine) {
    enter(Irql.PASSIVE_LEVEL, "IoInitializeDpcRequest");
    interrupts.initializeDpcRequest(deviceObject, dpcRoutine);
  }

  @Override
  public void ioRequestDpc(DeviceObject deviceObject, Irp irp, Object context) {
    enter(Irql.HIGH_LEVEL, "IoRequestDpc");
    interrupts.requestDpc(deviceObject, irp, context);
  }

  // ---------------------------------------------------------------------------------------------
  // Callbacks

  @Override
  public NtStatus psSetCreateProcessNotifyRoutineEx(CreateProcessNotifyRoutine notifyRoutine,
      boolean remove) {
    enter(Irql.PASSIVE_LEVEL, "PsSetCreateProcessNotifyRoutineEx");
    return callbacks.setCreateProcessNotifyRoutine(notifyRoutine, remove);
  }

  @Override
  public NtStatus cmRegisterCallbackEx(RegistryCallback function, String altitude,
      DriverObject driver, Object context, Out<Long> cookie) {
    enter(Irql.PASSIVE_LEVEL, "CmRegisterCallbackEx");
    return callbacks.registerRegistryCallback(function, altitude, driver, context, cookie);
  }

  @Override
  public NtStatus cmUnRegisterCallback(long cookie) {
    enter(Irql.PASSIVE_LEVEL, "CmUnRegisterCallback");
    return callbacks.unregisterRegistryCallback(cookie);
  }

  @Override
  public NtStatus ioRegisterShutdownNotification(DeviceObject deviceObject) {
    enter(Irql.PASSIVE_LEVEL, "IoRegisterShutdownNotification");
    return callbacks.registerShutdown(deviceObject);
  }

  @Override
  public void ioUnregisterShutdownNotification(DeviceObject deviceObject) {
    enter(Irql.PASSIVE_LEVEL, "IoUnregisterShutdownNotification");
    callbacks.unregisterShutdown(deviceObject);
  }

  @Override
  public NtStatus ioRegisterPlugPlayNotification(int eventCategory, int eventCategoryFlags,
      String eventCategoryData, DriverObject driver, PlugPlayNotificationCallback callback,
      Object context, Out<Object> notificationEntry) {
    enter(Irql.PASSIVE_LEVEL, "IoRegisterPlugPlayNotification");
    return callbacks.registerPlugPlay(eventCategory, eventCategoryFlags, eventCategoryData, driver,
        callback, context, notificationEntry);
  }

  @Override
  public NtStatus ioUnregisterPlugPlayNotificationEx(Object notificationEntry) {
    enter(Irql.PASSIVE_LEVEL, "IoUnregisterPlugPlayNotificationEx");
    return callbacks.unregisterPlugPlay(notificationEntry);
  }

  @Override
  public KBugCheckCallbackRecord keInitializeCallbackRecord() {
    enter(Irql.HIGH_LEVEL, "KeInitializeCallbackRecord");
    return callbacks.initializeCallbackRecord();
  }

  @Override
  public boolean keRegisterBugCheckCallback(KBugCheckCallbackRecord callbackRecord,
      BugCheckCallback callbackRoutine, Object buffer, int length, String component) {
    enter(Irql.DISPATCH_LEVEL, "KeRegisterBugCheckCallback");
    return callbacks.registerBugCheckCallback(callbackRecord, callbackRoutine, buffer, length,
        component);
  }

  @Override
  public boolean keDeregisterBugCheckCallback(KBugCheckCallbackRecord callbackRecord) {
    enter(Irql.DISPATCH_LEVEL, "KeDeregisterBugCheckCallback");
    return callbacks.deregisterBugCheckCallback(callbackRecord);
  }

  // ---------------------------------------------------------------------------------------------
  // Lookaside lists

  @Override
  public LookasideList exInitializeNPagedLookasideList(int flags, int size, String tag,
      int depth) {
    enter(Irql.DISPATCH_LEVEL, "ExInitializeNPagedLookasideList");
    return lookasides.initialize(flags, size, tag, depth);
  }

  @Override
  public PoolMemory exAllocateFromNPagedLookasideList(LookasideList lookaside) {
    enter(Irql.DISPATCH_LEVEL, "ExAllocateFromNPagedLookasideList");
    return lookasides.allocate(lookaside);
  }

  @Override
  public void exFreeToNPagedLookasideList(LookasideList lookaside, PoolMemory entry) {
    enter(Irql.DISPATCH_LEVEL, "ExFreeToNPagedLookasideList");
    lookasides.free(lookaside, entry);
  }

  @Override
  public void exDeleteNPagedLookasideList(LookasideList lookaside) {
    enter(Irql.DISPATCH_LEVEL, "ExDeleteNPagedLookasideList");
    lookasides.delete(lookaside);
  }

  // ---------------------------------------------------------------------------------------------
  // Remove locks

  @Override
  public IoRemoveLock ioInitializeRemoveLock(String allocateTag, int maxLockedMinutes,
      int highWatermark) {
    enter(Irql.PASSIVE_LEVEL, "IoInitializeRemoveLock");
    return new RemoveLockImpl(allocateTag);
  }

  private RemoveLockImpl removeLock(IoRemoveLock lock, String service) {
    return own(lock, RemoveLockImpl.class, true, "a remove lock", service);
  }

  @Override
  public NtStatus ioAcquireRemoveLock(IoRemoveLock removeLock, Object tag) {
    enter(Irql.DISPATCH_LEVEL, "IoAcquireRemoveLock");
    RemoveLockImpl lock = removeLock(removeLock, "IoAcquireRemoveLock");
    synchronized (core.lock) {
      if (lock.removed) {
        return NtStatus.DELETE_PENDING;
      }
      lock.count++;
      return NtStatus.SUCCESS;
    }
  }

  @Override
  public void ioReleaseRemoveLock(IoRemoveLock removeLock, Object tag) {
    enter(Irql.DISPATCH_LEVEL, "IoReleaseRemoveLock");
    RemoveLockImpl lock = removeLock(removeLock, "IoReleaseRemoveLock");
    synchronized (core.lock) {
      lock.count--;
      core.wakeAllLocked();
    }
  }

  @Override
  public void ioReleaseRemoveLockAndWait(IoRemoveLock removeLock, Object tag) {
    enter(Irql.PASSIVE_LEVEL, "IoReleaseRemoveLockAndWait");
    RemoveLockImpl lock = removeLock(removeLock, "IoReleaseRemoveLockAndWait");
    synchronized (core.lock) {
      lock.removed = true;
      lock.count--;
      core.wakeAllLocked();
    }
    io.waitUntil(() -> lock.count <= 0, 0, "IoReleaseRemoveLockAndWait (" + lock.tag + ")");
  }

  // ---------------------------------------------------------------------------------------------
  // IRQL and bug checks

  @Override
  public Irql keGetCurrentIrql() {
    return core.thread().irql;
  }

  @Override
  public Irql keRaiseIrql(Irql newIrql) {
    core.checkRunning();
    KernelCore.KThread thread = core.thread();
    Irql old = thread.irql;
    if (old.isAbove(newIrql)) {
      throw core.bugCheck(BugCheck.IRQL_NOT_GREATER_OR_EQUAL, old.level(), newIrql.level(), 0, 0,
          thread.currentDriver, "KeRaiseIrql from " + old + " to the lower " + newIrql, null);
    }
    thread.irql = newIrql;
    return old;
  }

  @Override
  public void keLowerIrql(Irql newIrql) {
    core.checkRunning();
    KernelCore.KThread thread = core.thread();
    if (newIrql.isAbove(thread.irql)) {
      throw core.bugCheck(BugCheck.IRQL_NOT_LESS_OR_EQUAL, 0, newIrql.level(), 0, 0,
          thread.currentDriver, "KeLowerIrql from " + thread.irql + " to the higher " + newIrql,
          null);
    }
    thread.irql = newIrql;
    if (newIrql == Irql.PASSIVE_LEVEL) {
      core.drainDeferredIfIdle();
    }
  }

  @Override
  public void keBugCheckEx(int bugCheckCode, long parameter1, long parameter2, long parameter3,
      long parameter4) {
    throw core.bugCheck(bugCheckCode, parameter1, parameter2, parameter3, parameter4,
        core.thread().currentDriver, "KeBugCheckEx called", null);
  }

  @Override
  public void dbgPrint(String message) {
    DriverObjectImpl driver = core.thread().currentDriver;
    core.trace("DbgPrint", driver == null ? "system" : driver.name(), String.valueOf(message));
  }

  /** The major function an IRP was created for; for diagnostics. */
  static String describe(IrpImpl irp) {
    MajorFunction major = irp.majorFunction();
    return major == null ? "IRP" : major.wdkName();
  }
}

package io.jwdm.host;

import io.jwdm.kernel.DeviceObject;
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
  private IoManager io;

  Services(KernelCore core, Verifier verifier) {
    this.core = core;
    this.verifier = verifier;
    this.pool = new PoolManager(core, verifier);
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

  private void enter(Irql limit, String service) {
    core.checkRunning();
    Irql irql = core.thread().irql;
    if (irql.isAbove(limit)) {
      KernelCore.KThread thread = core.thread();
      throw core.bugCheck(BugCheck.IRQL_NOT_LESS_OR_EQUAL, 0, irql.level(), 0, 0,
          thread.currentDriver,
          service + " was called at " + irql + "; it may be called at most at " + limit, null);
    }
  }

  private DriverObjectImpl driver(DriverObject driver, String service) {
    if (driver instanceof DriverObjectImpl && ((DriverObjectImpl) driver).kernelServices() == this) {
      return (DriverObjectImpl) driver;
    }
    throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
        core.thread().currentDriver,
        service + " was given " + (driver == null ? "null" : "a driver object of another kernel")
            + " instead of a driver object", null);
  }

  DeviceObjectImpl device(DeviceObject device, String service) {
    if (device instanceof DeviceObjectImpl && device.kernel() == this) {
      return (DeviceObjectImpl) device;
    }
    throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
        core.thread().currentDriver,
        service + " was given " + (device == null ? "null" : "a device object of another kernel")
            + " instead of a device object", null);
  }

  IrpImpl irp(Irp irp, String service) {
    if (irp instanceof IrpImpl) {
      return (IrpImpl) irp;
    }
    throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
        core.thread().currentDriver,
        service + " was given " + (irp == null ? "null" : "a foreign object") + " instead of an IRP",
        null);
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
      driver.devices.add(0, device);
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
      if (source.node == null) {
        source.node = top.node;
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
        core.lock.notifyAll();
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
    return irp(irp, "IoSetCancelRoutine").cancelRoutine.getAndSet(routine);
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
      request.cancelRoutine.set(cancelFunction);
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
  // Remove locks

  @Override
  public IoRemoveLock ioInitializeRemoveLock(String allocateTag, int maxLockedMinutes,
      int highWatermark) {
    enter(Irql.PASSIVE_LEVEL, "IoInitializeRemoveLock");
    return new RemoveLockImpl(allocateTag);
  }

  private RemoveLockImpl removeLock(IoRemoveLock lock, String service) {
    if (lock instanceof RemoveLockImpl) {
      return (RemoveLockImpl) lock;
    }
    throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
        core.thread().currentDriver, service + " was given " + lock + " instead of a remove lock",
        null);
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
      core.lock.notifyAll();
    }
  }

  @Override
  public void ioReleaseRemoveLockAndWait(IoRemoveLock removeLock, Object tag) {
    enter(Irql.PASSIVE_LEVEL, "IoReleaseRemoveLockAndWait");
    RemoveLockImpl lock = removeLock(removeLock, "IoReleaseRemoveLockAndWait");
    synchronized (core.lock) {
      lock.removed = true;
      lock.count--;
      core.lock.notifyAll();
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

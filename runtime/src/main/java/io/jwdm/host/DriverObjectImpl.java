package io.jwdm.host;

import io.jwdm.annotation.DriverRole;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverAddDevice;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.DriverStartIo;
import io.jwdm.kernel.DriverUnload;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Wdm;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.ArrayList;
import java.util.List;

/** The kernel's driver object. Mutable state is guarded by the kernel lock. */
final class DriverObjectImpl implements DriverObject {
  /** Where a driver is in its life. */
  enum State {
    /** DriverEntry is running. */
    LOADING,
    /** Loaded and serving. */
    LOADED,
    /** An unload was requested; it waits for references to drain. No new opens or attachments. */
    UNLOAD_PENDING,
    /** Unload is running. */
    UNLOADING,
    /** Unloaded, or DriverEntry failed: the object is released. */
    UNLOADED
  }

  private final KernelCore core;
  private final Services services;
  private final String name;
  private final String objectName;
  private final DriverModel model;
  private final DriverRole role;
  private final List<String> hardwareIds;
  private volatile DriverGlue glue;
  private final long address;
  private final DriverDispatch[] majorFunctions = new DriverDispatch[MajorFunction.MAXIMUM_FUNCTION + 1];
  private final DriverDispatch defaultDispatch;
  private volatile DriverAddDevice addDevice;
  private volatile DriverStartIo startIo;
  private volatile DriverUnload unload;
  /** This driver's live device objects, newest first, as the WDK's DeviceObject/NextDevice list. */
  final DeviceList devices = new DeviceList();
  /**
   * Its deleted device objects: their extensions are dropped when the driver is released, once no
   * IRP can reach them, so an object a host keeps (a closed handle) holds no driver state.
   */
  final List<DeviceObjectImpl> deletedDevices = new ArrayList<>();
  /**
   * Device stacks the PnP manager is building with this driver now: while there are any, the
   * driver is not unloaded for having no devices. Guarded by the kernel lock.
   */
  int stacksBuilding;
  /** Written under the kernel lock; read without it on the I/O path. */
  volatile State state = State.LOADING;
  private final long loadTime;
  /** The Driver Verifier flags in force for this driver, fixed when it is loaded. */
  private final int verifierFlags;
  /** Routines of this driver running now, on any thread. */
  private final java.util.concurrent.atomic.AtomicInteger activeRoutines =
      new java.util.concurrent.atomic.AtomicInteger();

  DriverObjectImpl(KernelCore core, Services services, DriverGlue glue, String name,
      DriverModel model, DriverRole role, List<String> hardwareIds) {
    this.core = core;
    this.services = services;
    this.glue = glue;
    this.name = name;
    this.objectName = "\\Driver\\" + name;
    this.model = model;
    this.role = role;
    this.hardwareIds = List.copyOf(hardwareIds);
    this.address = core.allocateAddress();
    this.defaultDispatch = this::invalidDeviceRequest;
    this.loadTime = core.now();
    this.verifierFlags = core.options.verifierFlags(name);
  }

  /**
   * The Driver Verifier flags in force for this driver: fixed by the kernel's options when it is
   * loaded; 0 once it is released.
   */
  int verifierFlags() {
    return glue == null ? 0 : verifierFlags;
  }

  /** When the driver object was created, on the kernel's clock. */
  long loadTime() {
    return loadTime;
  }

  private NtStatus invalidDeviceRequest(DeviceObject device, Irp irp) {
    irp.ioStatus().setStatus(NtStatus.INVALID_DEVICE_REQUEST);
    irp.ioStatus().setInformation(0);
    services.ioCompleteRequest(irp, Wdm.IO_NO_INCREMENT);
    return NtStatus.INVALID_DEVICE_REQUEST;
  }

  String name() {
    return name;
  }

  DriverModel model() {
    return model;
  }

  DriverRole role() {
    return role;
  }

  List<String> hardwareIds() {
    return hardwareIds;
  }

  DriverGlue glue() {
    return glue;
  }

  long address() {
    return address;
  }

  DriverAddDevice addDevice() {
    return addDevice;
  }

  DriverStartIo startIo() {
    return startIo;
  }

  boolean isDefaultDispatch(MajorFunction function) {
    return majorFunctions[function.code()] == null;
  }

  void enterRoutine() {
    activeRoutines.incrementAndGet();
  }

  void exitRoutine() {
    activeRoutines.decrementAndGet();
  }

  int activeRoutines() {
    return activeRoutines.get();
  }

  /** Drops the entry points, so the driver instance is no longer reachable from the kernel. */
  void release() {
    java.util.Arrays.fill(majorFunctions, null);
    for (DeviceObjectImpl device : deletedDevices) {
      device.releaseExtension();
    }
    deletedDevices.clear();
    glue = null;
    addDevice = null;
    startIo = null;
    unload = null;
  }

  @Override
  public String driverName() {
    return objectName;
  }

  @Override
  public void setMajorFunction(MajorFunction function, DriverDispatch routine) {
    majorFunctions[function.code()] = routine;
  }

  @Override
  public DriverDispatch majorFunction(MajorFunction function) {
    DriverDispatch routine = majorFunctions[function.code()];
    return routine != null ? routine : defaultDispatch;
  }

  @Override
  public void setAddDevice(DriverAddDevice routine) {
    this.addDevice = routine;
  }

  @Override
  public void setDriverStartIo(DriverStartIo routine) {
    this.startIo = routine;
  }

  @Override
  public void setDriverUnload(DriverUnload routine) {
    this.unload = routine;
  }

  @Override
  public DriverUnload driverUnload() {
    return unload;
  }

  @Override
  public DeviceObject deviceObject() {
    synchronized (core.lock) {
      return devices.first();
    }
  }

  Services kernelServices() {
    return services;
  }

  @Override
  public KernelServices kernel() {
    return services;
  }

  @Override
  public String toString() {
    return objectName;
  }
}

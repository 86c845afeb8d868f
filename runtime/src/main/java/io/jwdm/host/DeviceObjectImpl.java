package io.jwdm.host;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import java.util.ArrayDeque;
import java.util.List;

/** The kernel's device object. Mutable state is guarded by the kernel lock. */
final class DeviceObjectImpl implements DeviceObject {
  private final DriverObjectImpl driver;
  private final Services services;
  private final String name;
  private final int deviceType;
  private final int characteristics;
  /** The driver's device extension; dropped once the device is gone, so it keeps no image alive. */
  private volatile Object extension;
  final boolean exclusive;
  private final long address;
  final List<StackTraceElement> creationStack;
  private volatile int flags;
  /** The device attached directly above this one. */
  DeviceObjectImpl attachedDevice;
  /** The device this one is attached to (the next lower device), or null. */
  DeviceObjectImpl attachedTo;
  int stackSize = 1;
  /** IoDeleteDevice was called: the name is gone, the object waits for its references. */
  boolean deleted;
  /** The driver's device list this device is in, and its neighbours there; see {@link DeviceList}. */
  DeviceList list;
  DeviceObjectImpl nextInList;
  DeviceObjectImpl previousInList;
  /** Open file objects and outstanding IRPs that reference this device. */
  int referenceCount;
  /** Open file objects on this device (for exclusive devices). */
  int openCount;
  /** The PnP device node this device belongs to, or null for a legacy device. */
  DeviceNode node;
  /** StartIo state: the IRP being processed and the IRPs waiting. */
  IrpImpl currentIrp;
  final ArrayDeque<IrpImpl> deviceQueue = new ArrayDeque<>(2); // StartIo queues are short

  DeviceObjectImpl(DriverObjectImpl driver, Services services, String name, int deviceType,
      int characteristics, boolean exclusive, Object extension, int flags, long address,
      List<StackTraceElement> creationStack) {
    this.driver = driver;
    this.services = services;
    this.name = name;
    this.deviceType = deviceType;
    this.characteristics = characteristics;
    this.exclusive = exclusive;
    this.extension = extension;
    this.flags = flags;
    this.address = address;
    this.creationStack = creationStack;
  }

  /** Drops the device extension: the device is deleted and no longer referenced. */
  void releaseExtension() {
    extension = null;
  }

  DriverObjectImpl driver() {
    return driver;
  }

  long address() {
    return address;
  }

  /** The top of the stack this device belongs to: IoGetAttachedDevice. */
  DeviceObjectImpl top() {
    DeviceObjectImpl top = this;
    while (top.attachedDevice != null) {
      top = top.attachedDevice;
    }
    return top;
  }

  @Override
  public DriverObject driverObject() {
    return driver;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int deviceType() {
    return deviceType;
  }

  @Override
  public int characteristics() {
    return characteristics;
  }

  @Override
  public int flags() {
    return flags;
  }

  @Override
  public void setFlags(int flags) {
    this.flags = flags;
  }

  @Override
  public Object deviceExtension() {
    return extension;
  }

  @Override
  public DeviceObject attachedDevice() {
    return attachedDevice;
  }

  @Override
  public int stackSize() {
    return stackSize;
  }

  @Override
  public DeviceObject nextDevice() {
    synchronized (services.core().lock) {
      return list == driver.devices ? DeviceList.next(this) : null;
    }
  }

  @Override
  public Irp currentIrp() {
    return currentIrp;
  }

  @Override
  public KernelServices kernel() {
    return services;
  }

  String describe() {
    return name != null ? name : String.format("unnamed device %016x", address);
  }

  @Override
  public String toString() {
    return "DeviceObject[" + describe() + " of " + driver.name() + "]";
  }
}

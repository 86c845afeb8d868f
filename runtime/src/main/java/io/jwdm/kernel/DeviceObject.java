package io.jwdm.kernel;

/**
 * A device object ({@code DEVICE_OBJECT}): one driver's presence in one device stack. Created with
 * {@link KernelServices#ioCreateDevice}, deleted with {@link KernelServices#ioDeleteDevice}.
 */
public interface DeviceObject {
  /** {@code DriverObject}: the driver that created this device object. */
  DriverObject driverObject();

  /** The device's name in the object namespace, such as {@code \Device\Toaster0}, or null. */
  String name();

  /** {@code DeviceType}, such as {@link Wdm#FILE_DEVICE_UNKNOWN}. */
  int deviceType();

  /** {@code Characteristics}, such as {@link Wdm#FILE_DEVICE_SECURE_OPEN}. */
  int characteristics();

  /** {@code Flags}: the {@code DO_*} flags of {@link Wdm}. */
  int flags();

  /**
   * Sets {@code Flags}. A driver sets {@link Wdm#DO_BUFFERED_IO} or {@link Wdm#DO_DIRECT_IO} and
   * clears {@link Wdm#DO_DEVICE_INITIALIZING}: {@code d.setFlags(d.flags() & ~DO_DEVICE_INITIALIZING)}.
   */
  void setFlags(int flags);

  /** {@code DeviceExtension}: the object the driver passed to IoCreateDevice. */
  Object deviceExtension();

  /**
   * {@code DeviceExtension}, cast to the driver's type.
   *
   * @throws ClassCastException if the extension is not a {@code type}
   */
  default <T> T deviceExtension(Class<T> type) {
    return type.cast(deviceExtension());
  }

  /** {@code AttachedDevice}: the device object attached directly above this one, or null. */
  DeviceObject attachedDevice();

  /** {@code StackSize}: the number of stack locations an IRP sent to this device needs. */
  int stackSize();

  /** {@code NextDevice}: the next device object of the same driver, or null. */
  DeviceObject nextDevice();

  /** {@code CurrentIrp}: the IRP StartIo is processing, or null. */
  Irp currentIrp();

  /** The kernel's services, for routines that receive only a device object. */
  KernelServices kernel();
}

package io.jwdm.kernel;

/**
 * A driver object ({@code DRIVER_OBJECT}): the kernel's record of one loaded driver.
 *
 * <p>The kernel creates it before DriverEntry and releases it after Unload. Its entry points are set
 * by the generated glue from the driver's annotations, before the driver's own DriverEntry runs.
 */
public interface DriverObject {
  /** The driver object's name in the object namespace, such as {@code \Driver\Toaster}. */
  String driverName();

  /**
   * Sets {@code DriverObject->MajorFunction[function]}. A {@code null} routine restores the I/O
   * manager's default, which completes the IRP with {@code STATUS_INVALID_DEVICE_REQUEST}.
   */
  void setMajorFunction(MajorFunction function, DriverDispatch routine);

  /** {@code DriverObject->MajorFunction[function]}; never null (the default routine when unset). */
  DriverDispatch majorFunction(MajorFunction function);

  /** Sets {@code DriverObject->DriverExtension->AddDevice}. */
  void setAddDevice(DriverAddDevice routine);

  /** Sets {@code DriverObject->DriverStartIo}. */
  void setDriverStartIo(DriverStartIo routine);

  /** Sets {@code DriverObject->DriverUnload}. A driver without one can never be unloaded. */
  void setDriverUnload(DriverUnload routine);

  /**
   * {@code DriverObject->DriverUnload}: the Unload routine, or null if none is set. A filter may
   * read it to call the routine it replaces.
   */
  DriverUnload driverUnload();

  /** {@code DriverObject->DeviceObject}: the most recently created device object, or null. */
  DeviceObject deviceObject();

  /** The kernel's services: every service a driver may call. */
  KernelServices kernel();
}

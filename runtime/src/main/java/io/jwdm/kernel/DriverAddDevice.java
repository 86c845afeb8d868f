package io.jwdm.kernel;

/** An AddDevice routine (the WDK's {@code DRIVER_ADD_DEVICE}), called at PASSIVE_LEVEL. */
@FunctionalInterface
public interface DriverAddDevice {
  /**
   * Creates this driver's device object for the device whose physical device object is
   * {@code physicalDeviceObject}, and attaches it to the device stack.
   */
  NtStatus addDevice(DriverObject driver, DeviceObject physicalDeviceObject);
}

package io.jwdm.kernel;

/** A device object ({@code DEVICE_OBJECT}): one driver's presence in one device stack. */
public interface DeviceObject {
  /** The driver that created this device object. */
  DriverObject driverObject();
}

package io.jwdm.processor.harness;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;

/** A device object for glue tests, owned by a {@link FakeDriverObject}. */
public record FakeDeviceObject(String name, DriverObject driverObject) implements DeviceObject {
  @Override
  public String toString() {
    return "device " + name;
  }
}

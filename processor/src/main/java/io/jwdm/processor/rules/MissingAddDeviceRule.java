package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.Role;
import java.util.List;

/** {@code MissingAddDevice}: a {@code @WdmDriver} without an {@code @AddDevice} method. */
final class MissingAddDeviceRule implements DriverRule {
  static final String ID = "MissingAddDevice";

  @Override
  public void check(Driver driver, Report report) {
    if (driver.kind() != Driver.Kind.WDM || driver.has(Role.ADD_DEVICE)) {
      return;
    }
    report.add(
        Finding.error(
            ID,
            driver.qualifiedName(),
            driver.element(),
            driver.describeCapitalized()
                + " has no @AddDevice method. The PnP manager calls a WDM driver's AddDevice"
                + " routine (DRIVER_ADD_DEVICE) for each device the driver serves, to create the"
                + " driver's device object and attach it to the device stack; without one the"
                + " driver never gets a device. Fix: add "
                + Fixes.declaration(Role.ADD_DEVICE, Role.ADD_DEVICE.defaultMethodName(), List.of())
                + ", or declare the class @LegacyDriver if it creates its device objects itself."));
  }
}

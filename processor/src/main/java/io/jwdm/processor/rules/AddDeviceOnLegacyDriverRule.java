package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.Role;
import io.jwdm.processor.model.Routine;

/**
 * {@code AddDeviceOnLegacyDriver}: an {@code @AddDevice} method in a {@code @LegacyDriver}.
 * Reported on each such method, at its annotation.
 */
final class AddDeviceOnLegacyDriverRule implements DriverRule {
  static final String ID = "AddDeviceOnLegacyDriver";

  @Override
  public void check(Driver driver, Report report) {
    if (driver.kind() != Driver.Kind.LEGACY) {
      return;
    }
    for (Routine addDevice : driver.routines(Role.ADD_DEVICE)) {
      report.add(
          Finding.error(
              ID,
              driver.qualifiedName(),
              addDevice.method(),
              addDevice.annotation(),
              driver.describeCapitalized()
                  + " has an @AddDevice method, "
                  + addDevice.describeMethod()
                  + ". The PnP manager calls AddDevice only for WDM (Plug and Play) drivers; a"
                  + " legacy driver creates its device objects in DriverEntry, so this method"
                  + " would never be called. Fix: create the device objects in the driver's"
                  + " @DriverEntry method and remove @AddDevice from "
                  + addDevice.methodName()
                  + ", or declare the class @WdmDriver if it is a Plug and Play driver."));
    }
  }
}

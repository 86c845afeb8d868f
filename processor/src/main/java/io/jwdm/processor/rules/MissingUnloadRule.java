package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.Role;
import java.util.List;

/**
 * {@code MissingUnload}: a driver without an {@code @Unload} method, unless it is a
 * {@code @LegacyDriver(permanent = true)}. Reported on the class. A malformed {@code @Unload}
 * method (private, wrong signature) counts as present: it gets its own error instead.
 */
final class MissingUnloadRule implements DriverRule {
  static final String ID = "MissingUnload";

  @Override
  public void check(Driver driver, Report report) {
    if (driver.has(Role.UNLOAD) || driver.permanent()) {
      return;
    }
    String fix = Fixes.declaration(Role.UNLOAD, Role.UNLOAD.defaultMethodName(), List.of());
    String message =
        driver.kind() == Driver.Kind.WDM
            ? driver.describeCapitalized()
                + " has no @Unload method. Every WDM driver must have an Unload routine"
                + " (DRIVER_UNLOAD): the PnP manager unloads the driver after its last device has"
                + " been removed, and Unload frees what DriverEntry allocated for the whole"
                + " driver; it may be empty, but it must exist. Fix: add "
                + fix
                + "."
            : driver.describeCapitalized()
                + " has no @Unload method. Without an Unload routine (DRIVER_UNLOAD) a legacy"
                + " driver can never be unloaded or replaced, and Driver Verifier fails it. Fix:"
                + " add "
                + fix
                + " that deletes the driver's symbolic links and device objects and frees what"
                + " DriverEntry acquired. Only a driver that must never be unloaded, such as a"
                + " boot keyboard driver, may instead be declared @LegacyDriver(permanent = true).";
    report.add(Finding.error(ID, driver.qualifiedName(), driver.element(), message));
  }
}

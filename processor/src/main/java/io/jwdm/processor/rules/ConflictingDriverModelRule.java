package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;

/**
 * {@code ConflictingDriverModel}: a class annotated both {@code @WdmDriver} and
 * {@code @LegacyDriver}. Reported on the class, at its {@code @LegacyDriver}. Such a class gets
 * this error only: which rules apply to it depends on the model it is meant to follow, so the other
 * rules do not run on it.
 */
final class ConflictingDriverModelRule implements DriverRule {
  static final String ID = "ConflictingDriverModel";

  @Override
  public void check(Driver driver, Report report) {
    if (driver.conflictingAnnotation().isEmpty()) {
      return;
    }
    report.add(
        Finding.error(
            ID,
            driver.qualifiedName(),
            driver.element(),
            driver.conflictingAnnotation().get(),
            "Class "
                + driver.qualifiedName()
                + " is annotated both @WdmDriver and @LegacyDriver. A driver follows one model: a"
                + " WDM driver is loaded by the PnP manager for the devices it serves and gets them"
                + " through its AddDevice routine; a legacy driver is started and stopped as a"
                + " service and creates its device objects itself in DriverEntry. Fix: keep"
                + " @WdmDriver for a Plug and Play driver, or @LegacyDriver for a driver that"
                + " creates its own devices, and remove the other."));
  }
}

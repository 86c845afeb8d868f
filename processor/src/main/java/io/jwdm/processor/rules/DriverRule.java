package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;

/** A rule that reads one driver's model and adds what it finds to the report. */
interface DriverRule {
  /** Checks one driver. */
  void check(Driver driver, Report report);
}

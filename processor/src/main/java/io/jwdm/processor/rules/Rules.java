package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.StrayRoutine;
import java.util.List;

/**
 * The rules jwdm checks drivers against: the WDK's rules for the standard driver routines, and
 * what the generated glue needs. Each rule is its own class; this class runs them. Rules only add
 * findings to a {@link Report}; they never generate code.
 */
public final class Rules {
  private final ConflictingDriverModelRule conflicting = new ConflictingDriverModelRule();

  private final List<DriverRule> driverRules =
      List.of(
          new DriverShapeRule(),
          new RoutineModifiersRule(),
          new RoutineSignatureRule(),
          new DuplicateRoutineRule(),
          new EmptyDispatchRule(),
          new MissingUnloadRule(),
          new PermanentDriverWithUnloadRule(),
          new MissingAddDeviceRule(),
          new AddDeviceOnLegacyDriverRule(),
          new NoDispatchRoutineRule(),
          new MissingRequiredDispatchRule(),
          new MissingRecommendedDispatchRule());

  private final RoutineOutsideDriverRule outsideDriver = new RoutineOutsideDriverRule();
  private final DuplicateDriverNameRule duplicateName = new DuplicateDriverNameRule();

  /**
   * Checks one driver. A class with both driver annotations gets only
   * {@code ConflictingDriverModel}: the other rules depend on which model it follows.
   */
  public void checkDriver(Driver driver, Report report) {
    if (driver.isConflicting()) {
      conflicting.check(driver, report);
      return;
    }
    for (DriverRule rule : driverRules) {
      rule.check(driver, report);
    }
  }

  /** Checks a routine annotation on a method of a class that is not a driver. */
  public void checkStray(StrayRoutine stray, Report report) {
    outsideDriver.check(stray, report);
  }

  /**
   * Checks driver names: the drivers of this round against each other and against the drivers of
   * earlier rounds that share a name with one of them. Classes with both driver annotations take no
   * part.
   */
  public void checkNames(List<Driver> current, List<Driver> earlier, Report report) {
    duplicateName.check(
        current.stream().filter(d -> !d.isConflicting()).toList(),
        earlier.stream().filter(d -> !d.isConflicting()).toList(),
        report);
  }
}

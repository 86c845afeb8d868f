package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.StrayRoutine;
import java.util.List;

/**
 * The rules jwdm checks drivers against: the WDK's rules for the standard driver routines, and what
 * the generated glue needs. Each rule is its own class; this class runs them. Rules only add
 * findings to a {@link Report}; they never generate code.
 */
public final class Rules {
  private final ConflictingDriverModelRule conflicting = new ConflictingDriverModelRule();

  private final DriverShapeRule shape = new DriverShapeRule();

  private final List<DriverRule> driverRules =
      List.of(
          shape,
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
   * Checks one driver. A class with both driver annotations gets only {@code
   * ConflictingDriverModel}: the other rules depend on which model it follows. An interface, enum,
   * record or annotation type gets only {@code DriverShape}: the other rules are about a class the
   * glue can instantiate, and would only repeat the one mistake.
   */
  public void checkDriver(Driver driver, Report report) {
    if (driver.isConflicting()) {
      conflicting.check(driver, report);
      return;
    }
    if (!driver.isClass()) {
      shape.check(driver, report);
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
   * earlier rounds that share a name with one of them. Drivers that get only one error of their own
   * (both driver annotations, or not a class) take no part.
   */
  public void checkNames(List<Driver> current, List<Driver> earlier, Report report) {
    duplicateName.check(
        current.stream().filter(Rules::hasName).toList(),
        earlier.stream().filter(Rules::hasName).toList(),
        report);
  }

  /** Whether a driver takes part in the name check. */
  public static boolean hasName(Driver driver) {
    return !driver.isConflicting() && driver.isClass();
  }
}

package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.MajorFunctions;
import io.jwdm.processor.model.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code MissingRequiredDispatch}: a {@code @WdmDriver} whose dispatch routines do not handle both
 * PNP and POWER. Reported on the class, naming what is missing. A driver with no dispatch routine
 * at all gets {@link NoDispatchRoutineRule}'s error instead.
 */
final class MissingRequiredDispatchRule implements DriverRule {
  static final String ID = "MissingRequiredDispatch";

  @Override
  public void check(Driver driver, Report report) {
    if (driver.kind() != Driver.Kind.WDM || !driver.has(Role.DISPATCH)) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String function : List.of(MajorFunctions.PNP, MajorFunctions.POWER)) {
      if (!driver.dispatches(function)) {
        missing.add(function);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<String> declarations = new ArrayList<>();
    for (String function : missing) {
      declarations.add(Fixes.dispatchDeclaration(List.of(function)));
    }
    report.add(
        Finding.error(
            ID,
            driver.qualifiedName(),
            driver.element(),
            driver.describeCapitalized()
                + " has no dispatch routine for "
                + Fixes.or(missing)
                + ". Every WDM driver must handle IRP_MJ_PNP and IRP_MJ_POWER, passing down what"
                + " it does not handle itself; otherwise the I/O manager completes those IRPs with"
                + " STATUS_INVALID_DEVICE_REQUEST, the device can neither start, stop nor change"
                + " power state, and Driver Verifier fails the driver. Fix: add "
                + Fixes.and(declarations)
                + "."));
  }
}

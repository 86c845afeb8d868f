package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.MajorFunctions;
import io.jwdm.processor.model.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code MissingRecommendedDispatch} (a warning): a {@code @WdmDriver} whose dispatch routines do
 * not handle CREATE, CLOSE or SYSTEM_CONTROL. Reported on the class, naming what is missing;
 * {@code @SuppressWarnings("MissingRecommendedDispatch")} on the class (or a class enclosing it)
 * suppresses it, {@code "all"} does not. A driver with no dispatch routine at all gets {@link
 * NoDispatchRoutineRule}'s error instead.
 */
final class MissingRecommendedDispatchRule implements DriverRule {
  static final String ID = "MissingRecommendedDispatch";

  @Override
  public void check(Driver driver, Report report) {
    if (driver.kind() != Driver.Kind.WDM || !driver.has(Role.DISPATCH) || driver.isSuppressed(ID)) {
      return;
    }
    List<String> missing = new ArrayList<>();
    for (String function :
        List.of(MajorFunctions.CREATE, MajorFunctions.CLOSE, MajorFunctions.SYSTEM_CONTROL)) {
      if (!driver.dispatches(function)) {
        missing.add(function);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    List<String> openClose = new ArrayList<>(missing);
    openClose.remove(MajorFunctions.SYSTEM_CONTROL);
    List<String> declarations = new ArrayList<>();
    if (!openClose.isEmpty()) {
      declarations.add(Fixes.dispatchDeclaration(openClose));
    }
    if (missing.contains(MajorFunctions.SYSTEM_CONTROL)) {
      declarations.add(
          Fixes.dispatchDeclaration(List.of(MajorFunctions.SYSTEM_CONTROL))
              + " that passes the IRP down the stack");
    }
    report.add(
        Finding.warning(
            ID,
            driver.qualifiedName(),
            driver.element(),
            driver.describeCapitalized()
                + " has no dispatch routine for "
                + Fixes.or(missing)
                + ". The WDK requires every WDM driver to handle IRP_MJ_CREATE and IRP_MJ_CLOSE,"
                + " so that its devices can be opened and closed, and IRP_MJ_SYSTEM_CONTROL, which"
                + " a driver that is not a WMI provider forwards to the next lower driver;"
                + " otherwise the I/O manager completes them with STATUS_INVALID_DEVICE_REQUEST."
                + " Fix: add "
                + Fixes.and(declarations)
                + ", or put @SuppressWarnings(\"MissingRecommendedDispatch\") on the class."));
  }
}

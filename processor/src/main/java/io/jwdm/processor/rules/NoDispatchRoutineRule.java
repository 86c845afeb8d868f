package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.MajorFunctions;
import io.jwdm.processor.model.Role;
import java.util.List;

/**
 * {@code NoDispatchRoutine}: a driver with no {@code @Dispatch} method at all. Reported on the
 * class. For a WDM driver this one finding replaces {@link MissingRequiredDispatchRule} and {@link
 * MissingRecommendedDispatchRule}, which apply only to a driver that has at least one dispatch
 * routine, so the one mistake gives one message.
 */
final class NoDispatchRoutineRule implements DriverRule {
  static final String ID = "NoDispatchRoutine";

  @Override
  public void check(Driver driver, Report report) {
    if (driver.has(Role.DISPATCH)) {
      return;
    }
    String fix =
        driver.kind() == Driver.Kind.WDM
            ? "add a dispatch routine for each major function the driver handles, at least "
                + Fixes.dispatchDeclaration(List.of(MajorFunctions.PNP))
                + " and "
                + Fixes.dispatchDeclaration(List.of(MajorFunctions.POWER))
                + ", and also for CREATE, CLOSE and SYSTEM_CONTROL"
            : "add a dispatch routine for each major function the driver handles, such as "
                + Fixes.dispatchDeclaration(List.of(MajorFunctions.CREATE, MajorFunctions.CLOSE));
    report.add(
        Finding.error(
            ID,
            driver.qualifiedName(),
            driver.element(),
            driver.describeCapitalized()
                + " has no @Dispatch method. A driver receives all its I/O through dispatch"
                + " routines (DRIVER_DISPATCH); without one the I/O manager completes every IRP"
                + " sent to the driver's devices with STATUS_INVALID_DEVICE_REQUEST. Fix: "
                + fix
                + "."));
  }
}

package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.Role;
import io.jwdm.processor.model.Routine;

/**
 * {@code PermanentDriverWithUnload}: a {@code @LegacyDriver(permanent = true)} with an
 * {@code @Unload} method. Reported on each {@code @Unload} method, at its annotation.
 */
final class PermanentDriverWithUnloadRule implements DriverRule {
  static final String ID = "PermanentDriverWithUnload";

  @Override
  public void check(Driver driver, Report report) {
    if (!driver.permanent()) {
      return;
    }
    for (Routine unload : driver.routines(Role.UNLOAD)) {
      report.add(
          Finding.error(
              ID,
              driver.qualifiedName(),
              unload.method(),
              unload.annotation(),
              driver.describeCapitalized()
                  + " is declared @LegacyDriver(permanent = true) but has an @Unload method, "
                  + unload.describeMethod()
                  + ". A permanent driver is never unloaded, so the kernel never calls its Unload"
                  + " routine: the declaration and the method contradict each other. Fix: remove"
                  + " permanent = true so the driver can be unloaded (preferred: Driver Verifier"
                  + " fails a driver that cannot be unloaded), or remove the @Unload method."));
    }
  }
}

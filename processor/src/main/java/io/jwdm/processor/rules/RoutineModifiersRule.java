package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.Routine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;

/**
 * {@code RoutineModifiers}: a routine method that is private, static or abstract. Reported once per
 * method, on the method. The routine still counts as present for the other rules.
 */
final class RoutineModifiersRule implements DriverRule {
  static final String ID = "RoutineModifiers";

  private static final List<Modifier> FORBIDDEN =
      List.of(Modifier.PRIVATE, Modifier.STATIC, Modifier.ABSTRACT);

  @Override
  public void check(Driver driver, Report report) {
    Set<ExecutableElement> seen = new HashSet<>();
    for (Routine routine : driver.routines()) {
      if (!seen.add(routine.method())) {
        continue;
      }
      List<String> wrong = new ArrayList<>();
      for (Modifier modifier : FORBIDDEN) {
        if (routine.method().getModifiers().contains(modifier)) {
          wrong.add(modifier.toString());
        }
      }
      if (wrong.isEmpty()) {
        continue;
      }
      report.add(
          Finding.error(
              ID,
              driver.qualifiedName(),
              routine.method(),
              routine.role().annotation()
                  + " method "
                  + routine.describeMethod()
                  + " of "
                  + driver.describe()
                  + " is "
                  + Fixes.and(wrong)
                  + ". The generated glue is the driver's real DriverEntry: it creates the driver"
                  + " and stores each routine in the driver object as a direct call to that method"
                  + " on the driver instance, from the driver's package, so a routine must be an"
                  + " instance method with a body that is not private. Fix: remove "
                  + Fixes.and(wrong)
                  + ": "
                  + Fixes.declaration(
                      routine.role(), routine.methodName(), routine.majorFunctions())
                  + "."));
    }
  }
}

package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.Role;
import io.jwdm.processor.model.Routine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code EmptyDispatch}: a {@code @Dispatch} that names no major function, or names one more than
 * once. Reported on the method, at the annotation's {@code value}.
 */
final class EmptyDispatchRule implements DriverRule {
  static final String ID = "EmptyDispatch";

  @Override
  public void check(Driver driver, Report report) {
    for (Routine routine : driver.routines(Role.DISPATCH)) {
      String problem = problem(routine);
      if (problem == null) {
        continue;
      }
      report.add(
          Finding.error(
              ID,
              driver.qualifiedName(),
              routine.method(),
              routine.annotation(),
              routine.majorFunctionsValue(),
              "@Dispatch method "
                  + routine.describeMethod()
                  + " of "
                  + driver.describe()
                  + problem));
    }
  }

  private static String problem(Routine routine) {
    List<String> functions = routine.majorFunctions();
    if (functions.isEmpty()) {
      return " names no major function. The glue stores a dispatch routine only in the"
          + " MajorFunction slots its @Dispatch names (the WDK's _Dispatch_type_(IRP_MJ_x)), so"
          + " this method would never be called. Fix: name the major functions it handles, such"
          + " as @Dispatch(MajorFunction.DEVICE_CONTROL).";
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String function : functions) {
      counts.merge(function, 1, Integer::sum);
    }
    List<String> repeated = new ArrayList<>();
    for (Map.Entry<String, Integer> entry : counts.entrySet()) {
      if (entry.getValue() > 1) {
        repeated.add(
            entry.getKey()
                + (entry.getValue() == 2 ? " twice" : " " + entry.getValue() + " times"));
      }
    }
    if (repeated.isEmpty()) {
      return null;
    }
    return " names "
        + Fixes.and(repeated)
        + ". A major function has one slot in the driver object, which a routine fills once; a"
        + " repeated name is usually a typo for another major function. Fix: name each major"
        + " function once: "
        + Fixes.dispatchAnnotation(new ArrayList<>(counts.keySet()))
        + ".";
  }
}

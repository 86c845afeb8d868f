package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.Role;
import io.jwdm.processor.model.Routine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code DuplicateRoutine}: a second {@code @DriverEntry}, {@code @AddDevice}, {@code @StartIo} or
 * {@code @Unload} method, or a {@code @Dispatch} method naming a major function that an earlier one
 * (in source order) already names. Reported on the later method, at its annotation. Routines that
 * another rule rejects outright (AddDevice in a legacy driver, Unload in a permanent one) are not
 * counted again here.
 */
final class DuplicateRoutineRule implements DriverRule {
  static final String ID = "DuplicateRoutine";

  @Override
  public void check(Driver driver, Report report) {
    for (Role role : Role.values()) {
      if (!role.isSingle()
          || (role == Role.ADD_DEVICE && driver.kind() == Driver.Kind.LEGACY)
          || (role == Role.UNLOAD && driver.permanent())) {
        continue;
      }
      List<Routine> routines = driver.routines(role);
      for (Routine later : routines.subList(Math.min(1, routines.size()), routines.size())) {
        reportSingle(driver, routines.get(0), later, report);
      }
    }
    checkDispatch(driver, report);
  }

  private static void reportSingle(Driver driver, Routine first, Routine later, Report report) {
    Role role = later.role();
    report.add(
        Finding.error(
            ID,
            driver.qualifiedName(),
            later.method(),
            later.annotation(),
            driver.describeCapitalized()
                + " has a second "
                + role.annotation()
                + " method, "
                + later.describeMethod()
                + "; the first is "
                + first.describeMethod()
                + ". "
                + slot(role)
                + ", so a driver has at most one "
                + role.description()
                + ". Fix: remove "
                + role.annotation()
                + " from "
                + later.methodName()
                + " and call it from the first, "
                + role.signature(first.methodName())
                + "."));
  }

  private static String slot(Role role) {
    switch (role) {
      case DRIVER_ENTRY:
        return "The kernel calls a driver's DriverEntry once, when it loads the driver";
      case ADD_DEVICE:
        return "The driver object has one AddDevice slot"
                   + " (DriverObject->DriverExtension->AddDevice)";
      case START_IO:
        return "The driver object has one StartIo slot (DriverObject->DriverStartIo)";
      case UNLOAD:
        return "The driver object has one Unload slot (DriverObject->DriverUnload)";
      default:
        throw new IllegalArgumentException(role.name());
    }
  }

  private static void checkDispatch(Driver driver, Report report) {
    Map<String, Routine> owners = new HashMap<>();
    for (Routine routine : driver.routines(Role.DISPATCH)) {
      Set<String> functions = new LinkedHashSet<>(routine.majorFunctions());
      List<String> taken = new ArrayList<>();
      Set<String> takenBy = new LinkedHashSet<>();
      for (String function : functions) {
        Routine owner = owners.get(function);
        if (owner != null) {
          taken.add(function);
          takenBy.add(owner.describeMethod());
        }
      }
      if (!taken.isEmpty()) {
        List<String> rest = new ArrayList<>(functions);
        rest.removeAll(taken);
        String fix =
            rest.isEmpty()
                ? "remove this method's @Dispatch, or remove "
                    + Fixes.and(taken)
                    + " from the @Dispatch of "
                    + Fixes.or(new ArrayList<>(takenBy))
                : "name only major functions no other routine handles: "
                    + Fixes.dispatchAnnotation(rest)
                    + ", or remove "
                    + Fixes.and(taken)
                    + " from the @Dispatch of "
                    + Fixes.or(new ArrayList<>(takenBy));
        report.add(
            Finding.error(
                ID,
                driver.qualifiedName(),
                routine.method(),
                routine.annotation(),
                "@Dispatch method "
                    + routine.describeMethod()
                    + " of "
                    + driver.describe()
                    + " handles "
                    + Fixes.and(taken)
                    + ", which "
                    + Fixes.and(new ArrayList<>(takenBy))
                    + (takenBy.size() == 1 ? " already handles" : " already handle")
                    + ". The driver object has one slot per major function"
                    + " (DriverObject->MajorFunction[IRP_MJ_"
                    + taken.get(0)
                    + "]), so each major function has at most one dispatch routine. Fix: "
                    + fix
                    + "."));
      }
      for (String function : functions) {
        owners.putIfAbsent(function, routine);
      }
    }
  }
}

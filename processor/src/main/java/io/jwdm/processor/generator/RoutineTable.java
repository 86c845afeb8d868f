package io.jwdm.processor.generator;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.Role;
import io.jwdm.processor.model.Routine;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;

/**
 * The routine methods a glue class wires, numbered, and the name of the one nested class that calls
 * them.
 *
 * <p>Each routine method but DriverEntry counts once in each role it has. The methods are numbered
 * from 0 by role, in the order of {@link #ROLES} (the order the nested class implements the roles
 * in), then in source order within a role, so the numbers one role's {@code switch} selects from
 * are consecutive: an instance of the nested class built with a method's number calls that method.
 * The class is named {@code Routines}; when the glue already uses that simple name, the suffixes 2,
 * 3, ... are tried in turn ({@code Routines2}).
 */
final class RoutineTable {
  /** The roles the nested class implements, in the order it implements them. */
  static final List<Role> ROLES =
      List.of(Role.ADD_DEVICE, Role.DISPATCH, Role.START_IO, Role.UNLOAD);

  private static final String CLASS_NAME = "Routines";

  private final Map<ExecutableElement, Integer> numbers;
  private final Map<Role, List<Routine>> byRole;
  private final String className;
  private final boolean selects;

  private RoutineTable(
      Map<ExecutableElement, Integer> numbers,
      Map<Role, List<Routine>> byRole,
      String className,
      boolean selects) {
    this.numbers = numbers;
    this.byRole = byRole;
    this.className = className;
    this.selects = selects;
  }

  /** The table of a driver; {@code reserved} are the simple names the glue uses otherwise. */
  static RoutineTable of(Driver driver, Set<String> reserved) {
    Map<Role, List<Routine>> byRole = new EnumMap<>(Role.class);
    Map<Role, Set<ExecutableElement>> seen = new EnumMap<>(Role.class);
    for (Routine routine : driver.routines()) {
      if (ROLES.contains(routine.role())
          && seen.computeIfAbsent(routine.role(), role -> new HashSet<>()).add(routine.method())) {
        byRole.computeIfAbsent(routine.role(), role -> new ArrayList<>(2)).add(routine);
      }
    }
    Map<ExecutableElement, Integer> numbers = new HashMap<>();
    boolean selects = false;
    for (Role role : ROLES) {
      List<Routine> methods = byRole.getOrDefault(role, List.of());
      for (Routine routine : methods) {
        numbers.putIfAbsent(routine.method(), numbers.size());
      }
      selects |= methods.size() > 1;
    }
    String className = CLASS_NAME;
    for (int n = 2; reserved.contains(className); n++) {
      className = CLASS_NAME + n;
    }
    return new RoutineTable(numbers, byRole, className, selects);
  }

  /** Whether the driver has no routine but DriverEntry, so the glue needs no nested class. */
  boolean isEmpty() {
    return numbers.isEmpty();
  }

  /** The simple name of the nested class. */
  String className() {
    return className;
  }

  /**
   * Whether some role has more than one method, so an instance needs the number of the method it
   * calls; otherwise each role's method is its only one, and instances carry no number.
   */
  boolean selects() {
    return selects;
  }

  /** The number of a routine method; one with two roles, which no valid driver has, has one. */
  int number(ExecutableElement method) {
    return numbers.get(method);
  }

  /** The routines of one role, one per method, in source order. */
  List<Routine> methods(Role role) {
    return byRole.getOrDefault(role, List.of());
  }
}

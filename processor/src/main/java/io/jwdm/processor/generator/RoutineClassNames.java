package io.jwdm.processor.generator;

import io.jwdm.processor.model.Routine;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;

/**
 * Names the nested routine classes of a glue class, and the locals that hold their instances.
 *
 * <p>Each routine method gets one class, named after it: the method name with its first letter
 * upper-cased, then {@code Routine} ({@code dispatchPnp} gives {@code DispatchPnpRoutine}). When
 * that name is taken, by a routine class named earlier (methods in source order) or by a name the
 * glue uses otherwise, the suffixes 2, 3, ... are tried in turn ({@code HandleRoutine2}). The local
 * holding the instance is the method name, then {@code Routine} and the same suffix ({@code
 * dispatchPnpRoutine}, {@code handleRoutine2}).
 */
final class RoutineClassNames {
  /** The class and local names of one routine method. */
  record Naming(String className, String localName) {}

  private RoutineClassNames() {}

  /**
   * Names the methods of the given routines, each once, in order; {@code reserved} are the simple
   * names the glue already uses.
   */
  static Map<ExecutableElement, Naming> assign(List<Routine> routines, Set<String> reserved) {
    Set<String> taken = new HashSet<>(reserved);
    Map<ExecutableElement, Naming> names = new LinkedHashMap<>();
    for (Routine routine : routines) {
      if (names.containsKey(routine.method())) {
        continue;
      }
      String method = routine.methodName();
      String base =
          method.substring(0, 1).toUpperCase(Locale.ROOT) + method.substring(1) + "Routine";
      String suffix = "";
      for (int n = 2; taken.contains(base + suffix); n++) {
        suffix = Integer.toString(n);
      }
      taken.add(base + suffix);
      names.put(routine.method(), new Naming(base + suffix, method + "Routine" + suffix));
    }
    return names;
  }
}

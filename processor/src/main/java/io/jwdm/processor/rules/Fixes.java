package io.jwdm.processor.rules;

import io.jwdm.processor.model.MajorFunctions;
import io.jwdm.processor.model.Role;
import java.util.List;
import java.util.stream.Collectors;

/** Code snippets and phrases that messages share. */
final class Fixes {
  private Fixes() {}

  /**
   * A routine declaration to paste, such as {@code @Dispatch(MajorFunction.PNP) NtStatus
   * dispatchPnp(DeviceObject device, Irp irp) { ... }}.
   */
  static String declaration(Role role, String methodName, List<String> majorFunctions) {
    String annotation =
        role == Role.DISPATCH ? dispatchAnnotation(majorFunctions) : role.annotation();
    return annotation + " " + role.signature(methodName) + " { ... }";
  }

  /** A dispatch routine declaration with its suggested method name. */
  static String dispatchDeclaration(List<String> majorFunctions) {
    return declaration(
        Role.DISPATCH, MajorFunctions.suggestedMethodName(majorFunctions), majorFunctions);
  }

  /** {@code @Dispatch(MajorFunction.PNP)} or {@code @Dispatch({MajorFunction.CREATE, ...})}. */
  static String dispatchAnnotation(List<String> majorFunctions) {
    List<String> constants =
        majorFunctions.stream().map(f -> "MajorFunction." + f).collect(Collectors.toList());
    return constants.size() == 1
        ? "@Dispatch(" + constants.get(0) + ")"
        : "@Dispatch({" + String.join(", ", constants) + "})";
  }

  /** {@code A}, {@code A and B}, {@code A, B and C}. */
  static String and(List<String> items) {
    return join(items, "and");
  }

  /** {@code A}, {@code A or B}, {@code A, B or C}. */
  static String or(List<String> items) {
    return join(items, "or");
  }

  private static String join(List<String> items, String conjunction) {
    if (items.size() <= 1) {
      return String.join("", items);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " "
        + conjunction
        + " "
        + items.get(items.size() - 1);
  }
}

package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.Parameter;
import io.jwdm.processor.model.Role;
import io.jwdm.processor.model.Routine;
import io.jwdm.processor.model.TypeDescriptions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * {@code RoutineSignature}: a routine method whose return type, parameter types (count, types,
 * order), type parameters or throws clause (a checked exception; unchecked ones are fine) do not
 * match its role. Reported on the method, one finding per routine annotation listing every
 * mismatch. The routine still counts as present for the other rules.
 */
final class RoutineSignatureRule implements DriverRule {
  static final String ID = "RoutineSignature";

  @Override
  public void check(Driver driver, Report report) {
    for (Routine routine : driver.routines()) {
      List<String> problems = problems(routine);
      if (problems.isEmpty()) {
        continue;
      }
      Role role = routine.role();
      report.add(
          Finding.error(
              ID,
              driver.qualifiedName(),
              routine.method(),
              role.annotation()
                  + " method "
                  + routine.describeMethod()
                  + " of "
                  + driver.describe()
                  + " does not have the signature of a "
                  + role.description()
                  + ": it "
                  + Fixes.and(problems)
                  + ". The kernel calls a "
                  + role.description()
                  + " (the WDK's "
                  + role.wdkRoleType()
                  + ") as "
                  + role.signature(role.defaultMethodName())
                  + ", and declares no checked exception: a routine reports failure through"
                  + " statuses, and an exception escaping it is a bug check. Fix: declare it as "
                  + Fixes.declaration(role, routine.methodName(), routine.majorFunctions())
                  + "."));
    }
  }

  private static List<String> problems(Routine routine) {
    Role role = routine.role();
    ExecutableElement method = routine.method();
    List<String> problems = new ArrayList<>();
    TypeMirror returnType = method.getReturnType();
    boolean returnOk =
        role.returnsVoid()
            ? returnType.getKind() == TypeKind.VOID
            : isType(returnType, role.returnType());
    if (!returnOk) {
      problems.add(
          "returns "
              + TypeDescriptions.describe(returnType)
              + " instead of "
              + role.simpleReturnType());
    }
    if (!parametersMatch(method, role.parameters())) {
      problems.add(
          "takes "
              + (method.getParameters().isEmpty()
                  ? "no parameters"
                  : TypeDescriptions.describe(
                      method.getParameters().stream()
                          .map(VariableElement::asType)
                          .collect(Collectors.toList())))
              + " instead of "
              + role.parameters().stream()
                  .map(Parameter::simpleType)
                  .collect(Collectors.joining(", ", "(", ")")));
    }
    if (!method.getTypeParameters().isEmpty()) {
      problems.add(
          "declares type parameters "
              + method.getTypeParameters().stream()
                  .map(p -> p.getSimpleName().toString())
                  .collect(Collectors.joining(", ", "<", ">")));
    }
    if (!routine.checkedExceptions().isEmpty()) {
      List<String> names =
          routine.checkedExceptions().stream()
              .map(TypeDescriptions::describe)
              .collect(Collectors.toList());
      problems.add(
          "throws the checked exception" + (names.size() == 1 ? " " : "s ") + Fixes.and(names));
    }
    return problems;
  }

  private static boolean parametersMatch(ExecutableElement method, List<Parameter> expected) {
    List<? extends VariableElement> actual = method.getParameters();
    if (actual.size() != expected.size()) {
      return false;
    }
    for (int i = 0; i < actual.size(); i++) {
      if (!isType(actual.get(i).asType(), expected.get(i).type())) {
        return false;
      }
    }
    return true;
  }

  private static boolean isType(TypeMirror type, String canonicalName) {
    if (type.getKind() != TypeKind.DECLARED) {
      return false;
    }
    DeclaredType declared = (DeclaredType) type;
    return declared.getTypeArguments().isEmpty()
        && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(canonicalName);
  }
}

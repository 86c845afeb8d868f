package io.jwdm.processor.model;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.type.TypeMirror;

/**
 * One routine annotation on a method of a driver class. A method with two routine annotations gives
 * two routines. A routine is in the model whether or not its method is well formed, so a malformed
 * routine still counts as present for the rules about missing routines.
 *
 * @param role the role the annotation gives the method
 * @param method the annotated method
 * @param annotation the routine annotation
 * @param majorFunctions for a dispatch routine, the major functions its {@code @Dispatch} names, in
 *     the order written, duplicates kept; empty for other roles
 * @param majorFunctionsValue for a dispatch routine, its explicit {@code value}, to point
 *     diagnostics at; empty for other roles
 * @param checkedExceptions the checked exception types the method's throws clause names
 */
public record Routine(
    Role role,
    ExecutableElement method,
    AnnotationMirror annotation,
    List<String> majorFunctions,
    Optional<AnnotationValue> majorFunctionsValue,
    List<TypeMirror> checkedExceptions) {

  /** Copies the lists, so a routine is immutable. */
  public Routine {
    majorFunctions = List.copyOf(majorFunctions);
    checkedExceptions = List.copyOf(checkedExceptions);
  }

  /** The method's name. */
  public String methodName() {
    return method.getSimpleName().toString();
  }

  /** The method as {@code name(ParamType, ...)}, for messages. */
  public String describeMethod() {
    return TypeDescriptions.describe(method);
  }

  /** Whether this is a dispatch routine naming the given major function. */
  public boolean handles(String majorFunction) {
    return majorFunctions.contains(majorFunction);
  }
}

package io.jwdm.processor.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.IntersectionType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.UnionType;
import javax.lang.model.type.WildcardType;

/**
 * Finds what the compiler has not resolved (yet) in the parts of a driver class the processor
 * reads: its supertypes, its driver annotations, and the signatures and annotations of its routine
 * methods. A driver with anything unresolved is deferred to a later round, when another processor
 * may have generated the missing type; it is never modelled half resolved.
 */
public final class Resolution {
  private Resolution() {}

  /**
   * Descriptions of the unresolved parts of a driver class, such as {@code "the return type of
   * dispatchPnp"}, in source order; empty when everything the processor reads is resolved.
   */
  public static List<String> unresolved(TypeElement type) {
    List<String> problems = new ArrayList<>();
    checkDriverAnnotation(type, Names.WDM_DRIVER, "@WdmDriver", problems);
    checkDriverAnnotation(type, Names.LEGACY_DRIVER, "@LegacyDriver", problems);
    if (isUnresolved(type.getSuperclass())) {
      problems.add("the superclass " + TypeDescriptions.describe(type.getSuperclass()));
    }
    for (TypeMirror superinterface : type.getInterfaces()) {
      if (isUnresolved(superinterface)) {
        problems.add("the interface " + TypeDescriptions.describe(superinterface));
      }
    }
    for (Element enclosed : type.getEnclosedElements()) {
      if (enclosed.getKind() == ElementKind.METHOD) {
        checkRoutineMethod((ExecutableElement) enclosed, problems);
      }
    }
    return List.copyOf(problems);
  }

  private static void checkDriverAnnotation(
      TypeElement type, String annotationName, String display, List<String> problems) {
    Optional<AnnotationMirror> mirror = Annotations.find(type, annotationName);
    if (mirror.isEmpty()) {
      return;
    }
    for (Element member : mirror.get().getAnnotationType().asElement().getEnclosedElements()) {
      if (member.getKind() != ElementKind.METHOD) {
        continue;
      }
      String memberName = member.getSimpleName().toString();
      Optional<AnnotationValue> value = Annotations.valueOrDefault(mirror.get(), memberName);
      TypeMirror memberType = ((ExecutableElement) member).getReturnType();
      boolean resolved = value.isPresent() && Annotations.isResolved(value.get(), memberType);
      if (!resolved) {
        problems.add("the value of " + display + "(" + memberName + ")");
      }
    }
  }

  private static void checkRoutineMethod(ExecutableElement method, List<String> problems) {
    boolean isRoutine = false;
    String name = method.getSimpleName().toString();
    for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
      Optional<Role> role = Role.forAnnotation(Annotations.name(mirror));
      if (role.isEmpty()) {
        continue;
      }
      isRoutine = true;
      if (role.get() == Role.DISPATCH) {
        Optional<AnnotationValue> value = Annotations.valueOrDefault(mirror, "value");
        if (value.isEmpty()
            || Annotations.enumConstants(value.get(), Names.MAJOR_FUNCTION).isEmpty()) {
          problems.add("the @Dispatch value of " + name);
        }
      }
    }
    if (!isRoutine) {
      return;
    }
    for (TypeParameterElement typeParameter : method.getTypeParameters()) {
      for (TypeMirror bound : typeParameter.getBounds()) {
        if (isUnresolved(bound)) {
          problems.add(
              "a bound of type parameter " + typeParameter.getSimpleName() + " of " + name);
        }
      }
    }
    if (isUnresolved(method.getReturnType())) {
      problems.add(
          "the return type of " + name + ", " + TypeDescriptions.describe(method.getReturnType()));
    }
    int index = 1;
    for (VariableElement parameter : method.getParameters()) {
      if (isUnresolved(parameter.asType())) {
        problems.add(
            "the type of parameter "
                + index
                + " of "
                + name
                + ", "
                + TypeDescriptions.describe(parameter.asType()));
      }
      index++;
    }
    for (TypeMirror thrown : method.getThrownTypes()) {
      if (isUnresolved(thrown)) {
        problems.add("the thrown type " + TypeDescriptions.describe(thrown) + " of " + name);
      }
    }
  }

  /** Whether a type, or any type it is built from, is an error type. */
  static boolean isUnresolved(TypeMirror type) {
    return isUnresolved(type, new HashSet<>());
  }

  private static boolean isUnresolved(TypeMirror type, Set<Element> visitedVariables) {
    if (type == null) {
      return false;
    }
    switch (type.getKind()) {
      case ERROR:
        return true;
      case DECLARED:
        DeclaredType declared = (DeclaredType) type;
        for (TypeMirror argument : declared.getTypeArguments()) {
          if (isUnresolved(argument, visitedVariables)) {
            return true;
          }
        }
        return isUnresolved(declared.getEnclosingType(), visitedVariables);
      case ARRAY:
        return isUnresolved(((ArrayType) type).getComponentType(), visitedVariables);
      case TYPEVAR:
        TypeVariable variable = (TypeVariable) type;
        if (!visitedVariables.add(variable.asElement())) {
          return false;
        }
        return isUnresolved(variable.getUpperBound(), visitedVariables)
            || isUnresolved(variable.getLowerBound(), visitedVariables);
      case WILDCARD:
        WildcardType wildcard = (WildcardType) type;
        return isUnresolved(wildcard.getExtendsBound(), visitedVariables)
            || isUnresolved(wildcard.getSuperBound(), visitedVariables);
      case INTERSECTION:
        for (TypeMirror bound : ((IntersectionType) type).getBounds()) {
          if (isUnresolved(bound, visitedVariables)) {
            return true;
          }
        }
        return false;
      case UNION:
        for (TypeMirror alternative : ((UnionType) type).getAlternatives()) {
          if (isUnresolved(alternative, visitedVariables)) {
            return true;
          }
        }
        return false;
      default:
        return false;
    }
  }
}

package io.jwdm.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Builds the {@link Driver} model of a driver class, and finds routine annotations outside drivers.
 * It reads elements only; it judges nothing.
 */
public final class DriverScanner {
  private final Elements elements;
  private final Types types;

  /** A scanner over the given compiler utilities. */
  public DriverScanner(Elements elements, Types types) {
    this.elements = elements;
    this.types = types;
  }

  /** Whether an element is annotated {@code @WdmDriver} or {@code @LegacyDriver}. */
  public static boolean isDriverClass(Element element) {
    return Annotations.find(element, Names.WDM_DRIVER).isPresent()
        || Annotations.find(element, Names.LEGACY_DRIVER).isPresent();
  }

  /** The routine annotations on a method, each as a stray routine, in source order. */
  public static List<StrayRoutine> routineAnnotations(ExecutableElement method) {
    List<StrayRoutine> routines = new ArrayList<>();
    for (AnnotationMirror mirror : method.getAnnotationMirrors()) {
      Role.forAnnotation(Annotations.name(mirror))
          .ifPresent(role -> routines.add(new StrayRoutine(role, method, mirror)));
    }
    return routines;
  }

  /**
   * The model of a driver class, or empty if the class carries no driver annotation. Call it only
   * for a class whose {@link Resolution#unresolved} is empty.
   */
  public Optional<Driver> scan(TypeElement type) {
    Optional<AnnotationMirror> wdm = Annotations.find(type, Names.WDM_DRIVER);
    Optional<AnnotationMirror> legacy = Annotations.find(type, Names.LEGACY_DRIVER);
    if (wdm.isEmpty() && legacy.isEmpty()) {
      return Optional.empty();
    }
    Driver.Kind kind = wdm.isPresent() ? Driver.Kind.WDM : Driver.Kind.LEGACY;
    AnnotationMirror annotation = wdm.isPresent() ? wdm.get() : legacy.get();
    Optional<AnnotationMirror> conflicting = wdm.isPresent() ? legacy : Optional.empty();
    String name =
        Annotations.valueOrDefault(annotation, "name")
            .flatMap(Annotations::string)
            .filter(n -> !n.isEmpty())
            .orElse(type.getSimpleName().toString());
    List<String> hardwareIds =
        kind == Driver.Kind.WDM
            ? Annotations.valueOrDefault(annotation, "hardwareIds")
                .flatMap(Annotations::strings)
                .orElse(List.of())
            : List.of();
    boolean permanent =
        kind == Driver.Kind.LEGACY
            && Annotations.valueOrDefault(annotation, "permanent")
                .flatMap(Annotations::bool)
                .orElse(false);
    String stackRole =
        kind == Driver.Kind.WDM
            ? Annotations.valueOrDefault(annotation, "role")
                .flatMap(v -> Annotations.enumConstant(v, Names.DRIVER_ROLE))
                .orElse(Names.FUNCTION_ROLE)
            : Names.FUNCTION_ROLE;
    return Optional.of(
        new Driver(
            type,
            kind,
            annotation,
            conflicting,
            name,
            hardwareIds,
            permanent,
            stackRole,
            routines(type),
            suppressedWarnings(type)));
  }

  private List<Routine> routines(TypeElement type) {
    List<Routine> routines = new ArrayList<>();
    for (Element enclosed : type.getEnclosedElements()) {
      if (enclosed.getKind() != ElementKind.METHOD) {
        continue;
      }
      ExecutableElement method = (ExecutableElement) enclosed;
      for (StrayRoutine found : routineAnnotations(method)) {
        AnnotationMirror mirror = found.annotation();
        List<String> majorFunctions = List.of();
        Optional<AnnotationValue> value = Optional.empty();
        if (found.role() == Role.DISPATCH) {
          majorFunctions =
              Annotations.valueOrDefault(mirror, "value")
                  .flatMap(v -> Annotations.enumConstants(v, Names.MAJOR_FUNCTION))
                  .orElse(List.of());
          value = Annotations.explicitValue(mirror, "value");
        }
        routines.add(
            new Routine(
                found.role(), method, mirror, majorFunctions, value, checkedExceptions(method)));
      }
    }
    return routines;
  }

  private List<TypeMirror> checkedExceptions(ExecutableElement method) {
    List<TypeMirror> checked = new ArrayList<>();
    for (TypeMirror thrown : method.getThrownTypes()) {
      if (isChecked(thrown)) {
        checked.add(thrown);
      }
    }
    return checked;
  }

  private boolean isChecked(TypeMirror thrown) {
    TypeMirror type = thrown;
    for (int depth = 0; type.getKind() == TypeKind.TYPEVAR && depth < 16; depth++) {
      type = ((TypeVariable) type).getUpperBound();
    }
    if (type.getKind() != TypeKind.DECLARED) {
      return false;
    }
    return !isSubtypeOf(type, "java.lang.RuntimeException")
        && !isSubtypeOf(type, "java.lang.Error");
  }

  private boolean isSubtypeOf(TypeMirror type, String canonicalName) {
    TypeElement superType = elements.getTypeElement(canonicalName);
    return superType != null
        && types.isSubtype(types.erasure(type), types.erasure(superType.asType()));
  }

  private static Set<String> suppressedWarnings(TypeElement type) {
    Set<String> names = new TreeSet<>();
    for (Element e = type; e instanceof TypeElement; e = e.getEnclosingElement()) {
      Annotations.find(e, "java.lang.SuppressWarnings")
          .flatMap(m -> Annotations.valueOrDefault(m, "value"))
          .flatMap(Annotations::strings)
          .ifPresent(names::addAll);
    }
    return names;
  }
}

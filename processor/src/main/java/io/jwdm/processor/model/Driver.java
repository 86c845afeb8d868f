package io.jwdm.processor.model;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * The model of one driver class, built once from its elements: what the rules check and, when they
 * find no error, what the glue is generated from. Immutable.
 *
 * @param element the driver class
 * @param kind WDM or legacy
 * @param annotation the {@code @WdmDriver} or {@code @LegacyDriver} annotation that gives the kind
 * @param conflictingAnnotation the {@code @LegacyDriver} annotation of a class that also has
 *     {@code @WdmDriver}; such a class is a WDM driver in the model, and gets no other finding
 * @param name the driver name: the annotation's {@code name}, or the class's simple name
 * @param hardwareIds a WDM driver's hardware IDs in declaration order; empty for a legacy driver
 * @param permanent whether a legacy driver is declared {@code permanent = true}
 * @param stackRole a WDM driver's place in its device stacks, the name of an {@code
 *     io.jwdm.annotation.DriverRole} constant ({@code FUNCTION} unless declared otherwise); {@code
 *     FUNCTION} for a legacy driver
 * @param routines the routines, in source order of their methods
 * @param suppressedWarnings the names in {@code @SuppressWarnings} on the class and the classes
 *     enclosing it
 */
public record Driver(
    TypeElement element,
    Kind kind,
    AnnotationMirror annotation,
    Optional<AnnotationMirror> conflictingAnnotation,
    String name,
    List<String> hardwareIds,
    boolean permanent,
    String stackRole,
    List<Routine> routines,
    Set<String> suppressedWarnings) {

  /** The two driver models. */
  public enum Kind {
    /** {@code @WdmDriver}: a Plug and Play driver. */
    WDM("WDM driver", "@WdmDriver"),
    /** {@code @LegacyDriver}: a non-PnP driver, started and stopped as a service. */
    LEGACY("legacy driver", "@LegacyDriver");

    private final String description;
    private final String annotation;

    Kind(String description, String annotation) {
      this.description = description;
      this.annotation = annotation;
    }

    /** {@code "WDM driver"} or {@code "legacy driver"}. */
    public String description() {
      return description;
    }

    /** {@code "@WdmDriver"} or {@code "@LegacyDriver"}. */
    public String annotation() {
      return annotation;
    }
  }

  /** Copies the collections, so a driver is immutable. */
  public Driver {
    hardwareIds = List.copyOf(hardwareIds);
    routines = List.copyOf(routines);
    suppressedWarnings = Set.copyOf(new TreeSet<>(suppressedWarnings));
  }

  /** The class's qualified name. */
  public String qualifiedName() {
    return TypeDescriptions.qualifiedName(element);
  }

  /** The class's simple name. */
  public String simpleName() {
    return element.getSimpleName().toString();
  }

  /** For messages: {@code WDM driver 'Toaster' (class com.example.Toaster)}. */
  public String describe() {
    return kind.description() + " '" + name + "' (class " + qualifiedName() + ")";
  }

  /** {@link #describe()} to start a sentence with. */
  public String describeCapitalized() {
    String description = describe();
    return Character.toUpperCase(description.charAt(0)) + description.substring(1);
  }

  /** Whether the driver is declared as a class, not as an interface, enum, record or annotation. */
  public boolean isClass() {
    return element.getKind() == ElementKind.CLASS;
  }

  /** Whether the class has both driver annotations. */
  public boolean isConflicting() {
    return conflictingAnnotation.isPresent();
  }

  /** The routines of one role, in source order. */
  public List<Routine> routines(Role role) {
    return routines.stream().filter(r -> r.role() == role).collect(Collectors.toUnmodifiableList());
  }

  /** Whether the driver has a routine of the given role, well formed or not. */
  public boolean has(Role role) {
    return routines.stream().anyMatch(r -> r.role() == role);
  }

  /** Whether some dispatch routine names the given major function. */
  public boolean dispatches(String majorFunction) {
    return routines.stream().anyMatch(r -> r.handles(majorFunction));
  }

  /** Whether {@code @SuppressWarnings} on the class or an enclosing class names the given ID. */
  public boolean isSuppressed(String id) {
    return suppressedWarnings.contains(id);
  }
}

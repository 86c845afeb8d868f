package io.jwdm.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeMirror;

/**
 * Reads annotations through {@link AnnotationMirror}s only. Every reader returns empty for a value
 * the compiler could not resolve (javac hands such a value over as the string {@code <error>},
 * other compilers as null or some other object), so broken code never makes the processor throw.
 */
final class Annotations {
  /** How javac renders an annotation value it could not attribute. */
  private static final String JAVAC_ERROR_VALUE = "<error>";

  private Annotations() {}

  /** The canonical name of a mirror's annotation type. */
  static String name(AnnotationMirror mirror) {
    Element element = mirror.getAnnotationType().asElement();
    return element instanceof TypeElement
        ? ((TypeElement) element).getQualifiedName().toString()
        : mirror.getAnnotationType().toString();
  }

  /** The first annotation of the given type on an element. */
  static Optional<AnnotationMirror> find(Element element, String canonicalName) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      if (name(mirror).equals(canonicalName)) {
        return Optional.of(mirror);
      }
    }
    return Optional.empty();
  }

  /** The value written for a member, if the annotation names it explicitly. */
  static Optional<AnnotationValue> explicitValue(AnnotationMirror mirror, String member) {
    Map<? extends ExecutableElement, ? extends AnnotationValue> values;
    try {
      values = mirror.getElementValues();
    } catch (RuntimeException brokenValue) {
      // ECJ throws on a value of the wrong type (permanent = "yes"); the compiler reports it.
      return Optional.empty();
    }
    for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
        values.entrySet()) {
      if (entry.getKey().getSimpleName().contentEquals(member)) {
        return Optional.ofNullable(entry.getValue());
      }
    }
    return Optional.empty();
  }

  /** The value written for a member, or the member's default. */
  static Optional<AnnotationValue> valueOrDefault(AnnotationMirror mirror, String member) {
    Optional<AnnotationValue> explicit = explicitValue(mirror, member);
    if (explicit.isPresent()) {
      return explicit;
    }
    Element type = mirror.getAnnotationType().asElement();
    if (type == null) {
      return Optional.empty();
    }
    for (Element enclosed : type.getEnclosedElements()) {
      if (enclosed.getKind() == ElementKind.METHOD
          && enclosed.getSimpleName().contentEquals(member)) {
        return Optional.ofNullable(((ExecutableElement) enclosed).getDefaultValue());
      }
    }
    return Optional.empty();
  }

  /** A string value, unless it is missing or unresolved. */
  static Optional<String> string(AnnotationValue value) {
    Object object = value.getValue();
    if (!(object instanceof String)) {
      return Optional.empty();
    }
    if (object.equals(JAVAC_ERROR_VALUE) && value.toString().equals(JAVAC_ERROR_VALUE)) {
      // An unattributed expression: a real "<error>" literal prints with its quotes.
      return Optional.empty();
    }
    return Optional.of((String) object);
  }

  /** A boolean value, unless it is missing or unresolved. */
  static Optional<Boolean> bool(AnnotationValue value) {
    Object object = value.getValue();
    return object instanceof Boolean ? Optional.of((Boolean) object) : Optional.empty();
  }

  /**
   * The elements of an array value. A single value is taken as an array of one, which is how a
   * driver may write it and how some compilers may hand it over.
   */
  @SuppressWarnings("unchecked")
  static Optional<List<AnnotationValue>> elements(AnnotationValue value) {
    Object object = value.getValue();
    if (object instanceof List) {
      for (Object element : (List<?>) object) {
        if (!(element instanceof AnnotationValue)) {
          return Optional.empty();
        }
      }
      return Optional.of(List.copyOf((List<AnnotationValue>) object));
    }
    if (object == null) {
      return Optional.empty();
    }
    return Optional.of(List.of(value));
  }

  /** A list of strings, unless the value or one of its elements is missing or unresolved. */
  static Optional<List<String>> strings(AnnotationValue value) {
    Optional<List<AnnotationValue>> elements = elements(value);
    if (elements.isEmpty()) {
      return Optional.empty();
    }
    List<String> strings = new ArrayList<>();
    for (AnnotationValue element : elements.get()) {
      Optional<String> string = string(element);
      if (string.isEmpty()) {
        return Optional.empty();
      }
      strings.add(string.get());
    }
    return Optional.of(List.copyOf(strings));
  }

  /** The name of an enum constant of the given enum type, unless the value is something else. */
  static Optional<String> enumConstant(AnnotationValue value, String enumType) {
    Object object = value.getValue();
    if (!(object instanceof VariableElement)) {
      return Optional.empty();
    }
    VariableElement constant = (VariableElement) object;
    Element enclosing = constant.getEnclosingElement();
    if (constant.getKind() != ElementKind.ENUM_CONSTANT
        || !(enclosing instanceof TypeElement)
        || !((TypeElement) enclosing).getQualifiedName().contentEquals(enumType)) {
      return Optional.empty();
    }
    return Optional.of(constant.getSimpleName().toString());
  }

  /** A list of enum constant names, unless the value or one of its elements is something else. */
  static Optional<List<String>> enumConstants(AnnotationValue value, String enumType) {
    Optional<List<AnnotationValue>> elements = elements(value);
    if (elements.isEmpty()) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>();
    for (AnnotationValue element : elements.get()) {
      Optional<String> name = enumConstant(element, enumType);
      if (name.isEmpty()) {
        return Optional.empty();
      }
      names.add(name.get());
    }
    return Optional.of(List.copyOf(names));
  }

  /**
   * Whether a value is a resolved value of the given member type: a string for a string, an enum
   * constant for an enum, a resolved type for a class, and so on, element by element for an array.
   */
  static boolean isResolved(AnnotationValue value, TypeMirror memberType) {
    Object object = value.getValue();
    if (object == null) {
      return false;
    }
    switch (memberType.getKind()) {
      case ARRAY:
        TypeMirror component = ((ArrayType) memberType).getComponentType();
        Optional<List<AnnotationValue>> elements = elements(value);
        return elements.isPresent()
            && elements.get().stream().allMatch(element -> isResolved(element, component));
      case BOOLEAN:
        return object instanceof Boolean;
      case CHAR:
        return object instanceof Character;
      case BYTE:
      case SHORT:
      case INT:
      case LONG:
      case FLOAT:
      case DOUBLE:
        return object instanceof Number;
      case DECLARED:
        Element type = ((DeclaredType) memberType).asElement();
        if (type.getKind() == ElementKind.ENUM) {
          return object instanceof VariableElement
              && ((VariableElement) object).getKind() == ElementKind.ENUM_CONSTANT;
        }
        if (type.getKind() == ElementKind.ANNOTATION_TYPE) {
          return object instanceof AnnotationMirror;
        }
        if (((TypeElement) type).getQualifiedName().contentEquals("java.lang.String")) {
          return string(value).isPresent();
        }
        return object instanceof TypeMirror && !Resolution.isUnresolved((TypeMirror) object);
      default:
        return false;
    }
  }
}

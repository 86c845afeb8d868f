package io.jwdm.processor.rules;

import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.tools.Diagnostic;

/**
 * One diagnostic: what a rule found, and the exact element (and annotation, and annotation value)
 * the compiler shows it on.
 *
 * @param kind error or warning
 * @param id the stable ID the message starts with, in brackets
 * @param message the message after the ID: what is wrong, why, and the fix
 * @param element the element the diagnostic is shown on
 * @param annotation the annotation on {@code element} to point at, if any
 * @param value the annotation value to point at, if any
 * @param driver the qualified name of the driver class the finding belongs to; empty for a finding
 *     on code that is not a driver
 */
public record Finding(
    Diagnostic.Kind kind,
    String id,
    String message,
    Element element,
    Optional<AnnotationMirror> annotation,
    Optional<AnnotationValue> value,
    String driver) {

  /** An error on an element. */
  public static Finding error(String id, String driver, Element element, String message) {
    return new Finding(
        Diagnostic.Kind.ERROR, id, message, element, Optional.empty(), Optional.empty(), driver);
  }

  /** An error on an annotation of an element. */
  public static Finding error(
      String id, String driver, Element element, AnnotationMirror annotation, String message) {
    return new Finding(
        Diagnostic.Kind.ERROR,
        id,
        message,
        element,
        Optional.of(annotation),
        Optional.empty(),
        driver);
  }

  /** An error on an annotation value, or on the annotation when the value is absent. */
  static Finding error(
      String id,
      String driver,
      Element element,
      AnnotationMirror annotation,
      Optional<AnnotationValue> value,
      String message) {
    return new Finding(
        Diagnostic.Kind.ERROR, id, message, element, Optional.of(annotation), value, driver);
  }

  /** A warning on an element. */
  static Finding warning(String id, String driver, Element element, String message) {
    return new Finding(
        Diagnostic.Kind.WARNING, id, message, element, Optional.empty(), Optional.empty(), driver);
  }

  /** The full diagnostic text: {@code [ID] message}. */
  public String text() {
    return "[" + id + "] " + message;
  }

  /** Whether this finding is an error, which stops the glue of its driver. */
  public boolean isError() {
    return kind == Diagnostic.Kind.ERROR;
  }
}

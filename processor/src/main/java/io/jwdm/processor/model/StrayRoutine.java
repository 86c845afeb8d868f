package io.jwdm.processor.model;

import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;

/**
 * A routine annotation on a method whose class is not a driver class.
 *
 * @param role the role the annotation would give the method
 * @param method the annotated method
 * @param annotation the routine annotation
 */
public record StrayRoutine(Role role, ExecutableElement method, AnnotationMirror annotation) {
  /** The element that encloses the method: a class that is not a driver, an interface, etc. */
  public Element owner() {
    return method.getEnclosingElement();
  }
}

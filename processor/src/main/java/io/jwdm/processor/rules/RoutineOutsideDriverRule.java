package io.jwdm.processor.rules;

import io.jwdm.processor.model.DriverScanner;
import io.jwdm.processor.model.StrayRoutine;
import io.jwdm.processor.model.TypeDescriptions;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * {@code RoutineOutsideDriver}: a routine annotation on a method of a class that is not a driver
 * (or of an interface, enum, record or annotation type). Reported on the method, at the annotation;
 * a method with two routine annotations gets one finding for each.
 */
final class RoutineOutsideDriverRule {
  static final String ID = "RoutineOutsideDriver";

  void check(StrayRoutine stray, Report report) {
    Element owner = stray.owner();
    String ownerName =
        owner instanceof TypeElement
            ? TypeDescriptions.qualifiedName((TypeElement) owner)
            : owner.getSimpleName().toString();
    Optional<TypeElement> enclosingDriver = enclosingDriver(owner);
    String fix =
        enclosingDriver.isPresent()
            ? "move the method into the driver class "
                + TypeDescriptions.qualifiedName(enclosingDriver.get())
            : owner.getKind() == ElementKind.CLASS
                ? "move the method into the driver class, or annotate "
                    + ownerName
                    + " with @WdmDriver or @LegacyDriver if it is the driver"
                : "move the method into the driver class";
    report.add(
        Finding.error(
            ID,
            "",
            stray.method(),
            stray.annotation(),
            "Method "
                + TypeDescriptions.describe(stray.method())
                + " is annotated "
                + stray.role().annotation()
                + ", but "
                + describeOwner(owner, ownerName)
                + " is not a driver. Only the methods of a class annotated @WdmDriver or"
                + " @LegacyDriver are routines: the glue generated for a driver stores its"
                + " routines in the driver object, and nothing would ever call this one. Fix: "
                + fix
                + "."));
  }

  private static String describeOwner(Element owner, String ownerName) {
    switch (owner.getKind()) {
      case INTERFACE:
        return "its interface " + ownerName;
      case ENUM:
        return "its enum " + ownerName;
      case ANNOTATION_TYPE:
        return "its annotation type " + ownerName;
      case CLASS:
        return "its class " + ownerName;
      default:
        return owner.getKind().name().equals("RECORD")
            ? "its record " + ownerName
            : "its enclosing " + ownerName;
    }
  }

  private static Optional<TypeElement> enclosingDriver(Element owner) {
    for (Element e = owner.getEnclosingElement(); e != null; e = e.getEnclosingElement()) {
      if (e instanceof TypeElement && DriverScanner.isDriverClass(e)) {
        return Optional.of((TypeElement) e);
      }
    }
    return Optional.empty();
  }
}

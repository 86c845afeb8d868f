package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;

/**
 * {@code DriverShape}: a driver class the glue cannot instantiate with {@code new Driver()} from
 * the driver's package: an interface, enum, record or annotation type (reported alone); or an
 * abstract, inner (non-static member), local, anonymous, generic or private class, one enclosed in
 * a private type, or one without a non-private no-argument constructor (one finding each). Reported
 * on the class.
 */
final class DriverShapeRule implements DriverRule {
  static final String ID = "DriverShape";

  @Override
  public void check(Driver driver, Report report) {
    TypeElement type = driver.element();
    String simpleName = driver.simpleName();
    List<Problem> problems = new ArrayList<>();
    if (type.getKind() != ElementKind.CLASS) {
      problems.add(
          new Problem(
              "is " + kindPhrase(type.getKind()) + ", not a class",
              "declare it as a class: class " + simpleName + " { ... }"));
    } else {
      if (type.getModifiers().contains(Modifier.ABSTRACT)) {
        problems.add(
            new Problem("is abstract", "remove abstract: class " + simpleName + " { ... }"));
      }
      NestingKind nesting = type.getNestingKind();
      if (nesting == NestingKind.MEMBER
          && !type.getModifiers().contains(Modifier.STATIC)
          && !isImplicitlyStatic(type)) {
        problems.add(
            new Problem(
                "is an inner class of " + type.getEnclosingElement().getSimpleName(),
                "make it a static member class: static class " + simpleName + " { ... }"));
      } else if (nesting == NestingKind.LOCAL || nesting == NestingKind.ANONYMOUS) {
        problems.add(
            new Problem(
                nesting == NestingKind.LOCAL ? "is a local class" : "is an anonymous class",
                "move it out of the method, to a top-level class or a static member class"));
      }
      if (!type.getTypeParameters().isEmpty()) {
        problems.add(
            new Problem(
                "is generic, "
                    + type.getTypeParameters().stream()
                        .map(p -> p.getSimpleName().toString())
                        .collect(Collectors.joining(", ", "<", ">")),
                "remove the type parameters: class " + simpleName + " { ... }"));
      }
      Optional<Problem> privacy = privacy(type);
      privacy.ifPresent(problems::add);
      if (!type.getModifiers().contains(Modifier.PRIVATE)) {
        // A private class's implicit constructor is private too: one mistake, one message.
        constructorProblem(type, simpleName).ifPresent(problems::add);
      }
    }
    Element target = type.getKind().name().equals("RECORD") ? recordHeader(type) : type;
    for (Problem problem : problems) {
      report.add(
          Finding.error(
              ID,
              driver.qualifiedName(),
              target,
              driver.describeCapitalized()
                  + " "
                  + problem.what()
                  + ". The generated glue is the driver's real DriverEntry: it creates the driver"
                  + " with new "
                  + simpleName
                  + "() from the driver's package each time the driver is loaded, so a driver must"
                  + " be a concrete, non-generic class, top-level or a static member class, not"
                  + " private, with a non-private no-argument constructor. Fix: "
                  + problem.fix()
                  + "."));
    }
  }

  private static String kindPhrase(ElementKind kind) {
    switch (kind) {
      case INTERFACE:
        return "an interface";
      case ENUM:
        return "an enum";
      case ANNOTATION_TYPE:
        return "an annotation type";
      default:
        if (kind.name().equals("RECORD")) {
          return "a record";
        }
        return "a " + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * Where to report on a record: its canonical constructor, which sits on the record's header
   * unless the record declares it explicitly. ECJ gives a record declaration itself no source
   * position, so a diagnostic on it would show in no file; the constructor's position is the same
   * line under javac and ECJ.
   */
  private static Element recordHeader(TypeElement record) {
    int components = 0;
    for (Element enclosed : record.getEnclosedElements()) {
      if (enclosed.getKind().name().equals("RECORD_COMPONENT")) {
        components++;
      }
    }
    for (Element enclosed : record.getEnclosedElements()) {
      if (enclosed.getKind() == ElementKind.CONSTRUCTOR
          && ((ExecutableElement) enclosed).getParameters().size() == components) {
        return enclosed;
      }
    }
    return record;
  }

  /** Member classes of interfaces and annotation types are static without saying so. */
  private static boolean isImplicitlyStatic(TypeElement type) {
    ElementKind enclosing = type.getEnclosingElement().getKind();
    return enclosing == ElementKind.INTERFACE || enclosing == ElementKind.ANNOTATION_TYPE;
  }

  private static Optional<Problem> privacy(TypeElement type) {
    if (type.getModifiers().contains(Modifier.PRIVATE)) {
      return Optional.of(
          new Problem("is private", "remove private, making it package-private or public"));
    }
    for (Element e = type.getEnclosingElement();
        e instanceof TypeElement;
        e = e.getEnclosingElement()) {
      if (e.getModifiers().contains(Modifier.PRIVATE)) {
        return Optional.of(
            new Problem(
                "is enclosed in the private class " + e.getSimpleName(),
                "make " + e.getSimpleName() + " package-private or public"));
      }
    }
    return Optional.empty();
  }

  private static Optional<Problem> constructorProblem(TypeElement type, String simpleName) {
    boolean anyConstructor = false;
    boolean privateNoArg = false;
    for (Element enclosed : type.getEnclosedElements()) {
      if (enclosed.getKind() != ElementKind.CONSTRUCTOR) {
        continue;
      }
      anyConstructor = true;
      ExecutableElement constructor = (ExecutableElement) enclosed;
      if (constructor.getParameters().isEmpty()) {
        if (!constructor.getModifiers().contains(Modifier.PRIVATE)) {
          return Optional.empty();
        }
        privateNoArg = true;
      }
    }
    if (!anyConstructor) {
      return Optional.empty(); // the implicit default constructor
    }
    return Optional.of(
        new Problem(
            privateNoArg
                ? "has only a private no-argument constructor"
                : "has no no-argument constructor",
            "add a constructor the glue can call: " + simpleName + "() { ... }"));
  }

  /** One shape problem: what is wrong, and the fix. */
  private record Problem(String what, String fix) {}
}

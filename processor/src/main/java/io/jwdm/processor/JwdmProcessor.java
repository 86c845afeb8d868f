package io.jwdm.processor;

import com.google.auto.service.AutoService;
import io.jwdm.processor.generator.GlueGenerator;
import io.jwdm.processor.generator.ServicesFile;
import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.DriverScanner;
import io.jwdm.processor.model.Names;
import io.jwdm.processor.model.Resolution;
import io.jwdm.processor.model.Role;
import io.jwdm.processor.model.StrayRoutine;
import io.jwdm.processor.model.TypeDescriptions;
import io.jwdm.processor.rules.Finding;
import io.jwdm.processor.rules.Report;
import io.jwdm.processor.rules.Rules;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * The jwdm annotation processor: checks every driver class against the WDK's rules for driver
 * routines and generates its glue.
 *
 * <p>Each round it builds a {@link Driver} model of every class annotated {@code @WdmDriver} or
 * {@code @LegacyDriver}, runs the {@link Rules} on all of them, prints every finding on its exact
 * element, then generates {@code <SimpleName>_DriverGlue} for each driver without errors. A driver
 * whose types are not resolved yet is deferred, by qualified name, to a later round. When
 * processing is over it writes {@code META-INF/services/io.jwdm.spi.DriverGlue}, listing every glue
 * class. Output does not depend on the order of the source files, and the processor never lets an
 * exception escape: a bug in it is reported as an {@code [InternalError]} on the element it was
 * processing.
 */
@AutoService(Processor.class)
public final class JwdmProcessor extends AbstractProcessor {
  /** The ID of the error reporting a bug in this processor. */
  static final String INTERNAL_ERROR = "InternalError";

  /** The ID of the error on a driver whose types were still unresolved in the last round. */
  static final String UNRESOLVED = "Unresolved";

  /** The ID of the error on a driver whose glue could not be written. */
  static final String OUTPUT_ERROR = "OutputError";

  private static final int REPORTED_FRAMES = 5;

  private final Rules rules = new Rules();

  /** Qualified names of driver classes deferred to a later round. */
  private final SortedSet<String> deferred = new TreeSet<>();

  /** Name of each driver checked in an earlier round, by its qualified class name. */
  private final Map<String, String> checkedDrivers = new TreeMap<>();

  /** Qualified glue class name of each driver whose glue was generated, by driver class name. */
  private final Map<String, String> glueClasses = new TreeMap<>();

  /** What a bug report names as being processed. */
  private Element current;

  /** Creates the processor; the compiler calls {@link #init} before using it. */
  public JwdmProcessor() {}

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    Set<String> names = new TreeSet<>();
    names.add(Names.WDM_DRIVER);
    names.add(Names.LEGACY_DRIVER);
    for (Role role : Role.values()) {
      names.add(role.annotationName());
    }
    return Collections.unmodifiableSet(names);
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of();
  }

  /**
   * Checks the drivers of this round and generates their glue, or, when processing is over, writes
   * the services file.
   */
  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
    current = null;
    try {
      if (roundEnv.processingOver()) {
        finish(roundEnv);
      } else {
        processRound(roundEnv);
      }
    } catch (Throwable t) {
      printInternalError(current, t);
    }
    // Claim nothing: a processor that supports "*" must still see these classes.
    return false;
  }

  private void processRound(RoundEnvironment roundEnv) {
    Report report = new Report();
    DriverScanner scanner =
        new DriverScanner(processingEnv.getElementUtils(), processingEnv.getTypeUtils());

    for (ExecutableElement method : strayMethods(roundEnv)) {
      current = method;
      try {
        for (StrayRoutine stray : DriverScanner.routineAnnotations(method)) {
          rules.checkStray(stray, report);
        }
      } catch (Throwable t) {
        report.add(internalError(method, "", t));
      }
    }

    List<Driver> drivers = new ArrayList<>();
    for (TypeElement type : driverClasses(roundEnv)) {
      current = type;
      try {
        if (!Resolution.unresolved(type).isEmpty()) {
          // A later round may resolve it; a local class, which has no name, cannot be re-fetched.
          if (type.getQualifiedName().length() > 0) {
            deferred.add(type.getQualifiedName().toString());
          }
          continue;
        }
        Optional<Driver> driver = scanner.scan(type);
        if (driver.isPresent()) {
          rules.checkDriver(driver.get(), report);
          drivers.add(driver.get());
        }
      } catch (Throwable t) {
        report.add(internalError(type, TypeDescriptions.qualifiedName(type), t));
      }
    }

    current = null;
    List<Driver> earlier = earlierDriversNamedLike(drivers, scanner);
    rules.checkNames(drivers, earlier, report);
    for (Driver driver : drivers) {
      if (Rules.hasName(driver)) {
        checkedDrivers.put(driver.qualifiedName(), driver.name());
      }
    }
    for (Driver driver : earlier) {
      if (report.hasErrors(driver.qualifiedName())) {
        glueClasses.remove(driver.qualifiedName());
      }
    }

    report.printTo(processingEnv.getMessager());

    GlueGenerator generator = new GlueGenerator(processingEnv.getElementUtils());
    for (Driver driver : drivers) {
      if (!report.hasErrors(driver.qualifiedName())) {
        current = driver.element();
        generate(generator, driver);
      }
    }
  }

  /** The driver classes to check this round, deferred ones included, sorted by name. */
  private List<TypeElement> driverClasses(RoundEnvironment roundEnv) {
    SortedSet<String> names = new TreeSet<>(deferred);
    deferred.clear();
    List<TypeElement> unnamed = new ArrayList<>();
    for (String annotation : List.of(Names.WDM_DRIVER, Names.LEGACY_DRIVER)) {
      TypeElement annotationType = processingEnv.getElementUtils().getTypeElement(annotation);
      if (annotationType == null) {
        continue;
      }
      for (Element element : roundEnv.getElementsAnnotatedWith(annotationType)) {
        if (element instanceof TypeElement) {
          TypeElement type = (TypeElement) element;
          if (type.getQualifiedName().length() == 0) {
            unnamed.add(type);
          } else {
            names.add(type.getQualifiedName().toString());
          }
        }
      }
    }
    List<TypeElement> types = new ArrayList<>();
    for (String name : names) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
      if (type != null) {
        types.add(type);
      }
    }
    types.addAll(unnamed);
    return types;
  }

  /**
   * Methods of this round with a routine annotation whose class is not a driver class, each once.
   */
  private List<ExecutableElement> strayMethods(RoundEnvironment roundEnv) {
    Set<ExecutableElement> methods = new LinkedHashSet<>();
    for (Role role : Role.values()) {
      TypeElement annotationType =
          processingEnv.getElementUtils().getTypeElement(role.annotationName());
      if (annotationType == null) {
        continue;
      }
      for (Element element : roundEnv.getElementsAnnotatedWith(annotationType)) {
        if (element instanceof ExecutableElement
            && !DriverScanner.isDriverClass(element.getEnclosingElement())) {
          methods.add((ExecutableElement) element);
        }
      }
    }
    return new ArrayList<>(methods);
  }

  /** Drivers of earlier rounds sharing a name with a driver of this round, re-read by name. */
  private List<Driver> earlierDriversNamedLike(List<Driver> drivers, DriverScanner scanner) {
    Set<String> names = drivers.stream().map(Driver::name).collect(Collectors.toSet());
    List<Driver> earlier = new ArrayList<>();
    for (Map.Entry<String, String> checked : checkedDrivers.entrySet()) {
      if (!names.contains(checked.getValue())) {
        continue;
      }
      TypeElement type = processingEnv.getElementUtils().getTypeElement(checked.getKey());
      if (type != null && Resolution.unresolved(type).isEmpty()) {
        scanner.scan(type).ifPresent(earlier::add);
      }
    }
    return earlier;
  }

  private void generate(GlueGenerator generator, Driver driver) {
    String glueClass = GlueGenerator.glueName(driver.element()).canonicalName();
    try {
      GlueGenerator.write(generator.generate(driver), processingEnv.getFiler());
      glueClasses.put(driver.qualifiedName(), glueClass);
    } catch (IOException e) {
      processingEnv
          .getMessager()
          .printMessage(
              Diagnostic.Kind.ERROR,
              "["
                  + OUTPUT_ERROR
                  + "] Could not write "
                  + glueClass
                  + ", the glue of driver class "
                  + driver.qualifiedName()
                  + ": "
                  + e
                  + ". Fix: make sure no other class of that name exists and the source output"
                  + " directory is writable.",
              driver.element());
    } catch (Throwable t) {
      printInternalError(driver.element(), t);
    }
  }

  /**
   * A driver still deferred in the last round whose types are still unresolved gets no message of
   * ours: the compiler reports every unresolved type and annotation value of the source itself, and
   * that error is the one to fix. One whose types resolved only in this round, too late for glue,
   * gets an error, unless the compilation has failed already.
   */
  private void finish(RoundEnvironment roundEnv) {
    if (!roundEnv.errorRaised()) {
      for (String name : deferred) {
        TypeElement type = processingEnv.getElementUtils().getTypeElement(name);
        current = type;
        if (type != null && Resolution.unresolved(type).isEmpty()) {
          reportUnresolved(name, type);
        }
      }
    }
    deferred.clear();
    current = null;
    if (glueClasses.isEmpty()) {
      return;
    }
    List<Element> originating = new ArrayList<>();
    for (String driver : glueClasses.keySet()) {
      TypeElement type = processingEnv.getElementUtils().getTypeElement(driver);
      if (type != null) {
        originating.add(type);
      }
    }
    try {
      ServicesFile.write(
          processingEnv.getFiler(),
          new TreeSet<>(glueClasses.values()),
          originating.toArray(new Element[0]));
    } catch (IOException e) {
      processingEnv
          .getMessager()
          .printMessage(
              Diagnostic.Kind.ERROR,
              "[" + OUTPUT_ERROR + "] Could not write " + ServicesFile.PATH + ": " + e + ".");
    }
  }

  private void reportUnresolved(String name, TypeElement type) {
    processingEnv
        .getMessager()
        .printMessage(
            Diagnostic.Kind.ERROR,
            "["
                + UNRESOLVED
                + "] jwdm could not check driver class "
                + name
                + " or generate its glue: the types it uses were resolved only in the last round of"
                + " annotation processing, when no more sources may be generated. Fix: make sure"
                + " the processor that generates those types runs in an earlier round.",
            type);
  }

  private static Finding internalError(Element element, String driver, Throwable t) {
    return Finding.error(INTERNAL_ERROR, driver, element, internalErrorMessage(element, t));
  }

  private void printInternalError(Element element, Throwable t) {
    String message = "[" + INTERNAL_ERROR + "] " + internalErrorMessage(element, t);
    try {
      if (element == null) {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message);
      } else {
        processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message, element);
      }
    } catch (RuntimeException e) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message);
    }
  }

  /** {@code jwdm processor bug while processing X: <exception> at <frames>; please report it}. */
  static String internalErrorMessage(Element element, Throwable t) {
    String what =
        element == null
            ? "this compilation"
            : element instanceof TypeElement
                ? TypeDescriptions.qualifiedName((TypeElement) element)
                : element.getEnclosingElement() instanceof TypeElement
                    ? TypeDescriptions.qualifiedName((TypeElement) element.getEnclosingElement())
                        + "."
                        + element.getSimpleName()
                    : element.getSimpleName().toString();
    String frames =
        Arrays.stream(t.getStackTrace())
            .limit(REPORTED_FRAMES)
            .map(StackTraceElement::toString)
            .collect(Collectors.joining(", "));
    return "jwdm processor bug while processing "
        + what
        + ": "
        + t
        + (frames.isEmpty() ? "" : " at " + frames)
        + "; please report it";
  }
}

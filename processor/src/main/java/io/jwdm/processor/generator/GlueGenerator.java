package io.jwdm.processor.generator;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.MajorFunctions;
import io.jwdm.processor.model.Names;
import io.jwdm.processor.model.Role;
import io.jwdm.processor.model.Routine;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Generates the glue class of a valid driver: {@code <SimpleName>_DriverGlue} in the driver's
 * package, implementing {@code io.jwdm.spi.DriverGlue}. Its {@code driverEntry} creates the driver,
 * stores each routine in the driver object as an instance of a small nested class that calls the
 * driver method directly (no reflection, method handles or lambdas), then calls the driver's
 * {@code @DriverEntry} method, if any. It only ever sees drivers the rules found no error in.
 */
public final class GlueGenerator {
  /** The name the glue's {@code @Generated} gives. */
  public static final String GENERATOR = "io.jwdm.processor.JwdmProcessor";

  private static final ClassName GENERATED =
      ClassName.get("javax.annotation.processing", "Generated");
  private static final ClassName DRIVER_GLUE = ClassName.get(Names.SPI_PACKAGE, "DriverGlue");
  private static final ClassName DRIVER_MODEL = ClassName.get(Names.SPI_PACKAGE, "DriverModel");
  private static final ClassName NT_STATUS = ClassName.get(Names.KERNEL_PACKAGE, "NtStatus");
  private static final ClassName DRIVER_OBJECT =
      ClassName.get(Names.KERNEL_PACKAGE, "DriverObject");
  private static final ClassName DEVICE_OBJECT =
      ClassName.get(Names.KERNEL_PACKAGE, "DeviceObject");
  private static final ClassName IRP = ClassName.get(Names.KERNEL_PACKAGE, "Irp");
  private static final ClassName MAJOR_FUNCTION =
      ClassName.get(Names.KERNEL_PACKAGE, "MajorFunction");
  private static final ClassName DRIVER_DISPATCH =
      ClassName.get(Names.KERNEL_PACKAGE, "DriverDispatch");
  private static final ClassName DRIVER_ADD_DEVICE =
      ClassName.get(Names.KERNEL_PACKAGE, "DriverAddDevice");
  private static final ClassName DRIVER_START_IO =
      ClassName.get(Names.KERNEL_PACKAGE, "DriverStartIo");
  private static final ClassName DRIVER_UNLOAD =
      ClassName.get(Names.KERNEL_PACKAGE, "DriverUnload");
  private static final ClassName DRIVER_ROLE = ClassName.bestGuess(Names.DRIVER_ROLE);
  private static final ClassName LIST = ClassName.get("java.util", "List");
  private static final ClassName STRING = ClassName.get("java.lang", "String");

  /** Simple names the glue uses for types of other packages. */
  private static final Set<String> FOREIGN_SIMPLE_NAMES =
      Set.of(
          "DriverGlue",
          "DriverModel",
          "DriverRole",
          "NtStatus",
          "DriverObject",
          "DeviceObject",
          "Irp",
          "MajorFunction",
          "DriverDispatch",
          "DriverAddDevice",
          "DriverStartIo",
          "DriverUnload",
          "List",
          "Generated",
          "String",
          "Class",
          "Object",
          "Override",
          "SuppressWarnings");

  private final Elements elements;

  /** A generator that looks up what it needs through the given utilities. */
  public GlueGenerator(Elements elements) {
    this.elements = elements;
  }

  /** The glue class of a driver class: {@code Outer.Inner} gives {@code Outer_Inner_DriverGlue}. */
  public static ClassName glueName(TypeElement driverClass) {
    ClassName driver = ClassName.get(driverClass);
    return ClassName.get(
        driver.packageName(), String.join("_", driver.simpleNames()) + "_DriverGlue");
  }

  /** The glue source file of a driver. */
  public JavaFile generate(Driver driver) {
    ClassName driverClass = ClassName.get(driver.element());
    ClassName glueClass = glueName(driver.element());
    List<Routine> routines = new ArrayList<>();
    for (Routine routine : driver.routines()) {
      if (routine.role() != Role.DRIVER_ENTRY) {
        routines.add(routine);
      }
    }
    Set<String> reserved = new TreeSet<>(FOREIGN_SIMPLE_NAMES);
    reserved.addAll(driverClass.simpleNames());
    reserved.add(glueClass.simpleName());
    Map<ExecutableElement, RoutineClassNames.Naming> naming =
        RoutineClassNames.assign(routines, reserved);

    TypeSpec.Builder glue =
        TypeSpec.classBuilder(glueClass)
            .addOriginatingElement(driver.element())
            .addJavadoc(
                "The glue of $L $S: its real DriverEntry and its description for the kernel.\n",
                driver.kind() == Driver.Kind.WDM ? "WDM driver" : "legacy driver",
                driver.name())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(DRIVER_GLUE);
    if (elements.getTypeElement(GENERATED.canonicalName()) != null) {
      glue.addAnnotation(
          AnnotationSpec.builder(GENERATED).addMember("value", "$S", GENERATOR).build());
    }
    suppressions(driver).ifPresent(glue::addAnnotation);
    glue.alwaysQualify(collidingNames(driver.element()).toArray(new String[0]));

    glue.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).build());
    glue.addMethod(getter("spiVersion", TypeName.INT, CodeBlock.of("$L", Names.SPI_VERSION)));
    glue.addMethod(getter("driverName", STRING, CodeBlock.of("$S", driver.name())));
    glue.addMethod(
        getter(
            "model",
            DRIVER_MODEL,
            CodeBlock.of(
                "$T.$L", DRIVER_MODEL, driver.kind() == Driver.Kind.WDM ? "WDM" : "LEGACY")));
    List<CodeBlock> ids = new ArrayList<>();
    for (String id : driver.hardwareIds()) {
      ids.add(CodeBlock.of("$S", id));
    }
    glue.addMethod(
        getter(
            "hardwareIds",
            ParameterizedTypeName.get(LIST, STRING),
            CodeBlock.of("$T.of($L)", LIST, CodeBlock.join(ids, ", "))));
    glue.addMethod(getter("permanent", TypeName.BOOLEAN, CodeBlock.of("$L", driver.permanent())));
    if (!driver.stackRole().equals(Names.FUNCTION_ROLE)) {
      // DriverGlue.role() defaults to FUNCTION; only a filter driver overrides it.
      glue.addMethod(
          getter("role", DRIVER_ROLE, CodeBlock.of("$T.$N", DRIVER_ROLE, driver.stackRole())));
    }
    glue.addMethod(
        getter(
            "driverClass",
            ParameterizedTypeName.get(
                ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class)),
            CodeBlock.of("$T.class", driverClass)));
    glue.addMethod(driverEntry(driver, driverClass, naming));
    Set<ExecutableElement> generated = new HashSet<>();
    for (Routine routine : routines) {
      if (generated.add(routine.method())) {
        glue.addType(routineClass(routine, naming.get(routine.method()).className(), driverClass));
      }
    }
    return JavaFile.builder(driverClass.packageName(), glue.build())
        .skipJavaLangImports(true)
        .build();
  }

  private static MethodSpec getter(String name, TypeName type, CodeBlock value) {
    return MethodSpec.methodBuilder(name)
        .addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC)
        .returns(type)
        .addStatement("return $L", value)
        .build();
  }

  private static MethodSpec driverEntry(
      Driver driver,
      ClassName driverClass,
      Map<ExecutableElement, RoutineClassNames.Naming> naming) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("driverEntry")
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC)
            .returns(NT_STATUS)
            .addParameter(DRIVER_OBJECT, "driverObject")
            .addParameter(STRING, "registryPath")
            .addStatement("$T driver = new $T()", driverClass, driverClass);
    Map<String, String> slots = new TreeMap<>(MajorFunctions.BY_CODE_ORDER);
    Set<ExecutableElement> declared = new java.util.HashSet<>();
    for (Routine routine : driver.routines(Role.DISPATCH)) {
      RoutineClassNames.Naming names = naming.get(routine.method());
      if (declared.add(routine.method())) {
        // A method carries one routine object, even where a broken source gives it two @Dispatch.
        method.addStatement(
            "$T $N = new $N(driver)", DRIVER_DISPATCH, names.localName(), names.className());
      }
      for (String function : routine.majorFunctions()) {
        slots.putIfAbsent(function, names.localName());
      }
    }
    for (Map.Entry<String, String> slot : slots.entrySet()) {
      method.addStatement(
          "driverObject.setMajorFunction($T.$N, $N)",
          MAJOR_FUNCTION,
          slot.getKey(),
          slot.getValue());
    }
    for (Routine routine : driver.routines(Role.ADD_DEVICE)) {
      method.addStatement(
          "driverObject.setAddDevice(new $N(driver))", naming.get(routine.method()).className());
    }
    for (Routine routine : driver.routines(Role.START_IO)) {
      method.addStatement(
          "driverObject.setDriverStartIo(new $N(driver))",
          naming.get(routine.method()).className());
    }
    for (Routine routine : driver.routines(Role.UNLOAD)) {
      method.addStatement(
          "driverObject.setDriverUnload(new $N(driver))", naming.get(routine.method()).className());
    }
    List<Routine> entries = driver.routines(Role.DRIVER_ENTRY);
    if (entries.isEmpty()) {
      method.addStatement("return $T.SUCCESS", NT_STATUS);
    } else {
      method.addStatement(
          "return driver.$N(driverObject, registryPath)", entries.get(0).methodName());
    }
    return method.build();
  }

  private static TypeSpec routineClass(Routine routine, String className, ClassName driverClass) {
    MethodSpec.Builder call =
        MethodSpec.methodBuilder(interfaceMethod(routine.role()))
            .addAnnotation(Override.class)
            .addModifiers(Modifier.PUBLIC);
    ClassName functionalInterface;
    switch (routine.role()) {
      case ADD_DEVICE:
        functionalInterface = DRIVER_ADD_DEVICE;
        call.returns(NT_STATUS)
            .addParameter(DRIVER_OBJECT, "driverObject")
            .addParameter(DEVICE_OBJECT, "physicalDeviceObject")
            .addStatement(
                "return driver.$N(driverObject, physicalDeviceObject)", routine.methodName());
        break;
      case DISPATCH:
        functionalInterface = DRIVER_DISPATCH;
        call.returns(NT_STATUS)
            .addParameter(DEVICE_OBJECT, "device")
            .addParameter(IRP, "irp")
            .addStatement("return driver.$N(device, irp)", routine.methodName());
        break;
      case START_IO:
        functionalInterface = DRIVER_START_IO;
        call.addParameter(DEVICE_OBJECT, "device")
            .addParameter(IRP, "irp")
            .addStatement("driver.$N(device, irp)", routine.methodName());
        break;
      case UNLOAD:
        functionalInterface = DRIVER_UNLOAD;
        call.addParameter(DRIVER_OBJECT, "driverObject")
            .addStatement("driver.$N(driverObject)", routine.methodName());
        break;
      default:
        throw new IllegalArgumentException("no routine class for " + routine.role());
    }
    return TypeSpec.classBuilder(className)
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addSuperinterface(functionalInterface)
        .addField(
            FieldSpec.builder(driverClass, "driver", Modifier.PRIVATE, Modifier.FINAL).build())
        .addMethod(
            MethodSpec.constructorBuilder()
                .addParameter(driverClass, "driver")
                .addStatement("this.driver = driver")
                .build())
        .addMethod(call.build())
        .build();
  }

  private static String interfaceMethod(Role role) {
    switch (role) {
      case ADD_DEVICE:
        return "addDevice";
      case DISPATCH:
        return "dispatch";
      case START_IO:
        return "startIo";
      case UNLOAD:
        return "unload";
      default:
        throw new IllegalArgumentException("no routine class for " + role);
    }
  }

  /**
   * Simple names the glue uses for types of other packages that a type of the driver's own package
   * also has: written qualified, since the package's type would otherwise win.
   */
  private Set<String> collidingNames(TypeElement driverClass) {
    Set<String> colliding = new TreeSet<>();
    PackageElement pkg = elements.getPackageOf(driverClass);
    for (Element type : pkg.getEnclosedElements()) {
      String name = type.getSimpleName().toString();
      if (FOREIGN_SIMPLE_NAMES.contains(name)) {
        colliding.add(name);
      }
    }
    return colliding;
  }

  /**
   * {@code @SuppressWarnings} for calling a deprecated driver class or routine, which would
   * otherwise warn in the glue.
   */
  private Optional<AnnotationSpec> suppressions(Driver driver) {
    List<Element> used = new ArrayList<>();
    for (Element e = driver.element(); e instanceof TypeElement; e = e.getEnclosingElement()) {
      used.add(e);
    }
    for (Routine routine : driver.routines()) {
      used.add(routine.method());
    }
    Set<String> names = new TreeSet<>();
    for (Element element : used) {
      if (elements.isDeprecated(element)) {
        names.add(isForRemoval(element) ? "removal" : "deprecation");
      }
    }
    if (names.isEmpty()) {
      return Optional.empty();
    }
    AnnotationSpec.Builder annotation = AnnotationSpec.builder(SuppressWarnings.class);
    for (String name : names) {
      annotation.addMember("value", "$S", name);
    }
    return Optional.of(annotation.build());
  }

  private static boolean isForRemoval(Element element) {
    for (AnnotationMirror mirror : element.getAnnotationMirrors()) {
      Element type = mirror.getAnnotationType().asElement();
      if (type instanceof TypeElement
          && ((TypeElement) type).getQualifiedName().contentEquals("java.lang.Deprecated")) {
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> entry :
            mirror.getElementValues().entrySet()) {
          if (entry.getKey().getSimpleName().contentEquals("forRemoval")
              && Boolean.TRUE.equals(entry.getValue().getValue())) {
            return true;
          }
        }
      }
    }
    return false;
  }
}

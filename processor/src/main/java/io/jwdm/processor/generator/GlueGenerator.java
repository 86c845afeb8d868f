package io.jwdm.processor.generator;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import io.jwdm.processor.model.Driver;
import io.jwdm.processor.model.MajorFunctions;
import io.jwdm.processor.model.Names;
import io.jwdm.processor.model.Role;
import io.jwdm.processor.model.Routine;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.processing.Filer;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.JavaFileObject;

/**
 * Generates the glue class of a valid driver: {@code <SimpleName>_DriverGlue} in the driver's
 * package, implementing {@code io.jwdm.spi.DriverGlue}. Its {@code driverEntry} creates the driver,
 * stores each routine in the driver object as an instance of one small nested class that calls the
 * driver method directly (no reflection, method handles or lambdas), then calls the driver's
 * {@code @DriverEntry} method, if any. That one class implements every routine interface the driver
 * needs; where a role has several methods (dispatch routines, mostly), a number each instance holds
 * selects the method in a {@code switch}. It only ever sees drivers the rules found no error in.
 *
 * <p>A generator serves one round: it keeps what it looked up in the compiler for that round.
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

  // The parts every glue class shares, built once: JavaPoet's specs are immutable.
  private static final AnnotationSpec OVERRIDE = AnnotationSpec.builder(Override.class).build();
  private static final AnnotationSpec GENERATED_ANNOTATION =
      AnnotationSpec.builder(GENERATED).addMember("value", "$S", GENERATOR).build();
  private static final MethodSpec CONSTRUCTOR =
      MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).build();
  private static final MethodSpec SPI_VERSION =
      getter("spiVersion", TypeName.INT, CodeBlock.of("$L", Names.SPI_VERSION));
  private static final MethodSpec WDM_MODEL =
      getter("model", DRIVER_MODEL, CodeBlock.of("$T.WDM", DRIVER_MODEL));
  private static final MethodSpec LEGACY_MODEL =
      getter("model", DRIVER_MODEL, CodeBlock.of("$T.LEGACY", DRIVER_MODEL));
  private static final TypeName STRING_LIST = ParameterizedTypeName.get(LIST, STRING);
  private static final MethodSpec NO_HARDWARE_IDS =
      getter("hardwareIds", STRING_LIST, CodeBlock.of("$T.of()", LIST));
  private static final MethodSpec PERMANENT =
      getter("permanent", TypeName.BOOLEAN, CodeBlock.of("true"));
  private static final MethodSpec NOT_PERMANENT =
      getter("permanent", TypeName.BOOLEAN, CodeBlock.of("false"));
  private static final TypeName ANY_CLASS =
      ParameterizedTypeName.get(
          ClassName.get(Class.class), WildcardTypeName.subtypeOf(Object.class));
  private static final ParameterSpec DRIVER_OBJECT_PARAMETER =
      ParameterSpec.builder(DRIVER_OBJECT, "driverObject").build();
  private static final ParameterSpec REGISTRY_PATH_PARAMETER =
      ParameterSpec.builder(STRING, "registryPath").build();
  private static final ParameterSpec DEVICE_PARAMETER =
      ParameterSpec.builder(DEVICE_OBJECT, "device").build();
  private static final ParameterSpec IRP_PARAMETER = ParameterSpec.builder(IRP, "irp").build();
  private static final ParameterSpec PHYSICAL_DEVICE_OBJECT_PARAMETER =
      ParameterSpec.builder(DEVICE_OBJECT, "physicalDeviceObject").build();
  private static final FieldSpec ROUTINE_FIELD =
      FieldSpec.builder(TypeName.INT, "routine", Modifier.PRIVATE, Modifier.FINAL).build();

  private final Elements elements;

  /** Whether {@code javax.annotation.processing.Generated} is there to use; looked up once. */
  private Boolean generatedAvailable;

  /** The colliding names of each package, by qualified name; see {@link #collidingNames}. */
  private final Map<String, String[]> collidingNames = new HashMap<>();

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
    Set<String> reserved = new HashSet<>(FOREIGN_SIMPLE_NAMES);
    reserved.addAll(driverClass.simpleNames());
    reserved.add(glueClass.simpleName());
    RoutineTable table = RoutineTable.of(driver, reserved);

    TypeSpec.Builder glue =
        TypeSpec.classBuilder(glueClass)
            .addOriginatingElement(driver.element())
            .addJavadoc(
                "The glue of $L $S: its real DriverEntry and its description for the kernel.\n",
                driver.kind() == Driver.Kind.WDM ? "WDM driver" : "legacy driver",
                driver.name())
            .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
            .addSuperinterface(DRIVER_GLUE);
    if (generatedAvailable()) {
      glue.addAnnotation(GENERATED_ANNOTATION);
    }
    suppressions(driver).ifPresent(glue::addAnnotation);
    glue.alwaysQualify(collidingNames(driver.element()));

    glue.addMethod(CONSTRUCTOR);
    glue.addMethod(SPI_VERSION);
    glue.addMethod(getter("driverName", STRING, CodeBlock.of("$S", driver.name())));
    glue.addMethod(driver.kind() == Driver.Kind.WDM ? WDM_MODEL : LEGACY_MODEL);
    glue.addMethod(hardwareIds(driver));
    glue.addMethod(driver.permanent() ? PERMANENT : NOT_PERMANENT);
    if (!driver.stackRole().equals(Names.FUNCTION_ROLE)) {
      // DriverGlue.role() defaults to FUNCTION; only a filter driver overrides it.
      glue.addMethod(
          getter("role", DRIVER_ROLE, CodeBlock.of("$T.$N", DRIVER_ROLE, driver.stackRole())));
    }
    glue.addMethod(getter("driverClass", ANY_CLASS, CodeBlock.of("$T.class", driverClass)));
    glue.addMethod(driverEntry(driver, driverClass, table));
    if (!table.isEmpty()) {
      glue.addType(routineClass(table, driverClass));
    }
    return JavaFile.builder(driverClass.packageName(), glue.build())
        .skipJavaLangImports(true)
        .build();
  }

  /**
   * Writes a glue source file through the filer. The file is formatted to a string first and
   * written in one piece, which costs less than letting JavaPoet write it to the filer's writer a
   * bit at a time; a file left half written is deleted.
   */
  public static void write(JavaFile file, Filer filer) throws IOException {
    String text = file.toString();
    TypeSpec type = file.typeSpec();
    String name =
        file.packageName().isEmpty() ? type.name() : file.packageName() + "." + type.name();
    JavaFileObject source =
        filer.createSourceFile(name, type.originatingElements().toArray(new Element[0]));
    try (Writer writer = source.openWriter()) {
      writer.write(text);
    } catch (IOException | RuntimeException e) {
      try {
        source.delete();
      } catch (RuntimeException ignored) {
        // The write's failure is the one to report.
      }
      throw e;
    }
  }

  private boolean generatedAvailable() {
    if (generatedAvailable == null) {
      generatedAvailable = elements.getTypeElement(GENERATED.canonicalName()) != null;
    }
    return generatedAvailable;
  }

  private static MethodSpec getter(String name, TypeName type, CodeBlock value) {
    return MethodSpec.methodBuilder(name)
        .addAnnotation(OVERRIDE)
        .addModifiers(Modifier.PUBLIC)
        .returns(type)
        .addStatement("return $L", value)
        .build();
  }

  private static MethodSpec hardwareIds(Driver driver) {
    if (driver.hardwareIds().isEmpty()) {
      return NO_HARDWARE_IDS;
    }
    CodeBlock.Builder ids = CodeBlock.builder().add("$T.of(", LIST);
    String separator = "";
    for (String id : driver.hardwareIds()) {
      ids.add("$L$S", separator, id);
      separator = ", ";
    }
    return getter("hardwareIds", STRING_LIST, ids.add(")").build());
  }

  private static MethodSpec driverEntry(Driver driver, ClassName driverClass, RoutineTable table) {
    MethodSpec.Builder method =
        MethodSpec.methodBuilder("driverEntry")
            .addAnnotation(OVERRIDE)
            .addModifiers(Modifier.PUBLIC)
            .returns(NT_STATUS)
            .addParameter(DRIVER_OBJECT_PARAMETER)
            .addParameter(REGISTRY_PATH_PARAMETER)
            .addStatement("$T driver = new $T()", driverClass, driverClass);
    // Each dispatch slot goes to the first routine naming its major function.
    Map<String, Routine> slots = new TreeMap<>(MajorFunctions.BY_CODE_ORDER);
    Map<ExecutableElement, Integer> slotCounts = new HashMap<>();
    for (Routine routine : driver.routines(Role.DISPATCH)) {
      for (String function : routine.majorFunctions()) {
        if (slots.putIfAbsent(function, routine) == null) {
          slotCounts.merge(routine.method(), 1, Integer::sum);
        }
      }
    }
    // A method carries one routine object, whatever number of slots it fills: one filling several
    // has it in a local.
    Map<ExecutableElement, CodeBlock> objects = new HashMap<>();
    Set<String> locals = new HashSet<>();
    for (Routine routine : table.methods(Role.DISPATCH)) {
      if (slotCounts.getOrDefault(routine.method(), 0) > 1) {
        String local = routine.methodName() + "Routine";
        for (int n = 2; !locals.add(local); n++) {
          local = routine.methodName() + "Routine" + n;
        }
        method.addStatement(
            "$N $N = $L", table.className(), local, newRoutine(table, routine.method()));
        objects.put(routine.method(), CodeBlock.of("$N", local));
      }
    }
    for (Map.Entry<String, Routine> slot : slots.entrySet()) {
      ExecutableElement routine = slot.getValue().method();
      CodeBlock object = objects.get(routine);
      method.addStatement(
          "driverObject.setMajorFunction($T.$N, $L)",
          MAJOR_FUNCTION,
          slot.getKey(),
          object != null ? object : newRoutine(table, routine));
    }
    for (Routine routine : driver.routines(Role.ADD_DEVICE)) {
      method.addStatement("driverObject.setAddDevice($L)", newRoutine(table, routine.method()));
    }
    for (Routine routine : driver.routines(Role.START_IO)) {
      method.addStatement(
          "driverObject.setDriverStartIo($L)", newRoutine(table, routine.method()));
    }
    for (Routine routine : driver.routines(Role.UNLOAD)) {
      method.addStatement("driverObject.setDriverUnload($L)", newRoutine(table, routine.method()));
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

  /** {@code new Routines(driver, 2)}; {@code new Routines(driver)} if instances need no number. */
  private static CodeBlock newRoutine(RoutineTable table, ExecutableElement method) {
    return table.selects()
        ? CodeBlock.of("new $N(driver, $L)", table.className(), table.number(method))
        : CodeBlock.of("new $N(driver)", table.className());
  }

  private static TypeSpec routineClass(RoutineTable table, ClassName driverClass) {
    TypeSpec.Builder type =
        TypeSpec.classBuilder(table.className())
            .addJavadoc(
                table.selects()
                    ? "Calls the driver's routines: {@code routine} selects the method an instance"
                        + " calls.\n"
                    : "Calls the driver's routines.\n")
            .addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addField(
                FieldSpec.builder(driverClass, "driver", Modifier.PRIVATE, Modifier.FINAL).build());
    MethodSpec.Builder constructor =
        MethodSpec.constructorBuilder()
            .addParameter(driverClass, "driver")
            .addStatement("this.driver = driver");
    if (table.selects()) {
      type.addField(ROUTINE_FIELD);
      constructor.addParameter(TypeName.INT, "routine").addStatement("this.routine = routine");
    }
    type.addMethod(constructor.build());
    for (Role role : RoutineTable.ROLES) {
      List<Routine> methods = table.methods(role);
      if (!methods.isEmpty()) {
        type.addSuperinterface(routineInterface(role));
        type.addMethod(call(role, methods, table));
      }
    }
    return type.build();
  }

  /**
   * The routine interface's method, calling the role's one method, or the one an instance's number
   * selects: the last case is also the default, so the switch always returns.
   */
  private static MethodSpec call(Role role, List<Routine> methods, RoutineTable table) {
    MethodSpec.Builder call =
        MethodSpec.methodBuilder(interfaceMethod(role))
            .addAnnotation(OVERRIDE)
            .addModifiers(Modifier.PUBLIC);
    String arguments;
    switch (role) {
      case ADD_DEVICE:
        call.returns(NT_STATUS)
            .addParameter(DRIVER_OBJECT_PARAMETER)
            .addParameter(PHYSICAL_DEVICE_OBJECT_PARAMETER);
        arguments = "driverObject, physicalDeviceObject";
        break;
      case DISPATCH:
        call.returns(NT_STATUS).addParameter(DEVICE_PARAMETER).addParameter(IRP_PARAMETER);
        arguments = "device, irp";
        break;
      case START_IO:
        call.addParameter(DEVICE_PARAMETER).addParameter(IRP_PARAMETER);
        arguments = "device, irp";
        break;
      case UNLOAD:
        call.addParameter(DRIVER_OBJECT_PARAMETER);
        arguments = "driverObject";
        break;
      default:
        throw new IllegalArgumentException("no routine interface for " + role);
    }
    boolean returns = role == Role.ADD_DEVICE || role == Role.DISPATCH;
    String statement = returns ? "return driver.$N($L)" : "driver.$N($L)";
    if (methods.size() == 1) {
      return call.addStatement(statement, methods.get(0).methodName(), arguments).build();
    }
    call.beginControlFlow("switch (routine)");
    for (int i = 0; i < methods.size(); i++) {
      Routine routine = methods.get(i);
      call.addCode("case $L:\n", table.number(routine.method()));
      if (i == methods.size() - 1) {
        call.addCode("default:\n");
      }
      call.addCode("$>");
      call.addStatement(statement, routine.methodName(), arguments);
      if (!returns) {
        call.addStatement("break");
      }
      call.addCode("$<");
    }
    return call.endControlFlow().build();
  }

  private static ClassName routineInterface(Role role) {
    switch (role) {
      case ADD_DEVICE:
        return DRIVER_ADD_DEVICE;
      case DISPATCH:
        return DRIVER_DISPATCH;
      case START_IO:
        return DRIVER_START_IO;
      case UNLOAD:
        return DRIVER_UNLOAD;
      default:
        throw new IllegalArgumentException("no routine interface for " + role);
    }
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
        throw new IllegalArgumentException("no routine interface for " + role);
    }
  }

  /**
   * Simple names the glue uses for types of other packages that a type of the driver's own package
   * also has: written qualified, since the package's type would otherwise win. Looked up once per
   * package: a package's types do not change within a round.
   */
  private String[] collidingNames(TypeElement driverClass) {
    PackageElement pkg = elements.getPackageOf(driverClass);
    return collidingNames.computeIfAbsent(
        pkg.getQualifiedName().toString(),
        name -> {
          Set<String> colliding = new TreeSet<>();
          for (Element type : pkg.getEnclosedElements()) {
            String simpleName = type.getSimpleName().toString();
            if (FOREIGN_SIMPLE_NAMES.contains(simpleName)) {
              colliding.add(simpleName);
            }
          }
          return colliding.toArray(new String[0]);
        });
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

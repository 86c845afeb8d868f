package io.jwdm.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.annotation.DriverRole;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.FakeDriverObject;
import io.jwdm.processor.harness.FakeDriverObject.RoutineCall;
import io.jwdm.processor.harness.KernelFakes;
import io.jwdm.processor.harness.SourceFile;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;

/**
 * What the generated glue does when loaded: its metadata, and a {@code driverEntry} that fills a
 * driver object with routines calling through to a fresh driver instance. The drivers here report
 * each routine call to the {@link FakeDriverObject} they are given.
 */
@DisplayName("Generated glue")
class GlueBehaviourTest {

  /** A WDM driver with every role; each routine records its call and returns its own status. */
  private static final SourceFile TOASTER =
      source(
          "test.Toaster",
          """
          package test;

          import static io.jwdm.kernel.MajorFunction.*;

          import io.jwdm.annotation.*;
          import io.jwdm.kernel.*;
          import io.jwdm.processor.harness.FakeDriverObject;

          @WdmDriver(name = "ToasterService", hardwareIds = {"ROOT\\\\TOASTER", "PCI\\\\VEN_1234&DEV_5678"})
          public class Toaster {
            private String registryPath;

            @DriverEntry
            NtStatus driverEntry(DriverObject driver, String registryPath) {
              this.registryPath = registryPath;
              FakeDriverObject.record(driver, this, "driverEntry", driver, registryPath);
              return NtStatus.MORE_ENTRIES;
            }

            @AddDevice
            NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
              FakeDriverObject.record(driver, this, "addDevice", driver, pdo);
              return NtStatus.of(0xE0000006);
            }

            @Dispatch({CREATE, CLOSE})
            NtStatus createClose(DeviceObject device, Irp irp) {
              FakeDriverObject.record(device.driverObject(), this, "createClose", device, irp, registryPath);
              return NtStatus.of(0xE0000001);
            }

            @Dispatch({READ, WRITE})
            NtStatus readWrite(DeviceObject device, Irp irp) {
              FakeDriverObject.record(device.driverObject(), this, "readWrite", device, irp);
              return NtStatus.of(0xE0000002);
            }

            @Dispatch(PNP)
            NtStatus pnp(DeviceObject device, Irp irp) {
              FakeDriverObject.record(device.driverObject(), this, "pnp", device, irp);
              return NtStatus.of(0xE0000003);
            }

            @Dispatch(POWER)
            public NtStatus power(DeviceObject device, Irp irp) {
              FakeDriverObject.record(device.driverObject(), this, "power", device, irp);
              return NtStatus.of(0xE0000004);
            }

            @Dispatch(SYSTEM_CONTROL)
            protected NtStatus systemControl(DeviceObject device, Irp irp) {
              FakeDriverObject.record(device.driverObject(), this, "systemControl", device, irp);
              return NtStatus.of(0xE0000005);
            }

            @StartIo
            void startIo(DeviceObject device, Irp irp) {
              FakeDriverObject.record(device.driverObject(), this, "startIo", device, irp);
            }

            @Unload
            void unload(DriverObject driver) {
              FakeDriverObject.record(driver, this, "unload", driver);
            }
          }
          """);

  /** A legacy driver without DriverEntry, AddDevice or StartIo. */
  private static final SourceFile BEEPER =
      source(
          "test.Beeper",
          """
          package test;

          import static io.jwdm.kernel.MajorFunction.*;

          import io.jwdm.annotation.*;
          import io.jwdm.kernel.*;
          import io.jwdm.processor.harness.FakeDriverObject;

          @LegacyDriver
          public class Beeper {
            @Dispatch(DEVICE_CONTROL)
            NtStatus deviceControl(DeviceObject device, Irp irp) {
              FakeDriverObject.record(device.driverObject(), this, "deviceControl", device, irp);
              return NtStatus.of(0xE0000010);
            }

            @Unload
            void unload(DriverObject driver) {
              FakeDriverObject.record(driver, this, "unload", driver);
            }
          }
          """);

  /** A permanent legacy driver nested in another class. */
  private static final SourceFile KEYBOARD =
      source(
          "test.Keyboard",
          """
          package test;

          import static io.jwdm.kernel.MajorFunction.*;

          import io.jwdm.annotation.*;
          import io.jwdm.kernel.*;
          import io.jwdm.processor.harness.FakeDriverObject;

          public class Keyboard {
            @LegacyDriver(name = "i8042prt", permanent = true)
            public static class Port {
              @Dispatch(READ)
              NtStatus read(DeviceObject device, Irp irp) {
                FakeDriverObject.record(device.driverObject(), this, "read", device, irp);
                return NtStatus.PENDING;
              }
            }
          }
          """);

  private static final String REGISTRY_PATH =
      "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Toaster";

  /** One compilation of all three drivers per compiler, shared by the tests. */
  private static final Map<CompilerKind, CompilationResult> COMPILATIONS = new EnumMap<>(CompilerKind.class);

  private static CompilationResult compiled(CompilerKind compiler) {
    return COMPILATIONS.computeIfAbsent(
        compiler,
        c -> {
          CompilationResult compilation = c.compile(TOASTER, BEEPER, KEYBOARD);
          assertThat(compilation).succeededWithoutJwdmDiagnostics();
          return compilation;
        });
  }

  private static DriverGlue toasterGlue(CompilerKind compiler) {
    return compiled(compiler).newGlue("test.Toaster_DriverGlue");
  }

  private static FakeDriverObject loaded(DriverGlue glue, String name) {
    FakeDriverObject driverObject = new FakeDriverObject(name);
    glue.driverEntry(driverObject, REGISTRY_PATH);
    return driverObject;
  }

  @CompilerTest
  @DisplayName("WDM glue reports its name, model, hardware IDs in order, driver class and SPI version")
  void wdmMetadata(CompilerKind compiler) {
    DriverGlue glue = toasterGlue(compiler);

    assertThat(glue.spiVersion()).isEqualTo(DriverGlue.SPI_VERSION);
    assertThat(glue.driverName()).isEqualTo("ToasterService");
    assertThat(glue.model()).isEqualTo(DriverModel.WDM);
    assertThat(glue.hardwareIds())
        .containsExactly("ROOT\\TOASTER", "PCI\\VEN_1234&DEV_5678")
        .inOrder();
    assertThat(glue.permanent()).isFalse();
    assertThat(glue.driverClass()).isSameInstanceAs(compiled(compiler).loadClass("test.Toaster"));
  }

  @CompilerTest
  @DisplayName("WDM glue reports the driver's role: FUNCTION by default, or the filter role declared")
  void wdmRole(CompilerKind compiler) {
    SourceFile filter =
        source(
            "test.Filter",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @WdmDriver(hardwareIds = "ROOT\\\\TOASTER", role = DriverRole.UPPER_FILTER)
            public class Filter {
              @AddDevice
              NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
                return NtStatus.SUCCESS;
              }

              @Dispatch({CREATE, CLOSE, PNP, POWER, SYSTEM_CONTROL})
              NtStatus dispatch(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """);
    CompilationResult compilation = compiler.compile(filter);
    assertThat(compilation).succeededWithoutJwdmDiagnostics();

    assertThat(compilation.newGlue("test.Filter_DriverGlue").role()).isEqualTo(DriverRole.UPPER_FILTER);
    assertThat(toasterGlue(compiler).role()).isEqualTo(DriverRole.FUNCTION);
  }

  @CompilerTest
  @DisplayName("legacy glue defaults its name to the simple name and has no hardware IDs")
  void legacyMetadata(CompilerKind compiler) {
    DriverGlue glue = compiled(compiler).newGlue("test.Beeper_DriverGlue");

    assertThat(glue.spiVersion()).isEqualTo(DriverGlue.SPI_VERSION);
    assertThat(glue.driverName()).isEqualTo("Beeper");
    assertThat(glue.model()).isEqualTo(DriverModel.LEGACY);
    assertThat(glue.hardwareIds()).isEmpty();
    assertThat(glue.permanent()).isFalse();
    assertThat(glue.driverClass()).isSameInstanceAs(compiled(compiler).loadClass("test.Beeper"));
  }

  @CompilerTest
  @DisplayName("a nested driver's glue is Outer_Inner_DriverGlue in the outer class's package")
  void nestedDriverGlue(CompilerKind compiler) {
    DriverGlue glue = compiled(compiler).newGlue("test.Keyboard_Port_DriverGlue");

    assertThat(glue.driverName()).isEqualTo("i8042prt");
    assertThat(glue.model()).isEqualTo(DriverModel.LEGACY);
    assertThat(glue.permanent()).isTrue();
    assertThat(glue.driverClass()).isSameInstanceAs(compiled(compiler).loadClass("test.Keyboard$Port"));
  }

  @CompilerTest
  @DisplayName("driverEntry fills the dispatch table for exactly the annotated major functions")
  void dispatchTableHasExactlyTheAnnotatedMajors(CompilerKind compiler) {
    FakeDriverObject driverObject = loaded(toasterGlue(compiler), "Toaster");

    assertThat(driverObject.majorFunctions().keySet())
        .containsExactly(
            MajorFunction.CREATE,
            MajorFunction.CLOSE,
            MajorFunction.READ,
            MajorFunction.WRITE,
            MajorFunction.PNP,
            MajorFunction.POWER,
            MajorFunction.SYSTEM_CONTROL);
  }

  @CompilerTest
  @DisplayName("each dispatch entry calls its method with the same device and IRP and returns its status")
  void dispatchEntriesCallThrough(CompilerKind compiler) {
    record Expected(String routine, int status) {}
    Map<MajorFunction, Expected> expected =
        Map.of(
            MajorFunction.CREATE, new Expected("createClose", 0xE0000001),
            MajorFunction.CLOSE, new Expected("createClose", 0xE0000001),
            MajorFunction.READ, new Expected("readWrite", 0xE0000002),
            MajorFunction.WRITE, new Expected("readWrite", 0xE0000002),
            MajorFunction.PNP, new Expected("pnp", 0xE0000003),
            MajorFunction.POWER, new Expected("power", 0xE0000004),
            MajorFunction.SYSTEM_CONTROL, new Expected("systemControl", 0xE0000005));
    DriverGlue glue = toasterGlue(compiler);

    for (Map.Entry<MajorFunction, Expected> entry : expected.entrySet()) {
      MajorFunction major = entry.getKey();
      FakeDriverObject driverObject = loaded(glue, "Toaster");
      DeviceObject device = KernelFakes.device("toaster0", driverObject);
      Irp irp = KernelFakes.irp(major.wdkName());

      NtStatus status = driverObject.majorFunction(major).dispatch(device, irp);

      RoutineCall call = driverObject.calls().get(driverObject.calls().size() - 1);
      assertWithMessage("routine called for %s", major).that(call.routine()).isEqualTo(entry.getValue().routine());
      assertWithMessage("device passed for %s", major).that(call.args().get(0)).isSameInstanceAs(device);
      assertWithMessage("IRP passed for %s", major).that(call.args().get(1)).isSameInstanceAs(irp);
      assertWithMessage("status returned for %s", major)
          .that(status)
          .isEqualTo(NtStatus.of(entry.getValue().status()));
    }
  }

  @CompilerTest
  @DisplayName("the AddDevice, StartIo and Unload entries call their methods with the same arguments")
  void otherEntryPointsCallThrough(CompilerKind compiler) {
    FakeDriverObject driverObject = loaded(toasterGlue(compiler), "Toaster");
    DeviceObject pdo = KernelFakes.device("pdo", driverObject);
    DeviceObject device = KernelFakes.device("fdo", driverObject);
    Irp irp = KernelFakes.irp("queued");

    NtStatus addDeviceStatus = driverObject.addDevice().addDevice(driverObject, pdo);
    driverObject.startIo().startIo(device, irp);
    driverObject.unload().unload(driverObject);

    List<RoutineCall> calls = driverObject.calls();
    assertThat(calls.stream().map(RoutineCall::routine).toList())
        .containsExactly("driverEntry", "addDevice", "startIo", "unload")
        .inOrder();
    assertThat(addDeviceStatus).isEqualTo(NtStatus.of(0xE0000006));
    assertThat(calls.get(1).args()).containsExactly(driverObject, pdo).inOrder();
    assertThat(calls.get(2).args()).containsExactly(device, irp).inOrder();
    assertThat(calls.get(3).args()).containsExactly(driverObject);
  }

  @CompilerTest
  @DisplayName("driverEntry stores every entry point, then calls @DriverEntry and returns its status")
  void driverEntryRunsLastAndItsStatusIsReturned(CompilerKind compiler) {
    FakeDriverObject driverObject = new FakeDriverObject("Toaster");

    NtStatus status = toasterGlue(compiler).driverEntry(driverObject, REGISTRY_PATH);

    assertThat(status).isEqualTo(NtStatus.MORE_ENTRIES);
    RoutineCall entry = driverObject.onlyCall();
    assertThat(entry.routine()).isEqualTo("driverEntry");
    assertThat(entry.args()).containsExactly(driverObject, REGISTRY_PATH).inOrder();
    List<String> log = driverObject.log();
    assertThat(log).containsAtLeast("setAddDevice", "setDriverStartIo", "setDriverUnload");
    assertThat(log.get(log.size() - 1)).isEqualTo("called driverEntry");
  }

  @CompilerTest
  @DisplayName("routines run on the instance @DriverEntry initialized")
  void routinesSeeDriverEntrySideEffects(CompilerKind compiler) {
    FakeDriverObject driverObject = loaded(toasterGlue(compiler), "Toaster");
    DeviceObject device = KernelFakes.device("toaster0", driverObject);

    driverObject.majorFunction(MajorFunction.CREATE).dispatch(device, KernelFakes.irp("open"));

    List<RoutineCall> calls = driverObject.calls();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1).driver()).isSameInstanceAs(calls.get(0).driver());
    assertThat(calls.get(1).args().get(2)).isEqualTo(REGISTRY_PATH);
  }

  @CompilerTest
  @DisplayName("a method filling several dispatch slots has one routine object there; methods differ")
  void oneRoutineObjectPerMethod(CompilerKind compiler) {
    Map<MajorFunction, DriverDispatch> table =
        loaded(toasterGlue(compiler), "Toaster").majorFunctions();

    assertThat(table.get(MajorFunction.CLOSE)).isSameInstanceAs(table.get(MajorFunction.CREATE));
    assertThat(table.get(MajorFunction.WRITE)).isSameInstanceAs(table.get(MajorFunction.READ));
    assertThat(table.get(MajorFunction.READ)).isNotSameInstanceAs(table.get(MajorFunction.CREATE));
    assertThat(table.get(MajorFunction.POWER)).isNotSameInstanceAs(table.get(MajorFunction.PNP));
  }

  @CompilerTest
  @DisplayName("every routine object is an instance of the glue's one nested class")
  void oneNestedRoutineClass(CompilerKind compiler) {
    Class<?> glue = compiled(compiler).loadClass("test.Toaster_DriverGlue");
    FakeDriverObject driverObject = loaded(toasterGlue(compiler), "Toaster");

    assertThat(glue.getDeclaredClasses()).hasLength(1);
    Class<?> routines = glue.getDeclaredClasses()[0];
    for (DriverDispatch routine : driverObject.majorFunctions().values()) {
      assertThat(routine.getClass()).isSameInstanceAs(routines);
    }
    assertThat(driverObject.addDevice().getClass()).isSameInstanceAs(routines);
    assertThat(driverObject.startIo().getClass()).isSameInstanceAs(routines);
    assertThat(driverObject.unload().getClass()).isSameInstanceAs(routines);
  }

  @CompilerTest
  @DisplayName("with one method per role, routine objects carry no number to select one")
  void noSelectorWithOneMethodPerRole(CompilerKind compiler) {
    String glue = compiled(compiler).generatedSource("test.Beeper_DriverGlue").orElseThrow();

    assertThat(glue).doesNotContain("switch");
    assertThat(glue).doesNotContain("int routine");
    assertThat(glue).contains("new Routines(driver)");
  }

  @CompilerTest
  @DisplayName("the routine class takes the next free name when the glue uses Routines already")
  void routineClassNameTaken(CompilerKind compiler) {
    SourceFile routines =
        source(
            "test.Routines",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;
            import io.jwdm.processor.harness.FakeDriverObject;

            @LegacyDriver
            public class Routines {
              @Dispatch({CREATE, CLOSE})
              NtStatus createClose(DeviceObject device, Irp irp) {
                FakeDriverObject.record(device.driverObject(), this, "createClose", device, irp);
                return NtStatus.of(0xE0000021);
              }

              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                FakeDriverObject.record(device.driverObject(), this, "deviceControl", device, irp);
                return NtStatus.of(0xE0000022);
              }

              @Unload
              void unload(DriverObject driver) {
                FakeDriverObject.record(driver, this, "unload", driver);
              }
            }
            """);
    CompilationResult compilation = compiler.compile(routines);
    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation.generatedSource("test.Routines_DriverGlue").orElseThrow())
        .contains("private static final class Routines2 ");

    FakeDriverObject driverObject = loaded(compilation.newGlue("test.Routines_DriverGlue"), "Routines");
    DeviceObject device = KernelFakes.device("routines0", driverObject);
    Irp irp = KernelFakes.irp("ioctl");

    assertThat(driverObject.majorFunction(MajorFunction.CLOSE).dispatch(device, irp))
        .isEqualTo(NtStatus.of(0xE0000021));
    assertThat(driverObject.majorFunction(MajorFunction.DEVICE_CONTROL).dispatch(device, irp))
        .isEqualTo(NtStatus.of(0xE0000022));
    driverObject.unload().unload(driverObject);
    assertThat(driverObject.calls().stream().map(RoutineCall::routine).toList())
        .containsExactly("createClose", "deviceControl", "unload")
        .inOrder();
  }

  @CompilerTest
  @DisplayName("each driverEntry call creates a fresh driver instance")
  void freshInstancePerLoad(CompilerKind compiler) {
    DriverGlue glue = toasterGlue(compiler);
    FakeDriverObject first = loaded(glue, "Toaster");
    FakeDriverObject second = loaded(glue, "Toaster");

    first.unload().unload(first);
    second.unload().unload(second);

    Object firstDriver = first.calls().get(0).driver();
    Object secondDriver = second.calls().get(0).driver();
    assertThat(firstDriver).isNotSameInstanceAs(secondDriver);
    assertThat(first.calls().get(1).driver()).isSameInstanceAs(firstDriver);
    assertThat(second.calls().get(1).driver()).isSameInstanceAs(secondDriver);
    assertThat(firstDriver.getClass()).isSameInstanceAs(glue.driverClass());
  }

  @CompilerTest
  @DisplayName("without @DriverEntry, driverEntry returns SUCCESS and stores only what the driver has")
  void legacyDriverEntry(CompilerKind compiler) {
    DriverGlue glue = compiled(compiler).newGlue("test.Beeper_DriverGlue");
    FakeDriverObject driverObject = new FakeDriverObject("Beeper");

    NtStatus status = glue.driverEntry(driverObject, REGISTRY_PATH);

    assertThat(status).isEqualTo(NtStatus.SUCCESS);
    assertThat(driverObject.calls()).isEmpty();
    assertThat(driverObject.majorFunctions().keySet()).containsExactly(MajorFunction.DEVICE_CONTROL);
    assertThat(driverObject.addDevice()).isNull();
    assertThat(driverObject.startIo()).isNull();
    assertThat(driverObject.unload()).isNotNull();

    DeviceObject device = KernelFakes.device("beep0", driverObject);
    Irp irp = KernelFakes.irp("ioctl");
    DriverDispatch deviceControl = driverObject.majorFunction(MajorFunction.DEVICE_CONTROL);
    assertThat(deviceControl.dispatch(device, irp)).isEqualTo(NtStatus.of(0xE0000010));
    assertThat(driverObject.onlyCall().args()).containsExactly(device, irp).inOrder();
  }

  @CompilerTest
  @DisplayName("a permanent driver's driverEntry stores no Unload routine")
  void permanentDriverHasNoUnload(CompilerKind compiler) {
    DriverGlue glue = compiled(compiler).newGlue("test.Keyboard_Port_DriverGlue");
    FakeDriverObject driverObject = new FakeDriverObject("i8042prt");

    NtStatus status = glue.driverEntry(driverObject, REGISTRY_PATH);

    assertThat(status).isEqualTo(NtStatus.SUCCESS);
    assertThat(driverObject.unload()).isNull();
    assertThat(driverObject.majorFunctions().keySet()).containsExactly(MajorFunction.READ);
    DeviceObject device = KernelFakes.device("kbd0", driverObject);
    assertThat(driverObject.majorFunction(MajorFunction.READ).dispatch(device, KernelFakes.irp("key")))
        .isEqualTo(NtStatus.PENDING);
    assertThat(driverObject.onlyCall().driver().getClass().getName()).isEqualTo("test.Keyboard$Port");
  }

  @CompilerTest
  @DisplayName("the services file lists every glue class, sorted, and ServiceLoader finds them")
  void servicesFile(CompilerKind compiler) {
    CompilationResult compilation = compiled(compiler);

    assertThat(compilation.servicesFileLines())
        .containsExactly(
            "test.Beeper_DriverGlue", "test.Keyboard_Port_DriverGlue", "test.Toaster_DriverGlue")
        .inOrder();
    List<String> loaded =
        ServiceLoader.load(DriverGlue.class, compilation.classLoader()).stream()
            .map(provider -> provider.get().driverName())
            .sorted()
            .toList();
    assertThat(loaded).containsExactly("Beeper", "ToasterService", "i8042prt").inOrder();
  }

  @CompilerTest
  @DisplayName("glue carries @javax.annotation.processing.Generated naming the processor, without a date")
  void generatedAnnotation(CompilerKind compiler) {
    String glue = compiled(compiler).generatedSource("test.Toaster_DriverGlue").orElseThrow();

    assertThat(glue).contains("javax.annotation.processing.Generated");
    assertThat(glue).containsMatch("@Generated\\(\\s*(value\\s*=\\s*)?\"io\\.jwdm\\.processor\\.JwdmProcessor\"");
    assertThat(glue).doesNotContain("date");
    assertThat(glue).containsMatch("class Toaster_DriverGlue\\s+implements\\s+(io\\.jwdm\\.spi\\.)?DriverGlue\\b");
  }
}

package io.jwdm.processor;

import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.SourceFile;
import org.junit.jupiter.api.DisplayName;

/**
 * {@code RoutineModifiers}: the glue calls routines on a driver instance, so they may not be
 * private, static or abstract. Reported on the method; the routine still counts as present.
 */
@DisplayName("RoutineModifiers")
class RoutineModifiersTest {

  @CompilerTest
  @DisplayName("a private @Unload is rejected, and the driver is not also missing its Unload")
  void privateUnload(CompilerKind compiler) {
    SourceFile beeper =
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public class Beeper {
              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              private void unload(DriverObject driver) {}
            }
            """);

    CompilationResult compilation = compiler.compile(beeper);

    assertThat(compilation)
        .hadOnlyJwdmError("RoutineModifiers")
        .inFile(beeper)
        .onLineContaining("void unload(");
    assertThat(compilation).generatedNoSource("test.Beeper_DriverGlue");
  }

  @CompilerTest
  @DisplayName("a private @AddDevice is rejected, and the driver is not also missing AddDevice")
  void privateAddDevice(CompilerKind compiler) {
    SourceFile toaster =
        source(
            "test.Toaster",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @WdmDriver
            public class Toaster {
              @AddDevice
              private NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
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

    assertThat(compiler.compile(toaster))
        .hadOnlyJwdmError("RoutineModifiers")
        .inFile(toaster)
        .onLineContaining("NtStatus addDevice(");
  }

  @CompilerTest
  @DisplayName("a static @Dispatch is rejected, and the driver is not also without dispatch")
  void staticDispatch(CompilerKind compiler) {
    SourceFile beeper =
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public class Beeper {
              @Dispatch(DEVICE_CONTROL)
              static NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("RoutineModifiers")
        .inFile(beeper)
        .onLineContaining("NtStatus deviceControl(");
  }

  @CompilerTest
  @DisplayName("a static @DriverEntry is rejected")
  void staticDriverEntry(CompilerKind compiler) {
    SourceFile beeper =
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public class Beeper {
              @DriverEntry
              public static NtStatus driverEntry(DriverObject driver, String registryPath) {
                return NtStatus.SUCCESS;
              }

              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("RoutineModifiers")
        .inFile(beeper)
        .onLineContaining("NtStatus driverEntry(");
  }

  @CompilerTest
  @DisplayName("an abstract routine (only possible in an abstract driver) is rejected next to the abstract class")
  void abstractRoutineInAbstractDriver(CompilerKind compiler) {
    SourceFile beeper =
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public abstract class Beeper {
              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              abstract void unload(DriverObject driver);
            }
            """);

    CompilationResult compilation = compiler.compile(beeper);

    // Two mistakes with two fixes: the class must become concrete, the method must get a body.
    assertThat(compilation).hadJwdmIdsExactly("DriverShape", "RoutineModifiers");
    assertThat(compilation)
        .hadErrorContaining("[DriverShape]")
        .inFile(beeper)
        .onLineContaining("class Beeper");
    assertThat(compilation)
        .hadErrorContaining("[RoutineModifiers]")
        .inFile(beeper)
        .onLineContaining("abstract void unload(");
    assertThat(compilation).generatedNoSources();
  }

  @CompilerTest
  @DisplayName("public, protected, package-private and final routines, next to private and static helpers, compile cleanly")
  void allowedModifiers(CompilerKind compiler) {
    SourceFile beeper =
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public class Beeper {
              @DriverEntry
              public NtStatus driverEntry(DriverObject driver, String registryPath) {
                return helper();
              }

              @Dispatch(DEVICE_CONTROL)
              protected NtStatus deviceControl(DeviceObject device, Irp irp) {
                return staticHelper();
              }

              @StartIo
              final void startIo(DeviceObject device, Irp irp) {}

              @Unload
              public final synchronized void unload(DriverObject driver) {}

              private NtStatus helper() {
                return NtStatus.SUCCESS;
              }

              private static NtStatus staticHelper() {
                return NtStatus.SUCCESS;
              }
            }
            """);

    CompilationResult compilation = compiler.compile(beeper);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedSource("test.Beeper_DriverGlue").isNotEmpty();
  }
}

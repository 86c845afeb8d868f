package io.jwdm.processor;

import static com.google.common.truth.Truth.assertThat;
import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.SourceFile;
import org.junit.jupiter.api.DisplayName;

/** {@code MissingUnload} and {@code PermanentDriverWithUnload}: every driver can be unloaded, or says it never will be. */
@DisplayName("Unload rules")
class UnloadRulesTest {

  @CompilerTest
  @DisplayName("a WDM driver without @Unload is rejected on its class")
  void wdmDriverWithoutUnload(CompilerKind compiler) {
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
              NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
                return NtStatus.SUCCESS;
              }

              @Dispatch({CREATE, CLOSE, PNP, POWER, SYSTEM_CONTROL})
              NtStatus dispatch(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }
            }
            """);

    CompilationResult compilation = compiler.compile(toaster);

    assertThat(compilation)
        .hadOnlyJwdmError("MissingUnload")
        .inFile(toaster)
        .onLineContaining("class Toaster");
    assertThat(compilation).generatedNoSource("test.Toaster_DriverGlue");
  }

  @CompilerTest
  @DisplayName("a legacy driver without @Unload is rejected on its class")
  void legacyDriverWithoutUnload(CompilerKind compiler) {
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
            }
            """);

    CompilationResult compilation = compiler.compile(beeper);

    assertThat(compilation)
        .hadOnlyJwdmError("MissingUnload")
        .inFile(beeper)
        .onLineContaining("class Beeper");
    assertThat(compilation).generatedNoSource("test.Beeper_DriverGlue");
  }

  @CompilerTest
  @DisplayName("an explicit permanent = false legacy driver still needs @Unload")
  void explicitlyNonPermanentLegacyDriverWithoutUnload(CompilerKind compiler) {
    SourceFile beeper =
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver(permanent = false)
            public class Beeper {
              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("MissingUnload")
        .inFile(beeper)
        .onLineContaining("class Beeper");
  }

  @CompilerTest
  @DisplayName("MissingUnload tells a WDM driver to add @Unload and a legacy driver also about permanent = true")
  void missingUnloadMessagesDifferByModel(CompilerKind compiler) {
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
              NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
                return NtStatus.SUCCESS;
              }

              @Dispatch({CREATE, CLOSE, PNP, POWER, SYSTEM_CONTROL})
              NtStatus dispatch(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }
            }
            """);
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
            }
            """);

    CompilationResult compilation = compiler.compile(toaster, beeper);

    assertThat(compilation).hadJwdmIdsExactly("MissingUnload", "MissingUnload");
    String wdmMessage = messageOn(compilation, toaster);
    String legacyMessage = messageOn(compilation, beeper);
    assertThat(wdmMessage).contains("@Unload");
    assertThat(wdmMessage).doesNotContain("permanent");
    assertThat(legacyMessage).contains("@Unload");
    assertThat(legacyMessage).contains("permanent = true");
  }

  @CompilerTest
  @DisplayName("a WDM driver with @Unload compiles cleanly and gets glue")
  void wdmDriverWithUnload(CompilerKind compiler) {
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

    CompilationResult compilation = compiler.compile(toaster);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedSource("test.Toaster_DriverGlue").contains("class Toaster_DriverGlue");
  }

  @CompilerTest
  @DisplayName("a legacy driver with @Unload compiles cleanly and gets glue")
  void legacyDriverWithUnload(CompilerKind compiler) {
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
              void unload(DriverObject driver) {}
            }
            """);

    CompilationResult compilation = compiler.compile(beeper);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedSource("test.Beeper_DriverGlue").contains("class Beeper_DriverGlue");
  }

  @CompilerTest
  @DisplayName("a permanent legacy driver without @Unload compiles cleanly and gets glue")
  void permanentLegacyDriverWithoutUnload(CompilerKind compiler) {
    SourceFile keyboard =
        source(
            "test.Keyboard",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver(permanent = true)
            public class Keyboard {
              @Dispatch(READ)
              NtStatus read(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }
            }
            """);

    CompilationResult compilation = compiler.compile(keyboard);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedSource("test.Keyboard_DriverGlue").contains("class Keyboard_DriverGlue");
  }

  @CompilerTest
  @DisplayName("a permanent legacy driver with @Unload is rejected on the @Unload annotation")
  void permanentLegacyDriverWithUnload(CompilerKind compiler) {
    SourceFile keyboard =
        source(
            "test.Keyboard",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver(permanent = true)
            public class Keyboard {
              @Dispatch(READ)
              NtStatus read(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    CompilationResult compilation = compiler.compile(keyboard);

    assertThat(compilation)
        .hadOnlyJwdmError("PermanentDriverWithUnload")
        .inFile(keyboard)
        .onLineContaining("@Unload");
    assertThat(compilation).generatedNoSource("test.Keyboard_DriverGlue");
  }

  private static String messageOn(CompilationResult compilation, SourceFile file) {
    return compilation.jwdmDiagnostics().stream()
        .filter(d -> d.file().equals(file.path()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no jwdm diagnostic in " + file + ":\n" + compilation.describeDiagnostics()))
        .message();
  }
}

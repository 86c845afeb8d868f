package io.jwdm.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.ReportedDiagnostic;
import io.jwdm.processor.harness.SourceFile;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How findings are reported: all at once, each on its own line, the same under both compilers. */
@DisplayName("Reporting")
class ReportingTest {

  /** A legacy driver with three different mistakes. */
  private static final SourceFile BEEPER =
      source(
          "test.Beeper",
          """
          package test;

          import static io.jwdm.kernel.MajorFunction.*;

          import io.jwdm.annotation.*;
          import io.jwdm.kernel.*;

          @LegacyDriver
          public class Beeper {
            @AddDevice
            NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
              return NtStatus.SUCCESS;
            }

            @Dispatch(DEVICE_CONTROL)
            NtStatus deviceControl(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @StartIo
            private void startIo(DeviceObject device, Irp irp) {}

            @Unload
            NtStatus unload(DriverObject driver) {
              return NtStatus.SUCCESS;
            }
          }
          """);

  /** A WDM driver missing its AddDevice. */
  private static final SourceFile TOASTER =
      source(
          "test.Toaster",
          """
          package test;

          import static io.jwdm.kernel.MajorFunction.*;

          import io.jwdm.annotation.*;
          import io.jwdm.kernel.*;

          @WdmDriver
          public class Toaster {
            @Dispatch({CREATE, CLOSE, PNP, POWER, SYSTEM_CONTROL})
            NtStatus dispatch(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @Unload
            void unload(DriverObject driver) {}
          }
          """);

  /** A routine in a class that is not a driver. */
  private static final SourceFile HELPER =
      source(
          "test.Helper",
          """
          package test;

          import io.jwdm.annotation.*;
          import io.jwdm.kernel.*;

          public class Helper {
            @Unload
            void unload(DriverObject driver) {}
          }
          """);

  /** A valid legacy driver. */
  private static final SourceFile SPEAKER =
      source(
          "test.Speaker",
          """
          package test;

          import static io.jwdm.kernel.MajorFunction.*;

          import io.jwdm.annotation.*;
          import io.jwdm.kernel.*;

          @LegacyDriver
          public class Speaker {
            @Dispatch(WRITE)
            NtStatus write(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @Unload
            void unload(DriverObject driver) {}
          }
          """);

  @CompilerTest
  @DisplayName("three different mistakes in one driver are all reported in one run")
  void allMistakesOfOneDriver(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(BEEPER);

    assertThat(compilation)
        .hadJwdmIdsExactly("AddDeviceOnLegacyDriver", "RoutineModifiers", "RoutineSignature");
    assertThat(compilation)
        .hadErrorContaining("[AddDeviceOnLegacyDriver]")
        .inFile(BEEPER)
        .onLineContaining("@AddDevice");
    assertThat(compilation)
        .hadErrorContaining("[RoutineModifiers]")
        .inFile(BEEPER)
        .onLineContaining("void startIo(");
    assertThat(compilation)
        .hadErrorContaining("[RoutineSignature]")
        .inFile(BEEPER)
        .onLineContaining("NtStatus unload(");
  }

  @CompilerTest
  @DisplayName("mistakes in several classes are all reported, and the valid driver still gets glue")
  void allMistakesOfAllClasses(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(SPEAKER, BEEPER, TOASTER, HELPER);

    assertThat(compilation)
        .hadJwdmIdsExactly(
            "AddDeviceOnLegacyDriver",
            "RoutineModifiers",
            "RoutineSignature",
            "MissingAddDevice",
            "RoutineOutsideDriver");
    assertThat(compilation)
        .hadErrorContaining("[MissingAddDevice]")
        .inFile(TOASTER)
        .onLineContaining("class Toaster");
    assertThat(compilation)
        .hadErrorContaining("[RoutineOutsideDriver]")
        .inFile(HELPER)
        .onLineContaining("@Unload");
    assertThat(compilation).generatedSource("test.Speaker_DriverGlue").isNotEmpty();
    assertThat(compilation).generatedNoSource("test.Beeper_DriverGlue");
    assertThat(compilation).generatedNoSource("test.Toaster_DriverGlue");
    assertThat(compilation.servicesFileLines())
        .containsNoneOf("test.Beeper_DriverGlue", "test.Toaster_DriverGlue");
  }

  @CompilerTest
  @DisplayName("every jwdm message starts with its [ID] and goes on to explain")
  void messagesStartWithTheirId(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(SPEAKER, BEEPER, TOASTER, HELPER);

    assertThat(compilation.jwdmDiagnostics()).hasSize(5);
    for (ReportedDiagnostic diagnostic : compilation.jwdmDiagnostics()) {
      String message = diagnostic.message();
      String afterId = message.substring(message.indexOf(']') + 1).strip();
      assertWithMessage("explanation after the ID of %s", diagnostic)
          .that(afterId.length())
          .isGreaterThan(20);
    }
  }

  @Test
  @DisplayName("javac and ECJ report the same IDs, kinds and lines")
  void compilersAgree() {
    List<SourceFile> sources = List.of(SPEAKER, BEEPER, TOASTER, HELPER);

    List<String> javac = summary(CompilerKind.JAVAC.compile(sources));
    List<String> ecj = summary(CompilerKind.ECJ.compile(sources));

    assertThat(javac).hasSize(5);
    assertThat(ecj).containsExactlyElementsIn(javac);
  }

  private static List<String> summary(CompilationResult compilation) {
    return compilation.relevantDiagnostics().stream()
        .map(d -> d.kind() + " " + d.jwdmId().orElse("(compiler)") + " " + d.file() + ":" + d.line())
        .sorted()
        .toList();
  }
}

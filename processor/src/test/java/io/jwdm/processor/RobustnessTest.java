package io.jwdm.processor;

import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.FirstRoundGenerator;
import io.jwdm.processor.harness.SourceFile;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * Broken or incomplete input: the user sees the compiler's own errors, never a processor crash,
 * an {@code [InternalError]}, or glue for a driver that does not compile. Types generated later by
 * another processor are waited for.
 */
@DisplayName("Robustness")
class RobustnessTest {

  @Nested
  @DisplayName("Unresolved types")
  class UnresolvedTypes {
    @CompilerTest
    @DisplayName("an unknown routine parameter type gives the compiler's error only, and no glue")
    void unknownParameterType(CompilerKind compiler) {
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
                void unload(Nope driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(beeper);

      assertThat(compilation).hadCompilerError().inFile(beeper).onLineContaining("Nope driver");
      assertThat(compilation).hadNoJwdmDiagnostics();
      assertThat(compilation).generatedNoSources();
    }

    @CompilerTest
    @DisplayName("an unknown major function in @Dispatch gives the compiler's error only, and no glue")
    void unknownMajorFunction(CompilerKind compiler) {
      SourceFile beeper =
          source(
              "test.Beeper",
              """
              package test;

              import io.jwdm.annotation.*;
              import io.jwdm.kernel.*;

              @LegacyDriver
              public class Beeper {
                @Dispatch(MajorFunction.NOPE)
                NtStatus deviceControl(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(beeper);

      assertThat(compilation).hadCompilerError().inFile(beeper).onLineContaining("MajorFunction.NOPE");
      assertThat(compilation).hadNoJwdmDiagnostics();
      assertThat(compilation).generatedNoSources();
    }

    @CompilerTest
    @DisplayName("an unknown superclass gives the compiler's error only, and no glue")
    void unknownSuperclass(CompilerKind compiler) {
      SourceFile beeper =
          source(
              "test.Beeper",
              """
              package test;

              import static io.jwdm.kernel.MajorFunction.*;

              import io.jwdm.annotation.*;
              import io.jwdm.kernel.*;

              @LegacyDriver
              public class Beeper extends NopeBase {
                @Dispatch(DEVICE_CONTROL)
                NtStatus deviceControl(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(beeper);

      assertThat(compilation).hadCompilerError().inFile(beeper).onLineContaining("NopeBase");
      assertThat(compilation).hadNoJwdmDiagnostics();
      assertThat(compilation).generatedNoSources();
    }
  }

  @Nested
  @DisplayName("Half-typed sources")
  class HalfTypedSources {
    @CompilerTest
    @DisplayName("a driver missing its closing brace gives the compiler's error, without a crash")
    void missingClosingBrace(CompilerKind compiler) {
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
              """);

      assertThat(compiler.compile(beeper)).hadCompilerError().inFile(beeper).onLineContaining("void unload(");
    }

    @CompilerTest
    @DisplayName("a driver cut off inside a routine gives the compiler's error, without a crash")
    void truncatedRoutine(CompilerKind compiler) {
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
                @Unload
                void unload(DriverObject driver) {}

                @Dispatch(DEVICE_CONTROL)
                NtStatus deviceControl(DeviceObject device, Irp irp) {
                  return""");

      CompilationResult compilation = compiler.compile(beeper);

      assertThat(compilation).failed();
      assertThat(compilation).hadCompilerError().inFile(beeper).onLineContaining("return");
    }

    @CompilerTest
    @DisplayName("a driver cut off inside a @Dispatch annotation gives the compiler's error, without a crash")
    void truncatedAnnotation(CompilerKind compiler) {
      SourceFile beeper =
          source(
              "test.Beeper",
              """
              package test;

              import io.jwdm.annotation.*;
              import io.jwdm.kernel.*;

              @LegacyDriver
              public class Beeper {
                @Unload
                void unload(DriverObject driver) {}

                @Dispatch({MajorFunction.READ,""");

      CompilationResult compilation = compiler.compile(beeper);

      assertThat(compilation).failed();
      assertThat(compilation).hadCompilerError().inFile(beeper).onLineContaining("@Dispatch({");
    }
  }

  @Nested
  @DisplayName("Types generated in a later round")
  class LaterRounds {
    @CompilerTest
    @DisplayName("a driver using types another processor generates later is checked then, and gets glue")
    void waitsForGeneratedTypes(CompilerKind compiler) {
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
                private Widget widget;

                @Dispatch(DEVICE_CONTROL)
                NtStatus deviceControl(DeviceObject device, Irp irp) throws WidgetFailure {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation =
          compiler
              .compiler()
              .withProcessor(
                  () ->
                      new FirstRoundGenerator(
                          Map.of(
                              "test.Widget", "package test; public class Widget {}",
                              "test.WidgetFailure",
                                  "package test; public class WidgetFailure extends RuntimeException {}")))
              .compile(beeper);

      assertThat(compilation).succeededWithoutJwdmDiagnostics();
      assertThat(compilation).generatedSource("test.Beeper_DriverGlue").isNotEmpty();
      assertThat(compilation)
          .generatedResource(CompilationResult.SERVICES_FILE)
          .contains("test.Beeper_DriverGlue");
    }

    @CompilerTest
    @DisplayName("a routine throwing a checked exception generated later is rejected once it is known")
    void checksGeneratedTypesOnceKnown(CompilerKind compiler) {
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
                NtStatus deviceControl(DeviceObject device, Irp irp) throws WidgetFailure {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation =
          compiler
              .compiler()
              .withProcessor(
                  () ->
                      new FirstRoundGenerator(
                          Map.of(
                              "test.WidgetFailure",
                              "package test; public class WidgetFailure extends Exception {}")))
              .compile(beeper);

      assertThat(compilation)
          .hadOnlyJwdmError("RoutineSignature")
          .inFile(beeper)
          .onLineContaining("NtStatus deviceControl(");
      assertThat(compilation).generatedNoSource("test.Beeper_DriverGlue");
    }
  }
}

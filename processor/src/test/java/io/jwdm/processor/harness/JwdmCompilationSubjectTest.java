package io.jwdm.processor.harness;

import static com.google.common.truth.ExpectFailure.expectFailureAbout;
import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static io.jwdm.processor.harness.JwdmCompilationSubject.compilations;
import static io.jwdm.processor.harness.SourceFile.source;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.CompilationSubject;
import com.google.testing.compile.JavaFileObjects;
import io.jwdm.processor.JwdmProcessor;
import java.util.Locale;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The harness's assertions fail when they should, so a suite built on them can fail; and under
 * javac the harness reports what compile-testing reports.
 */
@DisplayName("Harness assertions")
class JwdmCompilationSubjectTest {

  /** A legacy driver missing its Unload: one [MissingUnload] on line 6. */
  private static final SourceFile BEEPER =
      source(
          "test.Beeper",
          """
          package test;

          import io.jwdm.annotation.*;
          import io.jwdm.kernel.*;

          @LegacyDriver
          public class Beeper {
            @Dispatch(MajorFunction.READ)
            NtStatus read(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }
          }
          """);

  @CompilerTest
  @DisplayName("a finding on another line than expected fails the assertion")
  void wrongLineFails(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(BEEPER);

    AssertionError failure =
        expectFailureAbout(
            compilations(),
            whenTesting ->
                whenTesting
                    .that(compilation)
                    .hadOnlyJwdmError("MissingUnload")
                    .inFile(BEEPER)
                    .onLineContaining("@LegacyDriver"));

    assertThat(failure).hasMessageThat().contains("expected [MissingUnload] on line 6 of test/Beeper.java");
  }

  @CompilerTest
  @DisplayName("fixture text found on several lines fails the assertion instead of guessing")
  void ambiguousLineFails(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(BEEPER);

    AssertionError failure =
        expectFailureAbout(
            compilations(),
            whenTesting ->
                whenTesting
                    .that(compilation)
                    .hadOnlyJwdmError("MissingUnload")
                    .inFile(BEEPER)
                    .onLineContaining("NtStatus"));

    assertThat(failure).hasMessageThat().contains("must have exactly one line containing \"NtStatus\"");
  }

  @CompilerTest
  @DisplayName("a second finding fails hadOnlyJwdmError")
  void extraFindingFails(CompilerKind compiler) {
    SourceFile broken =
        source(
            "test.Beeper",
            """
            package test;

            import io.jwdm.annotation.*;

            @LegacyDriver
            public class Beeper {}
            """);
    CompilationResult compilation = compiler.compile(broken);

    AssertionError failure =
        expectFailureAbout(
            compilations(), whenTesting -> whenTesting.that(compilation).hadOnlyJwdmError("MissingUnload"));

    assertThat(failure).hasMessageThat().contains("expected exactly one jwdm diagnostic, the error [MissingUnload]");
    assertThat(failure).hasMessageThat().contains("[NoDispatchRoutine]");
  }

  @CompilerTest
  @DisplayName("a jwdm error fails succeededWithoutJwdmDiagnostics")
  void findingFailsCleanCompilation(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(BEEPER);

    AssertionError failure =
        expectFailureAbout(
            compilations(), whenTesting -> whenTesting.that(compilation).succeededWithoutJwdmDiagnostics());

    assertThat(failure).hasMessageThat().contains("expected the compilation to succeed");
  }

  @CompilerTest
  @DisplayName("a processor that throws is caught as a crash, under either compiler")
  void crashIsDetected(CompilerKind compiler) {
    CompilationResult compilation =
        compiler.compiler().withProcessor(ThrowingProcessor::new).compile(BEEPER);

    AssertionError failure =
        expectFailureAbout(compilations(), whenTesting -> whenTesting.that(compilation).hadNoProcessorCrash());

    assertThat(failure).hasMessageThat().contains("ThrowingProcessor is broken");
  }

  @Test
  @DisplayName("under javac the harness sees what compile-testing sees")
  void agreesWithCompileTesting() {
    SourceFile broken =
        source(
            "test.Beeper",
            """
            package test;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public class Beeper {
              @Dispatch({})
              NtStatus nothing(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              private void unload(DriverObject driver) {}
            }
            """);
    JavaFileObject brokenFile = JavaFileObjects.forSourceString(broken.qualifiedName(), broken.content());

    Compilation reference = javac().withProcessors(new JwdmProcessor()).compile(brokenFile);
    CompilationResult ours = CompilerKind.JAVAC.compile(broken);

    CompilationSubject.assertThat(reference)
        .hadErrorContaining("[EmptyDispatch]")
        .inFile(brokenFile)
        .onLineContaining("@Dispatch({})");
    CompilationSubject.assertThat(reference)
        .hadErrorContaining("[RoutineModifiers]")
        .inFile(brokenFile)
        .onLineContaining("void unload(");
    assertThat(ours.relevantDiagnostics().stream().map(d -> d.kind() + ":" + d.line() + ":" + d.message()).toList())
        .containsExactlyElementsIn(
            reference.diagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR || d.getMessage(Locale.ROOT).startsWith("["))
                .map(d -> d.getKind() + ":" + d.getLineNumber() + ":" + d.getMessage(Locale.ROOT))
                .toList());
  }

  /** A processor with a bug. */
  private static final class ThrowingProcessor extends AbstractProcessor {
    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      throw new IllegalStateException("ThrowingProcessor is broken");
    }
  }
}

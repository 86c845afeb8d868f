package io.jwdm.processor;

import static com.google.common.truth.Truth.assertThat;
import static io.jwdm.processor.harness.GoldenFiles.assertMatchesGolden;
import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The generated glue of {@link RepresentativeDrivers}, pinned to golden files under
 * {@code src/test/resources/golden}. Rewrite them with {@code -Djwdm.updateGolden=true} after an
 * intended change to the generator, and review the diff.
 */
@DisplayName("Glue golden files")
class GlueGoldenTest {

  @CompilerTest
  @DisplayName("WDM driver glue matches its golden file")
  void wdmDriverGlue(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(RepresentativeDrivers.TOASTER);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertMatchesGolden(
        "com/example/toaster/Toaster_DriverGlue.java",
        compilation.generatedSource("com.example.toaster.Toaster_DriverGlue").orElseThrow());
  }

  @CompilerTest
  @DisplayName("nested legacy driver glue matches its golden file")
  void nestedLegacyDriverGlue(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(RepresentativeDrivers.BEEP);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertMatchesGolden(
        "com/example/beep/Beep_Driver_DriverGlue.java",
        compilation.generatedSource("com.example.beep.Beep_Driver_DriverGlue").orElseThrow());
  }

  @CompilerTest
  @DisplayName("the services file matches its golden file")
  void servicesFile(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(RepresentativeDrivers.ALL);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertMatchesGolden(
        "META-INF/services/io.jwdm.spi.DriverGlue",
        compilation.generatedResource(CompilationResult.SERVICES_FILE).orElseThrow());
  }

  @CompilerTest
  @DisplayName("glue compiles without a warning of its own, with the usual lint checks on")
  void glueHasNoWarnings(CompilerKind compiler) {
    // All of javac's lint; ECJ's defaults plus what a project would add. ECJ's "all" also enables
    // style checks no project uses on generated code (string externalization, this.field).
    String allWarnings =
        compiler == CompilerKind.JAVAC
            ? "-Xlint:all"
            : "-warn:+unused,allDeprecation,unchecked,raw,static-access,syntheticAccess,"
                + "redundantSuperinterface,uselessTypeCheck,semicolon,boxing,allOver-ann";

    CompilationResult compilation =
        compiler.compiler().withOptions(allWarnings).compile(RepresentativeDrivers.ALL);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(
            compilation.diagnostics().stream()
                .filter(d -> d.file().startsWith("generated:"))
                .map(Object::toString)
                .toList())
        .isEmpty();
  }

  @Test
  @DisplayName("javac and ECJ generate the same glue, byte for byte")
  void compilersGenerateTheSameGlue() {
    CompilationResult javac = CompilerKind.JAVAC.compile(RepresentativeDrivers.ALL);
    CompilationResult ecj = CompilerKind.ECJ.compile(RepresentativeDrivers.ALL);

    assertThat(javac).succeededWithoutJwdmDiagnostics();
    assertThat(ecj).succeededWithoutJwdmDiagnostics();
    assertThat(javac.generatedSources()).hasSize(3);
    assertThat(ecj.generatedSources()).containsExactlyEntriesIn(javac.generatedSources());
    assertThat(ecj.generatedResource(CompilationResult.SERVICES_FILE))
        .isEqualTo(javac.generatedResource(CompilationResult.SERVICES_FILE));
  }
}

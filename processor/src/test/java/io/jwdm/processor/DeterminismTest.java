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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;

/**
 * The processor's output depends only on its input: not on the order the compiler sees the
 * sources in, nor on the run.
 */
@DisplayName("Determinism")
class DeterminismTest {

  /** Every file the processor wrote (generated sources and class-output resources), by path. */
  private static Map<String, String> processorOutput(CompilationResult compilation) {
    Map<String, String> files = new TreeMap<>();
    compilation.generatedSources().forEach((path, text) -> files.put("source:" + path, text));
    compilation
        .generatedResources()
        .forEach((path, bytes) -> files.put("resource:" + path, Base64.getEncoder().encodeToString(bytes)));
    return files;
  }

  @CompilerTest
  @DisplayName("three drivers in two input orders, and twice in one, generate byte-identical files")
  void generatedFilesIgnoreInputOrder(CompilerKind compiler) {
    CompilationResult first =
        compiler.compile(
            RepresentativeDrivers.TOASTER, RepresentativeDrivers.BEEP, RepresentativeDrivers.KEYBOARD);
    CompilationResult reordered =
        compiler.compile(
            RepresentativeDrivers.KEYBOARD, RepresentativeDrivers.TOASTER, RepresentativeDrivers.BEEP);
    CompilationResult again =
        compiler.compile(
            RepresentativeDrivers.TOASTER, RepresentativeDrivers.BEEP, RepresentativeDrivers.KEYBOARD);

    assertThat(first).succeededWithoutJwdmDiagnostics();
    Map<String, String> expected = processorOutput(first);
    assertThat(expected.keySet())
        .containsExactly(
            "source:com/example/beep/Beep_Driver_DriverGlue.java",
            "source:com/example/keyboard/Keyboard_DriverGlue.java",
            "source:com/example/toaster/Toaster_DriverGlue.java",
            "resource:" + CompilationResult.SERVICES_FILE);
    assertWithMessage("output with the sources reordered")
        .that(processorOutput(reordered))
        .containsExactlyEntriesIn(expected);
    assertWithMessage("output of a second run")
        .that(processorOutput(again))
        .containsExactlyEntriesIn(expected);
  }

  @CompilerTest
  @DisplayName("findings come in the same order whatever the input order")
  void findingsIgnoreInputOrder(CompilerKind compiler) {
    SourceFile alpha = brokenLegacyDriver("test.Alpha");
    SourceFile beta = brokenLegacyDriver("test.Beta");
    SourceFile gamma = brokenLegacyDriver("test.Gamma");

    List<ReportedDiagnostic> forward = compiler.compile(alpha, beta, gamma).jwdmDiagnostics();
    List<ReportedDiagnostic> backward = compiler.compile(gamma, beta, alpha).jwdmDiagnostics();

    assertThat(forward).hasSize(3);
    assertThat(backward).containsExactlyElementsIn(forward).inOrder();
  }

  private static SourceFile brokenLegacyDriver(String qualifiedName) {
    String simpleName = qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    return source(
        qualifiedName,
        """
        package test;

        import static io.jwdm.kernel.MajorFunction.*;

        import io.jwdm.annotation.*;
        import io.jwdm.kernel.*;

        @LegacyDriver
        public class %s {
          @Dispatch(DEVICE_CONTROL)
          NtStatus deviceControl(DeviceObject device, Irp irp) {
            return NtStatus.SUCCESS;
          }
        }
        """
            .formatted(simpleName));
  }
}

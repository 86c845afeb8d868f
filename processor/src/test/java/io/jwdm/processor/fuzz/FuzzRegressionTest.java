package io.jwdm.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.processor.harness.CompilerKind;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.List;
import java.util.stream.Stream;

/**
 * The crashes the fuzzer found, each reduced to the lines that matter, under javac and ECJ. Each
 * source is broken, so the compilation fails with the compiler's own error; the processor must not
 * crash on it ({@link FuzzOutcome#crashes()}).
 */
@DisplayName("Processor fuzzing: regressions")
class FuzzRegressionTest {

  private static void assertNoCrash(CompilerKind kind, String qualifiedName, String source) {
    try (FuzzCompiler compiler = new FuzzCompiler(kind)) {
      FuzzOutcome outcome = compiler.compile(qualifiedName, source);
      assertTrue(outcome.crashes().isEmpty(),
          () -> "crash: " + outcome.crashes() + "\n" + outcome.describe());
      assertFalse(outcome.success(), () -> "the source is broken:\n" + outcome.describe());
      assertFalse(outcome.compilerErrors().isEmpty(), outcome::describe);
    }
  }

  /**
   * Mutants 459, 842, 971 and 1586 of seed 1786209389 (MOVE_ANNOTATION). ECJ reports the second
   * {@code @Dispatch} on a method ("Duplicate annotation of non-repeatable type") but hands both to
   * the processor, which modelled two dispatch routines for one method and generated glue declaring
   * the same local variable twice: the generated glue does not compile.
   */
  @ParameterizedTest(name = "{0}")
  @EnumSource(CompilerKind.class)
  @DisplayName("two @Dispatch annotations on one method: no glue that does not compile")
  void twoDispatchAnnotationsOnOneMethod(CompilerKind kind) {
    assertNoCrash(kind, "fuzz.Twice", """
        package fuzz;

        import io.jwdm.annotation.*;
        import io.jwdm.kernel.*;

        @LegacyDriver
        public class Twice {
          @Dispatch(MajorFunction.CREATE)
          @Dispatch(MajorFunction.CLOSE)
          NtStatus openClose(DeviceObject device, Irp irp) {
            return NtStatus.SUCCESS;
          }

          @Unload
          void unload(DriverObject driver) {}
        }
        """);
  }

  /**
   * Mutants 1248, 2126, 4157, 6302, 7611, 7814 and 8496 of seed 1786209389 (ANNOTATION_VALUE):
   * {@code @LegacyDriver(permanent = "yes")}. ECJ reports the type mismatch, then throws {@code
   * ShouldNotImplement} from {@code AnnotationMirror.getElementValues()} when the processor reads
   * the annotation; the processor reported that as an {@code [InternalError]}. The other members
   * given a value of the wrong type are here too: none may crash.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("wrongTypes")
  @DisplayName("an annotation member given a value of the wrong type: the compiler's error only")
  void wrongTypeForMember(CompilerKind kind, String annotation) {
    boolean wdm = annotation.startsWith("@WdmDriver");
    assertNoCrash(kind, "fuzz.Beep", """
        package fuzz;

        import io.jwdm.annotation.*;
        import io.jwdm.kernel.*;

        %s
        public class Beep {
          %s
          @Dispatch(MajorFunction.DEVICE_CONTROL)
          NtStatus deviceControl(DeviceObject device, Irp irp) {
            return NtStatus.SUCCESS;
          }

          %s
          NtStatus other(DeviceObject device, Irp irp) {
            return NtStatus.SUCCESS;
          }

          @Unload
          void unload(DriverObject driver) {}
        }
        """.formatted(
            annotation.startsWith("@Dispatch") ? "@LegacyDriver" : annotation,
            wdm ? "@AddDevice NtStatus addDevice(DriverObject d, DeviceObject pdo) { return null; }"
                + " @Dispatch({MajorFunction.PNP, MajorFunction.POWER}) NtStatus pnp(DeviceObject d,"
                + " Irp i) { return null; }" : "",
            annotation.startsWith("@Dispatch") ? annotation : ""));
  }

  static Stream<Arguments> wrongTypes() {
    List<String> annotations = List.of(
        "@LegacyDriver(permanent = \"yes\")",
        "@LegacyDriver(permanent = 1)",
        "@LegacyDriver(name = 42)",
        "@LegacyDriver(name = true)",
        "@WdmDriver(hardwareIds = 42)",
        "@WdmDriver(hardwareIds = {\"ROOT\\\\X\", 7})",
        "@WdmDriver(hardwareIds = \"ROOT\\\\X\", role = \"FUNCTION\")",
        "@WdmDriver(hardwareIds = \"ROOT\\\\X\", role = 0)",
        "@Dispatch(\"READ\")",
        "@Dispatch(3)",
        "@Dispatch({MajorFunction.READ, \"WRITE\"})");
    return Stream.of(CompilerKind.values())
        .flatMap(kind -> annotations.stream().map(a -> Arguments.of(kind, a)));
  }
}

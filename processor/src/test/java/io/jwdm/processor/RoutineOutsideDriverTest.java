package io.jwdm.processor;

import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.SourceFile;
import org.junit.jupiter.api.DisplayName;

/**
 * {@code RoutineOutsideDriver}: a routine annotation in a class that is not a driver would never be
 * called; it is reported on the annotation.
 */
@DisplayName("RoutineOutsideDriver")
class RoutineOutsideDriverTest {

  @CompilerTest
  @DisplayName("an @Unload in a class without a driver annotation is rejected on the annotation")
  void unloadInPlainClass(CompilerKind compiler) {
    SourceFile helper =
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

    CompilationResult compilation = compiler.compile(helper);

    assertThat(compilation)
        .hadOnlyJwdmError("RoutineOutsideDriver")
        .inFile(helper)
        .onLineContaining("@Unload");
    assertThat(compilation).generatedNoSources();
  }

  @CompilerTest
  @DisplayName("a @Dispatch in a class without a driver annotation is rejected on the annotation")
  void dispatchInPlainClass(CompilerKind compiler) {
    SourceFile helper =
        source(
            "test.Helper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            public class Helper {
              @Dispatch(READ)
              NtStatus read(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }
            }
            """);

    assertThat(compiler.compile(helper))
        .hadOnlyJwdmError("RoutineOutsideDriver")
        .inFile(helper)
        .onLineContaining("@Dispatch(READ)");
  }

  @CompilerTest
  @DisplayName("an @AddDevice in a helper class nested in a driver is outside the driver")
  void routineInClassNestedInDriver(CompilerKind compiler) {
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

              static class DeviceExtension {
                @AddDevice // not a routine of Toaster
                NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
                  return NtStatus.SUCCESS;
                }
              }
            }
            """);

    assertThat(compiler.compile(toaster))
        .hadOnlyJwdmError("RoutineOutsideDriver")
        .inFile(toaster)
        .onLineContaining("@AddDevice // not a routine of Toaster");
  }

  @CompilerTest
  @DisplayName("the same routines in a class annotated as a driver compile cleanly")
  void sameRoutinesInDriver(CompilerKind compiler) {
    SourceFile helper =
        source(
            "test.Helper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public class Helper {
              @Dispatch(READ)
              NtStatus read(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(helper)).succeededWithoutJwdmDiagnostics();
  }

  @CompilerTest
  @DisplayName("a plain class with no routine annotations draws no diagnostic and no glue")
  void plainClass(CompilerKind compiler) {
    SourceFile helper =
        source(
            "test.Helper",
            """
            package test;

            import io.jwdm.kernel.*;

            public class Helper {
              void unload(DriverObject driver) {}
            }
            """);

    CompilationResult compilation = compiler.compile(helper);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedNoSources();
  }
}

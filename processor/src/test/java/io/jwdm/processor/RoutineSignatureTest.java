package io.jwdm.processor;

import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.SourceFile;
import org.junit.jupiter.api.DisplayName;

/**
 * {@code RoutineSignature}: each routine has the WDK role's shape, reported on the method. A routine
 * with a wrong signature still counts as present, so no "missing routine" finding follows from it.
 */
@DisplayName("RoutineSignature")
class RoutineSignatureTest {

  @CompilerTest
  @DisplayName("an @Unload returning NtStatus is rejected, and the driver is not also missing its Unload")
  void wrongReturnType(CompilerKind compiler) {
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
              NtStatus unload(DriverObject driver) {
                return NtStatus.SUCCESS;
              }
            }
            """);

    CompilationResult compilation = compiler.compile(beeper);

    assertThat(compilation)
        .hadOnlyJwdmError("RoutineSignature")
        .inFile(beeper)
        .onLineContaining("NtStatus unload(");
    assertThat(compilation).generatedNoSource("test.Beeper_DriverGlue");
  }

  @CompilerTest
  @DisplayName("a @Dispatch returning void is rejected")
  void dispatchReturningVoid(CompilerKind compiler) {
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
              void deviceControl(DeviceObject device, Irp irp) {}

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("RoutineSignature")
        .inFile(beeper)
        .onLineContaining("void deviceControl(");
  }

  @CompilerTest
  @DisplayName("a @Dispatch with a wrong parameter type is rejected, and the driver is not also without dispatch")
  void wrongParameterType(CompilerKind compiler) {
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
              NtStatus deviceControl(DeviceObject device, Object irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("RoutineSignature")
        .inFile(beeper)
        .onLineContaining("NtStatus deviceControl(");
  }

  @CompilerTest
  @DisplayName("a @DriverEntry taking a CharSequence registry path is rejected")
  void supertypeParameterType(CompilerKind compiler) {
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
              NtStatus driverEntry(DriverObject driver, CharSequence registryPath) {
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
        .hadOnlyJwdmError("RoutineSignature")
        .inFile(beeper)
        .onLineContaining("NtStatus driverEntry(");
  }

  @CompilerTest
  @DisplayName("an @AddDevice with its parameters swapped is rejected, and the driver is not also missing AddDevice")
  void wrongParameterOrder(CompilerKind compiler) {
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
              NtStatus addDevice(DeviceObject pdo, DriverObject driver) {
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

    assertThat(compilation)
        .hadOnlyJwdmError("RoutineSignature")
        .inFile(toaster)
        .onLineContaining("NtStatus addDevice(");
    assertThat(compilation).generatedNoSource("test.Toaster_DriverGlue");
  }

  @CompilerTest
  @DisplayName("a @DriverEntry without its registry path parameter is rejected")
  void tooFewParameters(CompilerKind compiler) {
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
              NtStatus driverEntry(DriverObject driver) {
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
        .hadOnlyJwdmError("RoutineSignature")
        .inFile(beeper)
        .onLineContaining("NtStatus driverEntry(");
  }

  @CompilerTest
  @DisplayName("a @StartIo with an extra parameter is rejected")
  void tooManyParameters(CompilerKind compiler) {
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

              @StartIo
              void startIo(DeviceObject device, Irp irp, int priority) {}

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("RoutineSignature")
        .inFile(beeper)
        .onLineContaining("void startIo(");
  }

  @CompilerTest
  @DisplayName("a generic @StartIo is rejected")
  void typeParameter(CompilerKind compiler) {
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

              @StartIo
              <T> void startIo(DeviceObject device, Irp irp) {}

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("RoutineSignature")
        .inFile(beeper)
        .onLineContaining("void startIo(");
  }

  @CompilerTest
  @DisplayName("an @Unload declaring a checked exception is rejected")
  void checkedException(CompilerKind compiler) {
    SourceFile beeper =
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;
            import java.io.IOException;

            @LegacyDriver
            public class Beeper {
              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) throws IOException {}
            }
            """);

    CompilationResult compilation = compiler.compile(beeper);

    assertThat(compilation)
        .hadOnlyJwdmError("RoutineSignature")
        .inFile(beeper)
        .onLineContaining("void unload(");
    assertThat(compilation).generatedNoSource("test.Beeper_DriverGlue");
  }

  @CompilerTest
  @DisplayName("a @Dispatch declaring Exception (checked) is rejected")
  void exceptionIsChecked(CompilerKind compiler) {
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
              NtStatus deviceControl(DeviceObject device, Irp irp) throws Exception {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("RoutineSignature")
        .inFile(beeper)
        .onLineContaining("NtStatus deviceControl(");
  }

  @CompilerTest
  @DisplayName("routines declaring unchecked exceptions and errors, with any parameter names, compile cleanly")
  void uncheckedExceptionsAreFine(CompilerKind compiler) {
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
              NtStatus driverEntry(final DriverObject d, final String path) throws IllegalStateException {
                return NtStatus.SUCCESS;
              }

              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject x, Irp y) throws RuntimeException, AssertionError {
                return NtStatus.SUCCESS;
              }

              @StartIo
              void startIo(DeviceObject device, Irp irp) throws UnsupportedOperationException {}

              @Unload
              void unload(DriverObject driver) throws IllegalArgumentException {}
            }
            """);

    CompilationResult compilation = compiler.compile(beeper);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedSource("test.Beeper_DriverGlue").isNotEmpty();
  }

  @CompilerTest
  @DisplayName("every role with its exact signature compiles cleanly")
  void exactSignatures(CompilerKind compiler) {
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
              @DriverEntry
              NtStatus driverEntry(DriverObject driver, String registryPath) {
                return NtStatus.SUCCESS;
              }

              @AddDevice
              NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
                return NtStatus.SUCCESS;
              }

              @Dispatch({CREATE, CLOSE, PNP, POWER, SYSTEM_CONTROL})
              NtStatus dispatch(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @StartIo
              void startIo(DeviceObject device, Irp irp) {}

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(toaster)).succeededWithoutJwdmDiagnostics();
  }
}

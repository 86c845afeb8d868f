package io.jwdm.processor;

import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.SourceFile;
import org.junit.jupiter.api.DisplayName;

/**
 * The driver model: {@code ConflictingDriverModel}, {@code MissingAddDevice} (a WDM driver needs
 * one) and {@code AddDeviceOnLegacyDriver} (a legacy driver has none).
 */
@DisplayName("Driver model rules")
class DriverModelTest {

  @CompilerTest
  @DisplayName("a class both @WdmDriver and @LegacyDriver is rejected on @LegacyDriver")
  void bothModels(CompilerKind compiler) {
    SourceFile toaster =
        source(
            "test.Toaster",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @WdmDriver
            @LegacyDriver
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

    assertThat(compilation)
        .hadOnlyJwdmError("ConflictingDriverModel")
        .inFile(toaster)
        .onLineContaining("@LegacyDriver");
    assertThat(compilation).generatedNoSources();
  }

  @CompilerTest
  @DisplayName("the same class as a @WdmDriver only compiles cleanly")
  void wdmModelOnly(CompilerKind compiler) {
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

    assertThat(compiler.compile(toaster)).succeededWithoutJwdmDiagnostics();
  }

  @CompilerTest
  @DisplayName("a WDM driver without @AddDevice is rejected on its class")
  void wdmWithoutAddDevice(CompilerKind compiler) {
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
        .hadOnlyJwdmError("MissingAddDevice")
        .inFile(toaster)
        .onLineContaining("class Toaster");
    assertThat(compilation).generatedNoSources();
  }

  @CompilerTest
  @DisplayName("a legacy driver with @AddDevice is rejected on @AddDevice")
  void legacyWithAddDevice(CompilerKind compiler) {
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
              @AddDevice
              NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
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

    CompilationResult compilation = compiler.compile(beeper);

    assertThat(compilation)
        .hadOnlyJwdmError("AddDeviceOnLegacyDriver")
        .inFile(beeper)
        .onLineContaining("@AddDevice");
    assertThat(compilation).generatedNoSources();
  }

  @CompilerTest
  @DisplayName("the same legacy driver with its AddDevice method unannotated compiles cleanly")
  void legacyWithPlainAddDeviceMethod(CompilerKind compiler) {
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
              NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
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

    assertThat(compiler.compile(beeper)).succeededWithoutJwdmDiagnostics();
  }
}

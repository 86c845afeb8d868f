package io.jwdm.processor;

import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.SourceFile;
import org.junit.jupiter.api.DisplayName;

/**
 * {@code DuplicateRoutine}: a driver has at most one routine of each role, and one dispatch routine
 * per major function. The second routine, in source order, is reported on its annotation.
 */
@DisplayName("DuplicateRoutine")
class DuplicateRoutineTest {

  @CompilerTest
  @DisplayName("a second @DriverEntry is reported on its annotation")
  void secondDriverEntry(CompilerKind compiler) {
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
              NtStatus driverEntry(DriverObject driver, String registryPath) {
                return NtStatus.SUCCESS;
              }

              @DriverEntry // the second one
              NtStatus initialize(DriverObject driver, String registryPath) {
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
        .hadOnlyJwdmError("DuplicateRoutine")
        .inFile(beeper)
        .onLineContaining("@DriverEntry // the second one");
    assertThat(compilation).generatedNoSource("test.Beeper_DriverGlue");
  }

  @CompilerTest
  @DisplayName("a second @AddDevice is reported on its annotation")
  void secondAddDevice(CompilerKind compiler) {
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

              @AddDevice // the second one
              NtStatus addAnotherDevice(DriverObject driver, DeviceObject pdo) {
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

    assertThat(compiler.compile(toaster))
        .hadOnlyJwdmError("DuplicateRoutine")
        .inFile(toaster)
        .onLineContaining("@AddDevice // the second one");
  }

  @CompilerTest
  @DisplayName("a second @StartIo is reported on its annotation")
  void secondStartIo(CompilerKind compiler) {
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
              void startIo(DeviceObject device, Irp irp) {}

              @StartIo // the second one
              void startNextIo(DeviceObject device, Irp irp) {}

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("DuplicateRoutine")
        .inFile(beeper)
        .onLineContaining("@StartIo // the second one");
  }

  @CompilerTest
  @DisplayName("a second @Unload is reported on its annotation")
  void secondUnload(CompilerKind compiler) {
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
                return NtStatus.SUCCESS;
              }

              @Unload // the second one
              void cleanUp(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("DuplicateRoutine")
        .inFile(beeper)
        .onLineContaining("@Unload // the second one");
  }

  @CompilerTest
  @DisplayName("two @Dispatch methods naming the same major function: the second is reported")
  void twoDispatchRoutinesForOneMajorFunction(CompilerKind compiler) {
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
              @Dispatch(READ)
              NtStatus read(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Dispatch({WRITE, READ})
              NtStatus readWrite(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    CompilationResult compilation = compiler.compile(beeper);

    assertThat(compilation)
        .hadOnlyJwdmError("DuplicateRoutine")
        .inFile(beeper)
        .onLineContaining("@Dispatch({WRITE, READ})");
    assertThat(compilation)
        .hadErrorContaining("[DuplicateRoutine]")
        .messageThat()
        .containsMatch("\\bREAD\\b.*\\bread\\(");
    assertThat(compilation).generatedNoSource("test.Beeper_DriverGlue");
  }

  @CompilerTest
  @DisplayName("the duplicate is the second in source order, not in name order")
  void duplicateIsSecondInSourceOrder(CompilerKind compiler) {
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
              @Dispatch(DEVICE_CONTROL) // first in the source
              NtStatus zzz(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Dispatch(DEVICE_CONTROL) // second in the source
              NtStatus aaa(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    assertThat(compiler.compile(beeper))
        .hadOnlyJwdmError("DuplicateRoutine")
        .inFile(beeper)
        .onLineContaining("// second in the source");
  }

  @CompilerTest
  @DisplayName("one routine of each role and disjoint dispatch majors compile cleanly")
  void oneRoutineOfEachRole(CompilerKind compiler) {
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

              @Dispatch({CREATE, CLOSE, SYSTEM_CONTROL})
              NtStatus dispatch(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Dispatch({READ, WRITE})
              NtStatus readWrite(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Dispatch(PNP)
              NtStatus pnp(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Dispatch(POWER)
              NtStatus power(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @StartIo
              void startIo(DeviceObject device, Irp irp) {}

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    CompilationResult compilation = compiler.compile(toaster);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedSource("test.Toaster_DriverGlue").isNotEmpty();
  }
}

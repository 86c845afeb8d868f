package io.jwdm.processor;

import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.SourceFile;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The dispatch table: {@code NoDispatchRoutine}, {@code EmptyDispatch},
 * {@code MissingRequiredDispatch} (PNP and POWER for a WDM driver) and the
 * {@code MissingRecommendedDispatch} warning (CREATE, CLOSE and SYSTEM_CONTROL).
 */
@DisplayName("Dispatch rules")
class DispatchRulesTest {

  @Nested
  @DisplayName("MissingRequiredDispatch")
  class MissingRequiredDispatch {
    @CompilerTest
    @DisplayName("a WDM driver without a POWER dispatch is rejected on its class")
    void withoutPower(CompilerKind compiler) {
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

                @Dispatch({CREATE, CLOSE, PNP, SYSTEM_CONTROL})
                NtStatus dispatch(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(toaster);

      assertThat(compilation)
          .hadOnlyJwdmError("MissingRequiredDispatch")
          .inFile(toaster)
          .onLineContaining("class Toaster");
      assertThat(compilation).hadErrorContaining("[MissingRequiredDispatch]").messageThat().contains("POWER");
      assertThat(compilation).generatedNoSources();
    }

    @CompilerTest
    @DisplayName("a WDM driver without a PNP dispatch is rejected on its class")
    void withoutPnp(CompilerKind compiler) {
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

                @Dispatch({CREATE, CLOSE, POWER, SYSTEM_CONTROL})
                NtStatus dispatch(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(toaster);

      assertThat(compilation)
          .hadOnlyJwdmError("MissingRequiredDispatch")
          .inFile(toaster)
          .onLineContaining("class Toaster");
      assertThat(compilation).hadErrorContaining("[MissingRequiredDispatch]").messageThat().contains("PNP");
    }

    @CompilerTest
    @DisplayName("a WDM driver without PNP and POWER gets one finding naming both")
    void withoutPnpAndPower(CompilerKind compiler) {
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

                @Dispatch({CREATE, CLOSE, SYSTEM_CONTROL})
                NtStatus dispatch(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(toaster);

      assertThat(compilation)
          .hadOnlyJwdmError("MissingRequiredDispatch")
          .inFile(toaster)
          .onLineContaining("class Toaster");
      assertThat(compilation)
          .hadErrorContaining("[MissingRequiredDispatch]")
          .messageThat()
          .containsMatch("(?s)PNP.*POWER|POWER.*PNP");
    }

    @CompilerTest
    @DisplayName("PNP and POWER in separate dispatch routines compile cleanly")
    void pnpAndPowerInSeparateRoutines(CompilerKind compiler) {
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

                @Dispatch({CREATE, CLOSE, SYSTEM_CONTROL})
                NtStatus dispatch(DeviceObject device, Irp irp) {
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

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      assertThat(compiler.compile(toaster)).succeededWithoutJwdmDiagnostics();
    }

    @CompilerTest
    @DisplayName("a legacy driver needs neither PNP nor POWER")
    void legacyDriverNeedsNoPnpOrPower(CompilerKind compiler) {
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
              }
              """);

      assertThat(compiler.compile(beeper)).succeededWithoutJwdmDiagnostics();
    }
  }

  @Nested
  @DisplayName("MissingRecommendedDispatch")
  class MissingRecommendedDispatch {
    @CompilerTest
    @DisplayName("a WDM driver without SYSTEM_CONTROL gets a warning on its class, and still its glue")
    void withoutSystemControl(CompilerKind compiler) {
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

                @Dispatch({CREATE, CLOSE, PNP, POWER})
                NtStatus dispatch(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(toaster);

      assertThat(compilation)
          .hadOnlyJwdmWarning("MissingRecommendedDispatch")
          .inFile(toaster)
          .onLineContaining("class Toaster");
      assertThat(compilation)
          .hadWarningContaining("[MissingRecommendedDispatch]")
          .messageThat()
          .contains("SYSTEM_CONTROL");
      assertThat(compilation).generatedSource("test.Toaster_DriverGlue").isNotEmpty();
    }

    @CompilerTest
    @DisplayName("a WDM driver without CREATE and CLOSE gets a warning naming them")
    void withoutCreateAndClose(CompilerKind compiler) {
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

                @Dispatch({PNP, POWER, SYSTEM_CONTROL})
                NtStatus dispatch(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(toaster);

      assertThat(compilation)
          .hadOnlyJwdmWarning("MissingRecommendedDispatch")
          .inFile(toaster)
          .onLineContaining("class Toaster");
      assertThat(compilation)
          .hadWarningContaining("[MissingRecommendedDispatch]")
          .messageThat()
          .containsMatch("(?s)CREATE.*CLOSE|CLOSE.*CREATE");
    }

    @CompilerTest
    @DisplayName("@SuppressWarnings(\"MissingRecommendedDispatch\") on the class silences it")
    void suppressedOnClass(CompilerKind compiler) {
      SourceFile toaster =
          source(
              "test.Toaster",
              """
              package test;

              import static io.jwdm.kernel.MajorFunction.*;

              import io.jwdm.annotation.*;
              import io.jwdm.kernel.*;

              @WdmDriver
              @SuppressWarnings("MissingRecommendedDispatch")
              public class Toaster {
                @AddDevice
                NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
                  return NtStatus.SUCCESS;
                }

                @Dispatch({PNP, POWER})
                NtStatus dispatch(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(toaster);

      assertThat(compilation).succeededWithoutJwdmDiagnostics();
      assertThat(compilation).generatedSource("test.Toaster_DriverGlue").isNotEmpty();
    }

    @CompilerTest
    @DisplayName("the suppression works among other @SuppressWarnings values")
    void suppressedAmongOtherValues(CompilerKind compiler) {
      SourceFile toaster =
          source(
              "test.Toaster",
              """
              package test;

              import static io.jwdm.kernel.MajorFunction.*;

              import io.jwdm.annotation.*;
              import io.jwdm.kernel.*;

              @WdmDriver
              @SuppressWarnings({"unchecked", "MissingRecommendedDispatch"})
              public class Toaster {
                @AddDevice
                NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
                  return NtStatus.SUCCESS;
                }

                @Dispatch({PNP, POWER})
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
    @DisplayName("an unrelated @SuppressWarnings value does not silence it")
    void unrelatedSuppressionDoesNotSilence(CompilerKind compiler) {
      SourceFile toaster =
          source(
              "test.Toaster",
              """
              package test;

              import static io.jwdm.kernel.MajorFunction.*;

              import io.jwdm.annotation.*;
              import io.jwdm.kernel.*;

              @WdmDriver
              @SuppressWarnings("unchecked")
              public class Toaster {
                @AddDevice
                NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
                  return NtStatus.SUCCESS;
                }

                @Dispatch({PNP, POWER})
                NtStatus dispatch(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      assertThat(compiler.compile(toaster))
          .hadOnlyJwdmWarning("MissingRecommendedDispatch")
          .inFile(toaster)
          .onLineContaining("class Toaster");
    }

    @CompilerTest
    @DisplayName("a legacy driver without CREATE, CLOSE and SYSTEM_CONTROL gets no warning")
    void notForLegacyDrivers(CompilerKind compiler) {
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
                @Dispatch(WRITE)
                NtStatus write(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      assertThat(compiler.compile(beeper)).succeededWithoutJwdmDiagnostics();
    }
  }

  @Nested
  @DisplayName("EmptyDispatch")
  class EmptyDispatch {
    @CompilerTest
    @DisplayName("@Dispatch({}) is rejected on the annotation")
    void emptyMajorFunctionList(CompilerKind compiler) {
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

                @Dispatch({})
                NtStatus nothing(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(toaster);

      assertThat(compilation)
          .hadOnlyJwdmError("EmptyDispatch")
          .inFile(toaster)
          .onLineContaining("@Dispatch({})");
      assertThat(compilation).generatedNoSources();
    }

    @CompilerTest
    @DisplayName("an only @Dispatch({}) is EmptyDispatch, not also NoDispatchRoutine")
    void onlyDispatchIsEmpty(CompilerKind compiler) {
      SourceFile beeper =
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
                void unload(DriverObject driver) {}
              }
              """);

      assertThat(compiler.compile(beeper))
          .hadOnlyJwdmError("EmptyDispatch")
          .inFile(beeper)
          .onLineContaining("@Dispatch({})");
    }

    @CompilerTest
    @DisplayName("a major function listed twice in one @Dispatch is EmptyDispatch, not DuplicateRoutine")
    void sameMajorFunctionTwiceInOneDispatch(CompilerKind compiler) {
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
                @Dispatch({READ, WRITE, READ})
                NtStatus readWrite(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      CompilationResult compilation = compiler.compile(beeper);

      assertThat(compilation)
          .hadOnlyJwdmError("EmptyDispatch")
          .inFile(beeper)
          .onLineContaining("@Dispatch({READ, WRITE, READ})");
      assertThat(compilation).generatedNoSources();
    }

    @CompilerTest
    @DisplayName("distinct major functions in one @Dispatch compile cleanly")
    void distinctMajorFunctions(CompilerKind compiler) {
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
                @Dispatch({READ, WRITE})
                NtStatus readWrite(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      assertThat(compiler.compile(beeper)).succeededWithoutJwdmDiagnostics();
    }
  }

  @Nested
  @DisplayName("NoDispatchRoutine")
  class NoDispatchRoutine {
    @CompilerTest
    @DisplayName("a legacy driver without any @Dispatch is rejected on its class")
    void legacyWithoutDispatch(CompilerKind compiler) {
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
              }
              """);

      CompilationResult compilation = compiler.compile(beeper);

      assertThat(compilation)
          .hadOnlyJwdmError("NoDispatchRoutine")
          .inFile(beeper)
          .onLineContaining("class Beeper");
      assertThat(compilation).generatedNoSources();
    }

    @CompilerTest
    @DisplayName("a permanent legacy driver without any @Dispatch is rejected on its class")
    void permanentLegacyWithoutDispatch(CompilerKind compiler) {
      SourceFile keyboard =
          source(
              "test.Keyboard",
              """
              package test;

              import io.jwdm.annotation.*;

              @LegacyDriver(permanent = true)
              public class Keyboard {}
              """);

      assertThat(compiler.compile(keyboard))
          .hadOnlyJwdmError("NoDispatchRoutine")
          .inFile(keyboard)
          .onLineContaining("class Keyboard");
    }

    @CompilerTest
    @DisplayName("a WDM driver without any @Dispatch is NoDispatchRoutine, not also MissingRequiredDispatch")
    void wdmWithoutDispatch(CompilerKind compiler) {
      SourceFile toaster =
          source(
              "test.Toaster",
              """
              package test;

              import io.jwdm.annotation.*;
              import io.jwdm.kernel.*;

              @WdmDriver
              @SuppressWarnings("MissingRecommendedDispatch")
              public class Toaster {
                @AddDevice
                NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
              """);

      assertThat(compiler.compile(toaster))
          .hadOnlyJwdmError("NoDispatchRoutine")
          .inFile(toaster)
          .onLineContaining("class Toaster");
    }
  }
}

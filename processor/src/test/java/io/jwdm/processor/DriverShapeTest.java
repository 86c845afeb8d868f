package io.jwdm.processor;

import static com.google.common.truth.Truth.assertThat;
import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.SourceFile;
import org.junit.jupiter.api.DisplayName;

/**
 * {@code DriverShape}: the glue must be able to write {@code new Driver()} from the driver's
 * package, so a driver is a concrete, non-generic, non-private top-level or static nested class with
 * a non-private no-arg constructor. Reported on the type's declaration. Each fixture's routines are
 * otherwise correct, so nothing else may be reported.
 */
@DisplayName("DriverShape")
class DriverShapeTest {

  private static void assertOnlyDriverShape(CompilerKind compiler, SourceFile source, String line) {
    CompilationResult compilation = compiler.compile(source);
    assertThat(compilation).hadOnlyJwdmError("DriverShape").inFile(source).onLineContaining(line);
    assertThat(compilation).generatedNoSources();
  }

  @CompilerTest
  @DisplayName("an abstract driver class is rejected")
  void abstractClass(CompilerKind compiler) {
    assertOnlyDriverShape(
        compiler,
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public abstract class Beeper {
              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """),
        "class Beeper");
  }

  @CompilerTest
  @DisplayName("a driver interface (with default-method routines) is rejected")
  void driverInterface(CompilerKind compiler) {
    assertOnlyDriverShape(
        compiler,
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public interface Beeper {
              @Dispatch(DEVICE_CONTROL)
              default NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              default void unload(DriverObject driver) {}
            }
            """),
        "interface Beeper");
  }

  @CompilerTest
  @DisplayName("a driver enum is rejected")
  void driverEnum(CompilerKind compiler) {
    assertOnlyDriverShape(
        compiler,
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public enum Beeper {
              INSTANCE;

              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """),
        "enum Beeper");
  }

  @CompilerTest
  @DisplayName("a driver record (even with a no-arg canonical constructor) is rejected")
  void driverRecord(CompilerKind compiler) {
    assertOnlyDriverShape(
        compiler,
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public record Beeper() {
              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """),
        "record Beeper");
  }

  @CompilerTest
  @DisplayName("a driver annotation type is rejected, and not also reported for its missing routines")
  void driverAnnotationType(CompilerKind compiler) {
    assertOnlyDriverShape(
        compiler,
        source(
            "test.Beeper",
            """
            package test;

            import io.jwdm.annotation.*;

            @LegacyDriver
            public @interface Beeper {}
            """),
        "@interface Beeper");
  }

  @CompilerTest
  @DisplayName("a non-static inner driver class is rejected")
  void innerClass(CompilerKind compiler) {
    assertOnlyDriverShape(
        compiler,
        source(
            "test.Outer",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            public class Outer {
              @LegacyDriver
              public class Beeper {
                @Dispatch(DEVICE_CONTROL)
                NtStatus deviceControl(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
            }
            """),
        "class Beeper");
  }

  /**
   * The rule lists local classes, but neither javac nor ECJ shows a local class to annotation
   * processors ({@code RoundEnvironment} and {@code getEnclosedElements} stop at members), so no
   * processor can report one. What matters is that such a class never gets glue, and that its
   * annotations do not confuse the processor.
   */
  @CompilerTest
  @DisplayName("a local driver class is invisible to the processor: no glue, no diagnostic, no crash")
  void localClass(CompilerKind compiler) {
    SourceFile outer =
        source(
            "test.Outer",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            public class Outer {
              void load() {
                @LegacyDriver
                class Beeper {
                  @Dispatch(DEVICE_CONTROL)
                  NtStatus deviceControl(DeviceObject device, Irp irp) {
                    return NtStatus.SUCCESS;
                  }

                  @Unload
                  void unload(DriverObject driver) {}
                }
              }
            }
            """);

    CompilationResult compilation = compiler.compile(outer);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedNoSources();
    assertThat(compilation.servicesFileLines()).isEmpty();
  }

  @CompilerTest
  @DisplayName("a generic driver class is rejected")
  void genericClass(CompilerKind compiler) {
    assertOnlyDriverShape(
        compiler,
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public class Beeper<T> {
              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """),
        "class Beeper");
  }

  @CompilerTest
  @DisplayName("a private nested driver class is rejected")
  void privateNestedClass(CompilerKind compiler) {
    assertOnlyDriverShape(
        compiler,
        source(
            "test.Outer",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            public class Outer {
              @LegacyDriver
              private static class Beeper {
                @Dispatch(DEVICE_CONTROL)
                NtStatus deviceControl(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
            }
            """),
        "class Beeper");
  }

  @CompilerTest
  @DisplayName("a driver class whose only constructor takes arguments is rejected")
  void noNoArgConstructor(CompilerKind compiler) {
    assertOnlyDriverShape(
        compiler,
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public class Beeper {
              private final int frequency;

              Beeper(int frequency) {
                this.frequency = frequency;
              }

              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return frequency > 0 ? NtStatus.SUCCESS : NtStatus.UNSUCCESSFUL;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """),
        "class Beeper");
  }

  @CompilerTest
  @DisplayName("a driver class whose no-arg constructor is private is rejected")
  void privateNoArgConstructor(CompilerKind compiler) {
    assertOnlyDriverShape(
        compiler,
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            public class Beeper {
              private Beeper() {}

              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """),
        "class Beeper");
  }

  @CompilerTest
  @DisplayName("a public static nested driver class compiles cleanly and gets Outer_Inner glue")
  void staticNestedClass(CompilerKind compiler) {
    SourceFile outer =
        source(
            "test.Outer",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            public class Outer {
              @LegacyDriver
              public static class Beeper {
                @Dispatch(DEVICE_CONTROL)
                NtStatus deviceControl(DeviceObject device, Irp irp) {
                  return NtStatus.SUCCESS;
                }

                @Unload
                void unload(DriverObject driver) {}
              }
            }
            """);

    CompilationResult compilation = compiler.compile(outer);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedSource("test.Outer_Beeper_DriverGlue").isNotEmpty();
  }

  @CompilerTest
  @DisplayName("a final package-private class with a package-private no-arg constructor next to others compiles cleanly")
  void packagePrivateFinalClassWithSeveralConstructors(CompilerKind compiler) {
    SourceFile beeper =
        source(
            "test.Beeper",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @LegacyDriver
            final class Beeper {
              private final int frequency;

              Beeper() {
                this(440);
              }

              private Beeper(int frequency) {
                this.frequency = frequency;
              }

              @Dispatch(DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return frequency > 0 ? NtStatus.SUCCESS : NtStatus.UNSUCCESSFUL;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
            """);

    CompilationResult compilation = compiler.compile(beeper);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedSource("test.Beeper_DriverGlue").isNotEmpty();
  }

  @CompilerTest
  @DisplayName("a class with a protected no-arg constructor compiles cleanly")
  void protectedNoArgConstructor(CompilerKind compiler) {
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
              protected Beeper() {}

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

package io.jwdm.processor;

import static io.jwdm.processor.harness.JwdmCompilationSubject.assertThat;
import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.CompilationResult;
import io.jwdm.processor.harness.CompilerKind;
import io.jwdm.processor.harness.CompilerTest;
import io.jwdm.processor.harness.FirstRoundGenerator;
import io.jwdm.processor.harness.SourceFile;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/**
 * {@code DuplicateDriverName}: driver names are service names and must be unique in a compilation.
 * The driver whose qualified name sorts later is reported, on its driver annotation, whatever the
 * order the compiler saw the sources in; the first keeps its glue.
 */
@DisplayName("DuplicateDriverName")
class DuplicateDriverNameTest {

  private static SourceFile legacyDriver(String qualifiedName, String annotation) {
    String packageName = qualifiedName.substring(0, qualifiedName.lastIndexOf('.'));
    String simpleName = qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    return source(
        qualifiedName,
        """
        package %s;

        import static io.jwdm.kernel.MajorFunction.*;

        import io.jwdm.annotation.*;
        import io.jwdm.kernel.*;

        %s
        public class %s {
          @Dispatch(DEVICE_CONTROL)
          NtStatus deviceControl(DeviceObject device, Irp irp) {
            return NtStatus.SUCCESS;
          }

          @Unload
          void unload(DriverObject driver) {}
        }
        """
            .formatted(packageName, annotation, simpleName));
  }

  private static final SourceFile FIRST_BEEPER = legacyDriver("test.a.Beeper", "@LegacyDriver");
  private static final SourceFile SECOND_BEEPER = legacyDriver("test.b.Beeper", "@LegacyDriver");

  @CompilerTest
  @DisplayName("two drivers named by the same simple name: the later qualified name is reported")
  void sameDefaultName(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(FIRST_BEEPER, SECOND_BEEPER);

    assertThat(compilation)
        .hadOnlyJwdmError("DuplicateDriverName")
        .inFile(SECOND_BEEPER)
        .onLineContaining("@LegacyDriver");
    assertThat(compilation).generatedSource("test.a.Beeper_DriverGlue").isNotEmpty();
    assertThat(compilation).generatedNoSource("test.b.Beeper_DriverGlue");
  }

  @CompilerTest
  @DisplayName("the reported driver does not depend on the order of the sources")
  void sameDefaultNameReversedInput(CompilerKind compiler) {
    CompilationResult compilation = compiler.compile(SECOND_BEEPER, FIRST_BEEPER);

    assertThat(compilation)
        .hadOnlyJwdmError("DuplicateDriverName")
        .inFile(SECOND_BEEPER)
        .onLineContaining("@LegacyDriver");
    assertThat(compilation).generatedSource("test.a.Beeper_DriverGlue").isNotEmpty();
    assertThat(compilation).generatedNoSource("test.b.Beeper_DriverGlue");
  }

  @CompilerTest
  @DisplayName("a WDM and a legacy driver with the same explicit name collide")
  void sameExplicitNameAcrossModels(CompilerKind compiler) {
    SourceFile mixer = legacyDriver("test.Mixer", "@LegacyDriver(name = \"Kitchen\")");
    SourceFile toaster =
        source(
            "test.Toaster",
            """
            package test;

            import static io.jwdm.kernel.MajorFunction.*;

            import io.jwdm.annotation.*;
            import io.jwdm.kernel.*;

            @WdmDriver(name = "Kitchen")
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

    CompilationResult compilation = compiler.compile(toaster, mixer);

    assertThat(compilation)
        .hadOnlyJwdmError("DuplicateDriverName")
        .inFile(toaster)
        .onLineContaining("@WdmDriver(name = \"Kitchen\")");
    assertThat(compilation).generatedSource("test.Mixer_DriverGlue").isNotEmpty();
    assertThat(compilation).generatedNoSource("test.Toaster_DriverGlue");
  }

  @CompilerTest
  @DisplayName("an explicit name equal to another driver's default name collides")
  void explicitNameEqualToDefaultName(CompilerKind compiler) {
    SourceFile speaker = legacyDriver("test.b.Speaker", "@LegacyDriver(name = \"Beeper\")");

    CompilationResult compilation = compiler.compile(speaker, FIRST_BEEPER);

    assertThat(compilation)
        .hadOnlyJwdmError("DuplicateDriverName")
        .inFile(speaker)
        .onLineContaining("@LegacyDriver(name = \"Beeper\")");
    assertThat(compilation).generatedSource("test.a.Beeper_DriverGlue").isNotEmpty();
    assertThat(compilation).generatedNoSource("test.b.Speaker_DriverGlue");
  }

  @CompilerTest
  @DisplayName("three drivers with one name: the second and third are reported")
  void threeDriversWithOneName(CompilerKind compiler) {
    SourceFile third = legacyDriver("test.c.Beeper", "@LegacyDriver");

    CompilationResult compilation = compiler.compile(third, SECOND_BEEPER, FIRST_BEEPER);

    assertThat(compilation).hadJwdmIdsExactly("DuplicateDriverName", "DuplicateDriverName");
    assertThat(compilation)
        .hadErrorContaining("[DuplicateDriverName]")
        .inFile(SECOND_BEEPER)
        .onLineContaining("@LegacyDriver");
    assertThat(compilation)
        .hadErrorContaining("[DuplicateDriverName]")
        .inFile(third)
        .onLineContaining("@LegacyDriver");
    assertThat(compilation).generatedSource("test.a.Beeper_DriverGlue").isNotEmpty();
  }

  @CompilerTest
  @DisplayName("a driver generated in a later round collides with a driver of an earlier round")
  void collisionAcrossRounds(CompilerKind compiler) {
    CompilationResult compilation =
        compiler
            .compiler()
            .withProcessor(
                () ->
                    new FirstRoundGenerator(
                        Map.of(SECOND_BEEPER.qualifiedName(), SECOND_BEEPER.content())))
            .compile(FIRST_BEEPER);

    assertThat(compilation)
        .hadOnlyJwdmError("DuplicateDriverName")
        .inGeneratedFile(SECOND_BEEPER)
        .onLineContaining("@LegacyDriver");
    assertThat(compilation).generatedSource("test.a.Beeper_DriverGlue").isNotEmpty();
    assertThat(compilation).generatedNoSource("test.b.Beeper_DriverGlue");
  }

  /**
   * When the driver that sorts first arrives in a later round, the one reported was checked, and
   * got its glue source, in an earlier round. The build fails anyway; what must hold is that the
   * reported driver is still the later one by name, and that the services file lists only the
   * other.
   */
  @CompilerTest
  @DisplayName("a driver of an earlier round is reported when a later round brings one sorting before it")
  void collisionWithEarlierRoundDriverSortingSecond(CompilerKind compiler) {
    CompilationResult compilation =
        compiler
            .compiler()
            .withProcessor(
                () ->
                    new FirstRoundGenerator(
                        Map.of(FIRST_BEEPER.qualifiedName(), FIRST_BEEPER.content())))
            .compile(SECOND_BEEPER);

    assertThat(compilation)
        .hadOnlyJwdmError("DuplicateDriverName")
        .inFile(SECOND_BEEPER)
        .onLineContaining("@LegacyDriver");
    assertThat(compilation)
        .generatedResource(CompilationResult.SERVICES_FILE)
        .isEqualTo("test.a.Beeper_DriverGlue\n");
  }

  @CompilerTest
  @DisplayName("drivers with the same simple name but distinct explicit names compile cleanly")
  void distinctExplicitNames(CompilerKind compiler) {
    SourceFile renamed = legacyDriver("test.b.Beeper", "@LegacyDriver(name = \"Beeper2\")");

    CompilationResult compilation = compiler.compile(FIRST_BEEPER, renamed);

    assertThat(compilation).succeededWithoutJwdmDiagnostics();
    assertThat(compilation).generatedSource("test.a.Beeper_DriverGlue").isNotEmpty();
    assertThat(compilation).generatedSource("test.b.Beeper_DriverGlue").isNotEmpty();
  }
}

package io.jwdm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The glue the processor generated for the example drivers, and their services file, pinned to
 * golden files under {@code src/test/resources/golden}. Paths are relative to the module's base
 * directory, the tests' working directory.
 *
 * <p>After an intended change to the generator, rewrite the golden files with
 * {@code -Djwdm.updateGolden=true} and review the diff.
 */
@DisplayName("Generated glue of the examples")
class GeneratedGlueGoldenTest {
  private static final Path GENERATED_SOURCES =
      Path.of("target", "generated-sources", "annotations");
  private static final Path CLASSES = Path.of("target", "classes");
  private static final Path GOLDEN = Path.of("src", "test", "resources", "golden");
  private static final String SERVICES = "META-INF/services/io.jwdm.spi.DriverGlue";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
    "io/jwdm/examples/sioctl/Sioctl_DriverGlue.java",
    "io/jwdm/examples/toaster/Toaster_DriverGlue.java",
    "io/jwdm/examples/toasterfilter/ToasterFilter_DriverGlue.java"
  })
  @DisplayName("generated glue matches its golden file")
  void glue(String path) throws IOException {
    assertMatchesGolden(path, GENERATED_SOURCES.resolve(path));
  }

  @Test
  @DisplayName("the services file matches its golden file")
  void servicesFile() throws IOException {
    assertMatchesGolden(SERVICES, CLASSES.resolve(SERVICES));
  }

  private static void assertMatchesGolden(String path, Path generated) throws IOException {
    assertTrue(Files.isRegularFile(generated),
        () -> "the processor generated no " + generated.toAbsolutePath());
    String actual = Files.readString(generated, StandardCharsets.UTF_8);
    Path golden = GOLDEN.resolve(path);
    if (Boolean.getBoolean("jwdm.updateGolden")) {
      Files.createDirectories(golden.getParent());
      Files.writeString(golden, actual, StandardCharsets.UTF_8);
      return;
    }
    assertTrue(Files.isRegularFile(golden),
        () -> "no golden file " + golden + "; run with -Djwdm.updateGolden=true to create it");
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), actual,
        () -> generated + " differs from " + golden
            + " (rerun with -Djwdm.updateGolden=true to rewrite it, then review the diff)");
  }
}

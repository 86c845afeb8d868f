package io.jwdm.processor.harness;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Expected generated files kept under {@code src/test/resources/golden}. Run the tests with
 * {@code -Djwdm.updateGolden=true} to rewrite them from what the processor generates now, then
 * review the diff. Surefire passes the directory as {@code jwdm.goldenDir}; without it (in an IDE,
 * say) the files are read from the test class path and cannot be rewritten.
 */
public final class GoldenFiles {
  private static final String DIR_PROPERTY = "jwdm.goldenDir";
  private static final String UPDATE_PROPERTY = "jwdm.updateGolden";

  private GoldenFiles() {}

  /** Asserts that {@code actual} equals the golden file at {@code path}, or rewrites that file. */
  public static void assertMatchesGolden(String path, String actual) {
    if (Boolean.getBoolean(UPDATE_PROPERTY)) {
      write(path, actual);
      return;
    }
    assertWithMessage(
            "generated text differs from golden file %s (rerun with -D%s=true to rewrite it)",
            path, UPDATE_PROPERTY)
        .that(actual)
        .isEqualTo(read(path));
  }

  private static String read(String path) {
    String dir = System.getProperty(DIR_PROPERTY);
    try {
      if (dir != null) {
        Path file = Path.of(dir).resolve(path);
        if (!Files.exists(file)) {
          throw new AssertionError(
              "no golden file " + file + "; run with -D" + UPDATE_PROPERTY + "=true to create it");
        }
        return Files.readString(file, StandardCharsets.UTF_8);
      }
      try (InputStream in = GoldenFiles.class.getResourceAsStream("/golden/" + path)) {
        if (in == null) {
          throw new AssertionError("no golden file golden/" + path + " on the test class path");
        }
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(String path, String content) {
    String dir = System.getProperty(DIR_PROPERTY);
    if (dir == null) {
      throw new IllegalStateException(
          "-D" + UPDATE_PROPERTY + " needs -D" + DIR_PROPERTY + " (set by the surefire configuration)");
    }
    try {
      Path file = Path.of(dir).resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

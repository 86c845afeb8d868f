package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad driver images: a text file, an empty file, random bytes, a missing file, a classes directory
 * without glue or with a services file that names nothing loadable. Each is refused with an
 * {@link ImageLoadException} of the right kind, and the kernel stays as it was. The kernel runs in
 * test-signing mode, so that each image is judged on its content rather than refused as unsigned.
 * CLI arguments and scenario files are the CLI's inputs, tested with the CLI.
 */
@DisplayName("Bad input: driver images")
class BadInputImagesTest extends BadInputTest {
  private static final String SERVICES = "META-INF/services/io.jwdm.spi.DriverGlue";

  @TempDir Path dir;

  @Override
  KernelOptions options() {
    return KernelOptions.builder().waitTimeout(Duration.ofSeconds(2)).testSigning(true).build();
  }

  @AfterEach
  void kernelAsItWas() {
    assertEquals(List.of(), kernel.images(), "an image stayed loaded");
    assertEquals(List.of(BYSTANDER, WDM_BYSTANDER),
        kernel.drivers().stream().map(DriverInfo::name).sorted().toList());
  }

  private void assertRefused(ImageLoadException.Kind kind, Path image) {
    ImageLoadException refused =
        assertThrows(ImageLoadException.class, () -> kernel.loadImage(image));
    assertEquals(kind, refused.kind(), refused.getMessage());
    assertTrue(refused.getMessage().contains(image.getFileName().toString()),
        "the refusal names the image: " + refused.getMessage());
  }

  private Path classesWithServices(String services) throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path file = classes.resolve(SERVICES);
    Files.createDirectories(file.getParent());
    Files.writeString(file, services, StandardCharsets.UTF_8);
    return classes;
  }

  @Test
  @DisplayName("a text file named .jar: NOT_AN_IMAGE")
  void textFile() throws IOException {
    assertRefused(ImageLoadException.Kind.NOT_AN_IMAGE,
        Files.writeString(dir.resolve("driver.jar"), "not a jar\n"));
  }

  @Test
  @DisplayName("an empty file: NOT_AN_IMAGE")
  void emptyFile() throws IOException {
    assertRefused(ImageLoadException.Kind.NOT_AN_IMAGE, Files.createFile(dir.resolve("empty.jar")));
  }

  @Test
  @DisplayName("64 KiB of random bytes: NOT_AN_IMAGE")
  void randomBytes() throws IOException {
    byte[] noise = new byte[64 << 10];
    new Random(8).nextBytes(noise);
    assertRefused(ImageLoadException.Kind.NOT_AN_IMAGE, Files.write(dir.resolve("noise.jar"), noise));
  }

  @Test
  @DisplayName("a path to nothing: NOT_AN_IMAGE")
  void missingFile() {
    assertRefused(ImageLoadException.Kind.NOT_AN_IMAGE, dir.resolve("missing.jar"));
  }

  @Test
  @DisplayName("a directory without glue: NO_GLUE")
  void directoryWithoutGlue() throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Files.writeString(classes.resolve("README.txt"), "nothing here");
    assertRefused(ImageLoadException.Kind.NO_GLUE, classes);
  }

  @Test
  @DisplayName("a directory with an empty services file: NO_GLUE")
  void emptyServicesFile() throws IOException {
    assertRefused(ImageLoadException.Kind.NO_GLUE, classesWithServices(""));
  }

  @Test
  @DisplayName("a services file naming a class the image does not have: LINK_FAILED")
  void servicesNameMissingClass() throws IOException {
    assertRefused(ImageLoadException.Kind.LINK_FAILED, classesWithServices("no.such.Glue\n"));
  }

  @Test
  @DisplayName("a services file of garbage: LINK_FAILED")
  void servicesGarbage() throws IOException {
    assertRefused(ImageLoadException.Kind.LINK_FAILED,
        classesWithServices("\u0000\u00ff not a class name !!\n"));
  }

  @Test
  @DisplayName("a glue class file of garbage bytes: LINK_FAILED")
  void garbageClassFile() throws IOException {
    Path classes = classesWithServices("bad.Glue\n");
    Files.createDirectories(classes.resolve("bad"));
    Files.write(classes.resolve("bad/Glue.class"), new byte[] {(byte) 0xCA, (byte) 0xFE, 1, 2, 3});
    assertRefused(ImageLoadException.Kind.LINK_FAILED, classes);
  }

  @Test
  @DisplayName("replacing a running driver by a text file: REFUSED, the driver keeps running")
  void replaceWithTextFile() throws IOException {
    Path text = Files.writeString(dir.resolve("driver.jar"), "not a jar\n");
    ImageReplaceResult result = kernel.replace(BYSTANDER, text, Duration.ofSeconds(1));
    assertEquals(ImageReplaceResult.Outcome.REFUSED, result.outcome(), result.render());
  }

  @Test
  @DisplayName("unloading an image this kernel never loaded: NOT_LOADED, nothing unloaded")
  void unloadForgedImage() {
    DriverImage forged = new DriverImage("forged", dir.resolve("forged.jar"),
        List.of(BYSTANDER, WDM_BYSTANDER), DriverImage.Signing.UNSIGNED, List.of());
    assertEquals(ImageUnloadResult.Outcome.NOT_LOADED, kernel.unloadImage(forged).outcome());
  }
}

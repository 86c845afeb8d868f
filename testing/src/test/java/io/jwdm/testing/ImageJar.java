package io.jwdm.testing;

import io.jwdm.spi.DriverGlue;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a driver image: a jar of the compiled classes of a glue's package (the test drivers, which
 * use only the runtime's API) whose services file names that one glue.
 */
final class ImageJar {
  private ImageJar() {}

  static void write(Path jar, Class<? extends DriverGlue> glue) {
    try {
      Path classes = Path.of(glue.getResource(glue.getSimpleName() + ".class").toURI())
          .getParent();
      String packagePath = glue.getPackageName().replace('.', '/') + "/";
      List<Path> classFiles;
      try (Stream<Path> list = Files.list(classes)) {
        classFiles = list.filter(file -> file.toString().endsWith(".class")).sorted()
            .collect(Collectors.toList());
      }
      Files.createDirectories(jar.toAbsolutePath().getParent());
      Manifest manifest = new Manifest();
      manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      try (OutputStream file = Files.newOutputStream(jar);
          JarOutputStream out = new JarOutputStream(file, manifest)) {
        for (Path classFile : classFiles) {
          out.putNextEntry(new JarEntry(packagePath + classFile.getFileName()));
          out.write(Files.readAllBytes(classFile));
          out.closeEntry();
        }
        out.putNextEntry(new JarEntry("META-INF/services/" + DriverGlue.class.getName()));
        out.write((glue.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    } catch (URISyntaxException notAFile) {
      throw new IllegalStateException(notAFile);
    }
  }
}

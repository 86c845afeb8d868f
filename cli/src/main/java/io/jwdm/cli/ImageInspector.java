package io.jwdm.cli;

import io.jwdm.annotation.DriverRole;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the drivers of an image declare: their names, models, roles and hardware IDs, read from the
 * image's generated glue.
 *
 * <p>The kernel's public API tells which drivers an image provides ({@code DriverImage}) but not
 * the hardware IDs its WDM drivers serve, which {@code jwdm run} needs to plug in their devices.
 * So, once the kernel has accepted an image, this reads its glue in a short-lived class loader of
 * its own: it instantiates the glue classes (generated code with a no-argument constructor that
 * does nothing) and asks them; no driver class is initialized and no routine runs. The loader is
 * closed and dropped at once, so it does not keep the image in memory.
 */
final class ImageInspector {
  private ImageInspector() {}

  /** One driver of an image, as its glue declares it. */
  record DeclaredDriver(String name, DriverModel model, DriverRole role, List<String> hardwareIds) {
    DeclaredDriver {
      hardwareIds = List.copyOf(hardwareIds);
    }
  }

  private static final String SERVICES = "META-INF/services/" + DriverGlue.class.getName();

  /**
   * The drivers the image declares, in the order of their names; empty if its glue cannot be read
   * this way.
   */
  static List<DeclaredDriver> drivers(Path image) {
    List<DeclaredDriver> drivers = new ArrayList<>();
    URL url;
    try {
      url = image.toUri().toURL();
    } catch (IOException badPath) {
      return drivers;
    }
    try (URLClassLoader loader = new URLClassLoader("jwdm-inspect " + image.getFileName(),
        new URL[] {url}, DriverGlue.class.getClassLoader())) {
      for (URL services : Collections.list(loader.findResources(SERVICES))) {
        for (String className : classNames(services)) {
          try {
            Class<?> type = Class.forName(className, false, loader);
            Object instance = type.getDeclaredConstructor().newInstance();
            if (instance instanceof DriverGlue) {
              DriverGlue glue = (DriverGlue) instance;
              drivers.add(new DeclaredDriver(glue.driverName(), glue.model(), glue.role(),
                  glue.hardwareIds()));
            }
          } catch (ReflectiveOperationException | LinkageError | RuntimeException unreadable) {
            // The kernel loaded the image; a glue this cannot read only loses its devices.
          }
        }
      }
    } catch (IOException unreadable) {
      return drivers;
    }
    drivers.sort((a, b) -> a.name().compareTo(b.name()));
    return drivers;
  }

  private static List<String> classNames(URL services) throws IOException {
    List<String> names = new ArrayList<>();
    var connection = services.openConnection();
    connection.setUseCaches(false);
    try (InputStream in = connection.getInputStream();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in,
            StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        int comment = line.indexOf('#');
        String name = (comment >= 0 ? line.substring(0, comment) : line).trim();
        if (!name.isEmpty()) {
          names.add(name);
        }
      }
    }
    return names;
  }
}

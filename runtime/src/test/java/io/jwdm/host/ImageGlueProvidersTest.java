package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The image loader instantiates glue from the services file it read, as {@link ServiceLoader}
 * does: each file here goes to both, on a loader that has only that file, and both must give the
 * same providers in the same order, or the same error.
 */
@DisplayName("Image glue providers: as ServiceLoader")
class ImageGlueProvidersTest {
  private static final String PREFIX = ImageGlueProvidersTest.class.getName() + "$";

  /** Glue that is never installed. */
  public abstract static class Base implements DriverGlue {
    @Override
    public int spiVersion() {
      return SPI_VERSION;
    }

    @Override
    public String driverName() {
      return getClass().getSimpleName();
    }

    @Override
    public DriverModel model() {
      return DriverModel.LEGACY;
    }

    @Override
    public List<String> hardwareIds() {
      return List.of();
    }

    @Override
    public boolean permanent() {
      return false;
    }

    @Override
    public Class<?> driverClass() {
      return getClass();
    }

    @Override
    public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
      return NtStatus.SUCCESS;
    }
  }

  /** A provider. */
  public static final class One extends Base {}

  /** Another provider. */
  public static final class Two extends Base {}

  /** Not glue. */
  public static final class NotGlue {}

  /** Glue without a no-argument constructor. */
  public static final class NeedsArgument extends Base {
    /** Takes what the loader cannot give. */
    public NeedsArgument(String argument) {}
  }

  /** Glue whose constructor throws. */
  public static final class Throws extends Base {
    /** Throws. */
    public Throws() {
      throw new IllegalStateException("broken glue");
    }
  }

  /** An abstract provider: cannot be instantiated. */
  public abstract static class Abstract extends Base {
    /** For a subclass. */
    public Abstract() {}
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "\n\n", "# nothing\n", "One\n", "One\nTwo\n", "Two\r\nOne", "One\rTwo\r\n",
      "  One  # the first\n\tTwo\t\n", "One\nOne\nTwo\nOne\n", "#One\nTwo#One\n",
      "One Two\n", "One\tTwo\n", "One\n1One\n", "One\nOne-Two\n", "Missing\n", "One\nMissing\n",
      "NotGlue\n", "NeedsArgument\n", "One\nThrows\nTwo\n", "Abstract\n", "\u00c4rger\n",
      "One\n\n\n.Two\n"})
  void givesWhatServiceLoaderGives(String file, @org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    String text = file.replace("One", PREFIX + "One").replace("Two", PREFIX + "Two")
        .replace("NotGlue", PREFIX + "NotGlue").replace("NeedsArgument", PREFIX + "NeedsArgument")
        .replace("Throws", PREFIX + "Throws").replace("Abstract", PREFIX + "Abstract");
    Path services = dir.resolve(ImageContents.GLUE_SERVICES);
    Files.createDirectories(services.getParent());
    Files.writeString(services, text, StandardCharsets.UTF_8);
    ClassLoader classesOnly = new ClassLoader(getClass().getClassLoader()) {
      @Override
      public URL getResource(String name) {
        return null;
      }

      @Override
      public Enumeration<URL> getResources(String name) {
        return Collections.emptyEnumeration();
      }
    };
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()},
        classesOnly)) {
      Outcome expected = new Outcome();
      Iterator<DriverGlue> providers = ServiceLoader.load(DriverGlue.class, loader).iterator();
      try {
        while (providers.hasNext()) {
          expected.providers.add(providers.next().getClass().getName());
        }
      } catch (ServiceConfigurationError error) {
        expected.fail(error);
      }
      Outcome actual = new Outcome();
      URL location = loader.findResource(ImageContents.GLUE_SERVICES);
      assertNotNull(location);
      try {
        for (DriverGlue glue : ImageGlueProviders.instantiate(text.getBytes(
            StandardCharsets.UTF_8), location.toString(), loader)) {
          actual.providers.add(glue.getClass().getName());
        }
      } catch (ServiceConfigurationError error) {
        actual.fail(error);
      }

      if (expected.error != null) {
        assertEquals(expected.error, actual.error, file);
      } else {
        assertEquals(expected.providers, actual.providers, file);
        assertEquals(null, actual.error, file);
      }
    }
  }

  private static final class Outcome {
    final List<String> providers = new ArrayList<>();
    String error;

    void fail(ServiceConfigurationError thrown) {
      error = thrown.getMessage() + (thrown.getCause() == null ? ""
          : " / " + thrown.getCause().getClass().getName() + ": "
              + thrown.getCause().getMessage());
    }
  }
}

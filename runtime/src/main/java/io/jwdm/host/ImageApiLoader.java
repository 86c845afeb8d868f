package io.jwdm.host;

import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

/**
 * The parent of every image's class loader: the JDK's platform classes, plus the jwdm runtime API
 * packages ({@value #API_PACKAGES_TEXT}) from the runtime's own class loader, and nothing else. An
 * image therefore sees neither the host's classes (including {@code io.jwdm.host}) nor another
 * image's, and none of the host's resources: the platform loader has no
 * {@code META-INF/services/io.jwdm.spi.DriverGlue}, and this loader finds no resource at all.
 */
final class ImageApiLoader extends ClassLoader {
  static final String API_PACKAGES_TEXT = "io.jwdm.annotation, io.jwdm.kernel, io.jwdm.spi";

  /** The packages a driver is written against. */
  static final Set<String> API_PACKAGES =
      Set.of("io.jwdm.annotation", "io.jwdm.kernel", "io.jwdm.spi");

  private final ClassLoader runtime;
  private final ClassLoader platform;

  ImageApiLoader(String name) {
    super(name, ClassLoader.getPlatformClassLoader());
    this.runtime = io.jwdm.spi.DriverGlue.class.getClassLoader();
    this.platform = ClassLoader.getPlatformClassLoader();
  }

  /** The package of a binary class name, or "" for the unnamed package. */
  static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  /**
   * A class of the API packages from the runtime's loader, any other from the platform's. The API
   * packages are not the platform's, so each name is asked of one loader only, and a name neither
   * has costs one {@link ClassNotFoundException}, not two.
   */
  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (API_PACKAGES.contains(packageOf(name))) {
      return Class.forName(name, false, runtime);
    }
    return platform.loadClass(name);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    throw new ClassNotFoundException(name);
  }

  @Override
  protected URL findResource(String name) {
    return null;
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    return Collections.emptyEnumeration();
  }
}

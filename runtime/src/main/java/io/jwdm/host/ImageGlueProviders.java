package io.jwdm.host;

import io.jwdm.spi.DriverGlue;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.Set;

/**
 * Instantiates the glue an image's services file names, by the rules of {@link
 * java.util.ServiceLoader} for a provider in the unnamed module of a class loader, from the bytes
 * the image was verified with: the file is UTF-8, one binary class name a line, {@code #} starts a
 * comment, and a name given twice counts once; each provider must be a subtype of {@link
 * DriverGlue} with a public no-argument constructor, and is instantiated in the order of the file.
 * A violation is the {@link ServiceConfigurationError} {@code ServiceLoader} would throw; a class
 * that fails to load throws its {@link LinkageError}.
 *
 * <p>{@code ServiceLoader} itself would look the file up again through the loader's resources and
 * read it through a URL and a reader; the image already holds it, read once.
 */
final class ImageGlueProviders {
  private ImageGlueProviders() {}

  /**
   * The glue {@code servicesFile} names, each a new instance of a class of {@code loader}.
   *
   * @param servicesFile the bytes of {@link ImageContents#GLUE_SERVICES}
   * @param location how {@code ServiceLoader} would name the file, for messages
   */
  static List<DriverGlue> instantiate(byte[] servicesFile, String location, ClassLoader loader) {
    List<DriverGlue> glue = new ArrayList<>();
    for (String name : names(servicesFile, location)) {
      Class<?> type;
      try {
        type = Class.forName(name, false, loader);
      } catch (ClassNotFoundException missing) {
        throw fail("Provider " + name + " not found", null);
      }
      if (type.getModule().isNamed()) {
        continue;
      }
      if (!DriverGlue.class.isAssignableFrom(type)) {
        throw fail(type.getName() + " not a subtype", null);
      }
      Constructor<?> constructor;
      try {
        constructor = type.getConstructor();
      } catch (Throwable none) { // as ServiceLoader: whatever stops it is the reason
        throw fail(type.getName() + " Unable to get public no-arg constructor", none);
      }
      Object instance;
      try {
        instance = constructor.newInstance();
      } catch (InvocationTargetException thrown) {
        throw fail("Provider " + type.getName() + " could not be instantiated",
            thrown.getCause());
      } catch (Throwable failed) { // as ServiceLoader
        throw fail("Provider " + type.getName() + " could not be instantiated", failed);
      }
      glue.add((DriverGlue) instance);
    }
    return glue;
  }

  /** The provider names of the file, in order and without repeats, as ServiceLoader parses it. */
  private static Set<String> names(byte[] servicesFile, String location) {
    Set<String> names = new LinkedHashSet<>();
    String text = new String(servicesFile, StandardCharsets.UTF_8);
    int lineNumber = 0;
    int at = 0;
    while (at < text.length()) {
      int end = at;
      while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
        end++;
      }
      String line = text.substring(at, end);
      lineNumber++;
      at = end + 1;
      if (end + 1 < text.length() && text.charAt(end) == '\r' && text.charAt(end + 1) == '\n') {
        at++;
      }
      int comment = line.indexOf('#');
      String name = (comment < 0 ? line : line.substring(0, comment)).trim();
      if (name.isEmpty()) {
        continue;
      }
      if (name.indexOf(' ') >= 0 || name.indexOf('\t') >= 0) {
        throw fail(location + ":" + lineNumber + ": Illegal configuration-file syntax", null);
      }
      int codePoint = name.codePointAt(0);
      boolean legal = Character.isJavaIdentifierStart(codePoint);
      for (int i = Character.charCount(codePoint); legal && i < name.length();
          i += Character.charCount(codePoint)) {
        codePoint = name.codePointAt(i);
        legal = Character.isJavaIdentifierPart(codePoint) || codePoint == '.';
      }
      if (!legal) {
        throw fail(location + ":" + lineNumber + ": Illegal provider-class name: " + name, null);
      }
      names.add(name);
    }
    return names;
  }

  private static ServiceConfigurationError fail(String message, Throwable cause) {
    String text = DriverGlue.class.getName() + ": " + message;
    return cause == null ? new ServiceConfigurationError(text)
        : new ServiceConfigurationError(text, cause);
  }
}

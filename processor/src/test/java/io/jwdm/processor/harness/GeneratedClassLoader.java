package io.jwdm.processor.harness;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/**
 * Loads classes and resources from a compilation's class output held in memory. Resources get
 * URLs of their own, so {@link java.util.ServiceLoader} reads a generated services file through
 * it as it would from a jar.
 */
final class GeneratedClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private final Map<String, byte[]> files;
  private final URLStreamHandler handler = new InMemoryHandler();

  GeneratedClassLoader(Map<String, byte[]> files, ClassLoader parent) {
    super("jwdm-test-output", parent);
    this.files = Map.copyOf(files);
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = files.get(name.replace('.', '/') + ".class");
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length);
  }

  @Override
  protected URL findResource(String name) {
    if (!files.containsKey(name)) {
      return null;
    }
    try {
      return new URL("jwdm-test-output", "", -1, "/" + name, handler);
    } catch (MalformedURLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration() : Collections.enumeration(java.util.List.of(url));
  }

  private final class InMemoryHandler extends URLStreamHandler {
    @Override
    protected URLConnection openConnection(URL url) {
      byte[] bytes = files.get(url.getPath().substring(1));
      return new URLConnection(url) {
        @Override
        public void connect() {}

        @Override
        public InputStream getInputStream() {
          return new ByteArrayInputStream(bytes);
        }
      };
    }
  }
}

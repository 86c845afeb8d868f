package io.jwdm.host;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.security.CodeSigner;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Map;

/**
 * One image's class loader. It defines classes from the bytes {@link ImageReader} verified, never
 * from the file again, so the file may be replaced or deleted while the image runs, and no open
 * file or URL cache outlives the image. Its parent is an {@link ImageApiLoader}; its resources
 * (such as {@code META-INF/services} files) are served from memory by {@code jwdm-image:} URLs.
 *
 * <p>Its name, {@link #getName()}, is unique in the JVM for practical purposes and appears in stack
 * frames ({@link StackTraceElement#getClassLoaderName()}), which is how a leak report finds threads
 * running the image's code.
 */
final class ImageClassLoader extends ClassLoader {
  static final String URL_PROTOCOL = "jwdm-image";

  private final Map<String, byte[]> entries;
  private final ProtectionDomain domain;
  private final EntryHandler handler;

  ImageClassLoader(String name, ImageContents contents) {
    super(name, new ImageApiLoader(name + " API"));
    this.entries = contents.entries();
    CodeSource source = new CodeSource(contents.location(),
        contents.signers().toArray(new CodeSigner[0]));
    this.domain = new ProtectionDomain(source, null);
    this.handler = new EntryHandler(entries);
  }

  /** The class-file entry name of a binary class name. */
  static String entryName(String className) {
    return className.replace('.', '/') + ".class";
  }

  @Override
  protected Class<?> findClass(String name) throws ClassNotFoundException {
    byte[] bytes = entries.get(entryName(name));
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length, domain);
  }

  @Override
  protected URL findResource(String name) {
    if (!entries.containsKey(name)) {
      return null;
    }
    try {
      return new URL(URL_PROTOCOL, "", -1, "/" + name, handler);
    } catch (MalformedURLException impossible) {
      return null;
    }
  }

  @Override
  protected Enumeration<URL> findResources(String name) {
    URL url = findResource(name);
    return url == null ? Collections.emptyEnumeration()
        : Collections.enumeration(java.util.List.of(url));
  }

  @Override
  public String toString() {
    return "ImageClassLoader[" + getName() + "]";
  }

  /** Serves the image's entries; holds the bytes only, never the loader. */
  private static final class EntryHandler extends URLStreamHandler {
    private final Map<String, byte[]> entries;

    EntryHandler(Map<String, byte[]> entries) {
      this.entries = entries;
    }

    @Override
    protected URLConnection openConnection(URL url) {
      String name = url.getPath().startsWith("/") ? url.getPath().substring(1) : url.getPath();
      return new URLConnection(url) {
        @Override
        public void connect() {
          connected = true;
        }

        @Override
        public InputStream getInputStream() throws FileNotFoundException {
          byte[] bytes = entries.get(name);
          if (bytes == null) {
            throw new FileNotFoundException(url.toString());
          }
          return new ByteArrayInputStream(bytes);
        }

        @Override
        public long getContentLengthLong() {
          byte[] bytes = entries.get(name);
          return bytes == null ? -1 : bytes.length;
        }
      };
    }
  }
}

package io.jwdm.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.processing.Processor;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * javac in-process, with sources from strings and every output (class files, generated sources,
 * resources) kept in memory, so a compilation touches the disk only to read the class path.
 */
final class InMemoryCompiler implements AutoCloseable {
  private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
  private final StandardJavaFileManager standard;

  InMemoryCompiler() {
    if (javac == null) {
      throw new IllegalStateException("no system Java compiler: run on a JDK, not a JRE");
    }
    standard = javac.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
  }

  /** A source file held in memory. */
  static JavaFileObject source(String className, String code) {
    return new SimpleJavaFileObject(URI.create("string:///" + className.replace('.', '/')
        + JavaFileObject.Kind.SOURCE.extension), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    };
  }

  /** What one compilation produced. */
  static final class Output {
    final Map<String, byte[]> classes = new ConcurrentHashMap<>();
    final Map<String, byte[]> resources = new ConcurrentHashMap<>();
    int generatedSources;
  }

  /**
   * Compiles {@code sources} against {@code classPath}; {@code processors} null means
   * {@code -proc:none}.
   *
   * @throws IllegalStateException with the diagnostics if the compilation fails
   */
  Output compile(List<JavaFileObject> sources, String classPath, List<Processor> processors) {
    Output output = new Output();
    List<String> options = new ArrayList<>(List.of("-classpath", classPath, "-source", "17",
        "-target", "17", "-Xlint:none", "-nowarn", "-implicit:none"));
    if (processors == null) {
      options.add("-proc:none");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaCompiler.CompilationTask task = javac.getTask(null, new MemoryFileManager(standard, output),
        diagnostics, options, null, sources);
    if (processors != null) {
      task.setProcessors(processors);
    }
    if (!task.call()) {
      throw new IllegalStateException("compilation failed: " + diagnostics.getDiagnostics());
    }
    return output;
  }

  @Override
  public void close() throws IOException {
    standard.close();
  }

  /** The class path entry that holds {@code type}. */
  static String locationOf(Class<?> type) {
    try {
      return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final class MemoryFileManager
      extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Output output;

    MemoryFileManager(StandardJavaFileManager standard, Output output) {
      super(standard);
      this.output = output;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(JavaFileManager.Location location, String className,
        JavaFileObject.Kind kind, FileObject sibling) {
      if (kind == JavaFileObject.Kind.SOURCE) {
        output.generatedSources++;
        return new MemoryFile(URI.create("mem:///gen/" + className.replace('.', '/')
            + kind.extension), kind, null);
      }
      return new MemoryFile(URI.create("mem:///classes/" + className.replace('.', '/')
          + kind.extension), kind, bytes -> output.classes.put(className, bytes));
    }

    @Override
    public FileObject getFileForOutput(JavaFileManager.Location location, String packageName,
        String relativeName, FileObject sibling) {
      String name = (packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/")
          + relativeName;
      return new MemoryFile(URI.create("mem:///resources/" + name), JavaFileObject.Kind.OTHER,
          bytes -> output.resources.put(name, bytes));
    }

    @Override
    public boolean isSameFile(FileObject a, FileObject b) {
      return a == b || super.isSameFile(a, b);
    }

    @Override
    public boolean hasLocation(JavaFileManager.Location location) {
      return location != StandardLocation.SOURCE_OUTPUT && location != StandardLocation.CLASS_OUTPUT
          ? super.hasLocation(location) : true;
    }
  }

  /** An output file kept in memory; generated sources are kept so javac can read them back. */
  private static final class MemoryFile extends SimpleJavaFileObject {
    private final java.util.function.Consumer<byte[]> sink;
    private volatile byte[] content = new byte[0];

    MemoryFile(URI uri, JavaFileObject.Kind kind, java.util.function.Consumer<byte[]> sink) {
      super(uri, kind);
      this.sink = sink;
    }

    @Override
    public OutputStream openOutputStream() {
      return new ByteArrayOutputStream() {
        @Override
        public void close() {
          content = toByteArray();
          if (sink != null) {
            sink.accept(content);
          }
        }
      };
    }

    @Override
    public java.io.Writer openWriter() {
      return new java.io.OutputStreamWriter(openOutputStream(), StandardCharsets.UTF_8);
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public java.io.InputStream openInputStream() {
      return new java.io.ByteArrayInputStream(content);
    }
  }
}

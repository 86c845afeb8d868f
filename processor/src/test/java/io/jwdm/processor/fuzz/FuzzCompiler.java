package io.jwdm.processor.fuzz;

import io.jwdm.processor.JwdmProcessor;
import io.jwdm.processor.harness.CompilerKind;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;

/**
 * Compiles one source file at a time with the jwdm processor under one compiler, as the harness's
 * {@code TestCompiler} does, but built for thousands of compilations: the compiler and its file
 * manager are created once and reused, and each compilation gets fresh directories under one
 * temporary root. It keeps what a fuzz oracle needs: what was thrown out of the compiler, every
 * diagnostic with its code, what the compiler printed, and which sources were generated.
 *
 * <p>Not thread-safe: one compilation at a time.
 */
final class FuzzCompiler implements AutoCloseable {
  private final CompilerKind kind;
  private final JavaCompiler tool;
  private final StandardJavaFileManager fileManager;
  private final DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
  private final Path root;
  private final List<String> baseOptions;
  private int compilations;

  FuzzCompiler(CompilerKind kind) {
    this.kind = kind;
    this.tool =
        kind == CompilerKind.JAVAC ? ToolProvider.getSystemJavaCompiler() : new EclipseCompiler();
    // One diagnostic listener for the file manager's own messages; compilations get their own.
    this.fileManager = tool.getStandardFileManager(null, Locale.ROOT, StandardCharsets.UTF_8);
    try {
      this.root = Files.createTempDirectory("jwdm-fuzz-" + kind);
      fileManager.setLocation(
          StandardLocation.CLASS_PATH,
          List.of(locationOf(io.jwdm.kernel.DriverObject.class)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Java 17, as the harness compiles. On a JDK 17, javac reads the JDK's own classes rather than
    // the --release symbol file: the same language, and much faster over thousands of compilations.
    List<String> options = new ArrayList<>(kind == CompilerKind.ECJ ? List.of("-17")
        : Runtime.version().feature() == 17 ? List.of() : List.of("--release", "17"));
    options.addAll(List.of("-encoding", "UTF-8"));
    this.baseOptions = List.copyOf(options);
  }

  CompilerKind kind() {
    return kind;
  }

  /** Compiles {@code source}, the text of the top-level type {@code qualifiedName}, with the jwdm processor. */
  FuzzOutcome compile(String qualifiedName, String source) {
    return compile(qualifiedName, source, List.of());
  }

  /**
   * Compiles {@code source} with the jwdm processor and then {@code extraProcessors}, each created
   * fresh for this compilation.
   */
  FuzzOutcome compile(
      String qualifiedName, String source, List<Supplier<? extends Processor>> extraProcessors) {
    Path dir = root.resolve("c" + (compilations++));
    try {
      Path sourceDir = Files.createDirectories(dir.resolve("src"));
      Path classDir = Files.createDirectories(dir.resolve("classes"));
      Path generatedDir = Files.createDirectories(dir.resolve("generated"));
      Path file = sourceDir.resolve(qualifiedName.replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      // As an editor saves it: a lone surrogate becomes '?', as it has no UTF-8 form.
      Files.write(file, source.getBytes(StandardCharsets.UTF_8));
      fileManager.setLocation(StandardLocation.SOURCE_PATH, List.of(sourceDir.toFile()));
      fileManager.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classDir.toFile()));
      fileManager.setLocation(StandardLocation.SOURCE_OUTPUT, List.of(generatedDir.toFile()));

      List<Processor> processors = new ArrayList<>();
      processors.add(new JwdmProcessor());
      extraProcessors.forEach(p -> processors.add(p.get()));

      DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
      StringWriter output = new StringWriter();
      boolean success = false;
      Throwable escaped = null;
      try {
        JavaCompiler.CompilationTask task =
            tool.getTask(
                new PrintWriter(output),
                fileManager,
                diagnostics,
                baseOptions,
                null,
                fileManager.getJavaFileObjects(file.toFile()));
        task.setProcessors(processors);
        task.setLocale(Locale.ROOT);
        success = task.call();
      } catch (RuntimeException | Error e) {
        escaped = e;
      }

      List<FuzzOutcome.Message> messages = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        boolean generated = isUnder(d.getSource(), generatedDir);
        String message;
        try {
          message = d.getMessage(Locale.ROOT);
        } catch (RuntimeException e) {
          message = "<the diagnostic's message threw " + e + ">";
        }
        messages.add(new FuzzOutcome.Message(d.getKind(), d.getCode(), generated, d.getLineNumber(),
            message == null ? "" : message));
      }
      List<String> generatedFiles = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(generatedDir)) {
        walk.filter(Files::isRegularFile)
            .map(p -> generatedDir.relativize(p).toString().replace(File.separatorChar, '/'))
            .sorted()
            .forEach(generatedFiles::add);
      }
      return new FuzzOutcome(kind, success && escaped == null, escaped, messages, output.toString(),
          generatedFiles, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteRecursively(dir);
    }
  }

  @Override
  public void close() {
    try {
      fileManager.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteRecursively(root);
    }
  }

  /** True if {@code source} is a file under {@code dir}, compared as real paths. */
  private static boolean isUnder(JavaFileObject source, Path dir) {
    if (source == null) {
      return false;
    }
    try {
      return Path.of(source.toUri()).toRealPath().startsWith(dir.toRealPath());
    } catch (IOException | RuntimeException notAFile) {
      return false;
    }
  }

  private static File locationOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toFile();
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException("cannot find where " + type + " was loaded from", e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.jwdm.processor.harness;

import io.jwdm.processor.JwdmProcessor;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.annotation.processing.Processor;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;

/**
 * Runs one compiler through {@code javax.tools} on real files in a temporary directory, with the
 * jwdm processor and any extra processors, and keeps everything a test may look at in memory.
 *
 * <p>Both compilers run the same way. compile-testing's in-memory file manager is not used: ECJ
 * rejects its {@code mem:///} URIs, and its {@code Compilation} hides the generated files of a
 * failed compilation, which the tests need (a broken driver gets no glue while a valid one next to
 * it does).
 */
public final class TestCompiler {
  /**
   * The class path of test sources: the jwdm runtime and this harness (whose kernel fakes the glue
   * tests' drivers use), found where the test JVM loaded them from. Leaving out the rest of the
   * test class path (Guava, Truth, ECJ, ...) keeps every compilation fast.
   */
  private static final String FIXTURE_CLASS_PATH =
      String.join(
          File.pathSeparator,
          new LinkedHashSet<>(
              List.of(
                  locationOf(io.jwdm.kernel.DriverObject.class),
                  locationOf(TestCompiler.class))));

  private final CompilerKind kind;
  private final List<Supplier<? extends Processor>> extraProcessors = new ArrayList<>();
  private final List<String> extraOptions = new ArrayList<>();

  TestCompiler(CompilerKind kind) {
    this.kind = kind;
  }

  /**
   * Adds a processor that runs after the jwdm processor in every round. A fresh one is created for
   * each compilation, since a processor instance serves one compilation only.
   */
  public TestCompiler withProcessor(Supplier<? extends Processor> processor) {
    extraProcessors.add(processor);
    return this;
  }

  /** Adds compiler options, such as {@code -Xlint:all} for javac. */
  public TestCompiler withOptions(String... options) {
    extraOptions.addAll(List.of(options));
    return this;
  }

  public CompilationResult compile(SourceFile... sources) {
    return compile(List.of(sources));
  }

  public CompilationResult compile(List<SourceFile> sources) {
    Path root = createTempDirectory();
    try {
      return compileIn(root, sources);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteRecursively(root);
    }
  }

  private CompilationResult compileIn(Path root, List<SourceFile> sources) throws IOException {
    Path sourceDir = Files.createDirectories(root.resolve("src"));
    Path classDir = Files.createDirectories(root.resolve("classes"));
    Path generatedDir = Files.createDirectories(root.resolve("generated"));
    List<Path> sourcePaths = new ArrayList<>();
    for (SourceFile source : sources) {
      Path path = sourceDir.resolve(source.path());
      if (Files.exists(path)) {
        throw new IllegalArgumentException("two test sources for " + source.path());
      }
      Files.createDirectories(path.getParent());
      Files.writeString(path, source.content(), StandardCharsets.UTF_8);
      sourcePaths.add(path);
    }

    List<String> options = new ArrayList<>(kind.languageLevelOptions());
    options.addAll(
        List.of(
            "-encoding", "UTF-8",
            // The sources of a test are exactly the files given: nothing is found on a path.
            "-sourcepath", sourceDir.toString(),
            "-classpath", FIXTURE_CLASS_PATH,
            "-d", classDir.toString(),
            "-s", generatedDir.toString()));
    options.addAll(extraOptions);

    List<Processor> processors = new ArrayList<>();
    processors.add(new JwdmProcessor());
    extraProcessors.forEach(p -> processors.add(p.get()));

    JavaCompiler tool = kind.tool();
    DiagnosticCollector<JavaFileObject> collector = new DiagnosticCollector<>();
    boolean success = false;
    Throwable crash = null;
    try (StandardJavaFileManager fileManager =
        tool.getStandardFileManager(collector, Locale.ROOT, StandardCharsets.UTF_8)) {
      JavaCompiler.CompilationTask task =
          tool.getTask(
              // ECJ prints its own problem list on the task output; the collector has them all.
              new PrintWriter(Writer.nullWriter()),
              fileManager,
              collector,
              options,
              null,
              fileManager.getJavaFileObjectsFromFiles(
                  sourcePaths.stream().map(Path::toFile).toList()));
      task.setProcessors(processors);
      task.setLocale(Locale.ROOT);
      try {
        success = task.call();
      } catch (RuntimeException | Error e) {
        // javac rethrows what a processor threw; a test must see it, not lose it.
        crash = e;
      }
    }

    List<ReportedDiagnostic> diagnostics = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : collector.getDiagnostics()) {
      diagnostics.add(ReportedDiagnostic.of(d, sourceDir, generatedDir));
    }
    return new CompilationResult(
        kind,
        sources,
        success && crash == null,
        crash,
        diagnostics,
        readTree(generatedDir),
        readTree(classDir));
  }

  /** Every file under {@code dir}, by its '/'-separated relative path, in path order. */
  private static Map<String, byte[]> readTree(Path dir) throws IOException {
    Map<String, byte[]> files = new LinkedHashMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
        String relative = dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        files.put(relative, Files.readAllBytes(file));
      }
    }
    return files;
  }

  private static String locationOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException | RuntimeException e) {
      throw new IllegalStateException("cannot find where " + type + " was loaded from", e);
    }
  }

  private static Path createTempDirectory() {
    try {
      return Files.createTempDirectory("jwdm-processor-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

package io.jwdm.processor.harness;

import io.jwdm.spi.DriverGlue;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a test compilation left behind: its status, diagnostics and every generated file. Read it
 * through {@link JwdmCompilationSubject#assertThat}.
 */
public final class CompilationResult {
  /** Where the processor lists the glue it generated. */
  public static final String SERVICES_FILE = "META-INF/services/io.jwdm.spi.DriverGlue";

  private final CompilerKind compiler;
  private final List<SourceFile> sources;
  private final boolean success;
  private final Throwable crash;
  private final List<ReportedDiagnostic> diagnostics;
  private final Map<String, byte[]> generatedSources;
  private final Map<String, byte[]> classOutput;
  private GeneratedClassLoader classLoader;

  CompilationResult(
      CompilerKind compiler,
      List<SourceFile> sources,
      boolean success,
      Throwable crash,
      List<ReportedDiagnostic> diagnostics,
      Map<String, byte[]> generatedSources,
      Map<String, byte[]> classOutput) {
    this.compiler = compiler;
    this.sources = List.copyOf(sources);
    this.success = success;
    this.crash = crash;
    this.diagnostics = List.copyOf(diagnostics);
    this.generatedSources = generatedSources;
    this.classOutput = classOutput;
  }

  public CompilerKind compiler() {
    return compiler;
  }

  public List<SourceFile> sources() {
    return sources;
  }

  /** True when the compiler reported success and nothing was thrown out of it. */
  public boolean succeeded() {
    return success;
  }

  /** What the compiler threw, if anything did (javac rethrows what a processor throws). */
  public Optional<Throwable> crash() {
    return Optional.ofNullable(crash);
  }

  public List<ReportedDiagnostic> diagnostics() {
    return diagnostics;
  }

  /** The diagnostics whose message starts with a jwdm {@code [ID]}. */
  public List<ReportedDiagnostic> jwdmDiagnostics() {
    return diagnostics.stream().filter(d -> d.jwdmId().isPresent()).toList();
  }

  public List<ReportedDiagnostic> errors() {
    return diagnostics.stream().filter(ReportedDiagnostic::isError).toList();
  }

  /**
   * The diagnostics a test compares between compilers: those carrying a jwdm ID, and all errors.
   * Compilers' own warnings (ECJ's unused fields, for example) are left out.
   */
  public List<ReportedDiagnostic> relevantDiagnostics() {
    return diagnostics.stream().filter(d -> d.isError() || d.jwdmId().isPresent()).toList();
  }

  /** Generated source files by path, such as {@code test/Toaster_DriverGlue.java}. */
  public Map<String, String> generatedSources() {
    Map<String, String> texts = new TreeMap<>();
    generatedSources.forEach((path, bytes) -> texts.put(path, new String(bytes, StandardCharsets.UTF_8)));
    return texts;
  }

  /** The generated source of the type {@code qualifiedName}, if one was generated. */
  public Optional<String> generatedSource(String qualifiedName) {
    return Optional.ofNullable(generatedSources.get(qualifiedName.replace('.', '/') + ".java"))
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /**
   * The files the compilation wrote to its class output other than class files (the services
   * file, for instance), by path.
   */
  public Map<String, byte[]> generatedResources() {
    Map<String, byte[]> resources = new TreeMap<>();
    classOutput.forEach(
        (path, bytes) -> {
          if (!path.endsWith(".class")) {
            resources.put(path, bytes.clone());
          }
        });
    return resources;
  }

  /** The class-output resource at {@code path} as text, if the compilation wrote one. */
  public Optional<String> generatedResource(String path) {
    return Optional.ofNullable(classOutput.get(path))
        .map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }

  /** The lines of the services file, or an empty list when none was written. */
  public List<String> servicesFileLines() {
    return generatedResource(SERVICES_FILE).map(text -> text.lines().toList()).orElse(List.of());
  }

  /**
   * A class loader over the compiled classes and resources, child of the test's own loader, so that
   * compiled code shares the runtime's types ({@code DriverGlue}, {@code DriverObject}) with the
   * test. Only for a successful compilation.
   */
  public ClassLoader classLoader() {
    if (!success) {
      throw new IllegalStateException(
          "the compilation failed; nothing to load. Diagnostics:\n" + describeDiagnostics());
    }
    if (classLoader == null) {
      classLoader = new GeneratedClassLoader(classOutput, CompilationResult.class.getClassLoader());
    }
    return classLoader;
  }

  /** Loads the compiled class {@code binaryName} ({@code test.Outer$Inner} for a nested class). */
  public Class<?> loadClass(String binaryName) {
    try {
      return Class.forName(binaryName, true, classLoader());
    } catch (ClassNotFoundException e) {
      throw new AssertionError(
          binaryName + " was not compiled; class output: " + classOutput.keySet(), e);
    }
  }

  /** A new instance of the generated glue class {@code qualifiedName}, through its no-arg constructor. */
  public DriverGlue newGlue(String qualifiedName) {
    Class<?> glueClass = loadClass(qualifiedName);
    if (!DriverGlue.class.isAssignableFrom(glueClass)) {
      throw new AssertionError(qualifiedName + " does not implement " + DriverGlue.class.getName());
    }
    try {
      return (DriverGlue) glueClass.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(qualifiedName + " has no public no-arg constructor", e);
    }
  }

  /** Every diagnostic, one per line, for failure messages. */
  public String describeDiagnostics() {
    if (diagnostics.isEmpty()) {
      return "  (none)";
    }
    StringBuilder text = new StringBuilder();
    for (ReportedDiagnostic diagnostic : diagnostics) {
      text.append("  ").append(diagnostic).append('\n');
    }
    return text.toString();
  }

  @Override
  public String toString() {
    return compiler + " compilation of " + sources;
  }
}

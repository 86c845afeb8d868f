package io.jwdm.processor.harness;

import static com.google.common.truth.Fact.fact;
import static com.google.common.truth.Fact.simpleFact;

import com.google.common.truth.Fact;
import com.google.common.truth.FailureMetadata;
import com.google.common.truth.StringSubject;
import com.google.common.truth.Subject;
import com.google.common.truth.Truth;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import javax.tools.Diagnostic;

/**
 * Truth assertions on a {@link CompilationResult}, the same under javac and ECJ, in the style of
 * compile-testing's {@code CompilationSubject}:
 *
 * <pre>{@code
 * assertThat(compilation)
 *     .hadOnlyJwdmError("MissingUnload")
 *     .inFile(TOASTER)
 *     .onLineContaining("class Toaster");
 * }</pre>
 *
 * <p>Every assertion first checks that the processor did not crash: that nothing was thrown out of
 * the compiler, and that no diagnostic is an {@code [InternalError]}, an ECJ "Internal compiler
 * error" or a stack trace.
 */
public final class JwdmCompilationSubject extends Subject {
  private static final Pattern STACK_FRAME = Pattern.compile("(?m)^\\s*at [\\w.$]+\\(");

  private final CompilationResult actual;

  private JwdmCompilationSubject(FailureMetadata metadata, CompilationResult actual) {
    super(metadata, actual);
    this.actual = actual;
  }

  public static Subject.Factory<JwdmCompilationSubject, CompilationResult> compilations() {
    return JwdmCompilationSubject::new;
  }

  public static JwdmCompilationSubject assertThat(CompilationResult actual) {
    return Truth.assertAbout(compilations()).that(actual);
  }

  /** Nothing was thrown out of the compiler and no diagnostic shows a processor crash. */
  public void hadNoProcessorCrash() {
    Optional<Throwable> crash = actual.crash();
    if (crash.isPresent()) {
      failExpecting("expected the compiler not to throw", fact("thrown", stackTrace(crash.get())));
      return;
    }
    for (ReportedDiagnostic diagnostic : actual.diagnostics()) {
      String message = diagnostic.message();
      if (diagnostic.jwdmId().filter("InternalError"::equals).isPresent()
          || message.contains("Internal compiler error")
          || STACK_FRAME.matcher(message).find()) {
        failExpecting("expected no processor crash", fact("crash reported as", diagnostic));
        return;
      }
    }
  }

  /** The compilation succeeded. Warnings, including jwdm warnings, are allowed. */
  public void succeeded() {
    hadNoProcessorCrash();
    if (!actual.succeeded() || !actual.errors().isEmpty()) {
      failExpecting("expected the compilation to succeed");
    }
  }

  /** The compilation succeeded and the processor reported nothing: no jwdm error, warning or note. */
  public void succeededWithoutJwdmDiagnostics() {
    succeeded();
    if (!actual.jwdmDiagnostics().isEmpty()) {
      failExpecting("expected no jwdm diagnostics", fact("but got", actual.jwdmDiagnostics()));
    }
  }

  /** The compilation failed (with at least one error). */
  public void failed() {
    hadNoProcessorCrash();
    if (actual.succeeded() || actual.errors().isEmpty()) {
      failExpecting("expected the compilation to fail with an error");
    }
  }

  /** No diagnostic carries a jwdm ID. */
  public void hadNoJwdmDiagnostics() {
    hadNoProcessorCrash();
    if (!actual.jwdmDiagnostics().isEmpty()) {
      failExpecting("expected no jwdm diagnostics", fact("but got", actual.jwdmDiagnostics()));
    }
  }

  /**
   * The jwdm IDs reported, of any kind, are exactly {@code ids} (in any order; an ID listed twice
   * must be reported twice), and the compiler reported no error of its own.
   */
  public void hadJwdmIdsExactly(String... ids) {
    hadNoProcessorCrash();
    List<String> reported = actual.jwdmDiagnostics().stream().map(d -> d.jwdmId().orElseThrow()).toList();
    List<String> remaining = new ArrayList<>(reported);
    boolean matches = reported.size() == ids.length;
    for (String id : ids) {
      matches &= remaining.remove(id);
    }
    if (!matches) {
      failExpecting("expected exactly these jwdm IDs", fact("expected", List.of(ids)), fact("but got", reported));
      return;
    }
    expectNoCompilerErrors();
  }

  /**
   * The processor reported exactly one diagnostic, an error with the ID {@code id}, and the
   * compiler reported no error of its own: the finding does not cascade into others.
   */
  public DiagnosticClause hadOnlyJwdmError(String id) {
    hadNoProcessorCrash();
    List<ReportedDiagnostic> jwdm = actual.jwdmDiagnostics();
    if (jwdm.size() != 1
        || !jwdm.get(0).isError()
        || !jwdm.get(0).jwdmId().orElseThrow().equals(id)) {
      failExpecting("expected exactly one jwdm diagnostic, the error [" + id + "]", fact("but got", jwdm));
      return new DiagnosticClause("[" + id + "]", List.of());
    }
    expectNoCompilerErrors();
    return new DiagnosticClause("[" + id + "]", jwdm);
  }

  /**
   * The compilation succeeded and the processor reported exactly one diagnostic, a warning with the
   * ID {@code id}.
   */
  public DiagnosticClause hadOnlyJwdmWarning(String id) {
    succeeded();
    List<ReportedDiagnostic> jwdm = actual.jwdmDiagnostics();
    if (jwdm.size() != 1
        || jwdm.get(0).kind() != Diagnostic.Kind.WARNING
        || !jwdm.get(0).jwdmId().orElseThrow().equals(id)) {
      failExpecting("expected exactly one jwdm diagnostic, the warning [" + id + "]", fact("but got", jwdm));
      return new DiagnosticClause("[" + id + "]", List.of());
    }
    return new DiagnosticClause("[" + id + "]", jwdm);
  }

  /** At least one error's message contains {@code text}; narrow down with the returned clause. */
  public DiagnosticClause hadErrorContaining(String text) {
    return hadDiagnosticContaining(Diagnostic.Kind.ERROR, text);
  }

  /** At least one warning's message contains {@code text}; narrow down with the returned clause. */
  public DiagnosticClause hadWarningContaining(String text) {
    return hadDiagnosticContaining(Diagnostic.Kind.WARNING, text);
  }

  /**
   * At least one error is the compiler's own (it carries no jwdm ID), as for an unresolved type;
   * narrow down with the returned clause.
   */
  public DiagnosticClause hadCompilerError() {
    hadNoProcessorCrash();
    List<ReportedDiagnostic> matching =
        actual.errors().stream().filter(d -> d.jwdmId().isEmpty()).toList();
    if (matching.isEmpty()) {
      failExpecting("expected an error from the compiler itself (without a jwdm ID)");
    }
    return new DiagnosticClause("a compiler error", matching);
  }

  private DiagnosticClause hadDiagnosticContaining(Diagnostic.Kind kind, String text) {
    hadNoProcessorCrash();
    List<ReportedDiagnostic> matching =
        actual.diagnostics().stream()
            .filter(d -> d.kind() == kind && d.message().contains(text))
            .toList();
    if (matching.isEmpty()) {
      failExpecting("expected a " + kind.toString().toLowerCase(java.util.Locale.ROOT) + " containing " + quote(text));
    }
    return new DiagnosticClause(quote(text), matching);
  }

  /** The generated source of {@code qualifiedName}, such as {@code test.Toaster_DriverGlue}. */
  public StringSubject generatedSource(String qualifiedName) {
    hadNoProcessorCrash();
    Optional<String> source = actual.generatedSource(qualifiedName);
    if (source.isEmpty()) {
      failWithoutActual(
          simpleFact("expected a generated source for " + qualifiedName),
          fact("generated sources", actual.generatedSources().keySet()),
          fact("diagnostics", "\n" + actual.describeDiagnostics()));
      return check("generatedSource(%s)", qualifiedName).that("");
    }
    return check("generatedSource(%s)", qualifiedName).that(source.get());
  }

  /** No source was generated for {@code qualifiedName}. */
  public void generatedNoSource(String qualifiedName) {
    hadNoProcessorCrash();
    if (actual.generatedSource(qualifiedName).isPresent()) {
      failExpecting(
          "expected no generated source for " + qualifiedName,
          fact("generated sources", actual.generatedSources().keySet()));
    }
  }

  /** No source was generated at all. */
  public void generatedNoSources() {
    hadNoProcessorCrash();
    if (!actual.generatedSources().isEmpty()) {
      failExpecting("expected no generated sources", fact("but got", actual.generatedSources().keySet()));
    }
  }

  /** The class-output resource at {@code path}, such as the services file. */
  public StringSubject generatedResource(String path) {
    hadNoProcessorCrash();
    Optional<String> resource = actual.generatedResource(path);
    if (resource.isEmpty()) {
      failExpecting(
          "expected a generated resource " + path,
          fact("generated resources", actual.generatedResources().keySet()));
      return check("generatedResource(%s)", path).that("");
    }
    return check("generatedResource(%s)", path).that(resource.get());
  }

  private void expectNoCompilerErrors() {
    List<ReportedDiagnostic> compilerErrors =
        actual.errors().stream().filter(d -> d.jwdmId().isEmpty()).toList();
    if (!compilerErrors.isEmpty()) {
      failExpecting("expected the fixture to have no compiler errors", fact("but got", compilerErrors));
    }
  }

  private void failExpecting(String expectation, Fact... more) {
    List<Fact> facts = new ArrayList<>(List.of(more));
    facts.add(fact("compiler", actual.compiler()));
    facts.add(fact("diagnostics", "\n" + actual.describeDiagnostics()));
    failWithoutActual(simpleFact(expectation), facts.toArray(new Fact[0]));
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }

  private static String stackTrace(Throwable throwable) {
    StringWriter text = new StringWriter();
    throwable.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  /** Narrows an expected diagnostic down to a file and a line. */
  public final class DiagnosticClause {
    private final String description;
    private final List<ReportedDiagnostic> candidates;

    private DiagnosticClause(String description, List<ReportedDiagnostic> candidates) {
      this.description = description;
      this.candidates = candidates;
    }

    /** The expected diagnostic is in {@code file}. */
    public LineClause inFile(SourceFile file) {
      List<ReportedDiagnostic> inFile =
          candidates.stream().filter(d -> d.file().equals(file.path())).toList();
      if (inFile.isEmpty() && !candidates.isEmpty()) {
        failExpecting(
            "expected " + description + " in " + file.path(),
            fact("found it in", candidates.stream().map(ReportedDiagnostic::file).distinct().toList()));
      }
      return new LineClause(description, file, inFile);
    }

    /** The message of the one matching diagnostic. */
    public StringSubject messageThat() {
      if (candidates.size() != 1) {
        failExpecting("expected exactly one diagnostic matching " + description, fact("but got", candidates));
        return check("message").that("");
      }
      return check("message of %s", description).that(candidates.get(0).message());
    }
  }

  /** Narrows an expected diagnostic down to a line. */
  public final class LineClause {
    private final String description;
    private final SourceFile file;
    private final List<ReportedDiagnostic> candidates;

    private LineClause(String description, SourceFile file, List<ReportedDiagnostic> candidates) {
      this.description = description;
      this.file = file;
      this.candidates = candidates;
    }

    /**
     * The expected diagnostic is on the one line of the file that contains {@code text}. The
     * fixture must have exactly one such line.
     */
    public void onLineContaining(String text) {
      List<String> lines = file.lines();
      int[] matches =
          IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains(text)).toArray();
      if (matches.length != 1) {
        failExpecting(
            "test fixture " + file.path() + " must have exactly one line containing " + quote(text),
            fact("lines containing it", matches.length));
        return;
      }
      long expectedLine = matches[0] + 1L;
      if (candidates.stream().noneMatch(d -> d.line() == expectedLine)) {
        failExpecting(
            "expected " + description + " on line " + expectedLine + " of " + file.path(),
            fact("that line", lines.get(matches[0]).strip()),
            fact("found it on lines", candidates.stream().map(ReportedDiagnostic::line).toList()));
      }
    }
  }
}

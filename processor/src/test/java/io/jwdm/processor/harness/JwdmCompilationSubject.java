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
import java.util.Locale;
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
 *     .inFile(toaster)
 *     .onLineContaining("class Toaster");
 * }</pre>
 *
 * <p>Every assertion first checks that the processor did not crash: that nothing was thrown out of
 * the compiler, and that no diagnostic is an {@code [InternalError]}, an ECJ "Internal compiler
 * error" or a stack trace. Each assertion fails at most once, with every diagnostic of the
 * compilation in the failure message.
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
    crashed();
  }

  /** The compilation succeeded. Warnings, including jwdm warnings, are allowed. */
  public void succeeded() {
    if (!crashed()) {
      expectSuccess();
    }
  }

  /** The compilation succeeded and the processor reported nothing: no jwdm error, warning or note. */
  public void succeededWithoutJwdmDiagnostics() {
    if (!crashed() && expectSuccess()) {
      expectNoJwdmDiagnostics();
    }
  }

  /** The compilation failed, with at least one error. */
  public void failed() {
    if (!crashed() && (actual.succeeded() || actual.errors().isEmpty())) {
      failExpecting("expected the compilation to fail with an error");
    }
  }

  /** No diagnostic carries a jwdm ID. */
  public void hadNoJwdmDiagnostics() {
    if (!crashed()) {
      expectNoJwdmDiagnostics();
    }
  }

  /**
   * The jwdm IDs reported, of any kind, are exactly {@code ids} in any order (an ID listed twice
   * must be reported twice), and the compiler reported no error of its own.
   */
  public void hadJwdmIdsExactly(String... ids) {
    if (crashed()) {
      return;
    }
    List<String> reported = actual.jwdmDiagnostics().stream().map(d -> d.jwdmId().orElseThrow()).toList();
    List<String> remaining = new ArrayList<>(reported);
    boolean matches = reported.size() == ids.length;
    for (String id : ids) {
      matches &= remaining.remove(id);
    }
    if (!matches) {
      failExpecting(
          "expected exactly these jwdm IDs", fact("expected", List.of(ids)), fact("but got", reported));
      return;
    }
    expectNoCompilerErrors();
  }

  /**
   * The processor reported exactly one diagnostic, an error with the ID {@code id}, and the
   * compiler reported no error of its own: the finding did not cascade into others.
   */
  public DiagnosticClause hadOnlyJwdmError(String id) {
    return hadOnlyJwdmDiagnostic(Diagnostic.Kind.ERROR, id);
  }

  /**
   * The compilation succeeded and the processor reported exactly one diagnostic, a warning with
   * the ID {@code id}.
   */
  public DiagnosticClause hadOnlyJwdmWarning(String id) {
    if (crashed() || !expectSuccess()) {
      return DiagnosticClause.failed(this);
    }
    return hadOnlyJwdmDiagnostic(Diagnostic.Kind.WARNING, id);
  }

  private DiagnosticClause hadOnlyJwdmDiagnostic(Diagnostic.Kind kind, String id) {
    if (crashed()) {
      return DiagnosticClause.failed(this);
    }
    List<ReportedDiagnostic> jwdm = actual.jwdmDiagnostics();
    if (jwdm.size() != 1
        || jwdm.get(0).kind() != kind
        || !jwdm.get(0).jwdmId().orElseThrow().equals(id)) {
      failExpecting(
          "expected exactly one jwdm diagnostic, the "
              + kind.toString().toLowerCase(Locale.ROOT)
              + " ["
              + id
              + "]",
          fact("but got", jwdm));
      return DiagnosticClause.failed(this);
    }
    if (!expectNoCompilerErrors()) {
      return DiagnosticClause.failed(this);
    }
    return new DiagnosticClause(this, "[" + id + "]", jwdm);
  }

  /** At least one error's message contains {@code text}; narrow it down with the returned clause. */
  public DiagnosticClause hadErrorContaining(String text) {
    return hadDiagnosticContaining(Diagnostic.Kind.ERROR, text);
  }

  /** At least one warning's message contains {@code text}; narrow it down with the returned clause. */
  public DiagnosticClause hadWarningContaining(String text) {
    return hadDiagnosticContaining(Diagnostic.Kind.WARNING, text);
  }

  /**
   * At least one error is the compiler's own (it carries no jwdm ID), as for an unresolved type;
   * narrow it down with the returned clause.
   */
  public DiagnosticClause hadCompilerError() {
    if (crashed()) {
      return DiagnosticClause.failed(this);
    }
    List<ReportedDiagnostic> matching =
        actual.errors().stream().filter(d -> d.jwdmId().isEmpty()).toList();
    if (matching.isEmpty()) {
      failExpecting("expected an error from the compiler itself (without a jwdm ID)");
      return DiagnosticClause.failed(this);
    }
    return new DiagnosticClause(this, "a compiler error", matching);
  }

  private DiagnosticClause hadDiagnosticContaining(Diagnostic.Kind kind, String text) {
    if (crashed()) {
      return DiagnosticClause.failed(this);
    }
    List<ReportedDiagnostic> matching =
        actual.diagnostics().stream()
            .filter(d -> d.kind() == kind && d.message().contains(text))
            .toList();
    if (matching.isEmpty()) {
      failExpecting("expected " + describe(kind) + " containing " + quote(text));
      return DiagnosticClause.failed(this);
    }
    return new DiagnosticClause(this, quote(text), matching);
  }

  /** The generated source of {@code qualifiedName}, such as {@code test.Toaster_DriverGlue}. */
  public StringSubject generatedSource(String qualifiedName) {
    Optional<String> source = crashed() ? Optional.empty() : actual.generatedSource(qualifiedName);
    if (source.isEmpty() && actual.crash().isEmpty()) {
      failExpecting(
          "expected a generated source for " + qualifiedName,
          fact("generated sources", actual.generatedSources().keySet()));
    }
    return check("generatedSource(%s)", qualifiedName).that(source.orElse(""));
  }

  /** No source was generated for {@code qualifiedName}. */
  public void generatedNoSource(String qualifiedName) {
    if (!crashed() && actual.generatedSource(qualifiedName).isPresent()) {
      failExpecting(
          "expected no generated source for " + qualifiedName,
          fact("generated sources", actual.generatedSources().keySet()));
    }
  }

  /** No source was generated at all. */
  public void generatedNoSources() {
    if (!crashed() && !actual.generatedSources().isEmpty()) {
      failExpecting(
          "expected no generated sources", fact("but got", actual.generatedSources().keySet()));
    }
  }

  /** The class-output resource at {@code path}, such as the services file, as text. */
  public StringSubject generatedResource(String path) {
    Optional<String> resource = crashed() ? Optional.empty() : actual.generatedResource(path);
    if (resource.isEmpty() && actual.crash().isEmpty()) {
      failExpecting(
          "expected a generated resource " + path,
          fact("generated resources", actual.generatedResources().keySet()));
    }
    return check("generatedResource(%s)", path).that(resource.orElse(""));
  }

  /** Fails, and returns true, when the processor crashed. */
  private boolean crashed() {
    Optional<Throwable> crash = actual.crash();
    if (crash.isPresent()) {
      failExpecting("expected the compiler not to throw", fact("thrown", stackTrace(crash.get())));
      return true;
    }
    for (ReportedDiagnostic diagnostic : actual.diagnostics()) {
      String message = diagnostic.message();
      if (diagnostic.jwdmId().filter("InternalError"::equals).isPresent()
          || message.contains("Internal compiler error")
          || STACK_FRAME.matcher(message).find()) {
        failExpecting("expected no processor crash", fact("crash reported as", diagnostic));
        return true;
      }
    }
    return false;
  }

  private boolean expectSuccess() {
    if (!actual.succeeded() || !actual.errors().isEmpty()) {
      failExpecting("expected the compilation to succeed");
      return false;
    }
    return true;
  }

  private void expectNoJwdmDiagnostics() {
    if (!actual.jwdmDiagnostics().isEmpty()) {
      failExpecting("expected no jwdm diagnostics", fact("but got", actual.jwdmDiagnostics()));
    }
  }

  private boolean expectNoCompilerErrors() {
    List<ReportedDiagnostic> compilerErrors =
        actual.errors().stream().filter(d -> d.jwdmId().isEmpty()).toList();
    if (!compilerErrors.isEmpty()) {
      failExpecting("expected the fixture to have no compiler errors", fact("but got", compilerErrors));
      return false;
    }
    return true;
  }

  private void failExpecting(String expectation, Fact... more) {
    List<Fact> facts = new ArrayList<>(List.of(more));
    facts.add(fact("compiler", actual.compiler()));
    facts.add(fact("diagnostics", "\n" + actual.describeDiagnostics()));
    failWithoutActual(simpleFact(expectation), facts.toArray(new Fact[0]));
  }

  private static String describe(Diagnostic.Kind kind) {
    String name = kind.toString().toLowerCase(Locale.ROOT);
    return (name.startsWith("e") ? "an " : "a ") + name;
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }

  private static String stackTrace(Throwable throwable) {
    StringWriter text = new StringWriter();
    throwable.printStackTrace(new PrintWriter(text));
    return text.toString();
  }

  /**
   * Narrows an expected diagnostic down to a file and a line. A clause made after a failed
   * assertion checks nothing more, so that one mistake gives one failure.
   */
  public static final class DiagnosticClause {
    private final JwdmCompilationSubject subject;
    private final String description;
    private final List<ReportedDiagnostic> candidates;
    private final boolean failed;

    private DiagnosticClause(
        JwdmCompilationSubject subject, String description, List<ReportedDiagnostic> candidates) {
      this(subject, description, candidates, false);
    }

    private DiagnosticClause(
        JwdmCompilationSubject subject,
        String description,
        List<ReportedDiagnostic> candidates,
        boolean failed) {
      this.subject = subject;
      this.description = description;
      this.candidates = candidates;
      this.failed = failed;
    }

    private static DiagnosticClause failed(JwdmCompilationSubject subject) {
      return new DiagnosticClause(subject, "", List.of(), true);
    }

    /** The expected diagnostic is in {@code file}, one of the compilation's sources. */
    public LineClause inFile(SourceFile file) {
      return inFile(file, file.path());
    }

    /**
     * The expected diagnostic is in {@code file}, a source another processor generated during the
     * compilation.
     */
    public LineClause inGeneratedFile(SourceFile file) {
      return inFile(file, "generated:" + file.path());
    }

    private LineClause inFile(SourceFile file, String reportedPath) {
      if (failed) {
        return new LineClause(subject, description, file, List.of(), true);
      }
      List<ReportedDiagnostic> inFile =
          candidates.stream().filter(d -> d.file().equals(reportedPath)).toList();
      if (inFile.isEmpty()) {
        subject.failExpecting(
            "expected " + description + " in " + reportedPath,
            fact("found it in", candidates.stream().map(ReportedDiagnostic::file).distinct().toList()));
        return new LineClause(subject, description, file, List.of(), true);
      }
      return new LineClause(subject, description, file, inFile, false);
    }

    /** The message of the one matching diagnostic. */
    public StringSubject messageThat() {
      if (!failed && candidates.size() != 1) {
        subject.failExpecting(
            "expected exactly one diagnostic matching " + description, fact("but got", candidates));
      }
      String message = !failed && candidates.size() == 1 ? candidates.get(0).message() : "";
      return subject.check("message of %s", description).that(message);
    }
  }

  /** Narrows an expected diagnostic down to a line. */
  public static final class LineClause {
    private final JwdmCompilationSubject subject;
    private final String description;
    private final SourceFile file;
    private final List<ReportedDiagnostic> candidates;
    private final boolean failed;

    private LineClause(
        JwdmCompilationSubject subject,
        String description,
        SourceFile file,
        List<ReportedDiagnostic> candidates,
        boolean failed) {
      this.subject = subject;
      this.description = description;
      this.file = file;
      this.candidates = candidates;
      this.failed = failed;
    }

    /**
     * The expected diagnostic is on the one line of the file that contains {@code text}. The
     * fixture must have exactly one such line.
     */
    public void onLineContaining(String text) {
      if (failed) {
        return;
      }
      List<String> lines = file.lines();
      int[] matches =
          IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains(text)).toArray();
      if (matches.length != 1) {
        subject.failExpecting(
            "test fixture " + file.path() + " must have exactly one line containing " + quote(text),
            fact("lines containing it", matches.length));
        return;
      }
      long expectedLine = matches[0] + 1L;
      if (candidates.stream().noneMatch(d -> d.line() == expectedLine)) {
        subject.failExpecting(
            "expected " + description + " on line " + expectedLine + " of " + file.path(),
            fact("that line", lines.get(matches[0]).strip()),
            fact("found it on lines", candidates.stream().map(ReportedDiagnostic::line).toList()));
      }
    }
  }
}

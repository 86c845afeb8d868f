package io.jwdm.processor.fuzz;

import io.jwdm.processor.harness.CompilerKind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;

/**
 * What one compilation of a mutant did, and the fuzz oracle's verdict on it.
 *
 * <p>The processor crashed if anything was thrown out of the compiler, if a diagnostic is an
 * {@code [InternalError]}, an ECJ "Internal compiler error" or carries a stack trace, if the
 * compiler printed a stack trace, if the processor printed a message without a known jwdm ID, or if
 * glue the processor generated does not compile. Anything else is a clean compilation, jwdm
 * findings, the compiler's own errors, or both.
 *
 * @param success the compiler reported success and nothing was thrown out of it
 * @param escaped what was thrown out of the compiler call, or null
 * @param output what the compiler printed on its output writer
 * @param generatedFiles the sources the processor generated, by relative path
 * @param nanos how long the compilation took
 */
record FuzzOutcome(
    CompilerKind compiler,
    boolean success,
    Throwable escaped,
    List<Message> messages,
    String output,
    List<String> generatedFiles,
    long nanos) {

  FuzzOutcome withNanos(long took) {
    return new FuzzOutcome(compiler, success, escaped, messages, output, generatedFiles, took);
  }

  /**
   * Every ID the processor reports: one per rule (see {@code docs/rules}), plus {@code Unresolved}
   * and {@code OutputError}. {@code InternalError}, its report of its own bug, is a crash.
   */
  static final Set<String> KNOWN_IDS =
      Set.of(
          "AddDeviceOnLegacyDriver",
          "ConflictingDriverModel",
          "DriverShape",
          "DuplicateDriverName",
          "DuplicateRoutine",
          "EmptyDispatch",
          "MissingAddDevice",
          "MissingRecommendedDispatch",
          "MissingRequiredDispatch",
          "MissingUnload",
          "NoDispatchRoutine",
          "PermanentDriverWithUnload",
          "RoutineModifiers",
          "RoutineOutsideDriver",
          "RoutineSignature",
          "Unresolved",
          "OutputError");

  private static final Pattern ID = Pattern.compile("^\\[([A-Za-z]+)\\] ");

  /** A stack frame as Java prints one: {@code at a.b.C.m(C.java:12)}. */
  private static final Pattern STACK_FRAME =
      Pattern.compile("(?m)^\\s*at [\\w$]+(\\.[\\w$<>]+)+\\((?:[\\w$]+\\.java:\\d+|Native Method|Unknown Source)\\)");

  /** A stack frame on the same line as other text, as a one-line message joins them. */
  private static final Pattern INLINE_FRAME =
      Pattern.compile("\\bat (?:io\\.jwdm|java\\.|javax\\.|jdk\\.|com\\.sun\\.|org\\.eclipse\\.)[\\w$.<>]+\\((?:[\\w$]+\\.java:\\d+|Native Method|Unknown Source)\\)");

  /** javac's codes for what a processor printed through its Messager. */
  private static final Set<String> JAVAC_MESSAGER_CODES =
      Set.of("compiler.err.proc.messager", "compiler.warn.proc.messager",
          "compiler.note.proc.messager", "compiler.misc.proc.messager");

  /** One diagnostic: its kind, the compiler's code for it, and whether it is on generated glue. */
  record Message(Diagnostic.Kind kind, String code, boolean inGenerated, long line, String text) {
    Optional<String> jwdmId() {
      Matcher matcher = ID.matcher(text);
      return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
    }

    boolean isError() {
      return kind == Diagnostic.Kind.ERROR;
    }

    @Override
    public String toString() {
      return (inGenerated ? "generated " : "") + (line > 0 ? "line " + line + " " : "")
          + kind.toString().toLowerCase(java.util.Locale.ROOT) + " [" + code + "]: " + text;
    }
  }

  /** Why this compilation is a processor crash; empty if it is not one. */
  List<String> crashes() {
    List<String> why = new ArrayList<>();
    if (escaped != null) {
      StringWriter trace = new StringWriter();
      escaped.printStackTrace(new PrintWriter(trace));
      why.add("thrown out of the compiler: " + trace);
    }
    for (Message m : messages) {
      Optional<String> id = m.jwdmId();
      if (id.filter("InternalError"::equals).isPresent()) {
        why.add("internal error reported: " + m);
      } else if (id.isPresent() && !KNOWN_IDS.contains(id.get()) && isProcessorMessage(m)) {
        why.add("unknown jwdm ID: " + m);
      } else if (id.isEmpty() && isProcessorMessage(m)) {
        why.add("processor message without a jwdm ID: " + m);
      }
      if (m.text().contains("Internal compiler error")) {
        why.add("internal compiler error: " + m);
      }
      if (STACK_FRAME.matcher(m.text()).find() || INLINE_FRAME.matcher(m.text()).find()) {
        why.add("stack trace in a diagnostic: " + m);
      }
      if (m.inGenerated() && m.isError()) {
        why.add("generated glue does not compile: " + m);
      }
    }
    if (STACK_FRAME.matcher(output).find() || INLINE_FRAME.matcher(output).find()) {
      why.add("stack trace in the compiler's output: " + output);
    }
    return why;
  }

  boolean crashed() {
    return !crashes().isEmpty();
  }

  /**
   * True if the processor printed {@code m} through its Messager. javac says so in the code; ECJ
   * gives such messages no code, while its own problems carry their numeric problem ID.
   */
  private boolean isProcessorMessage(Message m) {
    if (compiler == CompilerKind.JAVAC) {
      return m.code() != null && JAVAC_MESSAGER_CODES.contains(m.code());
    }
    return m.code() == null || m.jwdmId().isPresent();
  }

  List<Message> jwdmFindings() {
    return messages.stream().filter(m -> m.jwdmId().isPresent()).toList();
  }

  /** The compiler's own errors: errors without a jwdm ID. */
  List<Message> compilerErrors() {
    return messages.stream().filter(m -> m.isError() && m.jwdmId().isEmpty()).toList();
  }

  /** Compiled with no error and no jwdm diagnostic. */
  boolean clean() {
    return success && jwdmFindings().isEmpty() && messages.stream().noneMatch(Message::isError);
  }

  String describe() {
    StringBuilder text = new StringBuilder(compiler + ": success=" + success + "\n");
    for (Message m : messages) {
      text.append("  ").append(m).append('\n');
    }
    if (!output.isBlank()) {
      text.append("  output: ").append(output.strip()).append('\n');
    }
    if (!generatedFiles.isEmpty()) {
      text.append("  generated: ").append(generatedFiles).append('\n');
    }
    return text.toString();
  }
}

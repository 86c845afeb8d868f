package io.jwdm.processor.harness;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * One diagnostic of a test compilation, the same way for javac and ECJ.
 *
 * @param file the source's path relative to the source root ({@code test/Toaster.java}), prefixed
 *     with {@code generated:} for a generated source, or empty when the diagnostic has no source
 * @param line the 1-based line, or a value below 1 when there is none
 */
public record ReportedDiagnostic(Diagnostic.Kind kind, String file, long line, String message) {
  private static final Pattern ID = Pattern.compile("^\\[([A-Za-z]+)\\] ");

  static ReportedDiagnostic of(
      Diagnostic<? extends JavaFileObject> diagnostic, Path sourceDir, Path generatedDir) {
    Diagnostic.Kind kind = diagnostic.getKind();
    if (kind == Diagnostic.Kind.MANDATORY_WARNING) {
      kind = Diagnostic.Kind.WARNING;
    }
    return new ReportedDiagnostic(
        kind,
        fileOf(diagnostic.getSource(), sourceDir, generatedDir),
        diagnostic.getLineNumber(),
        diagnostic.getMessage(Locale.ROOT));
  }

  private static String fileOf(JavaFileObject source, Path sourceDir, Path generatedDir) {
    if (source == null) {
      return "";
    }
    URI uri = source.toUri();
    try {
      // Real paths on both sides: the compilers spell a temporary directory differently when it
      // sits behind a symbolic link.
      Path path = Path.of(uri).toRealPath();
      Path realSourceDir = sourceDir.toRealPath();
      Path realGeneratedDir = generatedDir.toRealPath();
      if (path.startsWith(realSourceDir)) {
        return slashes(realSourceDir.relativize(path));
      }
      if (path.startsWith(realGeneratedDir)) {
        return "generated:" + slashes(realGeneratedDir.relativize(path));
      }
    } catch (IOException | RuntimeException notAFileOfThisCompilation) {
      // A URI that is no file of the compilation's directories: show it as it is.
    }
    return uri.toString();
  }

  private static String slashes(Path relative) {
    return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
  }

  /** The jwdm ID the message starts with, such as {@code MissingUnload}, if it has one. */
  public Optional<String> jwdmId() {
    Matcher matcher = ID.matcher(message);
    return matcher.find() ? Optional.of(matcher.group(1)) : Optional.empty();
  }

  public boolean isError() {
    return kind == Diagnostic.Kind.ERROR;
  }

  @Override
  public String toString() {
    String where = file.isEmpty() ? "" : file + (line > 0 ? ":" + line : "") + ": ";
    return where + kind.toString().toLowerCase(Locale.ROOT) + ": " + message;
  }
}

package io.jwdm.cli;

import java.io.PrintStream;
import picocli.CommandLine.Help.Ansi;

/**
 * Where a command writes: human-readable text (with color on a terminal), machine-readable output,
 * errors, and a progress line that only a terminal sees.
 */
final class Printer {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean color;
  private final boolean progress;
  private PrintStream human;
  private int progressWidth;

  Printer(PrintStream out, PrintStream err, Ansi ansi) {
    this.out = out;
    this.err = err;
    this.color = ansi.enabled();
    this.progress = System.console() != null;
    this.human = out;
  }

  /** Machine-readable output (a JSON report) goes to standard output. */
  PrintStream data() {
    return out;
  }

  /** Sends human-readable text to standard error, so standard output holds only data. */
  void humanToStderr() {
    human = err;
  }

  /** Human-readable text: standard output, or standard error when the output is data. */
  PrintStream human() {
    clearProgress();
    return human;
  }

  /** Prints a line of human-readable text. */
  void println(String line) {
    human().println(line);
  }

  /** Prints an error line to standard error. */
  void error(String line) {
    clearProgress();
    err.println(line);
  }

  boolean colored() {
    return color;
  }

  String bold(String text) {
    return style("1", text);
  }

  String red(String text) {
    return style("1;31", text);
  }

  String green(String text) {
    return style("1;32", text);
  }

  String yellow(String text) {
    return style("1;33", text);
  }

  String cyan(String text) {
    return style("36", text);
  }

  String dim(String text) {
    return style("2", text);
  }

  private String style(String codes, String text) {
    return color ? "\u001B[" + codes + "m" + text + "\u001B[0m" : text;
  }

  /** A header line for a section of output. */
  String header(String title) {
    return bold("== " + title);
  }

  /** The verdict word, colored by how it went. */
  String verdict(String verdict) {
    switch (verdict) {
      case "CLEAN":
        return green(verdict);
      case "LEAKED":
        return yellow(verdict);
      default:
        return red(verdict);
    }
  }

  /**
   * Shows what a long step is doing on one line of standard error that the next output overwrites;
   * only on a terminal.
   */
  void progress(String step) {
    if (!progress) {
      return;
    }
    String line = step.length() > 78 ? step.substring(0, 77) + "…" : step;
    err.print("\r" + dim(line) + " ".repeat(Math.max(0, progressWidth - line.length())));
    err.flush();
    progressWidth = line.length();
  }

  /** Removes the progress line, if one is shown. */
  void clearProgress() {
    if (progressWidth > 0) {
      err.print("\r" + " ".repeat(progressWidth) + "\r");
      err.flush();
      progressWidth = 0;
    }
  }
}

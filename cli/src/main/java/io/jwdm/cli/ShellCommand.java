package io.jwdm.cli;

import io.jwdm.host.DriverImage;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.KernelReport;
import io.jwdm.host.NtStatusException;
import io.jwdm.host.SystemStoppedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jwdm shell}: an interactive kernel. */
@Command(name = "shell", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "An interactive kernel: load, unload, replace, plug, remove, open, read, write, ioctl,"
            + " close, advance, expect, devices, drivers, objects, images, links, trace,"
            + " verifier, teardown, help, exit. On a terminal it has line editing, history"
            + " (~/.jwdm_history) and tab completion; otherwise it reads commands from standard"
            + " input without a prompt and stops at the first bad line.",
        ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:the system did not stop, no driver left anything behind or failed",
        "1:a bug check, objects left behind, a driver that failed (DriverEntry, device start),"
            + " or (from a pipe) an expectation not met",
        "2:bad usage, a bad image, or (from a pipe) a bad line"})
final class ShellCommand implements Callable<Integer> {
  @Parameters(paramLabel = "IMAGE", arity = "0..*",
      description = "Driver images to load first.")
  List<Path> images = List.of();

  @Mixin
  KernelOptionsMixin kernelOptions;

  @Spec
  CommandSpec spec;

  /** Where the shell's lines come from. */
  interface LineSource extends AutoCloseable {
    /** The next line, or null at the end. */
    String readLine() throws IOException;

    @Override
    void close();
  }

  @Override
  public Integer call() {
    Printer printer = Jwdm.printer(spec);
    KernelOptions options = kernelOptions.build();
    boolean interactive = System.console() != null;
    Kernel kernel = Kernel.boot(options);
    Session session = new Session(kernel, printer, kernelOptions.lowResourcesOn());
    Interpreter interpreter = new Interpreter(session, printer, Path.of("").toAbsolutePath());
    try {
      for (Path image : images) {
        try {
          DriverImage loaded = session.load(image);
          if (loaded != null) {
            printer.println(Interpreter.describe(loaded));
          }
        } catch (UsageException bad) {
          if (!interactive) {
            throw bad;
          }
          printError(printer, bad.getMessage(), bad.hint());
        }
      }
      if (interactive) {
        printer.println(printer.bold("jwdm shell") + ": " + kernelOptions.describe(options)
            + ". Type help for the commands, exit to leave.");
      }
      try (LineSource source = interactive ? ShellTerminal.open(session, printer)
          : plain()) {
        int status = loop(source, interpreter, printer, interactive);
        if (status != ExitStatus.CLEAN) {
          return status;
        }
      }
    } finally {
      kernel.close();
    }
    KernelReport report = kernel.report();
    if (report.clean() && session.problems().isEmpty()) {
      return ExitStatus.CLEAN;
    }
    printer.error("jwdm shell: " + (report.bugCheck() != null
        ? "the system stopped: " + report.bugCheck().codeName()
        : !report.leaks().isEmpty() ? report.leaks().size() + " object(s) left behind"
        : session.problems().size() + " problem(s): " + String.join("; ", session.problems()))
        + " (see verifier)");
    return ExitStatus.FAILED;
  }

  /** Reads and runs lines until the end or exit; returns a status other than 0 to stop with. */
  private static int loop(LineSource source, Interpreter interpreter, Printer printer,
      boolean interactive) {
    int lineNumber = 0;
    while (true) {
      String line;
      try {
        line = source.readLine();
      } catch (IOException unreadable) {
        printer.error("jwdm shell: cannot read input: " + unreadable.getMessage());
        return ExitStatus.USAGE;
      }
      if (line == null) {
        return ExitStatus.CLEAN;
      }
      lineNumber++;
      String where = "stdin:" + lineNumber;
      try {
        Script.Op op = Script.parse(line);
        if (op == null) {
          continue;
        }
        if (op instanceof Script.Exit) {
          return ExitStatus.CLEAN;
        }
        String shown = interpreter.execute(op);
        if (!shown.isEmpty()) {
          printer.println(shown);
        }
      } catch (UsageException bad) {
        printError(printer, interactive ? bad.getMessage() : where + ": " + bad.getMessage(),
            bad.hint());
        if (!interactive) {
          return ExitStatus.USAGE;
        }
      } catch (ExpectationFailed failed) {
        printError(printer, interactive ? failed.getMessage() : where + ": "
            + failed.getMessage(), null);
        if (!interactive) {
          return ExitStatus.FAILED;
        }
      } catch (SystemStoppedException stopped) {
        printer.println(printer.red("*** the system stopped") + System.lineSeparator()
            + stopped.bugCheck().render().stripTrailing());
        printer.println(String.format("Explain it: jwdm explain 0x%X", stopped.bugCheck().code()));
      } catch (NtStatusException | IllegalArgumentException | IllegalStateException refused) {
        printError(printer, (interactive ? "" : where + ": ") + refused.getMessage(), null);
        if (!interactive) {
          return ExitStatus.USAGE;
        }
      }
    }
  }

  private static void printError(Printer printer, String message, String hint) {
    printer.error(printer.red("error: ") + message);
    if (hint != null) {
      printer.error("  try: " + hint);
    }
  }

  /** Lines from standard input, with no prompt: for pipes and files. */
  private static LineSource plain() {
    BufferedReader reader = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    return new LineSource() {
      @Override
      public String readLine() throws IOException {
        return reader.readLine();
      }

      @Override
      public void close() {
        // standard input stays open
      }
    };
  }
}

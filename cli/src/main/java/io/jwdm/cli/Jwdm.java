package io.jwdm.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code jwdm} command: runs driver images in the simulated kernel under Driver Verifier,
 * checks that they unload clean, offers an interactive shell, and explains processor rules and bug
 * checks.
 */
@Command(name = "jwdm", mixinStandardHelpOptions = true, versionProvider = Jwdm.Version.class,
    description = "Runs jwdm driver images in a simulated Windows kernel, under Driver Verifier.",
    subcommands = {RunCommand.class, CheckCommand.class, ShellCommand.class,
        ExplainCommand.class, CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:clean: no bug check, nothing left behind, every expectation met",
        "1:a bug check or a violation: objects left behind, a driver that failed or stayed"
            + " loaded, an expectation not met",
        "2:bad usage or a bad image (the message says what was wrong and what to try)"},
    footer = {"%nExamples:",
        "  jwdm run --test-signing examples/target/jwdm-examples-*.jar",
        "  jwdm check --test-signing my-driver.jar",
        "  jwdm shell --test-signing my-driver.jar",
        "  jwdm explain MissingUnload",
        "  jwdm explain 0xC4/0x62"})
public final class Jwdm implements Callable<Integer> {
  /** When to color output. */
  enum Color {
    auto, always, never;

    Ansi ansi() {
      return this == always ? Ansi.ON : this == never ? Ansi.OFF : Ansi.AUTO;
    }
  }

  @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
      scope = ScopeType.INHERIT,
      description = "Color the output: auto (on a terminal), always or never."
          + " Default: ${DEFAULT-VALUE}.")
  Color color = Color.auto;

  @Spec
  CommandSpec spec;

  /** The color and streams of this execution, set before parsing. */
  private Ansi ansi = Ansi.AUTO;
  private PrintStream out = System.out;
  private PrintStream err = System.err;

  /** Runs {@code jwdm} and exits with its status. */
  public static void main(String[] args) {
    System.exit(execute(args, System.out, System.err));
  }

  /** Runs {@code jwdm} with {@code args}, writing to {@code out} and {@code err}; returns the status. */
  static int execute(String[] args, PrintStream out, PrintStream err) {
    Jwdm jwdm = new Jwdm();
    CommandLine commandLine = new CommandLine(jwdm);
    Ansi ansi = colorOf(args).ansi();
    jwdm.ansi = ansi;
    jwdm.out = out;
    jwdm.err = err;
    commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(ansi));
    commandLine.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    commandLine.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    Printer printer = new Printer(out, err, ansi);
    commandLine.setParameterExceptionHandler((ParameterException bad, String[] ignored) -> {
      CommandLine failed = bad.getCommandLine();
      if (failed == commandLine && bad instanceof CommandLine.UnmatchedArgumentException
          && !((CommandLine.UnmatchedArgumentException) bad).getUnmatched().isEmpty()
          && !((CommandLine.UnmatchedArgumentException) bad).getUnmatched().get(0)
              .startsWith("-")) {
        printer.error(printer.red("jwdm: ") + "unknown command '"
            + ((CommandLine.UnmatchedArgumentException) bad).getUnmatched().get(0) + "'");
        printer.error("  try: jwdm run, check, shell or explain (jwdm --help)");
        return ExitStatus.USAGE;
      }
      printer.error(printer.red("jwdm: ") + bad.getMessage());
      CommandLine.UnmatchedArgumentException.printSuggestions(bad,
          new PrintWriter(err, true, StandardCharsets.UTF_8));
      printer.error("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for the"
          + " usage.");
      return ExitStatus.USAGE;
    });
    commandLine.setExecutionExceptionHandler((thrown, failed, parseResult) -> {
      if (thrown instanceof UsageException) {
        UsageException usage = (UsageException) thrown;
        printer.error(printer.red("jwdm: ") + usage.getMessage());
        if (usage.hint() != null) {
          printer.error("  try: " + usage.hint());
        }
        return ExitStatus.USAGE;
      }
      printer.error("jwdm: internal error, please report it: " + thrown);
      thrown.printStackTrace(err);
      return ExitStatus.INTERNAL;
    });
    int status = commandLine.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /** The {@code --color} value among the arguments, read before parsing so help uses it too. */
  private static Color colorOf(String[] args) {
    for (int i = 0; i < args.length; i++) {
      String value = null;
      if (args[i].startsWith("--color=")) {
        value = args[i].substring("--color=".length());
      } else if (args[i].equals("--color") && i + 1 < args.length) {
        value = args[i + 1];
      }
      if (value != null) {
        for (Color color : Color.values()) {
          if (color.name().equalsIgnoreCase(value)) {
            return color;
          }
        }
      }
    }
    return Color.auto;
  }

  /** The printer for a subcommand: its streams, colored as {@code --color} says. */
  static Printer printer(CommandSpec spec) {
    Jwdm root = (Jwdm) spec.root().userObject();
    return new Printer(root.out, root.err, root.ansi);
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    spec.commandLine().getErr().println();
    spec.commandLine().getErr().println("jwdm: a command is missing: run, check, shell or"
        + " explain.");
    return ExitStatus.USAGE;
  }

  /** The version from the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Jwdm.class.getPackage().getImplementationVersion();
      return new String[] {"jwdm " + (version == null ? "(development build)" : version),
          "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name")
              + ")"};
    }
  }
}

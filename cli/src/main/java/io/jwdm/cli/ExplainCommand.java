package io.jwdm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jwdm explain}: a processor rule or a bug check, in the spirit of rustc --explain. */
@Command(name = "explain", mixinStandardHelpOptions = true,
    description = {
        "Explains a processor rule (such as MissingUnload) or a bug check (such as 0xC4/0x62,"
            + " 0xCE or KMODE_EXCEPTION_NOT_HANDLED): what it means, the WDK's reason, a wrong"
            + " and a right example.",
        ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {"0:explained", "2:unknown ID (the message lists the known IDs)"})
final class ExplainCommand implements Callable<Integer> {
  @Parameters(paramLabel = "ID", arity = "0..1",
      description = "A rule ID, or a bug check code with its first parameter where it matters:"
          + " 0xC4/0x62, 0xC9/0x226, 0xCE, 0x1E, 0x44 …")
  String id;

  @Option(names = "--list", description = "List the known IDs.")
  boolean list;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Printer printer = Jwdm.printer(spec);
    if (list) {
      printer.println(Explanations.knownIds());
      return ExitStatus.CLEAN;
    }
    if (id == null) {
      throw new UsageException("explain needs an ID", "jwdm explain MissingUnload, or one of:"
          + System.lineSeparator() + Explanations.knownIds());
    }
    String text = Explanations.explain(id);
    if (text == null) {
      throw new UsageException("no explanation for '" + id + "'", "give one of these IDs:"
          + System.lineSeparator() + Explanations.knownIds());
    }
    for (String line : text.stripTrailing().split("\n", -1)) {
      printer.println(line.startsWith("#") ? printer.bold(line) : line);
    }
    return ExitStatus.CLEAN;
  }
}

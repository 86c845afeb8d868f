package io.jwdm.cli;

import io.jwdm.host.DeviceNode;
import io.jwdm.host.DriverImage;
import io.jwdm.host.Handle;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.KernelReport;
import io.jwdm.host.NtStatusException;
import io.jwdm.host.SystemStoppedException;
import io.jwdm.host.TraceEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jwdm run}: the whole life of the drivers of some images, and the verifier's verdict. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Boots a kernel, loads the images, plugs in a device for each hardware ID their WDM"
            + " drivers declare, opens every symbolic link the drivers created (CREATE, then"
            + " CLOSE), runs the scenario, then removes the devices, unloads every driver and"
            + " prints the lifecycle trace, the device tree and the verifier's verdict.",
        ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:clean",
        "1:a bug check, objects left behind, a driver that failed (DriverEntry, start, open) or"
            + " stayed loaded, or an expectation of the scenario not met",
        "2:bad usage, a bad image or a bad scenario line (the message says what to try)"},
    footer = {"%nThe scenario language is in docs/cli.md. Example:",
        "  jwdm run --test-signing --scenario cli/scenarios/examples.jwdm \\",
        "      examples/target/jwdm-examples-0.1.0-SNAPSHOT.jar"})
final class RunCommand implements Callable<Integer> {
  /** How the report is written. */
  enum ReportFormat { text, json }

  @Parameters(paramLabel = "IMAGE", arity = "1..*",
      description = "Driver images: jars, or classes directories (in test-signing mode).")
  List<Path> images;

  @Option(names = "--device", paramLabel = "HWID",
      description = "Plug in a device with this hardware ID (repeatable). Default: one device"
          + " for each hardware ID the WDM drivers declare.")
  List<String> devices;

  @Option(names = "--scenario", paramLabel = "FILE",
      description = "Run this scenario after opening the links: open, read, write, ioctl,"
          + " close, remove, replace, advance, expect … (see docs/cli.md).")
  Path scenario;

  @Mixin
  KernelOptionsMixin kernelOptions;

  @Option(names = "--report", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (trace, device tree and verdict), or json (the report alone on"
          + " standard output; progress goes to standard error). Default: ${DEFAULT-VALUE}.")
  ReportFormat report;

  @Option(names = "--dot", paramLabel = "FILE",
      description = "Write the device tree, as it stood before teardown, as a Graphviz DOT"
          + " graph.")
  Path dot;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Printer printer = Jwdm.printer(spec);
    KernelOptions options = kernelOptions.build();
    List<Script.Step> steps = scenario == null ? List.of() : Script.parseFile(scenario);
    checkDotFile();
    if (report == ReportFormat.json) {
      printer.humanToStderr();
    }
    Kernel kernel = Kernel.boot(options);
    Session session = new Session(kernel, printer, kernelOptions.lowResourcesOn());
    String tree = null;
    String graph = null;
    String failure = null;
    try {
      printer.println(printer.bold("jwdm run") + ": " + images.size() + " image(s), "
          + kernelOptions.describe(options));
      for (Path image : images) {
        printer.progress("loading " + image);
        DriverImage loaded = session.load(image);
        if (loaded != null) {
          printer.println(Interpreter.describe(loaded));
        }
      }
      plugDevices(session, printer);
      openLinks(session, printer);
      if (!steps.isEmpty()) {
        failure = runScenario(steps, session, printer);
      }
      tree = kernel.deviceTree();
      graph = Dot.render(kernel);
      printer.progress("tearing down");
      session.teardown();
    } catch (SystemStoppedException stopped) {
      printer.println(printer.red("the system stopped: ") + stopped.bugCheck().codeName()
          + String.format(" (0x%X)", stopped.bugCheck().code()));
    } finally {
      kernel.close();
      printer.clearProgress();
    }
    if (tree == null) {
      tree = kernel.deviceTree();
      graph = Dot.render(kernel);
    }
    if (dot != null) {
      writeDot(graph, printer);
    }
    KernelReport result = kernel.report();
    if (report == ReportFormat.json) {
      printer.data().print(ReportJson.render(result));
    } else {
      printer.println("");
      printer.println(printer.header("Lifecycle trace"));
      for (TraceEvent event : result.trace()) {
        printer.println(event.toString());
      }
      printer.println("");
      printer.println(printer.header("Device tree (before teardown)"));
      printer.println(tree.stripTrailing());
      printer.println("");
      printer.println(printer.header("Driver Verifier"));
      printer.println(colorVerdict(result.renderText(), printer).stripTrailing());
    }
    return verdict(result, session, failure, printer);
  }

  private void plugDevices(Session session, Printer printer) {
    List<String> declared = session.declaredHardwareIds();
    List<String> ids = devices == null ? declared : devices;
    if (devices != null) {
      for (String id : devices) {
        if (declared.stream().noneMatch(d -> d.equalsIgnoreCase(id))) {
          throw new UsageException("--device " + id + ": no loaded driver serves it",
              declared.isEmpty() ? "the images have no WDM driver; leave out --device"
                  : "the drivers declare: " + String.join(", ", declared));
        }
      }
    }
    for (String id : ids) {
      printer.progress("plugging in " + id);
      DeviceNode node = session.plug(List.of(id), true);
      printer.println(Interpreter.describe(node));
    }
  }

  private static void openLinks(Session session, Printer printer) {
    for (Session.Link link : session.links()) {
      printer.progress("opening " + link.name());
      try {
        Handle handle = session.kernel().open(link.name(), Session.OWNER);
        handle.close();
        printer.println("opened and closed " + link.name() + " -> " + link.target() + " ("
            + link.owner() + ")");
      } catch (NtStatusException refused) {
        session.problem("open " + link.name() + " (" + link.owner() + ") failed: "
            + refused.status());
      }
    }
  }

  /** Runs the scenario; returns the failed expectation, or null. */
  private String runScenario(List<Script.Step> steps, Session session, Printer printer) {
    Path base = scenario.toAbsolutePath().getParent();
    Interpreter interpreter = new Interpreter(session, printer, base);
    printer.println(printer.header("Scenario " + scenario));
    for (Script.Step step : steps) {
      printer.progress(step.where() + " " + step.text());
      printer.println(printer.dim(String.format("%4d", step.line())) + "  " + step.text());
      String shown;
      try {
        shown = interpreter.execute(step.op());
      } catch (ExpectationFailed failed) {
        String message = failed.at(step.where()).getMessage();
        printer.println("      " + printer.red("FAILED ") + message);
        return message;
      } catch (UsageException bad) {
        throw bad.at(step.where());
      } catch (IllegalArgumentException | IllegalStateException refused) {
        throw new UsageException(step.where() + ": " + refused.getMessage(), null);
      }
      for (String line : shown.split("\n", -1)) {
        if (!line.isEmpty()) {
          printer.println("      " + line);
        }
      }
    }
    return null;
  }

  private void checkDotFile() {
    if (dot == null) {
      return;
    }
    Path parent = dot.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      throw new UsageException("--dot " + dot + ": no such folder " + parent,
          "create the folder, or give another path");
    }
    if (Files.isDirectory(dot)) {
      throw new UsageException("--dot " + dot + ": it is a folder",
          "give the path of a file to write, such as devices.dot");
    }
  }

  private void writeDot(String graph, Printer printer) {
    try {
      Files.writeString(dot, graph, StandardCharsets.UTF_8);
      printer.println("device tree written to " + dot + " (render it with: dot -Tsvg " + dot
          + " -o devices.svg)");
    } catch (IOException unwritable) {
      throw new UsageException("--dot " + dot + ": cannot write: " + unwritable.getMessage(),
          "give a path you can write");
    }
  }

  /** The verdict line of the report, in color on a terminal. */
  static String colorVerdict(String text, Printer printer) {
    for (String verdict : new String[] {"CLEAN", "LEAKED", "STOPPED"}) {
      String line = "Verdict: " + verdict;
      if (text.startsWith(line)) {
        return "Verdict: " + printer.verdict(verdict) + text.substring(line.length());
      }
    }
    return text;
  }

  /** Prints the result line and returns the exit status. */
  static int verdict(KernelReport report, Session session, String failure, Printer printer) {
    List<String> reasons = new ArrayList<>();
    if (report.bugCheck() != null) {
      reasons.add(String.format("bug check 0x%X %s", report.bugCheck().code(),
          report.bugCheck().codeName()));
    }
    if (!report.leaks().isEmpty()) {
      reasons.add(report.leaks().size() + " object(s) left behind");
    }
    reasons.addAll(session.problems());
    if (failure != null) {
      reasons.add(failure);
    }
    printer.println("");
    if (reasons.isEmpty()) {
      printer.println("Result: " + printer.green("CLEAN"));
      return ExitStatus.CLEAN;
    }
    printer.println("Result: " + printer.red("FAILED"));
    for (String reason : reasons) {
      printer.println("  - " + reason);
    }
    if (report.bugCheck() != null) {
      int code = report.bugCheck().code();
      printer.println("Explain it: jwdm explain " + String.format("0x%X", code)
          + (code == 0xC4 || code == 0xC9
              ? String.format("/0x%X", report.bugCheck().parameter1()) : ""));
    }
    return ExitStatus.FAILED;
  }
}

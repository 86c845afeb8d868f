package io.jwdm.cli;

import io.jwdm.host.DriverImage;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.KernelReport;
import io.jwdm.host.SystemStoppedException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jwdm check}: does it load and unload clean? */
@Command(name = "check", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Loads the images and unloads them again, under Driver Verifier: does each driver unload"
            + " clean? A WDM driver loads when a device it serves appears, so check plugs in one"
            + " device for each hardware ID the WDM drivers declare and removes it again. No"
            + " handle is opened.",
        ""},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:clean",
        "1:a bug check, objects left behind, or a driver that failed or stayed loaded",
        "2:bad usage or a bad image (the message says what to try)"})
final class CheckCommand implements Callable<Integer> {
  @Parameters(paramLabel = "IMAGE", arity = "1..*",
      description = "Driver images: jars, or classes directories (in test-signing mode).")
  List<Path> images;

  @Mixin
  KernelOptionsMixin kernelOptions;

  @Option(names = "--report", paramLabel = "FORMAT", defaultValue = "text",
      description = "text, or json (the report alone on standard output)."
          + " Default: ${DEFAULT-VALUE}.")
  RunCommand.ReportFormat report;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    Printer printer = Jwdm.printer(spec);
    KernelOptions options = kernelOptions.build();
    if (report == RunCommand.ReportFormat.json) {
      printer.humanToStderr();
    }
    Kernel kernel = Kernel.boot(options);
    Session session = new Session(kernel, printer, kernelOptions.lowResourcesOn());
    try {
      for (Path image : images) {
        printer.progress("loading " + image);
        DriverImage loaded = session.load(image);
        if (loaded != null) {
          printer.println(Interpreter.describe(loaded));
        }
      }
      for (String id : session.declaredHardwareIds()) {
        printer.progress("plugging in " + id);
        printer.println(Interpreter.describe(session.plug(List.of(id), true)));
      }
      session.teardown();
    } catch (SystemStoppedException stopped) {
      printer.println(printer.red("the system stopped: ") + stopped.bugCheck().codeName()
          + String.format(" (0x%X)", stopped.bugCheck().code()));
    } finally {
      kernel.close();
      printer.clearProgress();
    }
    KernelReport result = kernel.report();
    if (report == RunCommand.ReportFormat.json) {
      printer.data().print(ReportJson.render(result));
    } else {
      printer.println(RunCommand.colorVerdict(result.renderText(), printer).stripTrailing());
    }
    return RunCommand.verdict(result, session, null, printer);
  }
}

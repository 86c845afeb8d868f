package io.jwdm.cli;

import io.jwdm.cli.Script.Op;
import io.jwdm.host.DeviceNode;
import io.jwdm.host.DriverImage;
import io.jwdm.host.DriverInfo;
import io.jwdm.host.ImageReplaceResult;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelObject;
import io.jwdm.host.KernelReport;
import io.jwdm.host.NtStatusException;
import io.jwdm.host.TraceEvent;
import io.jwdm.host.VerifierFlags;
import io.jwdm.kernel.NtStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Runs the commands of {@link Script} against a {@link Session}: each returns the text to show.
 * A failed {@code expect} throws {@link ExpectationFailed}; a reference to something that does not
 * exist (a handle, a device, an image) throws {@link UsageException}.
 */
final class Interpreter {
  private final Session session;
  private final Printer printer;
  private final Path baseDirectory;

  /**
   * @param baseDirectory where relative image paths start: the scenario file's folder, or the
   *     working directory in the shell
   */
  Interpreter(Session session, Printer printer, Path baseDirectory) {
    this.session = session;
    this.printer = printer;
    this.baseDirectory = baseDirectory;
  }

  private Kernel kernel() {
    return session.kernel();
  }

  /** Runs one command and returns what to show (possibly several lines, or empty). */
  String execute(Op op) {
    if (op instanceof Script.Load load) {
      DriverImage image = session.load(path(load.path()));
      return image == null ? "not loaded: a DriverEntry failed" : describe(image);
    }
    if (op instanceof Script.Unload unload) {
      return Session.describe(session.unload(session.image(unload.ref())));
    }
    if (op instanceof Script.Replace replace) {
      return replace(replace);
    }
    if (op instanceof Script.Plug plug) {
      DeviceNode node = session.plug(plug.hardwareIds(), plug.expect() == null);
      String shown = describe(node);
      if (plug.expect() != null) {
        check("plug " + node.instanceId(), plug.expect().toString(), node.state().toString());
      }
      return shown;
    }
    if (op instanceof Script.Remove remove) {
      DeviceNode node = session.device(remove.device());
      NtStatus status = kernel().remove(node);
      check("remove " + node.instanceId(), remove.expect(), status);
      return "remove " + node.instanceId() + ": " + status;
    }
    if (op instanceof Script.Open open) {
      return open(open);
    }
    if (op instanceof Script.Read read) {
      IoResult result = session.read(read.handle(), read.length());
      check("read " + read.handle(), read.expect(), result.status());
      return describe(result, true);
    }
    if (op instanceof Script.Write write) {
      IoResult result = session.write(write.handle(), write.data());
      check("write " + write.handle(), write.expect(), result.status());
      return describe(result, false);
    }
    if (op instanceof Script.Ioctl ioctl) {
      IoResult result = session.ioctl(ioctl.handle(), ioctl.code(), ioctl.input(),
          ioctl.outputLength());
      check("ioctl " + ioctl.handle(), ioctl.expect(), result.status());
      return describe(result, true);
    }
    if (op instanceof Script.Close close) {
      session.close(close.handle());
      return "closed " + close.handle();
    }
    if (op instanceof Script.Advance advance) {
      // The kernel's clock counts nanoseconds in a long: about 292 years.
      Duration left = Duration.ofNanos(Long.MAX_VALUE).minus(kernel().clock());
      if (advance.duration().compareTo(left) > 0) {
        throw new UsageException("advance: the clock stands at " + format(kernel().clock())
            + " and cannot go past about 292 years", "advance by at most " + format(left));
      }
      kernel().advanceClock(advance.duration());
      return "clock: " + format(kernel().clock());
    }
    if (op instanceof Script.ExpectStatus expect) {
      check(session.lastOperation(), expect.status(), session.last().status());
      return "ok";
    }
    if (op instanceof Script.ExpectData expect) {
      byte[] data = session.last().data();
      if (!Arrays.equals(expect.data(), data)) {
        throw new ExpectationFailed(session.lastOperation() + ": expected data "
            + Syntax.format(expect.data()) + ", got " + Syntax.format(data));
      }
      return "ok";
    }
    if (op instanceof Script.ExpectInformation expect) {
      check(session.lastOperation() + " information", Long.toString(expect.information()),
          Long.toString(session.last().information()));
      return "ok";
    }
    if (op instanceof Script.ExpectLoaded expect) {
      boolean loaded = kernel().isLoaded(expect.driver());
      check("driver " + expect.driver(), expect.loaded() ? "loaded" : "unloaded",
          loaded ? "loaded" : "unloaded");
      return "ok";
    }
    if (op instanceof Script.ExpectDevice expect) {
      check("device " + expect.device(), expect.state().toString(),
          session.deviceState(expect.device()).toString());
      return "ok";
    }
    if (op instanceof Script.ExpectClean) {
      KernelReport report = kernel().report();
      if (!report.clean()) {
        throw new ExpectationFailed("expected a clean system, but it "
            + (report.bugCheck() != null ? "stopped: " + report.bugCheck()
                : "has " + report.leaks().size() + " object(s) left behind"));
      }
      return "ok";
    }
    if (op instanceof Script.Show show) {
      return show(show);
    }
    if (op instanceof Script.Teardown) {
      session.teardown();
      return "";
    }
    if (op instanceof Script.Help help) {
      return help(help.topic());
    }
    throw new IllegalStateException("not a command to execute: " + op);
  }

  private Path path(String text) {
    return baseDirectory.resolve(text).normalize();
  }

  private String replace(Script.Replace replace) {
    ImageReplaceResult result = session.replace(replace.driver(), path(replace.path()));
    if (replace.expect() != null) {
      check("replace " + replace.driver(), replace.expect().toString(),
          result.outcome().toString());
    } else if (result.outcome() == ImageReplaceResult.Outcome.REFUSED) {
      throw new UsageException(result.failure().map(Throwable::getMessage)
          .orElse("the new image was refused"),
          result.failure().map(f -> Session.hint(f.kind())).orElse(null));
    } else if (result.outcome() == ImageReplaceResult.Outcome.NOT_FOUND) {
      throw new UsageException("replace: no driver " + replace.driver() + " is installed",
          "drivers: " + session.declaredDrivers().stream().map(d -> d.name())
              .collect(Collectors.joining(", ")));
    } else if (result.outcome() != ImageReplaceResult.Outcome.REPLACED) {
      session.problem(result.render().strip());
    }
    return result.render().strip();
  }

  private String open(Script.Open open) {
    try {
      String name = session.open(open.path(), open.name());
      check("open " + open.path(), open.expect(), NtStatus.SUCCESS);
      return name + ": opened " + open.path();
    } catch (NtStatusException refused) {
      if (open.expect() == null) {
        throw new ExpectationFailed("open " + open.path() + " failed: " + refused.status()
            + " (write 'expect " + refused.status().name() + "' if that is what you mean)");
      }
      check("open " + open.path(), open.expect(), refused.status());
      return "open " + open.path() + ": " + refused.status();
    }
  }

  private static void check(String what, NtStatus expected, NtStatus actual) {
    if (expected != null && !expected.equals(actual)) {
      throw new ExpectationFailed(what + ": expected " + expected + ", got " + actual);
    }
  }

  private static void check(String what, String expected, String actual) {
    if (!expected.equals(actual)) {
      throw new ExpectationFailed(what + ": expected " + expected + ", got " + actual);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Descriptions

  static String describe(DriverImage image) {
    return "loaded " + image.id() + ": " + String.join(", ", image.driverNames()) + " ("
        + image.signing() + (image.signers().isEmpty() ? "" : " by " + String.join("; ",
            image.signers())) + ")";
  }

  static String describe(DeviceNode node) {
    return "plugged in " + node.instanceId() + " (" + String.join(", ", node.hardwareIds())
        + "): " + node.state() + (node.problemCode() == 0 ? "" : ", code " + node.problemCode())
        + (node.driverNames().isEmpty() ? "" : ", stack " + String.join(" > ",
            node.driverNames()));
  }

  private static String describe(IoResult result, boolean showData) {
    StringBuilder out = new StringBuilder().append(result.status()).append(", ")
        .append(result.information()).append(" byte(s)");
    if (showData && result.information() > 0) {
      out.append(": ").append(Syntax.format(result.data()));
    }
    return out.toString();
  }

  private static String format(java.time.Duration duration) {
    long nanos = duration.toNanos();
    if (nanos % 1_000_000 == 0) {
      return nanos / 1_000_000 + "ms";
    }
    if (nanos % 1_000 == 0) {
      return nanos / 1_000 + "us";
    }
    return nanos + "ns";
  }

  private String show(Script.Show show) {
    switch (show.what()) {
      case "devices":
        return kernel().deviceTree().stripTrailing();
      case "drivers":
        return drivers(kernel().drivers());
      case "objects":
        return objects();
      case "images":
        return images();
      case "links":
        return links();
      case "trace":
        return trace(show.count());
      case "verifier":
        return verifier();
      default:
        throw new IllegalStateException(show.what());
    }
  }

  private static String drivers(List<DriverInfo> drivers) {
    if (drivers.isEmpty()) {
      return "no driver is loaded";
    }
    StringBuilder out = new StringBuilder();
    for (DriverInfo driver : drivers) {
      out.append(driver.name()).append(" (").append(driver.model()).append(", ")
          .append(driver.role()).append(", ").append(driver.state()).append(")\n");
      for (String device : driver.deviceNames()) {
        out.append("  DeviceObject ").append(device).append('\n');
      }
    }
    return out.toString().stripTrailing();
  }

  private String images() {
    List<DriverImage> images = kernel().images();
    if (images.isEmpty()) {
      return "no image is loaded";
    }
    return images.stream().map(i -> i.id() + ": " + String.join(", ", i.driverNames()) + " ("
        + i.signing() + ") from " + i.source()).collect(Collectors.joining("\n"));
  }

  private String links() {
    List<Session.Link> links = session.links();
    if (links.isEmpty()) {
      return "no symbolic link";
    }
    return links.stream().map(l -> l.name() + " -> " + l.target() + " (" + l.owner() + ")")
        .collect(Collectors.joining("\n"));
  }

  private String trace(int count) {
    List<TraceEvent> trace = kernel().trace();
    List<TraceEvent> shown = count > 0 && count < trace.size()
        ? trace.subList(trace.size() - count, trace.size()) : trace;
    return shown.stream().map(TraceEvent::toString).collect(Collectors.joining("\n"));
  }

  /** Every live kernel object the kernel's API shows, each with its owner. */
  private String objects() {
    StringBuilder out = new StringBuilder();
    Kernel kernel = kernel();
    out.append(printer.bold("Images")).append('\n');
    for (DriverImage image : kernel.images()) {
      out.append("  Image ").append(image.id()).append(" (").append(image.signing())
          .append("), owner: I/O manager, drivers ").append(String.join(", ",
              image.driverNames())).append('\n');
    }
    out.append(printer.bold("Driver and device objects")).append('\n');
    for (DriverInfo driver : kernel.drivers()) {
      out.append("  DriverObject ").append(driver.name()).append(" (").append(driver.model())
          .append(", ").append(driver.state()).append("), owner: I/O manager\n");
      for (String device : driver.deviceNames()) {
        out.append("  DeviceObject ").append(device).append(", owner: ").append(driver.name())
            .append('\n');
      }
    }
    out.append(printer.bold("Device nodes")).append('\n');
    for (DeviceNode node : kernel.deviceNodes()) {
      out.append("  DeviceNode ").append(node.instanceId()).append(" [").append(node.state())
          .append("] PDO ").append(node.pdoName()).append(", owner: PnP manager (root bus)")
          .append(node.driverNames().isEmpty() ? "" : ", stack " + String.join(" > ",
              node.driverNames())).append('\n');
    }
    out.append(printer.bold("Symbolic links")).append('\n');
    for (Session.Link link : session.links()) {
      out.append("  SymbolicLink ").append(link.name()).append(" -> ").append(link.target())
          .append(", owner: ").append(link.owner()).append('\n');
    }
    out.append(printer.bold("Handles")).append('\n');
    session.handleNames().forEach((name, path) -> out.append("  Handle ").append(name)
        .append(' ').append(path).append(", owner: ").append(Session.OWNER).append('\n'));
    out.append(printer.bold("Pool, timers, DPCs, work items, threads, callbacks, interrupts,"
        + " lookaside lists")).append('\n');
    for (KernelObject object : kernel.liveObjects()) {
      out.append("  ").append(object.kind()).append(' ').append(object.description());
      if (object.tag() != null) {
        out.append(" tag '").append(object.tag()).append('\'');
      }
      if (object.size() >= 0) {
        out.append(", ").append(object.size()).append(" bytes");
      }
      out.append(", owner: ").append(object.driverName()).append('\n');
    }
    int leaks = kernel.leaks().size();
    if (leaks > 0) {
      out.append(printer.bold("Left behind")).append('\n').append("  ").append(leaks)
          .append(" object(s) drivers left behind, reclaimed by the kernel: see 'verifier'\n");
    }
    return out.toString().stripTrailing();
  }

  private String verifier() {
    StringBuilder out = new StringBuilder();
    List<String> names = session.declaredDrivers().stream().map(d -> d.name())
        .collect(Collectors.toList());
    if (names.isEmpty()) {
      out.append("no driver image is loaded\n");
    }
    for (String name : names) {
      int flags = kernel().options().verifierFlags(name);
      out.append(name).append(": ").append(flags == 0 ? "verifier off" : String.format(
          "0x%X %s", flags, VerifierFlags.describe(flags))).append('\n');
    }
    KernelReport report = kernel().report();
    String text = report.renderText();
    String verdict = report.bugCheck() != null ? "STOPPED" : report.leaks().isEmpty()
        ? "CLEAN" : "LEAKED";
    out.append(text.replaceFirst("Verdict: " + verdict, "Verdict: " + printer.verdict(verdict)));
    return out.toString().stripTrailing();
  }

  /** The shell's help: every command, or one. */
  static String help(String topic) {
    if (topic != null) {
      Script.Command command = Script.command(topic);
      if (command == null) {
        throw new UsageException("no command " + topic, "type help for the list");
      }
      return command.syntax() + "\n  " + command.summary();
    }
    StringBuilder out = new StringBuilder("Commands (DATA is hex:0A0B0C or text:\"…\"; see"
        + " docs/cli.md):\n");
    for (Script.Command command : Script.COMMANDS) {
      out.append("  ").append(command.syntax()).append("\n      ").append(command.summary())
          .append('\n');
    }
    return out.toString().stripTrailing();
  }
}

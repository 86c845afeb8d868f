package io.jwdm.host;

import java.util.List;
import java.util.Optional;

/**
 * What a kernel can tell about a run: the bug check that stopped it (if any), every object a
 * driver left behind with the stack that created it, the calls the low-resources simulation
 * failed, the drivers still loaded and the lifecycle trace. Data first: {@link #renderText()} is
 * one rendering; tools render the same records as JSON.
 *
 * @param seed the kernel's seed, which replays the run
 * @param bugCheck the bug check, or null if the system did not stop
 * @param leaks the objects drivers left behind, in the order they were found
 * @param injectedFailures the calls the low-resources simulation failed
 * @param drivers the drivers loaded when the report was taken
 * @param trace the lifecycle trace, oldest first
 */
public record KernelReport(long seed, BugCheck bugCheck, List<Leak> leaks,
    List<InjectedFailure> injectedFailures, List<DriverInfo> drivers, List<TraceEvent> trace) {
  /** Compact constructor: copies the lists. */
  public KernelReport {
    leaks = List.copyOf(leaks);
    injectedFailures = List.copyOf(injectedFailures);
    drivers = List.copyOf(drivers);
    trace = List.copyOf(trace);
  }

  /** The bug check, if the system stopped. */
  public Optional<BugCheck> stop() {
    return Optional.ofNullable(bugCheck);
  }

  /** True if the system did not stop and no driver left anything behind. */
  public boolean clean() {
    return bugCheck == null && leaks.isEmpty();
  }

  /**
   * The report as text, in the spirit of {@code !analyze -v}: the verdict, the bug check with its
   * parameters and objects, each leak with its creation stack, and each injected failure.
   */
  public String renderText() {
    String newline = System.lineSeparator();
    StringBuilder out = new StringBuilder();
    out.append("Verdict: ").append(bugCheck != null ? "STOPPED" : leaks.isEmpty() ? "CLEAN"
        : "LEAKED").append(newline);
    out.append("Seed: ").append(seed).append(newline);
    if (bugCheck != null) {
      out.append(newline).append("*** Bug check").append(newline).append(bugCheck.render());
    }
    if (!leaks.isEmpty()) {
      out.append(newline).append("*** Objects left behind: ").append(leaks.size()).append(newline);
      for (Leak leak : leaks) {
        out.append(leak.render());
      }
    }
    if (!injectedFailures.isEmpty()) {
      out.append(newline).append("*** Low-resources simulation: ").append(injectedFailures.size())
          .append(" failed call(s)").append(newline);
      for (InjectedFailure failure : injectedFailures) {
        out.append("  ").append(failure.summary()).append(newline);
      }
    }
    if (!drivers.isEmpty()) {
      out.append(newline).append("*** Drivers still loaded").append(newline);
      for (DriverInfo driver : drivers) {
        out.append("  ").append(driver.name()).append(" (").append(driver.model()).append(", ")
            .append(driver.state()).append(")").append(newline);
      }
    }
    return out.toString();
  }
}

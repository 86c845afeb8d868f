package io.jwdm.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.Kernel;
import io.jwdm.host.Leak;
import io.jwdm.host.TraceEvent;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Assertions on a kernel's state shared by the example tests. */
public final class KernelChecks {
  private KernelChecks() {}

  /**
   * Asserts that the system is running and that the drivers left nothing behind: no leaked
   * object, no loaded driver, no open handle and no verifier violation in the trace.
   */
  public static void assertNothingLeftBehind(Kernel kernel) {
    assertRunning(kernel);
    List<Leak> leaks = kernel.leaks();
    assertTrue(leaks.isEmpty(), () -> "leaks:\n"
        + leaks.stream().map(Leak::render).collect(Collectors.joining()));
    assertTrue(kernel.drivers().isEmpty(),
        () -> "drivers still loaded: " + kernel.drivers() + "\n" + kernel.deviceTree());
    assertTrue(kernel.openHandles().isEmpty(), () -> "open handles: " + kernel.openHandles());
    assertEquals(List.of(), events(kernel, "Violation"), "verifier violations");
  }

  /** Asserts that the system has not stopped with a bug check. */
  public static void assertRunning(Kernel kernel) {
    assertEquals(Optional.empty(), kernel.bugCheck(), "the system stopped");
  }

  /** The trace events of {@code kind}, as text. */
  public static List<String> events(Kernel kernel, String kind) {
    return kernel.trace().stream()
        .filter(e -> e.kind().equals(kind))
        .map(e -> e.subject() + ": " + e.detail())
        .collect(Collectors.toList());
  }

  /** The details of the trace events of {@code kind} about {@code subject}, oldest first. */
  public static List<String> events(Kernel kernel, String kind, String subject) {
    return kernel.trace().stream()
        .filter(e -> e.kind().equals(kind) && e.subject().equals(subject))
        .map(TraceEvent::detail)
        .collect(Collectors.toList());
  }

  /** How many times the kernel called {@code driver}'s Unload routine. */
  public static long unloadCalls(Kernel kernel, String driver) {
    return events(kernel, "Unload", driver).stream().filter(d -> d.equals("calling")).count();
  }

  /** How many times the kernel ran {@code driver}'s DriverEntry. */
  public static long driverEntryCalls(Kernel kernel, String driver) {
    return events(kernel, "DriverEntry", driver).stream().filter(d -> d.equals("calling")).count();
  }
}

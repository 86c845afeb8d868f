package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.PoolMemory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/**
 * Assertions shared by the Driver Verifier tests: the exact bug check a host call stops the system
 * with, the objects it names, and the kernel addresses its parameters carry.
 */
final class VerifierAsserts {
  private VerifierAsserts() {}

  /** How the Verifier tests boot their kernels: a short wait timeout and {@code flags} for one driver. */
  static Kernel boot(String driverName, int flags) {
    return Kernel.boot(KernelOptions.builder()
        .waitTimeout(Duration.ofSeconds(2))
        .verifier(driverName, flags)
        .build());
  }

  /** A kernel with Driver Verifier off for every driver. */
  static Kernel bootWithoutVerifier() {
    return Kernel.boot(KernelOptions.builder().waitTimeout(Duration.ofSeconds(2)).build());
  }

  /**
   * Runs a host call that must stop the system: asserts it throws {@link SystemStoppedException}
   * and that the exception and {@link Kernel#bugCheck()} carry the same bug check.
   */
  static BugCheck stops(Kernel kernel, Executable hostCall) {
    SystemStoppedException stopped = assertThrows(SystemStoppedException.class, hostCall);
    BugCheck check = kernel.bugCheck().orElseThrow(
        () -> new AssertionError("SystemStoppedException without a kernel bug check: " + stopped));
    assertSame(check, stopped.bugCheck(), "the exception carries the kernel's bug check");
    return check;
  }

  /** Asserts the code, all four parameters and the driver of a bug check. */
  static void assertBugCheck(BugCheck check, int code, long p1, long p2, long p3, long p4,
      String driver) {
    String shown = check.toString();
    assertAll(shown,
        () -> assertEquals(hex(code), hex(check.code()), "code; " + shown),
        () -> assertEquals(hex(p1), hex(check.parameter1()), "parameter 1; " + shown),
        () -> assertEquals(hex(p2), hex(check.parameter2()), "parameter 2; " + shown),
        () -> assertEquals(hex(p3), hex(check.parameter3()), "parameter 3; " + shown),
        () -> assertEquals(hex(p4), hex(check.parameter4()), "parameter 4; " + shown),
        () -> assertEquals(driver, check.driverName(), "driver; " + shown));
  }

  private static String hex(long value) {
    return String.format("0x%X", value);
  }

  /** Asserts the system is still running and nothing was left behind. */
  static void assertCleanRun(Kernel kernel) {
    assertEquals(java.util.Optional.empty(), kernel.bugCheck(), "no bug check");
    assertEquals(List.of(), kernel.leaks(), "no leaks");
  }

  /** Asserts the system is still running. */
  static void assertRunning(Kernel kernel) {
    assertEquals(java.util.Optional.empty(), kernel.bugCheck(), "no bug check");
  }

  /**
   * Asserts a leaked or offending pool block: kind {@code Pool}, owner, tag, size, when, and a
   * creation stack naming {@code method} of {@code type} (the test driver's code).
   */
  static void assertPoolObject(Leak leak, String driver, String tag, long size, String when,
      Class<?> type, String method) {
    assertAll(leak.render(),
        () -> assertEquals("Pool", leak.kind()),
        () -> assertEquals(driver, leak.driverName()),
        () -> assertEquals(tag, leak.tag()),
        () -> assertEquals(size, leak.size()),
        () -> assertEquals(when, leak.when()),
        () -> assertFalse(leak.creationStack().isEmpty(), "a creation stack"),
        () -> Leaks.assertCreatedIn(leak, type, method));
  }

  /** Asserts a leaked kernel object other than pool: kind, owner, when and creation stack. */
  static void assertObject(Leak leak, String kind, String driver, String when, Class<?> type,
      String method) {
    assertAll(leak.render(),
        () -> assertEquals(kind, leak.kind()),
        () -> assertEquals(driver, leak.driverName()),
        () -> assertEquals(when, leak.when()),
        () -> Leaks.assertCreatedIn(leak, type, method));
  }

  /** True if the trace has an event of {@code kind} about {@code subject} mentioning {@code text}. */
  static boolean traced(Kernel kernel, String kind, String subject, String text) {
    return kernel.trace().stream().anyMatch(event -> event.kind().equals(kind)
        && event.subject().equals(subject) && event.detail().contains(text));
  }

  /** Asserts {@link #traced}. */
  static void assertTraced(Kernel kernel, String kind, String subject, String text) {
    assertTrue(traced(kernel, kind, subject, text), () -> "expected a trace event " + kind + " "
        + subject + " mentioning '" + text + "' in:\n" + kernel.trace());
  }

  // ---------------------------------------------------------------------------------------------
  // Kernel addresses, as the bug check parameters carry them

  static long address(DriverObject driver) {
    return assertInstanceOf(DriverObjectImpl.class, driver).address();
  }

  static long address(DeviceObject device) {
    return assertInstanceOf(DeviceObjectImpl.class, device).address();
  }

  static long address(Irp irp) {
    return assertInstanceOf(IrpImpl.class, irp).address;
  }

  static long address(PoolMemory memory) {
    return assertInstanceOf(PoolBlock.class, memory).address;
  }
}

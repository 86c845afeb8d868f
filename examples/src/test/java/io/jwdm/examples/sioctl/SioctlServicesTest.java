package io.jwdm.examples.sioctl;

import static io.jwdm.examples.KernelChecks.assertNothingLeftBehind;
import static io.jwdm.examples.KernelChecks.events;
import static io.jwdm.examples.KernelChecks.unloadCalls;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_GET_COUNTERS;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_METHOD_BUFFERED;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_REVERSE;
import static io.jwdm.examples.sioctl.Sioctl.SIOCTL_COUNTERS_SIZE;
import static io.jwdm.examples.sioctl.Sioctl.SIOCTL_TIMER_PERIOD_MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.examples.LinkSquatter_DriverGlue;
import io.jwdm.host.Handle;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.KernelReport;
import io.jwdm.host.VerifierFlags;
import io.jwdm.kernel.NtStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kernel services {@link Sioctl} acquires (pool, a spin lock, a periodic timer and its DPC)
 * and releases, under Driver Verifier's {@code /standard} checks: with pool tracking a block left
 * at Unload is bug check 0xC4 / 0x62, a timer or DPC left queued is 0xC7, so a clean unload proves
 * the release.
 */
@DisplayName("Sioctl: pool, spin lock, timer and DPC under /standard")
class SioctlServicesTest {
  private static final String LINK = "\\\\.\\IoctlTest";

  private final Kernel kernel = Kernel.boot(KernelOptions.builder()
      .verifier("Sioctl", VerifierFlags.STANDARD)
      .build());

  @BeforeEach
  void install() {
    kernel.install(new Sioctl_DriverGlue());
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** SIOCTL_COUNTERS.TimerTicks, read through IOCTL_SIOCTL_GET_COUNTERS. */
  private static int timerTicks(Handle handle) {
    IoResult result = handle.deviceIoControl(IOCTL_SIOCTL_GET_COUNTERS, null, 16);
    assertEquals(NtStatus.SUCCESS, result.status());
    assertEquals(SIOCTL_COUNTERS_SIZE, result.information());
    return ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
  }

  /** SIOCTL_COUNTERS: TimerTicks, ProcessesCreated, ProcessesExited. */
  private static List<Integer> counters(Handle handle) {
    IoResult result = handle.deviceIoControl(IOCTL_SIOCTL_GET_COUNTERS, null,
        SIOCTL_COUNTERS_SIZE);
    assertEquals(NtStatus.SUCCESS, result.status());
    ByteBuffer buffer = ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN);
    return List.of(buffer.getInt(0), buffer.getInt(4), buffer.getInt(8));
  }

  /** Asserts the run stopped nothing and left nothing, in the report and in its text. */
  private static void assertCleanReport(Kernel kernel) {
    KernelReport report = kernel.report();
    assertTrue(report.clean(), report::renderText);
    assertEquals(List.of(), report.leaks());
    assertTrue(report.stop().isEmpty(), report::renderText);
    assertEquals(List.of(), report.injectedFailures(), "nothing was meant to fail");
    String text = report.renderText();
    String newline = System.lineSeparator();
    assertEquals("Verdict: CLEAN" + newline + "Seed: 0" + newline, text);
  }

  @Test
  @DisplayName("the periodic timer's DPC counts a tick each period of kernel time")
  void timerCountsTicks() {
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Sioctl"));
    try (Handle handle = kernel.open(LINK)) {
      assertEquals(0, timerTicks(handle), "no kernel time has passed");

      kernel.advanceClock(Duration.ofMillis(SIOCTL_TIMER_PERIOD_MS - 1));
      assertEquals(0, timerTicks(handle), "the first expiry is one period after DriverEntry");
      kernel.advanceClock(Duration.ofMillis(1));
      assertEquals(1, timerTicks(handle));

      kernel.advanceClock(Duration.ofSeconds(1));
      assertEquals(1 + 1000 / SIOCTL_TIMER_PERIOD_MS, timerTicks(handle));
      kernel.advanceClock(Duration.ofMillis(SIOCTL_TIMER_PERIOD_MS * 5 / 2));
      assertEquals(1 + 1000 / SIOCTL_TIMER_PERIOD_MS + 2, timerTicks(handle));

      // Too small an output buffer for SIOCTL_COUNTERS.
      IoResult small = handle.deviceIoControl(IOCTL_SIOCTL_GET_COUNTERS, null,
          SIOCTL_COUNTERS_SIZE - 1);
      assertEquals(NtStatus.BUFFER_TOO_SMALL, small.status());
      assertEquals(0, small.information());
    }
    assertEquals(List.of("\tTimer ticks : 0", "\tTimer ticks : 0", "\tTimer ticks : 1",
            "\tTimer ticks : 11", "\tTimer ticks : 13"),
        events(kernel, "DbgPrint", "Sioctl").stream()
            .filter(line -> line.startsWith("\tTimer ticks")).toList());

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sioctl"));
    assertEquals(1, unloadCalls(kernel, "Sioctl"));
    assertNothingLeftBehind(kernel);
    assertCleanReport(kernel);
  }

  @Test
  @DisplayName("the process notify routine counts creations and exits until Unload removes it")
  void processNotifyRoutineCounts() {
    long before = kernel.createProcess("before.exe");
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Sioctl"));
    try (Handle handle = kernel.open(LINK)) {
      assertEquals(List.of(0, 0, 0), counters(handle));
      long notepad = kernel.createProcess("notepad.exe");
      long calc = kernel.createProcess("calc.exe");
      kernel.exitProcess(notepad);
      kernel.exitProcess(before);
      assertEquals(List.of(0, 2, 2), counters(handle));
      kernel.exitProcess(calc);
      kernel.advanceClock(Duration.ofMillis(SIOCTL_TIMER_PERIOD_MS));
      assertEquals(List.of(1, 2, 3), counters(handle));
    }
    assertEquals(List.of("SIOCTL.SYS: process 8 created: notepad.exe",
            "SIOCTL.SYS: process 12 created: calc.exe", "SIOCTL.SYS: process 8 exited",
            "SIOCTL.SYS: process 4 exited", "SIOCTL.SYS: process 12 exited"),
        events(kernel, "DbgPrint", "Sioctl").stream()
            .filter(line -> line.startsWith("SIOCTL.SYS: process")).toList());

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sioctl"));
    // Removed at Unload: processes after it call no code of the unloaded driver.
    kernel.exitProcess(kernel.createProcess("after.exe"));
    assertEquals(5, events(kernel, "DbgPrint", "Sioctl").stream()
        .filter(line -> line.startsWith("SIOCTL.SYS: process")).count());
    assertEquals(1, events(kernel, "PsSetCreateProcessNotifyRoutineEx", "Sioctl").stream()
        .filter(line -> line.endsWith(" removed")).count());
    assertNothingLeftBehind(kernel);
    assertCleanReport(kernel);
  }

  @Test
  @DisplayName("Unload cancels the timer: time passing after it runs no code of the driver")
  void unloadCancelsTheTimer() {
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Sioctl"));
    // Unload half-way through a period, with the timer set and its next expiry to come.
    kernel.advanceClock(Duration.ofMillis(SIOCTL_TIMER_PERIOD_MS * 3 / 2));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sioctl"));
    assertFalse(kernel.isLoaded("Sioctl"));

    kernel.advanceClock(Duration.ofSeconds(10));
    assertNothingLeftBehind(kernel);
    assertCleanReport(kernel);
    assertEquals(Duration.ofMillis(SIOCTL_TIMER_PERIOD_MS * 3 / 2 + 10_000), kernel.clock());
  }

  @Test
  @DisplayName("a request that uses pool for itself frees it before it completes")
  void reverseUsesPoolPerRequest() {
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Sioctl"));
    try (Handle handle = kernel.open(LINK)) {
      IoResult reversed = handle.deviceIoControl(IOCTL_SIOCTL_REVERSE, ascii("toaster"), 16);
      assertEquals(NtStatus.SUCCESS, reversed.status());
      assertArrayEquals(ascii("retsaot"), reversed.data());

      // The output keeps the start of the reversed input when it is shorter.
      IoResult cut = handle.deviceIoControl(IOCTL_SIOCTL_REVERSE, ascii("abcdef"), 3);
      assertEquals(NtStatus.SUCCESS, cut.status());
      assertArrayEquals(ascii("fed"), cut.data());

      IoResult noInput = handle.deviceIoControl(IOCTL_SIOCTL_REVERSE, null, 8);
      assertEquals(NtStatus.INVALID_PARAMETER, noInput.status());

      // Many requests, each allocating and freeing its own buffer, between timer ticks.
      for (int i = 0; i < 100; i++) {
        String text = "request " + i;
        IoResult result = handle.deviceIoControl(IOCTL_SIOCTL_REVERSE, ascii(text), 64);
        assertEquals(new StringBuilder(text).reverse().toString(),
            new String(result.data(), StandardCharsets.US_ASCII));
        kernel.advanceClock(Duration.ofMillis(7));
      }
      assertEquals(700 / SIOCTL_TIMER_PERIOD_MS, timerTicks(handle));

      // The sample's IOCTLs work as before, next to the new ones.
      IoResult buffered = handle.deviceIoControl(IOCTL_SIOCTL_METHOD_BUFFERED, ascii("x\0"), 64);
      assertEquals(NtStatus.SUCCESS, buffered.status());
    }
    // Pool tracking would stop the system at Unload if any request's buffer had been left.
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sioctl"));
    assertNothingLeftBehind(kernel);
    assertCleanReport(kernel);
  }

  @Test
  @DisplayName("an unload waiting for a handle keeps the timer running until Unload runs")
  void pendingUnloadKeepsTicking() {
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Sioctl"));
    Handle handle = kernel.open(LINK);
    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Sioctl"));
    kernel.advanceClock(Duration.ofMillis(SIOCTL_TIMER_PERIOD_MS * 4));
    assertEquals(4, timerTicks(handle));
    assertEquals(0, unloadCalls(kernel, "Sioctl"));

    handle.close();
    assertEquals(1, unloadCalls(kernel, "Sioctl"));
    kernel.advanceClock(Duration.ofSeconds(1));
    assertNothingLeftBehind(kernel);
    assertCleanReport(kernel);
  }

  @Test
  @DisplayName("a DriverEntry that fails after creating its device releases it: no timer, no pool")
  void driverEntryFailureUnderTheVerifier() {
    kernel.install(new LinkSquatter_DriverGlue());
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("LinkSquatter"));
    assertEquals(NtStatus.OBJECT_NAME_COLLISION, kernel.loadDriver("Sioctl"));
    assertEquals(0, unloadCalls(kernel, "Sioctl"));
    kernel.advanceClock(Duration.ofSeconds(1));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("LinkSquatter"));

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Sioctl"));
    kernel.advanceClock(Duration.ofMillis(SIOCTL_TIMER_PERIOD_MS));
    try (Handle handle = kernel.open(LINK)) {
      assertEquals(1, timerTicks(handle), "the counters start at zero on the second load");
    }
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sioctl"));
    assertNothingLeftBehind(kernel);
    assertCleanReport(kernel);
  }
}

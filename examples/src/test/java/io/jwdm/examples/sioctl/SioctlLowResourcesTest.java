package io.jwdm.examples.sioctl;

import static io.jwdm.examples.KernelChecks.assertNothingLeftBehind;
import static io.jwdm.examples.KernelChecks.driverEntryCalls;
import static io.jwdm.examples.KernelChecks.unloadCalls;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_GET_COUNTERS;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_METHOD_IN_DIRECT;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_METHOD_OUT_DIRECT;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_REVERSE;
import static io.jwdm.examples.sioctl.Sioctl.SIOCTL_COUNTERS_SIZE;
import static io.jwdm.examples.sioctl.Sioctl.SIOCTL_REQUEST_TAG;
import static io.jwdm.examples.sioctl.Sioctl.SIOCTL_TAG;
import static io.jwdm.examples.sioctl.Sioctl.SIOCTL_TIMER_PERIOD_MS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.Handle;
import io.jwdm.host.InjectedFailure;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.KernelReport;
import io.jwdm.host.LowResources;
import io.jwdm.host.VerifierFlags;
import io.jwdm.kernel.NtStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link Sioctl} under Driver Verifier's low-resources simulation: every failed allocation is an
 * error status (DriverEntry or the request returns {@code STATUS_INSUFFICIENT_RESOURCES}), never
 * a bug check, and nothing is left behind once the driver is unloaded.
 */
@DisplayName("Sioctl under low-resources simulation")
class SioctlLowResourcesTest {
  private static final String LINK = "\\\\.\\IoctlTest";
  private static final int SEEDS = 20;
  private static final byte[] INPUT = "low resources\0".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REVERSED = reversed(INPUT);

  private static byte[] reversed(byte[] bytes) {
    byte[] out = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[bytes.length - 1 - i];
    }
    return out;
  }

  private static Kernel boot(int lowResourcesFlag, long seed) {
    Kernel kernel = Kernel.boot(KernelOptions.builder()
        .verifier("Sioctl", lowResourcesFlag | VerifierFlags.STANDARD)
        .lowResources(LowResources.builder().probability(0.3).build())
        .seed(seed)
        .build());
    kernel.install(new Sioctl_DriverGlue());
    return kernel;
  }

  /** What one run under randomized low resources did, for the test's tallies. */
  private record Run(Kernel kernel, boolean loaded, int failedRequests) {}

  /**
   * Loads Sioctl; if it loaded, sends requests that allocate (pool per request, MDL mappings),
   * lets the timer tick, and unloads it. Asserts each status is the success or the failure a
   * failed allocation explains, never anything else.
   */
  private static Run run(long seed) {
    Kernel kernel = boot(VerifierFlags.RANDOMIZED_LOW_RESOURCES, seed);
    NtStatus load = kernel.loadDriver("Sioctl");
    if (!load.equals(NtStatus.SUCCESS)) {
      assertEquals(NtStatus.INSUFFICIENT_RESOURCES, load, "seed " + seed);
      assertFalse(kernel.isLoaded("Sioctl"));
      assertEquals(0, unloadCalls(kernel, "Sioctl"), "Unload after a failed DriverEntry");
      return new Run(kernel, false, 0);
    }
    int failedRequests = 0;
    try (Handle handle = kernel.open(LINK)) {
      for (int i = 0; i < 5; i++) {
        IoResult reverse = handle.deviceIoControl(IOCTL_SIOCTL_REVERSE, INPUT, 64);
        if (reverse.status().equals(NtStatus.SUCCESS)) {
          assertArrayEquals(REVERSED, reverse.data(), "seed " + seed);
        } else {
          assertEquals(NtStatus.INSUFFICIENT_RESOURCES, reverse.status(), "seed " + seed);
          assertEquals(0, reverse.information());
          failedRequests++;
        }
        for (int code : new int[] {IOCTL_SIOCTL_METHOD_IN_DIRECT,
            IOCTL_SIOCTL_METHOD_OUT_DIRECT}) {
          IoResult direct = handle.deviceIoControl(code, INPUT, 64);
          if (!direct.status().equals(NtStatus.SUCCESS)) {
            assertEquals(NtStatus.INSUFFICIENT_RESOURCES, direct.status(), "seed " + seed);
            failedRequests++;
          }
        }
        kernel.exitProcess(kernel.createProcess("app" + i + ".exe"));
        kernel.advanceClock(Duration.ofMillis(SIOCTL_TIMER_PERIOD_MS));
      }
      // The counters were allocated in DriverEntry: reading them allocates nothing.
      IoResult counters = handle.deviceIoControl(IOCTL_SIOCTL_GET_COUNTERS, null,
          SIOCTL_COUNTERS_SIZE);
      assertEquals(NtStatus.SUCCESS, counters.status(), "seed " + seed);
      ByteBuffer values = ByteBuffer.wrap(counters.data()).order(ByteOrder.LITTLE_ENDIAN);
      assertEquals(List.of(5, 5, 5), List.of(values.getInt(0), values.getInt(4), values.getInt(8)),
          "timer ticks, processes created, processes exited");
    }
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sioctl"), "seed " + seed);
    return new Run(kernel, true, failedRequests);
  }

  @Test
  @DisplayName("randomized, 30% over 20 seeds: error statuses only, no bug check, no leak")
  void randomizedLowResources() {
    int loaded = 0;
    int refused = 0;
    int failedRequests = 0;
    int seedsThatBit = 0;
    Set<String> failedServices = new HashSet<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      Run run = run(seed);
      Kernel kernel = run.kernel();
      long s = seed;
      assertNothingLeftBehind(kernel);
      assertEquals(List.of(), kernel.leaks(), () -> "seed " + s);
      assertTrue(kernel.bugCheck().isEmpty(), () -> "seed " + s + ": " + kernel.bugCheck());
      KernelReport report = kernel.report();
      assertTrue(report.clean(), report::renderText);
      assertTrue(report.renderText().startsWith("Verdict: CLEAN" + System.lineSeparator()
          + "Seed: " + seed + System.lineSeparator()), report::renderText);

      List<InjectedFailure> failures = kernel.injectedFailures();
      for (InjectedFailure failure : failures) {
        assertEquals("Sioctl", failure.driverName());
        assertEquals(seed, failure.seed());
        assertFalse(failure.systematic());
        assertTrue(report.renderText().contains(failure.summary()), report::renderText);
        failedServices.add(failure.service() + (failure.tag() == null ? ""
            : " '" + failure.tag() + "'"));
      }
      seedsThatBit += failures.isEmpty() ? 0 : 1;
      loaded += run.loaded() ? 1 : 0;
      refused += run.loaded() ? 0 : 1;
      failedRequests += run.failedRequests();
      // Every failed call shows as a refused load or a failed request, and nothing else fails.
      assertEquals(failures.size(), (run.loaded() ? 0 : 1) + run.failedRequests(),
          () -> "seed " + s + ": " + failures);
    }
    // The simulation really bit, on both paths, and the driver also ran under it.
    assertTrue(seedsThatBit > 0, "no seed failed any call");
    assertTrue(loaded > 0, "no seed let DriverEntry succeed");
    assertTrue(refused > 0, "no seed made DriverEntry fail");
    assertTrue(failedRequests > 0, "no seed failed a request");
    assertTrue(failedServices.contains("ExAllocatePool2 '" + SIOCTL_REQUEST_TAG + "'"),
        failedServices::toString);
  }

  @Test
  @DisplayName("the same seed fails the same calls: the report is identical, byte for byte")
  void sameSeedSameReport() {
    Set<String> distinct = new HashSet<>();
    for (long seed = 1; seed <= SEEDS; seed++) {
      String first = run(seed).kernel().report().renderText();
      String second = run(seed).kernel().report().renderText();
      assertEquals(first, second, "seed " + seed);
      distinct.add(first);
    }
    assertTrue(distinct.size() > 1, "every seed gave the same report: the seed plays no part");
  }

  @Test
  @DisplayName("systematic: each allocation site fails once; DriverEntry unwinds each time")
  void systematicLowResources() {
    Kernel kernel = boot(VerifierFlags.SYSTEMATIC_LOW_RESOURCES, 0);

    // IoCreateDevice fails first, then the counters' pool; the third DriverEntry gets both.
    List<NtStatus> loads = new ArrayList<>();
    NtStatus status;
    do {
      status = kernel.loadDriver("Sioctl");
      loads.add(status);
      assertEquals(List.of(), kernel.leaks(), "a failed DriverEntry left something");
      assertTrue(kernel.bugCheck().isEmpty(), () -> kernel.bugCheck().toString());
    } while (!status.equals(NtStatus.SUCCESS) && loads.size() < 10);
    assertEquals(List.of(NtStatus.INSUFFICIENT_RESOURCES, NtStatus.INSUFFICIENT_RESOURCES,
        NtStatus.SUCCESS), loads);
    assertEquals(3, driverEntryCalls(kernel, "Sioctl"));
    assertEquals(0, unloadCalls(kernel, "Sioctl"));

    try (Handle handle = kernel.open(LINK)) {
      // Each request's allocation site fails the first time only.
      assertEquals(NtStatus.INSUFFICIENT_RESOURCES,
          handle.deviceIoControl(IOCTL_SIOCTL_REVERSE, INPUT, 64).status());
      assertArrayEquals(REVERSED, handle.deviceIoControl(IOCTL_SIOCTL_REVERSE, INPUT, 64).data());
      assertEquals(NtStatus.INSUFFICIENT_RESOURCES,
          handle.deviceIoControl(IOCTL_SIOCTL_METHOD_OUT_DIRECT, INPUT, 64).status());
      assertEquals(NtStatus.SUCCESS,
          handle.deviceIoControl(IOCTL_SIOCTL_METHOD_OUT_DIRECT, INPUT, 64).status());
      kernel.advanceClock(Duration.ofMillis(SIOCTL_TIMER_PERIOD_MS * 3));
      IoResult counters = handle.deviceIoControl(IOCTL_SIOCTL_GET_COUNTERS, null,
          SIOCTL_COUNTERS_SIZE);
      assertEquals(3, ByteBuffer.wrap(counters.data()).order(ByteOrder.LITTLE_ENDIAN).getInt(0));
    }
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sioctl"));
    assertNothingLeftBehind(kernel);
    assertTrue(kernel.report().clean(), kernel.report()::renderText);

    List<InjectedFailure> failures = kernel.injectedFailures();
    assertTrue(failures.stream().allMatch(InjectedFailure::systematic), failures::toString);
    assertEquals(List.of("IoCreateDevice", "ExAllocatePool2 '" + SIOCTL_TAG + "'",
            "ExAllocatePool2 '" + SIOCTL_REQUEST_TAG + "'", "MmGetSystemAddressForMdlSafe"),
        failures.stream().map(f -> f.service() + (f.tag() == null ? "" : " '" + f.tag() + "'"))
            .collect(Collectors.toList()));
  }
}

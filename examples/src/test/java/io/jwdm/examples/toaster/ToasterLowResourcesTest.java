package io.jwdm.examples.toaster;

import static io.jwdm.examples.KernelChecks.assertNothingLeftBehind;
import static io.jwdm.examples.KernelChecks.driverEntryCalls;
import static io.jwdm.examples.KernelChecks.unloadCalls;
import static io.jwdm.examples.toaster.Toaster.IOCTL_TOASTER_REHEAT;
import static io.jwdm.examples.toaster.Toaster.IOCTL_TOASTER_TOAST;
import static io.jwdm.examples.toaster.Toaster.TOASTER_POOL_TAG;
import static io.jwdm.examples.toaster.Toaster.TOASTING_TIME_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.examples.toasterfilter.ToasterFilter_DriverGlue;
import io.jwdm.host.DeviceNode;
import io.jwdm.host.Handle;
import io.jwdm.host.InjectedFailure;
import io.jwdm.host.IoRequest;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.KernelReport;
import io.jwdm.host.LowResources;
import io.jwdm.host.VerifierFlags;
import io.jwdm.kernel.NtStatus;
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
 * {@link Toaster} and its filter under Driver Verifier's low-resources simulation: a failed
 * allocation fails DriverEntry, AddDevice or the request with an error status, and the device
 * shows the problem code; never a bug check, and nothing is left once the device is removed.
 */
@DisplayName("Toaster and ToasterFilter under low-resources simulation")
class ToasterLowResourcesTest {
  private static final String TOASTER = "ROOT\\TOASTER";
  private static final String LINK = "\\\\.\\Toaster0";
  private static final int SEEDS = 20;

  private static Kernel boot(int lowResourcesFlag, long seed) {
    int flags = lowResourcesFlag | VerifierFlags.STANDARD;
    Kernel kernel = Kernel.boot(KernelOptions.builder()
        .verifier("Toaster", flags)
        .verifier("ToasterFilter", flags)
        .lowResources(LowResources.builder().probability(0.3).build())
        .waitTimeout(Duration.ofSeconds(5))
        .seed(seed)
        .build());
    kernel.install(new Toaster_DriverGlue());
    kernel.install(new ToasterFilter_DriverGlue());
    return kernel;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** What one run under randomized low resources did, for the test's tallies. */
  private record Run(Kernel kernel, int problemCode, int failedRequests) {}

  /**
   * Plugs in a toaster; if it started, writes, reheats (a work item per request), toasts (the
   * thread) and reads; then removes it. Asserts every status is the success or the failure a
   * failed allocation explains.
   */
  private static Run run(long seed) {
    Kernel kernel = boot(VerifierFlags.RANDOMIZED_LOW_RESOURCES, seed);
    DeviceNode node = kernel.plugIn(TOASTER);
    if (node.state() != DeviceNode.State.STARTED) {
      assertEquals(DeviceNode.State.FAILED, node.state(), () -> "seed " + seed);
      assertTrue(node.problemCode() == DeviceNode.CODE_DRIVER_ENTRY_FAILED
          || node.problemCode() == DeviceNode.CODE_ADD_DEVICE_FAILED,
          () -> "seed " + seed + ": " + kernel.deviceTree());
      int code = node.problemCode();
      assertEquals(NtStatus.SUCCESS, kernel.remove(node), () -> "seed " + seed);
      return new Run(kernel, code, 0);
    }
    int failedRequests = 0;
    StringBuilder expected = new StringBuilder();
    try (Handle handle = kernel.open(LINK)) {
      assertEquals(NtStatus.SUCCESS, handle.write(bytes("w")).status());
      expected.append('w');
      for (int i = 0; i < 4; i++) {
        IoResult reheat = handle.deviceIoControl(IOCTL_TOASTER_REHEAT, bytes("r" + i), 0);
        if (reheat.status().equals(NtStatus.SUCCESS)) {
          expected.append("r").append(i);
        } else {
          assertEquals(NtStatus.INSUFFICIENT_RESOURCES, reheat.status(), "seed " + seed);
          failedRequests++;
        }
      }
      IoRequest toast = handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("t"), 0);
      kernel.advanceClock(Duration.ofMillis(TOASTING_TIME_MS));
      assertEquals(NtStatus.SUCCESS, toast.result().status(), "seed " + seed);
      expected.append('t');
      IoResult read = handle.read(64);
      assertEquals(expected.toString(), new String(read.data(), StandardCharsets.US_ASCII));
    }
    assertEquals(NtStatus.SUCCESS, kernel.remove(node), () -> "seed " + seed);
    return new Run(kernel, 0, failedRequests);
  }

  private static String describe(InjectedFailure failure) {
    return failure.driverName() + " " + failure.service()
        + (failure.tag() == null ? "" : " '" + failure.tag() + "'");
  }

  @Test
  @DisplayName("randomized, 30% over 20 seeds: problem codes and error statuses, no bug check")
  void randomizedLowResources() {
    int started = 0;
    int failedStarts = 0;
    int failedRequests = 0;
    int seedsThatBit = 0;
    Set<Integer> problemCodes = new HashSet<>();
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
        assertEquals(seed, failure.seed());
        assertFalse(failure.systematic());
        assertTrue(report.renderText().contains(failure.summary()), report::renderText);
      }
      // A failed start is one failed allocation; a started device fails only its reheats.
      assertEquals(failures.size(), (run.problemCode() != 0 ? 1 : 0) + run.failedRequests(),
          () -> "seed " + s + ": " + failures);
      if (run.problemCode() != 0) {
        problemCodes.add(run.problemCode());
        failedStarts++;
      } else {
        started++;
        assertEquals(1, unloadCalls(kernel, "Toaster"), () -> "seed " + s);
      }
      failedRequests += run.failedRequests();
      seedsThatBit += failures.isEmpty() ? 0 : 1;
    }
    assertTrue(seedsThatBit > 0, "no seed failed any call");
    assertTrue(started > 0, "no seed let the toaster start");
    assertTrue(failedStarts > 0, "no seed made the toaster fail to start");
    assertTrue(failedRequests > 0, "no seed failed a reheat's work item");
    assertEquals(Set.of(DeviceNode.CODE_DRIVER_ENTRY_FAILED, DeviceNode.CODE_ADD_DEVICE_FAILED),
        problemCodes);
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
  @DisplayName("systematic: each allocation site fails once; the device shows why each time")
  void systematicLowResources() {
    Kernel kernel = boot(VerifierFlags.SYSTEMATIC_LOW_RESOURCES, 0);
    DeviceNode node = kernel.plugIn(TOASTER);

    // Each try fails at the next allocation site, until none is left to fail.
    List<Integer> problemCodes = new ArrayList<>();
    while (node.state() != DeviceNode.State.STARTED && problemCodes.size() < 10) {
      assertEquals(DeviceNode.State.FAILED, node.state(), kernel::deviceTree);
      problemCodes.add(node.problemCode());
      assertEquals(List.of(), kernel.leaks(), "a failed start left something");
      assertTrue(kernel.bugCheck().isEmpty(), () -> kernel.bugCheck().toString());
      assertTrue(kernel.drivers().isEmpty(), () -> "drivers left loaded: " + kernel.drivers());
      kernel.enable(node);
    }
    assertEquals(DeviceNode.State.STARTED, node.state(), kernel::deviceTree);
    assertEquals(List.of(DeviceNode.CODE_DRIVER_ENTRY_FAILED, DeviceNode.CODE_ADD_DEVICE_FAILED,
        DeviceNode.CODE_ADD_DEVICE_FAILED, DeviceNode.CODE_ADD_DEVICE_FAILED), problemCodes);
    assertEquals(5, driverEntryCalls(kernel, "Toaster"));
    assertEquals(3, unloadCalls(kernel, "Toaster"),
        "each try that failed after DriverEntry succeeded unloaded the driver");

    try (Handle handle = kernel.open(LINK)) {
      assertEquals(NtStatus.INSUFFICIENT_RESOURCES,
          handle.deviceIoControl(IOCTL_TOASTER_REHEAT, bytes("bagel"), 0).status());
      assertEquals(NtStatus.SUCCESS,
          handle.deviceIoControl(IOCTL_TOASTER_REHEAT, bytes("bagel"), 0).status());
      assertEquals(NtStatus.SUCCESS,
          handle.deviceIoControl(IOCTL_TOASTER_TOAST, bytes("rye"), 0).status());
      assertEquals("bagelrye", new String(handle.read(16).data(), StandardCharsets.US_ASCII));
    }
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertNothingLeftBehind(kernel);
    assertTrue(kernel.report().clean(), kernel.report()::renderText);

    List<InjectedFailure> failures = kernel.injectedFailures();
    assertTrue(failures.stream().allMatch(InjectedFailure::systematic), failures::toString);
    assertEquals(List.of("Toaster ExAllocatePool2 '" + TOASTER_POOL_TAG + "'",
            "Toaster IoCreateDevice", "Toaster ExAllocatePool2 '" + TOASTER_POOL_TAG + "'",
            "ToasterFilter IoCreateDevice", "Toaster IoAllocateWorkItem 'IoWk'"),
        failures.stream().map(ToasterLowResourcesTest::describe).collect(Collectors.toList()));
  }
}

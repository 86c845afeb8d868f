package io.jwdm.examples.toaster;

import static io.jwdm.examples.KernelChecks.assertNothingLeftBehind;
import static io.jwdm.examples.KernelChecks.events;
import static io.jwdm.examples.KernelChecks.unloadCalls;
import static io.jwdm.examples.toaster.Toaster.IOCTL_TOASTER_GET_STATISTICS;
import static io.jwdm.examples.toaster.Toaster.IOCTL_TOASTER_REHEAT;
import static io.jwdm.examples.toaster.Toaster.IOCTL_TOASTER_TOAST;
import static io.jwdm.examples.toaster.Toaster.TOASTER_CAPACITY;
import static io.jwdm.examples.toaster.Toaster.TOASTER_STATISTICS_SIZE;
import static io.jwdm.examples.toaster.Toaster.TOASTING_TIME_MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.DeviceNode;
import io.jwdm.host.Handle;
import io.jwdm.host.IoRequest;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The kernel services {@link Toaster} acquires per driver and per device (pool, a spin lock, a
 * work item per reheat, a system thread per device with its events) and releases, with the
 * verifier's {@code /standard} checks on for the toaster and its filter: pool left at Unload is
 * 0xC4 / 0x62, a work item or thread still live is 0xCE, so a clean removal proves the release.
 */
@DisplayName("Toaster: pool, spin lock, work item and system thread under /standard")
class ToasterServicesTest {
  private static final String TOASTER = "ROOT\\TOASTER";
  private static final String LINK = "\\\\.\\Toaster0";

  private final Kernel kernel = Kernel.boot(KernelOptions.builder()
      .verifier("Toaster", VerifierFlags.STANDARD)
      .verifier("ToasterFilter", VerifierFlags.STANDARD)
      .waitTimeout(Duration.ofSeconds(5))
      .build());

  @BeforeEach
  void install() {
    kernel.install(new Toaster_DriverGlue());
    kernel.install(new io.jwdm.examples.toasterfilter.ToasterFilter_DriverGlue());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(IoResult result) {
    return new String(result.data(), StandardCharsets.US_ASCII);
  }

  /** TOASTER_STATISTICS: ToastsMade, ToastsServed, BytesInToaster, DontDisplayInUI. */
  private static List<Integer> statistics(Handle handle) {
    IoResult result = handle.deviceIoControl(IOCTL_TOASTER_GET_STATISTICS, null,
        TOASTER_STATISTICS_SIZE);
    assertEquals(NtStatus.SUCCESS, result.status());
    ByteBuffer buffer = ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN);
    return List.of(buffer.getInt(0), buffer.getInt(4), buffer.getInt(8), buffer.getInt(12));
  }

  private DeviceNode plugIn() {
    DeviceNode node = kernel.plugIn(TOASTER);
    assertEquals(DeviceNode.State.STARTED, node.state(), kernel::deviceTree);
    return node;
  }

  private List<String> toasterPrints(String prefix) {
    return events(kernel, "DbgPrint", "Toaster").stream()
        .filter(line -> line.startsWith(prefix)).collect(Collectors.toList());
  }

  /** Asserts the system runs, nothing is left, and the report and its text say so. */
  private void assertClean() {
    assertNothingLeftBehind(kernel);
    KernelReport report = kernel.report();
    assertTrue(report.clean(), report::renderText);
    assertTrue(report.stop().isEmpty());
    assertEquals(List.of(), report.leaks());
    assertEquals(List.of(), report.drivers());
    String newline = System.lineSeparator();
    assertEquals("Verdict: CLEAN" + newline + "Seed: 0" + newline, report.renderText());
  }

  @Test
  @DisplayName("START_DEVICE starts the heating element thread; REMOVE_DEVICE stops and waits")
  void threadLivesFromStartToRemove() {
    DeviceNode node = plugIn();
    assertEquals(1, events(kernel, "PsCreateSystemThread", "Toaster").size());
    assertEquals(List.of("Heating element on: \\Device\\Toaster0"),
        toasterPrints("Heating element"));

    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertEquals(List.of("Heating element on: \\Device\\Toaster0",
        "Heating element off: \\Device\\Toaster0"), toasterPrints("Heating element"));
    // The thread ended before the FDO was deleted, and the driver unloaded after.
    List<String> order = kernel.trace().stream()
        .filter(e -> e.subject().equals("Toaster"))
        .map(e -> e.kind() + " " + e.detail())
        .filter(line -> line.equals("DbgPrint Heating element off: \\Device\\Toaster0")
            || line.equals("IoDeleteDevice \\Device\\Toaster0") || line.equals("Unload calling"))
        .collect(Collectors.toList());
    assertEquals(List.of("DbgPrint Heating element off: \\Device\\Toaster0",
        "IoDeleteDevice \\Device\\Toaster0", "Unload calling"), order);
    assertEquals(1, unloadCalls(kernel, "Toaster"));
    assertClean();
  }

  @Test
  @DisplayName("a slice toasts for TOASTING_TIME_MS of kernel time, one slice after the other")
  void toastingTakesKernelTime() {
    DeviceNode node = plugIn();
    try (Handle handle = kernel.open(LINK)) {
      IoRequest read = handle.submitRead(16);
      IoRequest rye = handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("rye"), 0);
      IoRequest wheat = handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("wheat"), 0);
      assertFalse(rye.isDone(), "toasting takes time");

      kernel.advanceClock(Duration.ofMillis(TOASTING_TIME_MS - 1));
      assertFalse(rye.isDone());
      assertFalse(read.isDone());
      kernel.advanceClock(Duration.ofMillis(1));
      assertTrue(rye.isDone(), "the toast pops after TOASTING_TIME_MS");
      assertEquals(NtStatus.SUCCESS, rye.result().status());
      assertTrue(read.isDone(), "the popped toast goes to the waiting read");
      assertEquals("rye", text(read.result()));
      assertFalse(wheat.isDone(), "the element toasts one slice at a time");

      kernel.advanceClock(Duration.ofMillis(TOASTING_TIME_MS));
      assertTrue(wheat.isDone());
      assertEquals(NtStatus.SUCCESS, wheat.result().status());
      assertEquals(List.of(2, 1, 5, 0), statistics(handle));
      assertEquals("wheat", text(handle.read(16)));

      // A synchronous toast waits in the kernel: the clock moves on to the pop.
      Duration before = kernel.clock();
      assertEquals(NtStatus.SUCCESS,
          handle.deviceIoControl(IOCTL_TOASTER_TOAST, bytes("sourdough"), 0).status());
      assertEquals(before.plusMillis(TOASTING_TIME_MS), kernel.clock());
      assertEquals("sourdough", text(handle.read(16)));

      // No bread, no toast.
      assertEquals(NtStatus.INVALID_PARAMETER,
          handle.deviceIoControl(IOCTL_TOASTER_TOAST, null, 0).status());
    }
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertClean();
  }

  @Test
  @DisplayName("a full toaster refuses the popped toast: DEVICE_BUSY")
  void toastIntoAFullToaster() {
    DeviceNode node = plugIn();
    try (Handle handle = kernel.open(LINK)) {
      assertEquals(TOASTER_CAPACITY, handle.write(new byte[TOASTER_CAPACITY]).information());
      IoRequest slice = handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("rye"), 0);
      kernel.advanceClock(Duration.ofMillis(TOASTING_TIME_MS));
      assertEquals(NtStatus.DEVICE_BUSY, slice.result().status());
      assertEquals(NtStatus.DEVICE_BUSY,
          handle.deviceIoControl(IOCTL_TOASTER_REHEAT, bytes("bagel"), 0).status());
    }
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertClean();
  }

  @Test
  @DisplayName("a queued slice can be cancelled; closing the handle cancels its slices")
  void cancelQueuedSlices() {
    DeviceNode node = plugIn();
    Handle handle = kernel.open(LINK);
    IoRequest first = handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("first"), 0);
    IoRequest second = handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("second"), 0);
    IoRequest third = handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("third"), 0);

    assertTrue(second.cancel(), "a queued slice has a cancel routine");
    assertEquals(NtStatus.CANCELLED, second.result().status());
    kernel.advanceClock(Duration.ofMillis(TOASTING_TIME_MS));
    assertEquals(NtStatus.SUCCESS, first.result().status());
    assertFalse(third.isDone(), "the cancelled slice took no toasting time");

    // The third is being toasted now; a fourth waits in the queue. CLEANUP cancels the queued
    // one; CLOSE waits for the one in the toaster, and so does the removal.
    IoRequest fourth = handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("fourth"), 0);
    handle.close();
    assertEquals(NtStatus.CANCELLED, fourth.result().status());
    assertFalse(third.isDone());
    assertEquals(NtStatus.DEVICE_BUSY, kernel.remove(node), "the third slice holds the handle");

    kernel.advanceClock(Duration.ofMillis(TOASTING_TIME_MS));
    assertEquals(NtStatus.SUCCESS, third.result().status());
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertClean();
  }

  @Test
  @DisplayName("a surprise removal fails the slices, queued and in the toaster, and ends the thread")
  void surpriseRemovalWhileToasting() {
    DeviceNode node = plugIn();
    Handle handle = kernel.open(LINK);
    IoRequest toasting = handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("rye"), 0);
    IoRequest queued = handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("wheat"), 0);
    kernel.advanceClock(Duration.ofMillis(TOASTING_TIME_MS / 2));

    assertEquals(NtStatus.SUCCESS, kernel.surpriseRemove(node));
    assertEquals(NtStatus.NO_SUCH_DEVICE, queued.result().status());
    assertEquals(NtStatus.NO_SUCH_DEVICE, toasting.result().status());
    assertEquals(List.of("Heating element on: \\Device\\Toaster0",
        "Heating element off: \\Device\\Toaster0"), toasterPrints("Heating element"));
    assertEquals(NtStatus.NO_SUCH_DEVICE,
        handle.deviceIoControl(IOCTL_TOASTER_TOAST, bytes("rye"), 0).status());
    assertEquals(NtStatus.NO_SUCH_DEVICE,
        handle.deviceIoControl(IOCTL_TOASTER_REHEAT, bytes("rye"), 0).status());

    // REMOVE_DEVICE comes with the last handle closed; it waits on the thread, ended already.
    handle.close();
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertEquals(List.of("ROOT\\TOASTER\\0000: " + NtStatus.SUCCESS),
        events(kernel, "IRP_MN_REMOVE_DEVICE"));
    assertClean();
  }

  @Test
  @DisplayName("a reheat is pended and finished by a work item, which frees itself")
  void reheatRunsInAWorkItem() {
    DeviceNode node = plugIn();
    try (Handle handle = kernel.open(LINK)) {
      IoRequest read = handle.submitRead(16);
      IoResult reheat = handle.deviceIoControl(IOCTL_TOASTER_REHEAT, bytes("bagel"), 0);
      assertEquals(NtStatus.SUCCESS, reheat.status());
      assertTrue(read.isDone(), "the reheated toast went to the waiting read");
      assertEquals("bagel", text(read.result()));

      for (int i = 0; i < 10; i++) {
        assertEquals(NtStatus.SUCCESS,
            handle.deviceIoControl(IOCTL_TOASTER_REHEAT, bytes("crumpet" + i), 0).status());
        assertEquals("crumpet" + i, text(handle.read(16)));
      }
      assertEquals(List.of(11, 11, 0, 0), statistics(handle));
      assertEquals(NtStatus.INVALID_PARAMETER,
          handle.deviceIoControl(IOCTL_TOASTER_REHEAT, null, 0).status());
    }
    // The dispatch routine queued the work; the work item did it, at PASSIVE_LEVEL, after.
    List<String> reheats = toasterPrints("Reheat");
    assertEquals(22, reheats.size(), reheats::toString);
    assertEquals(List.of("Reheat queued", "Reheat: 5 of 5 bytes"), reheats.subList(0, 2));

    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertClean();
  }

  @Test
  @DisplayName("two toasters: a thread each, both stopped at their own removal")
  void twoToastersTwoThreads() {
    DeviceNode first = plugIn();
    DeviceNode second = plugIn();
    assertEquals(2, events(kernel, "PsCreateSystemThread", "Toaster").size());
    try (Handle zero = kernel.open(LINK); Handle one = kernel.open("\\\\.\\Toaster1")) {
      IoRequest toast0 = zero.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("white"), 0);
      IoRequest toast1 = one.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("brown"), 0);
      kernel.advanceClock(Duration.ofMillis(TOASTING_TIME_MS));
      assertEquals(NtStatus.SUCCESS, toast0.result().status());
      assertEquals(NtStatus.SUCCESS, toast1.result().status(), "each toaster has its element");
      assertEquals("white", text(zero.read(16)));
      assertEquals("brown", text(one.read(16)));
    }
    assertEquals(NtStatus.SUCCESS, kernel.remove(first));
    assertEquals(List.of("Heating element off: \\Device\\Toaster0"),
        toasterPrints("Heating element off"));
    assertTrue(kernel.isLoaded("Toaster"));
    assertEquals(NtStatus.SUCCESS, kernel.remove(second));
    assertEquals(2, toasterPrints("Heating element off").size());
    assertClean();
  }
}

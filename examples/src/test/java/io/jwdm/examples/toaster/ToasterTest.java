package io.jwdm.examples.toaster;

import static io.jwdm.examples.KernelChecks.assertNothingLeftBehind;
import static io.jwdm.examples.KernelChecks.assertRunning;
import static io.jwdm.examples.KernelChecks.driverEntryCalls;
import static io.jwdm.examples.KernelChecks.events;
import static io.jwdm.examples.KernelChecks.unloadCalls;
import static io.jwdm.examples.toaster.Toaster.IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE;
import static io.jwdm.examples.toaster.Toaster.IOCTL_TOASTER_GET_STATISTICS;
import static io.jwdm.examples.toaster.Toaster.TOASTER_CAPACITY;
import static io.jwdm.examples.toaster.Toaster.TOASTER_STATISTICS_SIZE;
import static io.jwdm.kernel.Wdm.CTL_CODE;
import static io.jwdm.kernel.Wdm.FILE_ANY_ACCESS;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN;
import static io.jwdm.kernel.Wdm.METHOD_BUFFERED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.annotation.DriverRole;
import io.jwdm.examples.LinkSquatter_DriverGlue;
import io.jwdm.examples.toasterfilter.ToasterFilter_DriverGlue;
import io.jwdm.host.DeviceNode;
import io.jwdm.host.DriverInfo;
import io.jwdm.host.Handle;
import io.jwdm.host.IoRequest;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.NtStatusException;
import io.jwdm.kernel.NtStatus;
import io.jwdm.testing.InjectKernel;
import io.jwdm.testing.KernelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@link Toaster} function driver with the {@code ToasterFilter} upper filter above it: plug
 * in, I/O, removal (orderly and surprise), and unload, with nothing left behind. Each test gets a
 * fresh kernel with both drivers installed, under Driver Verifier's {@code /standard} checks; a
 * device the test leaves plugged in is removed after it, and the test fails if anything is left.
 */
@DisplayName("Toaster function driver and ToasterFilter upper filter")
@KernelTest(drivers = {Toaster_DriverGlue.class, ToasterFilter_DriverGlue.class},
    waitTimeoutMillis = 5_000)
class ToasterTest {
  private static final String TOASTER = "ROOT\\TOASTER";
  private static final String LINK = "\\\\.\\Toaster0";
  private static final String DEVICE = "\\Device\\Toaster0";

  @InjectKernel Kernel kernel;

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
    assertEquals(TOASTER_STATISTICS_SIZE, result.information());
    ByteBuffer buffer = ByteBuffer.wrap(result.data()).order(ByteOrder.LITTLE_ENDIAN);
    return List.of(buffer.getInt(0), buffer.getInt(4), buffer.getInt(8), buffer.getInt(12));
  }

  /** What the filter's completion routine reported, in order: "n MAJOR STATUS". */
  private List<String> filterCompletions() {
    String prefix = "FilterCompletionRoutine: request ";
    return events(kernel, "DbgPrint", "ToasterFilter").stream()
        .filter(line -> line.startsWith(prefix))
        .map(line -> line.substring(prefix.length()).replace(" completed:", ""))
        .collect(Collectors.toList());
  }

  private DeviceNode plugIn() {
    DeviceNode node = kernel.plugIn(TOASTER);
    assertEquals(DeviceNode.State.STARTED, node.state(), kernel::deviceTree);
    return node;
  }

  private void removeAndCheckUnloaded(DeviceNode node) {
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertNothingLeftBehind(kernel);
  }

  @Test
  @DisplayName("plug in builds the stack bottom-up, Toaster then ToasterFilter, and starts it")
  void plugInBuildsTheStack() {
    DeviceNode node = plugIn();
    assertEquals(List.of("Toaster", "ToasterFilter"), node.driverNames());

    List<DriverInfo> drivers = kernel.drivers();
    assertEquals(List.of("Toaster", "ToasterFilter"),
        drivers.stream().map(DriverInfo::name).collect(Collectors.toList()));
    assertEquals(DriverRole.FUNCTION, drivers.get(0).role());
    assertEquals(DriverRole.UPPER_FILTER, drivers.get(1).role());
    assertEquals(List.of(DEVICE), drivers.get(0).deviceNames());
    assertEquals(1, drivers.get(1).deviceNames().size());

    // A PnP driver is unloaded by the PnP manager, never on request.
    assertEquals(NtStatus.INVALID_DEVICE_REQUEST, kernel.unloadDriver("Toaster"));
    assertEquals(NtStatus.INVALID_DEVICE_REQUEST, kernel.unloadDriver("ToasterFilter"));

    removeAndCheckUnloaded(node);
    assertEquals(1, unloadCalls(kernel, "Toaster"));
    assertEquals(1, unloadCalls(kernel, "ToasterFilter"));
  }

  @Test
  @DisplayName("a read waits pending until a write puts toast in the toaster")
  void pendingReadCompletedByWrite() {
    DeviceNode node = plugIn();
    try (Handle handle = kernel.open(LINK)) {
      IoRequest read = handle.submitRead(16);
      assertFalse(read.isDone(), "a read with no toast must stay pending");

      IoResult write = handle.write(bytes("toast!"));
      assertEquals(NtStatus.SUCCESS, write.status());
      assertEquals(6, write.information());

      assertTrue(read.isDone(), "the write must complete the pending read");
      assertEquals(NtStatus.SUCCESS, read.result().status());
      assertEquals("toast!", text(read.result()));

      // With toast in the toaster a read completes at once, and takes only what it asks for.
      assertEquals(NtStatus.SUCCESS, handle.write(bytes("rye bread")).status());
      assertEquals("rye", text(handle.read(3)));
      assertEquals(" bread", text(handle.read(16)));

      assertEquals(List.of(2, 3, 0, 0), statistics(handle));
    }
    removeAndCheckUnloaded(node);
  }

  @Test
  @DisplayName("pending reads are served oldest first, one write at a time")
  void pendingReadsServedInOrder() {
    DeviceNode node = plugIn();
    try (Handle handle = kernel.open(LINK)) {
      IoRequest first = handle.submitRead(4);
      IoRequest second = handle.submitRead(4);
      assertEquals(NtStatus.SUCCESS, handle.write(bytes("abcd")).status());
      assertTrue(first.isDone());
      assertEquals("abcd", text(first.result()));
      assertFalse(second.isDone(), "one write's toast goes to one read here");

      assertEquals(NtStatus.SUCCESS, handle.write(bytes("efghij")).status());
      assertEquals("efgh", text(second.result()));
      assertEquals(List.of(2, 2, 2, 0), statistics(handle));

      // The toaster holds TOASTER_CAPACITY bytes; a write beyond that is cut short, and a write
      // to a full toaster is refused.
      IoResult fill = handle.write(new byte[100]);
      assertEquals(NtStatus.SUCCESS, fill.status());
      assertEquals(TOASTER_CAPACITY - 2, fill.information());
      IoResult full = handle.write(bytes("more"));
      assertEquals(NtStatus.DEVICE_BUSY, full.status());
      assertEquals(0, full.information());
    }
    removeAndCheckUnloaded(node);
  }

  @Test
  @DisplayName("cancelling a pending read completes it with CANCELLED")
  void cancelPendingRead() {
    DeviceNode node = plugIn();
    try (Handle handle = kernel.open(LINK)) {
      IoRequest read = handle.submitRead(16);
      assertFalse(read.isDone());

      assertTrue(read.cancel(), "the toaster set a cancel routine on the queued read");
      assertTrue(read.isDone());
      assertEquals(NtStatus.CANCELLED, read.result().status());
      assertEquals(0, read.result().information());

      // The cancelled read took no toast: the next write's toast stays for the next read.
      assertEquals(NtStatus.SUCCESS, handle.write(bytes("toast")).status());
      assertEquals(List.of(1, 0, 5, 0), statistics(handle));
      assertEquals("toast", text(handle.read(16)));
    }
    removeAndCheckUnloaded(node);
  }

  @Test
  @DisplayName("a synchronous read waits for a write from another thread")
  void synchronousReadCompletedByAnotherThread() throws Exception {
    DeviceNode node = plugIn();
    try (Handle reader = kernel.open(LINK); Handle writer = kernel.open(LINK)) {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<IoResult> read = pool.submit(() -> reader.read(16));
        awaitReadQueued();
        assertFalse(read.isDone());
        assertEquals(NtStatus.SUCCESS, writer.write(bytes("sourdough")).status());
        IoResult result = read.get(5, TimeUnit.SECONDS);
        assertEquals(NtStatus.SUCCESS, result.status());
        assertEquals("sourdough", text(result));
      } finally {
        pool.shutdownNow();
      }
    }
    removeAndCheckUnloaded(node);
  }

  @Test
  @DisplayName("a surprise removal fails the read another thread is blocked in")
  void surpriseRemovalFailsABlockedRead() throws Exception {
    DeviceNode node = plugIn();
    Handle handle = kernel.open(LINK);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<IoResult> read = pool.submit(() -> handle.read(16));
      awaitReadQueued();
      assertFalse(read.isDone());

      assertEquals(NtStatus.SUCCESS, kernel.surpriseRemove(node));
      IoResult result = read.get(5, TimeUnit.SECONDS);
      assertEquals(NtStatus.NO_SUCH_DEVICE, result.status());
      assertEquals(DeviceNode.State.SURPRISE_REMOVED, node.state());
    } finally {
      pool.shutdownNow();
    }
    handle.close();
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertNothingLeftBehind(kernel);
  }

  /** Waits until the toaster reports a read queued, as a reader on another thread does. */
  private void awaitReadQueued() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (!events(kernel, "DbgPrint", "Toaster").contains("Read queued")) {
      assertTrue(System.nanoTime() < deadline, "the read was never queued");
      Thread.sleep(5);
    }
  }

  @Test
  @DisplayName("a synchronous read with no toast is cancelled when the caller's wait times out")
  @KernelTest(drivers = {Toaster_DriverGlue.class, ToasterFilter_DriverGlue.class},
      waitTimeoutMillis = 200)
  void synchronousReadTimesOut() {
    assertEquals(Duration.ofMillis(200), kernel.options().waitTimeout());
    DeviceNode node = plugIn();
    try (Handle handle = kernel.open(LINK)) {
      IoResult read = handle.read(8);
      assertEquals(NtStatus.CANCELLED, read.status());
      assertEquals(0, read.information());
    }
    removeAndCheckUnloaded(node);
  }

  @Test
  @DisplayName("closing a handle cancels its own pending reads and no others")
  void cleanupCancelsTheHandlesReads() {
    DeviceNode node = plugIn();
    Handle first = kernel.open(LINK);
    Handle second = kernel.open(LINK);
    IoRequest firstRead = first.submitRead(8);
    IoRequest secondRead = second.submitRead(8);

    first.close();
    assertTrue(firstRead.isDone());
    assertEquals(NtStatus.CANCELLED, firstRead.result().status());
    assertFalse(secondRead.isDone());

    assertEquals(NtStatus.SUCCESS, second.write(bytes("bagel")).status());
    assertEquals("bagel", text(secondRead.result()));

    // Closing with a read still pending cancels it too, so the removal is not held up.
    IoRequest leftPending = second.submitRead(8);
    second.close();
    assertEquals(NtStatus.CANCELLED, leftPending.result().status());
    removeAndCheckUnloaded(node);
  }

  @Test
  @DisplayName("the filter's completion routine counts the requests it passed down")
  void filterCountsCompletions() {
    DeviceNode node = plugIn();
    assertEquals(List.of(), filterCompletions(), "START_DEVICE is forwarded synchronously");
    try (Handle handle = kernel.open(LINK)) {
      handle.write(bytes("crumpet"));
      handle.read(16);
      IoRequest pending = handle.submitRead(16);
      pending.cancel();
      handle.deviceIoControl(IOCTL_TOASTER_GET_STATISTICS, null, TOASTER_STATISTICS_SIZE);
      handle.deviceIoControl(IOCTL_TOASTER_GET_STATISTICS, null, 4);
    }
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));

    assertEquals(List.of(
            "1 IRP_MJ_WRITE " + NtStatus.SUCCESS,
            "2 IRP_MJ_READ " + NtStatus.SUCCESS,
            "3 IRP_MJ_READ " + NtStatus.CANCELLED,
            "4 IRP_MJ_DEVICE_CONTROL " + NtStatus.SUCCESS,
            "5 IRP_MJ_DEVICE_CONTROL " + NtStatus.BUFFER_TOO_SMALL,
            // QUERY_REMOVE_DEVICE; REMOVE_DEVICE is passed down with IoSkipCurrentIrpStackLocation
            "6 IRP_MJ_PNP " + NtStatus.SUCCESS),
        filterCompletions());
    assertNothingLeftBehind(kernel);
  }

  @Test
  @DisplayName("a vetoed removal is cancelled, and the toaster serves I/O again")
  void vetoedRemovalIsCancelled() {
    kernel.install(new QueryRemoveVeto_DriverGlue());
    DeviceNode node = kernel.plugIn(QueryRemoveVeto.HARDWARE_ID, TOASTER);
    assertEquals(DeviceNode.State.STARTED, node.state(), kernel::deviceTree);
    assertEquals(List.of("QueryRemoveVeto", "Toaster", "ToasterFilter"), node.driverNames());

    // The toaster saw QUERY_REMOVE and held new requests; the lower filter then failed it.
    assertEquals(NtStatus.UNSUCCESSFUL, kernel.remove(node));
    assertEquals(List.of("ROOT\\VETOTOASTER\\0000: " + NtStatus.SUCCESS),
        events(kernel, "IRP_MN_CANCEL_REMOVE_DEVICE"));
    assertEquals(DeviceNode.State.STARTED, node.state());

    // CANCEL_REMOVE put the toaster back in Started: requests are processed, not held.
    try (Handle handle = kernel.open(LINK)) {
      IoRequest write = handle.submitWrite(bytes("after the veto"));
      assertTrue(write.isDone(), "the write was held after CANCEL_REMOVE");
      assertEquals(NtStatus.SUCCESS, write.result().status());
      assertEquals("after the veto", text(handle.read(32)));
    }
    assertEquals(List.of(
            "1 IRP_MJ_PNP " + NtStatus.UNSUCCESSFUL, // QUERY_REMOVE, vetoed below
            "2 IRP_MJ_PNP " + NtStatus.SUCCESS, // CANCEL_REMOVE
            "3 IRP_MJ_WRITE " + NtStatus.SUCCESS,
            "4 IRP_MJ_READ " + NtStatus.SUCCESS),
        filterCompletions());

    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertEquals(1, unloadCalls(kernel, "QueryRemoveVeto"));
    assertNothingLeftBehind(kernel);
  }

  @Test
  @DisplayName("when its symbolic link is taken, AddDevice undoes what it did and fails")
  void addDeviceFailureReleasesTheDevice() {
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(new LinkSquatter_DriverGlue()));

    DeviceNode node = kernel.plugIn(TOASTER);
    assertEquals(DeviceNode.State.FAILED, node.state());
    assertEquals(DeviceNode.CODE_ADD_DEVICE_FAILED, node.problemCode());
    assertEquals(List.of(), kernel.leaks(), "AddDevice's failure path leaked");
    assertEquals(List.of(DEVICE), events(kernel, "IoDeleteDevice", "Toaster"));
    assertEquals(1, events(kernel, "IoDetachDevice", "Toaster").size());
    // The toaster detached and deleted its FDO itself: nothing was left in the stack for the PnP
    // manager to send REMOVE_DEVICE to.
    assertEquals(List.of(), events(kernel, "IRP_MN_REMOVE_DEVICE"));
    // The function driver, left without a device, was unloaded; the filter never loaded.
    assertEquals(List.of("LinkSquatter"),
        kernel.drivers().stream().map(DriverInfo::name).collect(Collectors.toList()));
    assertEquals(1, unloadCalls(kernel, "Toaster"));
    assertEquals(0, driverEntryCalls(kernel, "ToasterFilter"));
    assertRunning(kernel);

    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("LinkSquatter"));

    // With the name free again, a new toaster starts.
    DeviceNode again = plugIn();
    try (Handle handle = kernel.open(LINK)) {
      assertEquals(List.of(0, 0, 0, 0), statistics(handle));
    }
    removeAndCheckUnloaded(again);
  }

  @Test
  @DisplayName("the toaster's control codes")
  void deviceControl() {
    DeviceNode node = plugIn();
    try (Handle handle = kernel.open(LINK)) {
      assertEquals(List.of(0, 0, 0, 0), statistics(handle));

      IoResult hide = handle.deviceIoControl(IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE, null, 0);
      assertEquals(NtStatus.SUCCESS, hide.status());
      assertEquals(List.of(0, 0, 0, 1), statistics(handle));

      IoResult small = handle.deviceIoControl(IOCTL_TOASTER_GET_STATISTICS, null,
          TOASTER_STATISTICS_SIZE - 1);
      assertEquals(NtStatus.BUFFER_TOO_SMALL, small.status());
      assertEquals(0, small.information());

      int unknown = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x8FF, METHOD_BUFFERED, FILE_ANY_ACCESS);
      assertEquals(NtStatus.INVALID_DEVICE_REQUEST,
          handle.deviceIoControl(unknown, null, 16).status());
    }
    removeAndCheckUnloaded(node);
  }

  @Test
  @DisplayName("removal is vetoed while a handle is open, then unloads both drivers")
  void removeWithOpenHandle() {
    DeviceNode node = plugIn();
    Handle handle = kernel.open(LINK);

    assertEquals(NtStatus.DEVICE_BUSY, kernel.remove(node));
    assertEquals(DeviceNode.State.STARTED, node.state());
    assertEquals(2, kernel.drivers().size());
    assertEquals(NtStatus.SUCCESS, handle.write(bytes("still works")).status());
    assertEquals("still works", text(handle.read(32)));

    handle.close();
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertEquals(1, unloadCalls(kernel, "Toaster"));
    assertEquals(1, unloadCalls(kernel, "ToasterFilter"));
    assertEquals(List.of("Toaster: Unload: driver object \\Driver\\Toaster, device object null"),
        events(kernel, "DbgPrint").stream().filter(e -> e.startsWith("Toaster: Unload"))
            .collect(Collectors.toList()));
    assertNothingLeftBehind(kernel);
  }

  @Test
  @DisplayName("surprise removal with a handle open: I/O fails; closing it removes and unloads")
  void surpriseRemovalWithOpenHandle() {
    DeviceNode node = plugIn();
    Handle handle = kernel.open(LINK);
    IoRequest read = handle.submitRead(8);
    assertFalse(read.isDone());

    assertEquals(NtStatus.SUCCESS, kernel.surpriseRemove(node));
    assertEquals(DeviceNode.State.SURPRISE_REMOVED, node.state());

    // The queued read was failed, and the device is no longer advertised.
    assertTrue(read.isDone());
    assertEquals(NtStatus.NO_SUCH_DEVICE, read.result().status());
    NtStatusException noLink = assertThrows(NtStatusException.class, () -> kernel.open(LINK));
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, noLink.status());
    NtStatusException refused = assertThrows(NtStatusException.class, () -> kernel.open(DEVICE));
    assertEquals(NtStatus.DELETE_PENDING, refused.status());

    // I/O on the open handle fails; nothing is detached or deleted yet.
    assertEquals(NtStatus.NO_SUCH_DEVICE, handle.read(8).status());
    assertEquals(NtStatus.NO_SUCH_DEVICE, handle.write(bytes("toast")).status());
    assertEquals(NtStatus.NO_SUCH_DEVICE,
        handle.deviceIoControl(IOCTL_TOASTER_GET_STATISTICS, null, 16).status());
    assertEquals(List.of(), events(kernel, "IRP_MN_REMOVE_DEVICE"));
    assertEquals(2, kernel.drivers().size());
    assertEquals(0, unloadCalls(kernel, "Toaster"));

    // The orderly removal is refused while the surprise removal finishes.
    assertEquals(NtStatus.DELETE_PENDING, kernel.remove(node));

    handle.close();
    assertEquals(List.of("ROOT\\TOASTER\\0000: " + NtStatus.SUCCESS),
        events(kernel, "IRP_MN_REMOVE_DEVICE"));
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertEquals(1, unloadCalls(kernel, "Toaster"));
    assertEquals(1, unloadCalls(kernel, "ToasterFilter"));
    assertNothingLeftBehind(kernel);
  }

  @Test
  @DisplayName("surprise removal with no handle open removes and unloads at once")
  void surpriseRemovalWithoutHandles() {
    DeviceNode node = plugIn();
    assertEquals(NtStatus.SUCCESS, kernel.surpriseRemove(node));
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertEquals(List.of("ROOT\\TOASTER\\0000: " + NtStatus.SUCCESS),
        events(kernel, "IRP_MN_REMOVE_DEVICE"));
    assertNothingLeftBehind(kernel);
  }

  @Test
  @DisplayName("each unplug and replug loads fresh driver instances")
  void unplugReplug() {
    for (int round = 1; round <= 3; round++) {
      DeviceNode node = plugIn();
      assertEquals(round, driverEntryCalls(kernel, "Toaster"));
      assertEquals(round, driverEntryCalls(kernel, "ToasterFilter"));
      // A fresh driver numbers its devices from 0 again, and a fresh device has made no toast.
      try (Handle handle = kernel.open(LINK)) {
        assertEquals(List.of(0, 0, 0, 0), statistics(handle));
        assertEquals(NtStatus.SUCCESS, handle.write(bytes("round " + round)).status());
        assertEquals("round " + round, text(handle.read(16)));
        assertEquals(List.of(1, 1, 0, 0), statistics(handle));
      }
      removeAndCheckUnloaded(node);
      assertEquals(round, unloadCalls(kernel, "Toaster"));
      assertEquals(round, unloadCalls(kernel, "ToasterFilter"));
    }
  }

  @Test
  @DisplayName("two toasters share one driver instance, which unloads after the last removal")
  void twoToasters() {
    DeviceNode first = plugIn();
    DeviceNode second = plugIn();
    assertEquals(1, driverEntryCalls(kernel, "Toaster"));
    assertEquals(List.of("\\Device\\Toaster1", DEVICE), kernel.drivers().get(0).deviceNames());

    try (Handle zero = kernel.open(LINK); Handle one = kernel.open("\\\\.\\Toaster1")) {
      IoRequest read = one.submitRead(8);
      assertEquals(NtStatus.SUCCESS, zero.write(bytes("white")).status());
      assertFalse(read.isDone(), "each toaster has its own toast");
      assertEquals(NtStatus.SUCCESS, one.write(bytes("brown")).status());
      assertEquals("brown", text(read.result()));
      assertEquals("white", text(zero.read(8)));
    }

    assertEquals(NtStatus.SUCCESS, kernel.remove(first));
    assertEquals(2, kernel.drivers().size(), "the second toaster keeps both drivers loaded");
    assertEquals(0, unloadCalls(kernel, "Toaster"));
    assertThrows(NtStatusException.class, () -> kernel.open(LINK));
    try (Handle one = kernel.open("\\\\.\\Toaster1")) {
      assertEquals(NtStatus.SUCCESS, one.write(bytes("rye")).status());
    }
    assertRunning(kernel);

    removeAndCheckUnloaded(second);
    assertEquals(1, unloadCalls(kernel, "Toaster"));
    assertEquals(1, unloadCalls(kernel, "ToasterFilter"));
  }
}

package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When Unload is called, and what it must leave behind (DOMAIN §2.7, §3). */
class DriverUnloadTest {
  private static final Duration WAIT = Duration.ofSeconds(2);
  private static final int IOCTL_ECHO = Wdm.CTL_CODE(0x22, 0x800, Wdm.METHOD_BUFFERED, 0);
  private static final int IOCTL_HOLD = Wdm.CTL_CODE(0x22, 0x801, Wdm.METHOD_BUFFERED, 0);

  private final Journal journal = new Journal();
  private final Kernel kernel = Kernel.boot(KernelOptions.builder().waitTimeout(WAIT).build());
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /**
   * "Held": IOCTL_ECHO completes at once with Information 1; IOCTL_HOLD marks the IRP pending and
   * keeps it.
   */
  private TestDriver held() {
    return TestDriver.legacyDevice("Held", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          if (self.k.ioGetCurrentIrpStackLocation(irp).ioControlCode() == IOCTL_HOLD) {
            return Routines.hold().dispatch(self, device, irp);
          }
          return Routines.complete(self, irp, NtStatus.SUCCESS, 1);
        })
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Explicit unload requests

  @Test
  void explicitUnloadOfALegacyDriverWithoutUnloadRoutineIsRefusedAndItStaysLoaded() {
    kernel.loadDriver(TestDriver.legacyDevice("Keyboard", journal).unload(null).build());

    assertEquals(NtStatus.INVALID_DEVICE_REQUEST, kernel.unloadDriver("Keyboard"));

    assertTrue(kernel.isLoaded("Keyboard"));
    assertEquals(DriverInfo.State.LOADED, kernel.drivers().get(0).state());
    kernel.open("\\\\.\\Keyboard").close();
  }

  @Test
  void explicitUnloadOfAPnpDriverIsRefused() {
    kernel.install(TestDriver.wdm("Toaster", journal, "ROOT\\TOASTER").build());
    kernel.plugIn("ROOT\\TOASTER");

    assertEquals(NtStatus.INVALID_DEVICE_REQUEST, kernel.unloadDriver("Toaster"));

    assertTrue(kernel.isLoaded("Toaster"));
    assertFalse(journal.contains("Toaster Unload"));
  }

  @Test
  void explicitUnloadOfAnUnknownDriverReturnsObjectNameNotFound() {
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, kernel.unloadDriver("Nobody"));
  }

  // ---------------------------------------------------------------------------------------------
  // Unload waits for open handles

  @Test
  void unloadWaitsWhileAHandleIsOpenAndClosingTheLastHandleRunsUnload() {
    kernel.loadDriver(held());
    Handle first = kernel.open("\\\\.\\Held");
    Handle second = kernel.open("\\\\.\\Held");

    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Held"));

    assertTrue(kernel.isLoaded("Held"));
    assertEquals(DriverInfo.State.UNLOAD_PENDING, kernel.drivers().get(0).state());
    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Held"));
    assertTrue(kernel.unloadBlockers("Held").contains("handle"), kernel.unloadBlockers("Held"));
    first.close();
    assertFalse(journal.contains("Held Unload"));

    second.close();

    assertTrue(kernel.awaitUnloaded("Held", WAIT));
    assertFalse(kernel.isLoaded("Held"));
    List<String> events = journal.eventsOf("Held");
    assertEquals(List.of("IRP_MJ_CLEANUP", "IRP_MJ_CLOSE", "Unload"),
        events.subList(events.size() - 3, events.size()));
  }

  @Test
  void anUnloadPendingDriverRefusesNewOpensWithDeletePending() {
    kernel.loadDriver(held());
    Handle handle = kernel.open("\\\\.\\Held");
    kernel.unloadDriver("Held");

    NtStatusException refused =
        assertThrows(NtStatusException.class, () -> kernel.open("\\\\.\\Held"));

    assertEquals(NtStatus.DELETE_PENDING, refused.status());
    assertEquals(1, journal.count("Held IRP_MJ_CREATE"));
    handle.close();
  }

  @Test
  void anUnloadPendingDriverRefusesAttachmentsToItsDevice() {
    kernel.loadDriver(held());
    Handle handle = kernel.open("\\\\.\\Held");
    kernel.unloadDriver("Held");
    DeviceObject heldDevice = journal.last("Held").device;
    AtomicReference<DeviceObject> attachedTo = new AtomicReference<>(heldDevice);

    NtStatus loaded = kernel.loadDriver(TestDriver.legacy("Filter", journal)
        .entry(self -> {
          Out<DeviceObject> filter = new Out<>();
          self.k.ioCreateDevice(self.driverObject, null, null, Wdm.FILE_DEVICE_UNKNOWN, 0, false,
              filter);
          attachedTo.set(self.k.ioAttachDeviceToDeviceStack(filter.get(), heldDevice));
          return NtStatus.SUCCESS;
        })
        .unload(self -> self.k.ioDeleteDevice(self.driverObject.deviceObject()))
        .build());

    assertEquals(NtStatus.SUCCESS, loaded);
    assertNull(attachedTo.get());
    assertNull(heldDevice.attachedDevice());
    handle.close();
  }

  @Test
  void irpsOnAnExistingHandleStillCompleteNormallyWhileUnloadIsPending() {
    kernel.loadDriver(held());
    Handle handle = kernel.open("\\\\.\\Held");
    kernel.unloadDriver("Held");

    IoResult result = handle.deviceIoControl(IOCTL_ECHO, new byte[] {42}, 1);

    assertEquals(NtStatus.SUCCESS, result.status());
    assertEquals(42, result.data()[0]);
    assertFalse(journal.contains("Held Unload"));
    handle.close();
    assertTrue(kernel.awaitUnloaded("Held", WAIT));
  }

  // ---------------------------------------------------------------------------------------------
  // Unload waits for outstanding IRPs and running routines

  @Test
  void unloadWaitsForAnOutstandingIrpAndRunsOnceItCompletes() {
    kernel.loadDriver(held());
    Handle handle = kernel.open("\\\\.\\Held");
    IoRequest pending = handle.submitDeviceIoControl(IOCTL_HOLD, null, 0);
    handle.close();
    assertTrue(kernel.openHandles().isEmpty());

    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Held"));

    assertTrue(kernel.isLoaded("Held"));
    assertFalse(journal.contains("Held Unload"));
    // The CLOSE of the handle waits for its IRP as well.
    assertFalse(journal.contains("Held IRP_MJ_CLOSE"));

    // The driver completes the IRP from its own thread (as a DPC would).
    TestDriver.Instance held = journal.last("Held");
    kernel.runAsKernelThread(
        () -> Routines.complete(held, held.held.remove(), NtStatus.SUCCESS, 0));

    assertTrue(pending.await(WAIT));
    assertEquals(NtStatus.SUCCESS, pending.result().status());
    assertTrue(kernel.awaitUnloaded("Held", WAIT));
    assertTrue(journal.indexOf("Held IRP_MJ_CLOSE") < journal.indexOf("Held Unload"),
        journal::toString);
  }

  @Test
  void unloadNeverOverlapsADispatchRoutine() throws Exception {
    CountDownLatch inDispatch = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger runningAtUnload = new AtomicInteger(-1);
    kernel.loadDriver(TestDriver.legacyDevice("Slow", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          running.incrementAndGet();
          inDispatch.countDown();
          await(release);
          NtStatus status = Routines.complete(self, irp, NtStatus.SUCCESS, 0);
          self.note("dispatch returns");
          running.decrementAndGet();
          return status;
        })
        .unload(self -> {
          runningAtUnload.set(running.get());
          Routines.deleteDeviceAndLink(self, "\\??\\Slow");
        })
        .build());
    Handle handle = kernel.open("\\\\.\\Slow");
    Future<IoResult> call = threads.submit(() -> handle.deviceIoControl(IOCTL_ECHO, null, 0));
    assertTrue(inDispatch.await(2, TimeUnit.SECONDS));

    // While the dispatch routine runs on the other thread: close the handle and ask for unload.
    handle.close();
    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Slow"));
    assertFalse(journal.contains("Slow Unload"));
    release.countDown();

    assertEquals(NtStatus.SUCCESS, call.get(2, TimeUnit.SECONDS).status());
    assertTrue(kernel.awaitUnloaded("Slow", WAIT));
    assertEquals(0, runningAtUnload.get());
    assertTrue(journal.indexOf("Slow dispatch returns") < journal.indexOf("Slow Unload"),
        journal::toString);
  }

  @Test
  void unloadWaitsForADispatchRoutineThatCompletedItsIrpButHasNotReturned() throws Exception {
    CountDownLatch completed = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    kernel.loadDriver(TestDriver.legacyDevice("Lingering", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          NtStatus status = Routines.complete(self, irp, NtStatus.SUCCESS, 0);
          completed.countDown();
          await(release);
          self.note("dispatch returns");
          return status;
        })
        .build());
    Handle handle = kernel.open("\\\\.\\Lingering");
    Future<IoResult> call = threads.submit(() -> handle.deviceIoControl(IOCTL_ECHO, null, 0));
    assertTrue(completed.await(2, TimeUnit.SECONDS));
    // No handle and no IRP is left; only the routine still runs.
    handle.close();

    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Lingering"));
    assertFalse(journal.contains("Lingering Unload"));

    release.countDown();
    assertEquals(NtStatus.SUCCESS, call.get(2, TimeUnit.SECONDS).status());
    assertTrue(kernel.awaitUnloaded("Lingering", WAIT),
        () -> "Unload never ran after the routine returned; blockers: "
            + kernel.unloadBlockers("Lingering") + "\n" + journal);
    assertTrue(journal.indexOf("Lingering dispatch returns") < journal.indexOf("Lingering Unload"));
  }

  @Test
  void noIrpReachesTheDriverAfterUnloadReturns() {
    kernel.loadDriver(held());
    Handle handle = kernel.open("\\\\.\\Held");
    handle.deviceIoControl(IOCTL_ECHO, null, 1);
    handle.close();
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Held"));
    int eventsAtUnload = journal.events().size();

    NtStatusException notFound =
        assertThrows(NtStatusException.class, () -> kernel.open("\\\\.\\Held"));
    assertThrows(NtStatusException.class, () -> kernel.open("\\Device\\Held"));
    IoResult stale = handle.deviceIoControl(IOCTL_ECHO, null, 1);
    handle.close();

    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, notFound.status());
    assertEquals(NtStatus.INVALID_HANDLE, stale.status());
    assertEquals("Held Unload", journal.events().get(eventsAtUnload - 1));
    assertEquals(eventsAtUnload, journal.events().size(), journal::toString);
    assertTrue(kernel.bugCheck().isEmpty());
  }

  // ---------------------------------------------------------------------------------------------
  // After Unload

  @Test
  void afterUnloadTheDriverObjectIsReleasedAndLoadingAgainCreatesAFreshInstance() {
    kernel.loadDriver(held());
    TestDriver.Instance first = journal.last("Held");
    DriverDispatch firstDeviceControl = first.driverObject.majorFunction(MajorFunction.DEVICE_CONTROL);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Held"));

    assertTrue(kernel.drivers().isEmpty());
    assertNotSame(firstDeviceControl,
        first.driverObject.majorFunction(MajorFunction.DEVICE_CONTROL),
        "the released driver object still reaches the old driver instance");

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Held"));

    TestDriver.Instance second = journal.last("Held");
    assertNotSame(first, second);
    assertNotSame(first.driverObject, second.driverObject);
    assertEquals(2, journal.count("Held DriverEntry"));
    assertTrue(second.held.isEmpty());
    assertEquals("\\Device\\Held", second.device.name());
    try (Handle handle = kernel.open("\\\\.\\Held")) {
      assertEquals(NtStatus.SUCCESS, handle.deviceIoControl(IOCTL_ECHO, null, 1).status());
    }
  }

  @Test
  void devicesAndLinksALegacyUnloadLeavesAreReportedAsLeaksWithTheirCreationStack() {
    kernel.loadDriver(TestDriver.legacy("Forgetful", journal)
        .entry(self -> {
          Out<DeviceObject> device = new Out<>();
          self.k.ioCreateDevice(self.driverObject, null, "\\Device\\Forgetful",
              Wdm.FILE_DEVICE_UNKNOWN, 0, false, device);
          return self.k.ioCreateSymbolicLink("\\DosDevices\\Forgetful", "\\Device\\Forgetful");
        })
        .unload(self -> self.note("forgot everything"))
        .build());

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Forgetful"));

    List<Leak> leaks = kernel.leaks();
    assertEquals(2, leaks.size(), leaks::toString);
    Leak device = Leaks.only(leaks, "DeviceObject");
    Leak link = Leaks.only(leaks, "SymbolicLink");
    String method = "devicesAndLinksALegacyUnloadLeavesAreReportedAsLeaksWithTheirCreationStack";
    assertAll(
        () -> assertEquals("Forgetful", device.driverName()),
        () -> assertTrue(device.description().contains("\\Device\\Forgetful"), device::render),
        () -> assertEquals("Unload", device.when()),
        () -> assertEquals("Forgetful", link.driverName()),
        () -> assertTrue(link.description().contains("Forgetful"), link::render),
        () -> assertEquals("Unload", link.when()),
        () -> assertTrue(device.render().contains("\\Device\\Forgetful")),
        () -> Leaks.assertCreatedIn(device, getClass(), method),
        () -> Leaks.assertCreatedIn(link, getClass(), method));
    // The kernel reclaimed them: the names are free again.
    assertThrows(NtStatusException.class, () -> kernel.open("\\\\.\\Forgetful"));
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Forgetful"));
  }

  @Test
  void aLegacyUnloadThatDeletesItsDeviceAndLinkLeavesNoLeaks() {
    kernel.loadDriver(held());
    kernel.open("\\\\.\\Held").close();

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Held"));

    assertEquals(List.of(), kernel.leaks());
    assertTrue(kernel.bugCheck().isEmpty());
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(2, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the test never released the routine");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

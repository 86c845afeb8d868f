package io.jwdm.host;

import static io.jwdm.kernel.Wdm.CTL_CODE;
import static io.jwdm.kernel.Wdm.FILE_ANY_ACCESS;
import static io.jwdm.kernel.Wdm.METHOD_BUFFERED;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.IoCompletionRoutine;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * IRPs going down a two-driver stack and completing back up: a legacy filter "Upper" attached over
 * "Disk". Completion routines, PendingReturned, MORE_PROCESSING_REQUIRED, skipping the stack
 * location, and IoForwardIrpSynchronously.
 */
class IrpStackTest {
  private static final Duration WAIT = Duration.ofSeconds(2);
  /** Disk completes it at once with "ok" (Information 2). */
  private static final int IOCTL_NOW = CTL_CODE(0x22, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS);
  /** Disk marks it pending and keeps it. */
  private static final int IOCTL_LATER = CTL_CODE(0x22, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS);

  private final Journal journal = new Journal();
  private final Kernel kernel = Kernel.boot(KernelOptions.builder().waitTimeout(WAIT).build());
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** What a completion routine saw. */
  private record Completion(DeviceObject device, NtStatus status, boolean pendingReturned,
      Object context) {}

  private final List<Completion> completions = new CopyOnWriteArrayList<>();
  /** The IRP's CurrentLocation as each driver saw it, "Upper 2", "Disk 1". */
  private final List<String> locations = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /** Loads Disk, then Upper with {@code deviceControl}, and opens {@code \\.\Disk}. */
  private Handle openStack(TestDriver.Dispatch deviceControl) {
    kernel.loadDriver(TestDriver.legacyDevice("Disk", journal)
        .entry(self -> Routines.createDevice(self, "\\Device\\Disk", "\\??\\Disk",
            Wdm.DO_BUFFERED_IO))
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          locations.add("Disk " + irp.currentLocation());
          if (self.k.ioGetCurrentIrpStackLocation(irp).ioControlCode() == IOCTL_LATER) {
            return Routines.hold().dispatch(self, device, irp);
          }
          irp.systemBuffer().put(0, "ok".getBytes(US_ASCII));
          return Routines.complete(self, irp, NtStatus.SUCCESS, 2);
        })
        .build());
    DeviceObject disk = journal.last("Disk").device;
    kernel.loadDriver(TestDriver.legacy("Upper", journal)
        .entry(self -> {
          Out<DeviceObject> out = new Out<>();
          Routines.DeviceExt ext = new Routines.DeviceExt();
          NtStatus status = self.k.ioCreateDevice(self.driverObject, ext, null,
              Wdm.FILE_DEVICE_UNKNOWN, 0, false, out);
          if (!status.isSuccess()) {
            return status;
          }
          out.get().setFlags(out.get().flags() | Wdm.DO_BUFFERED_IO);
          ext.lower = self.k.ioAttachDeviceToDeviceStack(out.get(), disk);
          self.device = out.get();
          return ext.lower != null ? NtStatus.SUCCESS : NtStatus.NO_SUCH_DEVICE;
        })
        .unload(self -> {
          self.k.ioDetachDevice(disk);
          self.k.ioDeleteDevice(self.device);
        })
        .dispatch(MajorFunction.CREATE, Routines.passDown())
        .dispatch(MajorFunction.CLEANUP, Routines.passDown())
        .dispatch(MajorFunction.CLOSE, Routines.passDown())
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          locations.add("Upper " + irp.currentLocation());
          return deviceControl.dispatch(self, device, irp);
        })
        .build());
    return kernel.open("\\\\.\\Disk");
  }

  /** A completion routine that records what it saw and lets completion go on. */
  private IoCompletionRoutine recordingRoutine(TestDriver.Instance self) {
    return (device, irp, context) -> {
      completions.add(new Completion(device, irp.ioStatus().status(), irp.pendingReturned(),
          context));
      if (irp.pendingReturned()) {
        self.k.ioMarkIrpPending(irp);
      }
      return NtStatus.SUCCESS;
    };
  }

  /** Upper's DEVICE_CONTROL: copy the stack location, set {@link #recordingRoutine}, call down. */
  private TestDriver.Dispatch copyWithCompletionRoutine(Object context) {
    return (self, device, irp) -> {
      self.k.ioCopyCurrentIrpStackLocationToNext(irp);
      self.k.ioSetCompletionRoutine(irp, recordingRoutine(self), context, true, true, true);
      return self.k.ioCallDriver(Routines.lower(device), irp);
    };
  }

  @Test
  void theFiltersCompletionRoutineRunsWithItsOwnDeviceWhenTheLowerDriverCompletes() {
    String context = "context";
    Handle handle = openStack(copyWithCompletionRoutine(context));

    IoResult result = handle.deviceIoControl(IOCTL_NOW, null, 2);

    assertEquals(1, completions.size());
    Completion seen = completions.get(0);
    assertSame(journal.last("Upper").device, seen.device());
    assertEquals(NtStatus.SUCCESS, seen.status());
    assertFalse(seen.pendingReturned());
    assertSame(context, seen.context());
    // The lower driver got the next stack location.
    assertEquals(List.of("Upper 2", "Disk 1"), locations);
    assertEquals(NtStatus.SUCCESS, result.status());
    assertArrayEquals("ok".getBytes(US_ASCII), result.data());
  }

  @Test
  void pendingReturnedTellsTheCompletionRoutineThatALowerDriverReturnedPending() {
    Handle handle = openStack(copyWithCompletionRoutine(null));
    IoRequest request = handle.submitDeviceIoControl(IOCTL_LATER, null, 2);
    assertFalse(request.isDone());
    assertTrue(completions.isEmpty());

    TestDriver.Instance disk = journal.last("Disk");
    Irp kept = disk.held.remove();
    kept.systemBuffer().put(0, "ok".getBytes(US_ASCII));
    kernel.runAsKernelThread(() -> Routines.complete(disk, kept, NtStatus.SUCCESS, 2));

    assertEquals(1, completions.size());
    assertTrue(completions.get(0).pendingReturned());
    assertTrue(request.isDone());
    assertEquals(NtStatus.SUCCESS, request.result().status());
    assertArrayEquals("ok".getBytes(US_ASCII), request.result().data());
  }

  @Test
  void moreProcessingRequiredStopsCompletionUntilTheUpperDriverCompletesTheIrpAgain() {
    Handle handle = openStack((self, device, irp) -> {
      self.k.ioCopyCurrentIrpStackLocationToNext(irp);
      self.k.ioSetCompletionRoutine(irp, (d, completing, context) -> {
        self.note("completion routine");
        self.held.add(completing); // finished later, as by a work item
        return NtStatus.MORE_PROCESSING_REQUIRED;
      }, null, true, true, true);
      self.k.ioMarkIrpPending(irp);
      self.k.ioCallDriver(Routines.lower(device), irp);
      return NtStatus.PENDING;
    });
    IoRequest request = handle.submitDeviceIoControl(IOCTL_LATER, null, 3);
    TestDriver.Instance disk = journal.last("Disk");
    kernel.runAsKernelThread(
        () -> Routines.complete(disk, disk.held.remove(), NtStatus.SUCCESS, 0));

    assertTrue(journal.contains("Upper completion routine"));
    assertFalse(request.isDone(), "MORE_PROCESSING_REQUIRED must stop completion");

    TestDriver.Instance upper = journal.last("Upper");
    Irp reclaimed = upper.held.remove();
    reclaimed.systemBuffer().put(0, "mpr".getBytes(US_ASCII));
    kernel.runAsKernelThread(() -> Routines.complete(upper, reclaimed, NtStatus.SUCCESS, 3));

    assertTrue(request.isDone());
    assertEquals(NtStatus.SUCCESS, request.result().status());
    assertArrayEquals("mpr".getBytes(US_ASCII), request.result().data());
    assertTrue(kernel.bugCheck().isEmpty(), "completing again after MORE_PROCESSING_REQUIRED is legal");
  }

  @Test
  void aCompletionRoutineThatCompletesItsIrpAndLetsCompletionGoOnIsADoubleCompletion() {
    Handle handle = openStack((self, device, irp) -> {
      self.k.ioCopyCurrentIrpStackLocationToNext(irp);
      self.k.ioSetCompletionRoutine(irp, (d, completing, context) -> {
        // The IRP is Upper's again while this runs: completing it here is allowed only if the
        // routine then returns STATUS_MORE_PROCESSING_REQUIRED, which this one does not.
        self.k.ioCompleteRequest(completing, Wdm.IO_NO_INCREMENT);
        return NtStatus.SUCCESS;
      }, null, true, true, true);
      return self.k.ioCallDriver(Routines.lower(device), irp);
    });

    SystemStoppedException stopped = assertThrows(SystemStoppedException.class,
        () -> handle.deviceIoControl(IOCTL_NOW, null, 2));

    assertEquals(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, stopped.bugCheck().code());
    assertEquals("Upper", stopped.bugCheck().driverName());
    assertTrue(stopped.bugCheck().message().contains("instead of STATUS_MORE_PROCESSING_REQUIRED"),
        stopped.bugCheck()::message);
  }

  @Test
  void aCompletionRoutineThatCompletesItsIrpAndReturnsMoreProcessingRequiredIsLegal() {
    Handle handle = openStack((self, device, irp) -> {
      self.k.ioCopyCurrentIrpStackLocationToNext(irp);
      self.k.ioSetCompletionRoutine(irp, (d, completing, context) -> {
        completing.systemBuffer().put(0, "cr".getBytes(US_ASCII));
        completing.ioStatus().setInformation(2);
        self.k.ioCompleteRequest(completing, Wdm.IO_NO_INCREMENT);
        return NtStatus.MORE_PROCESSING_REQUIRED;
      }, null, true, true, true);
      return self.k.ioCallDriver(Routines.lower(device), irp);
    });

    IoResult result = handle.deviceIoControl(IOCTL_NOW, null, 2);

    assertEquals(NtStatus.SUCCESS, result.status());
    assertArrayEquals("cr".getBytes(US_ASCII), result.data());
    assertTrue(kernel.bugCheck().isEmpty(), () -> kernel.bugCheck().toString());
  }

  @Test
  void skippingTheCurrentStackLocationPassesTheIrpThroughUnchanged() {
    Handle handle = openStack(Routines.passDown());

    IoResult result = handle.deviceIoControl(IOCTL_NOW, new byte[] {7}, 2);

    // The lower driver reuses the filter's stack location.
    assertEquals(List.of("Upper 2", "Disk 2"), locations);
    assertEquals(List.of("IRP_MJ_DEVICE_CONTROL"),
        journal.eventsOf("Disk").stream().filter(e -> e.contains("DEVICE_CONTROL")).toList());
    assertEquals(NtStatus.SUCCESS, result.status());
    assertArrayEquals("ok".getBytes(US_ASCII), result.data());
  }

  @Test
  void forwardIrpSynchronouslyWaitsUntilTheLowerDriverCompletesThenTheCallerCompletes()
      throws Exception {
    Handle handle = openStack((self, device, irp) -> {
      self.k.ioForwardIrpSynchronously(Routines.lower(device), irp);
      self.note("forwarded: " + irp.ioStatus().status().name() + " " + irp.ioStatus().information());
      irp.systemBuffer().put(2, (byte) '!');
      return Routines.complete(self, irp, NtStatus.SUCCESS, 3);
    });

    Future<IoResult> caller = threads.submit(() -> handle.deviceIoControl(IOCTL_LATER, null, 3));
    TestDriver.Instance disk = journal.last("Disk");
    Irp kept = disk.held.poll(2, TimeUnit.SECONDS);
    assertNotNull(kept, "Disk never got the IRP");
    assertFalse(journal.contains("Upper forwarded: SUCCESS 2"));
    kept.systemBuffer().put(0, "ok".getBytes(US_ASCII));
    kernel.runAsKernelThread(() -> Routines.complete(disk, kept, NtStatus.SUCCESS, 2));

    IoResult result = caller.get(2, TimeUnit.SECONDS);
    assertTrue(journal.contains("Upper forwarded: SUCCESS 2"), journal::toString);
    assertEquals(NtStatus.SUCCESS, result.status());
    assertArrayEquals("ok!".getBytes(US_ASCII), result.data());
  }
}

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
import io.jwdm.kernel.DriverCancel;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An IRP is completed exactly once, now or later, or cancelled (DOMAIN §2.5). */
class IrpCompletionTest {
  private static final Duration WAIT = Duration.ofSeconds(2);
  private static final int IOCTL_TWICE = CTL_CODE(0x22, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS);
  private static final int IOCTL_HOLD = CTL_CODE(0x22, 0x801, METHOD_BUFFERED, FILE_ANY_ACCESS);
  private static final int IOCTL_RELEASE = CTL_CODE(0x22, 0x802, METHOD_BUFFERED, FILE_ANY_ACCESS);
  private static final int IOCTL_CANCELABLE =
      CTL_CODE(0x22, 0x803, METHOD_BUFFERED, FILE_ANY_ACCESS);

  private final Journal journal = new Journal();
  private final Kernel kernel = Kernel.boot(KernelOptions.builder().waitTimeout(WAIT).build());
  private final ExecutorService threads = Executors.newCachedThreadPool();
  /** Counted down each time "Queue" holds an IRP. */
  private final CountDownLatch holding = new CountDownLatch(1);
  /** What Queue's cancel routine saw: the device, and whether the IRP's Cancel flag was set. */
  private final AtomicReference<DeviceObject> cancelDevice = new AtomicReference<>();
  private final AtomicReference<Boolean> cancelFlag = new AtomicReference<>();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  /**
   * "Queue": IOCTL_HOLD marks the IRP pending and keeps it; IOCTL_RELEASE completes every kept IRP
   * with "DONE"; IOCTL_CANCELABLE keeps the IRP with a cancel routine; IOCTL_TWICE completes twice.
   */
  private Handle openQueue() {
    kernel.loadDriver(TestDriver.legacyDevice("Queue", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          int code = self.k.ioGetCurrentIrpStackLocation(irp).ioControlCode();
          if (code == IOCTL_HOLD) {
            self.k.ioMarkIrpPending(irp);
            self.held.add(irp);
            holding.countDown();
            return NtStatus.PENDING;
          }
          if (code == IOCTL_CANCELABLE) {
            self.k.ioSetCancelRoutine(irp, cancelRoutine(self));
            self.k.ioMarkIrpPending(irp);
            self.held.add(irp);
            return NtStatus.PENDING;
          }
          if (code == IOCTL_RELEASE) {
            for (Irp kept = self.held.poll(); kept != null; kept = self.held.poll()) {
              if (self.k.ioSetCancelRoutine(kept, null) == null && kept.cancel()) {
                continue; // its cancel routine owns it
              }
              kept.systemBuffer().put(0, "DONE".getBytes(US_ASCII));
              Routines.complete(self, kept, NtStatus.SUCCESS, 4);
            }
            return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
          }
          if (code == IOCTL_TWICE) {
            Routines.complete(self, irp, NtStatus.SUCCESS, 0);
            self.note("completed once");
            Routines.complete(self, irp, NtStatus.SUCCESS, 0);
            self.note("completed twice");
            return NtStatus.SUCCESS;
          }
          return Routines.complete(self, irp, NtStatus.INVALID_PARAMETER, 0);
        })
        .build());
    return kernel.open("\\\\.\\Queue");
  }

  private DriverCancel cancelRoutine(TestDriver.Instance self) {
    return (device, irp) -> {
      cancelDevice.set(device);
      cancelFlag.set(irp.cancel());
      self.held.remove(irp);
      Routines.complete(self, irp, NtStatus.CANCELLED, 0);
    };
  }

  @Test
  void completingAnIrpTwiceIsBugCheck0x44() {
    Handle handle = openQueue();

    SystemStoppedException stopped = assertThrows(SystemStoppedException.class,
        () -> handle.deviceIoControl(IOCTL_TWICE, null, 0));

    assertEquals(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, stopped.bugCheck().code());
    assertEquals(0x44, stopped.bugCheck().code());
    assertEquals("Queue", stopped.bugCheck().driverName());
    assertTrue(journal.contains("Queue completed once"));
    assertFalse(journal.contains("Queue completed twice"));
  }

  @Test
  void aMajorFunctionWithoutARoutineGetsTheDefaultInvalidDeviceRequest() {
    Handle handle = openQueue();

    IoResult read = handle.read(4);
    IoResult write = handle.write(new byte[] {1});

    assertEquals(NtStatus.INVALID_DEVICE_REQUEST, read.status());
    assertEquals(0, read.information());
    assertEquals(NtStatus.INVALID_DEVICE_REQUEST, write.status());
    assertFalse(journal.contains("Queue IRP_MJ_READ"));
    TestDriver.Instance queue = journal.last("Queue");
    assertNotNull(queue.driverObject.majorFunction(MajorFunction.READ));
    assertTrue(kernel.bugCheck().isEmpty());
  }

  @Test
  void aPendingIrpStaysPendingUntilASecondRequestCompletesIt() {
    Handle handle = openQueue();

    IoRequest held = handle.submitDeviceIoControl(IOCTL_HOLD, null, 4);

    assertFalse(held.isDone());
    assertThrows(IllegalStateException.class, held::result);
    assertEquals(NtStatus.SUCCESS, handle.deviceIoControl(IOCTL_RELEASE, null, 0).status());
    assertTrue(held.isDone());
    assertEquals(NtStatus.SUCCESS, held.result().status());
    assertArrayEquals("DONE".getBytes(US_ASCII), held.result().data());
  }

  @Test
  void aSynchronousCallerWaitsForAnIrpCompletedFromAnotherThread() throws Exception {
    Handle handle = openQueue();

    Future<IoResult> caller = threads.submit(() -> handle.deviceIoControl(IOCTL_HOLD, null, 4));
    assertTrue(holding.await(2, TimeUnit.SECONDS));
    assertFalse(caller.isDone());
    assertEquals(NtStatus.SUCCESS, handle.deviceIoControl(IOCTL_RELEASE, null, 0).status());

    IoResult result = caller.get(2, TimeUnit.SECONDS);
    assertEquals(NtStatus.SUCCESS, result.status());
    assertArrayEquals("DONE".getBytes(US_ASCII), result.data());
  }

  @Test
  void cancellingAPendingRequestRunsItsCancelRoutineWhichCompletesItCancelled() {
    Handle handle = openQueue();
    IoRequest request = handle.submitDeviceIoControl(IOCTL_CANCELABLE, null, 4);
    assertFalse(request.isDone());

    assertTrue(request.cancel());

    assertTrue(request.isDone());
    assertEquals(NtStatus.CANCELLED, request.result().status());
    assertSame(journal.last("Queue").device, cancelDevice.get());
    assertEquals(Boolean.TRUE, cancelFlag.get());
    assertTrue(journal.last("Queue").held.isEmpty());
    assertFalse(request.cancel(), "a completed request cannot be cancelled again");
  }

  @Test
  void aRequestWhoseDriverClearedItsCancelRoutineAndCompletedItIsNotCancelled() {
    Handle handle = openQueue();
    IoRequest request = handle.submitDeviceIoControl(IOCTL_CANCELABLE, null, 4);
    handle.deviceIoControl(IOCTL_RELEASE, null, 0);

    assertFalse(request.cancel());

    assertEquals(NtStatus.SUCCESS, request.result().status());
    assertEquals(null, cancelDevice.get());
  }

  @Test
  void aSynchronousRequestStillPendingAfterTheWaitTimeoutIsCancelled() {
    Kernel impatient = Kernel.boot(
        KernelOptions.builder().waitTimeout(Duration.ofMillis(100)).build());
    impatient.loadDriver(TestDriver.legacyDevice("Queue", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          self.k.ioSetCancelRoutine(irp, cancelRoutine(self));
          self.k.ioMarkIrpPending(irp);
          self.held.add(irp);
          return NtStatus.PENDING;
        })
        .build());
    Handle handle = impatient.open("\\\\.\\Queue");

    IoResult result = handle.deviceIoControl(IOCTL_CANCELABLE, null, 0);

    assertEquals(NtStatus.CANCELLED, result.status());
    assertEquals(Boolean.TRUE, cancelFlag.get());
    assertEquals(List.of(), List.copyOf(journal.last("Queue").held));
  }
}

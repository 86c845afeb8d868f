package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertRunning;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Wdm;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * I/O verification must not flag a correct stack: a function driver and an upper filter that both
 * forward START_DEVICE synchronously and complete it (Routines#standardPnp); and a filter that
 * passes an IRP down (DOMAIN §2.5) and returns the lower driver's STATUS_PENDING, either skipping
 * its stack location or with a completion routine that propagates the pending state as
 * {@link io.jwdm.kernel.IoCompletionRoutine} requires.
 */
class VerifierFilterPendingTest {
  private static final String TOASTER = "ROOT\\TOASTER";
  private static final int IOCTL_HOLD = Wdm.CTL_CODE(0x22, 0x801, Wdm.METHOD_BUFFERED, 0);

  private final Journal journal = new Journal();
  /** Verifies only Filter: the checks of its dispatch results are what the pending tests are about. */
  private final Kernel filterVerified = VerifierAsserts.boot("Filter", VerifierFlags.STANDARD);

  /** Func marks DEVICE_CONTROL IRPs pending and holds them; Filter handles them with {@code filter}. */
  private DeviceNode plugIn(Kernel kernel, TestDriver.Dispatch filter) {
    kernel.install(TestDriver.wdm("Func", journal, TOASTER)
        .dispatch(MajorFunction.POWER, Routines.passDown())
        .dispatch(MajorFunction.DEVICE_CONTROL, Routines.hold())
        .build());
    kernel.install(TestDriver.upperFilter("Filter", journal, TOASTER)
        .dispatch(MajorFunction.POWER, Routines.passDown())
        .dispatch(MajorFunction.DEVICE_CONTROL, filter)
        .build());
    DeviceNode node = assertDoesNotThrow(() -> kernel.plugIn(TOASTER), "plug in");
    assertEquals(DeviceNode.State.STARTED, node.state(), journal::toString);
    assertEquals(java.util.List.of("Func", "Filter"), node.driverNames());
    return node;
  }

  /** Sends IOCTL_HOLD, checks it is pending, lets Func complete it, and removes the device. */
  private void holdCompleteAndRemove(Kernel kernel, DeviceNode node) {
    Handle handle = kernel.open(node.pdoName());
    IoRequest request = assertDoesNotThrow(
        () -> handle.submitDeviceIoControl(IOCTL_HOLD, null, 0), "IOCTL_HOLD through Filter");
    assertRunning(kernel);
    assertFalse(request.isDone(), "Func holds the IRP");

    TestDriver.Instance func = journal.last("Func");
    kernel.runAsKernelThread(
        () -> Routines.complete(func, func.held.remove(), NtStatus.SUCCESS, 0));

    assertTrue(request.isDone(), journal::toString);
    assertEquals(NtStatus.SUCCESS, request.result().status());
    handle.close();
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertCleanRun(kernel);
  }

  /**
   * Func completes START_DEVICE after forwarding it; Filter's IoForwardIrpSynchronously completion
   * routine then returns MORE_PROCESSING_REQUIRED and Filter completes the IRP again, as it may.
   * Func did complete the IRP: its dispatch result is no 0x226.
   */
  @Test
  void aFunctionDriverAndAnUpperFilterWithStandardPnpStartAndStopUnderIoVerificationForBoth() {
    Kernel kernel = Kernel.boot(KernelOptions.builder()
        .waitTimeout(Duration.ofSeconds(2))
        .verifierForAll(VerifierFlags.IO_VERIFICATION)
        .build());

    DeviceNode node = plugIn(kernel, Routines.passDown());

    assertTrue(journal.contains("Func started") && journal.contains("Filter started"),
        journal::toString);
    kernel.open(node.pdoName()).close();
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertFalse(kernel.isLoaded("Func"));
    assertFalse(kernel.isLoaded("Filter"));
    assertCleanRun(kernel);
  }

  @Test
  void aFilterThatSkipsItsLocationAndReturnsTheLowerPendingIsFine() {
    DeviceNode node = plugIn(filterVerified, Routines.passDown());

    holdCompleteAndRemove(filterVerified, node);
  }

  @Test
  void aFilterWithACompletionRoutineThatPropagatesPendingIsFine() {
    DeviceNode node = plugIn(filterVerified, (self, device, irp) -> {
      self.k.ioCopyCurrentIrpStackLocationToNext(irp);
      self.k.ioSetCompletionRoutine(irp, (d, completed, context) -> {
        if (completed.pendingReturned()) {
          self.k.ioMarkIrpPending(completed);
        }
        return completed.ioStatus().status();
      }, null, true, true, true);
      return self.k.ioCallDriver(Routines.lower(device), irp);
    });

    holdCompleteAndRemove(filterVerified, node);
  }
}

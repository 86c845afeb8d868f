package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.address;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertRunning;
import static io.jwdm.host.VerifierAsserts.boot;
import static io.jwdm.host.VerifierAsserts.bootWithoutVerifier;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Wdm;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * I/O verification (0x10) of what a dispatch routine does with its IRP: complete it, pass it down,
 * or mark it pending and return STATUS_PENDING (0xC9 / 0x226, 0x23D, 0x23E); and completing an IRP
 * twice, 0x44 with or without the verifier (DOMAIN §2.5, §4).
 */
class VerifierIoDispatchTest {
  private static final int IOCTL_TEST = Wdm.CTL_CODE(0x22, 0x800, Wdm.METHOD_BUFFERED, 0);

  private final Journal journal = new Journal();
  private final AtomicReference<Irp> seenIrp = new AtomicReference<>();

  /** "Disp": a legacy device driver whose DEVICE_CONTROL routine is {@code routine}. */
  private TestDriver disp(TestDriver.Dispatch routine) {
    return TestDriver.legacyDevice("Disp", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          seenIrp.set(irp);
          return routine.dispatch(self, device, irp);
        })
        .build();
  }

  private long deviceAddress() {
    return address(journal.last("Disp").device);
  }

  private long irpAddress() {
    assertNotNull(seenIrp.get(), "the dispatch routine ran");
    return address(seenIrp.get());
  }

  /** Loads {@code driver} into {@code kernel} and opens its device. */
  private static Handle open(Kernel kernel, TestDriver driver) {
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));
    return kernel.open("\\\\.\\Disp");
  }

  // ---------------------------------------------------------------------------------------------
  // 0x226: neither completed, passed down, nor pending

  @Test
  void returningSuccessWithoutCompletingIsBugCheckC9Subcode226() {
    Kernel kernel = boot("Disp", VerifierFlags.IO_VERIFICATION);
    Handle handle = open(kernel, disp((self, device, irp) -> NtStatus.SUCCESS));

    BugCheck check = stops(kernel, () -> handle.deviceIoControl(IOCTL_TEST, null, 0));

    // P2 the IRP, P3 the device, P4 the status returned.
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x226, irpAddress(),
        deviceAddress(), 0, "Disp");
  }

  @Test
  void returningAnErrorWithoutCompletingIsBugCheckC9Subcode226WithThatStatus() {
    Kernel kernel = boot("Disp", VerifierFlags.STANDARD);
    Handle handle = open(kernel, disp((self, device, irp) -> NtStatus.UNSUCCESSFUL));

    BugCheck check = stops(kernel, () -> handle.deviceIoControl(IOCTL_TEST, null, 0));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x226, irpAddress(),
        deviceAddress(), 0xC0000001L, "Disp");
  }

  @Test
  void withoutIoVerificationAnIrpNeitherCompletedNorPendingIsNoBugCheck() {
    Kernel kernel = bootWithoutVerifier();
    Handle handle = open(kernel, disp((self, device, irp) -> NtStatus.SUCCESS));

    IoRequest request = handle.submitDeviceIoControl(IOCTL_TEST, null, 0);

    assertRunning(kernel);
    assertFalse(request.isDone(), "the IRP was never completed");
  }

  @Test
  void completingAndReturningTheStatusIsFineUnderIoVerification() {
    Kernel kernel = boot("Disp", VerifierFlags.IO_VERIFICATION);
    Handle handle = open(kernel,
        disp((self, device, irp) -> Routines.complete(self, irp, NtStatus.SUCCESS, 0)));

    assertEquals(NtStatus.SUCCESS, handle.deviceIoControl(IOCTL_TEST, null, 0).status());

    handle.close();
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Disp"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // 0x23D / 0x23E: IoMarkIrpPending and STATUS_PENDING disagree

  @Test
  void returningPendingWithoutIoMarkIrpPendingIsBugCheckC9Subcode23D() {
    Kernel kernel = boot("Disp", VerifierFlags.IO_VERIFICATION);
    Handle handle = open(kernel, disp((self, device, irp) -> {
      self.held.add(irp);
      return NtStatus.PENDING;
    }));

    BugCheck check = stops(kernel, () -> handle.submitDeviceIoControl(IOCTL_TEST, null, 0));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x23D, irpAddress(),
        deviceAddress(), 0, "Disp");
  }

  @Test
  void markingPendingCompletingAndReturningPendingIsFine() {
    Kernel kernel = boot("Disp", VerifierFlags.IO_VERIFICATION);
    Handle handle = open(kernel, disp((self, device, irp) -> {
      self.k.ioMarkIrpPending(irp);
      Routines.complete(self, irp, NtStatus.SUCCESS, 0);
      return NtStatus.PENDING;
    }));

    assertEquals(NtStatus.SUCCESS, handle.deviceIoControl(IOCTL_TEST, null, 0).status());

    handle.close();
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Disp"));
    assertCleanRun(kernel);
  }

  @Test
  void markingPendingButReturningSuccessIsBugCheckC9Subcode23E() {
    Kernel kernel = boot("Disp", VerifierFlags.IO_VERIFICATION);
    Handle handle = open(kernel, disp((self, device, irp) -> {
      self.k.ioMarkIrpPending(irp);
      return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
    }));

    BugCheck check = stops(kernel, () -> handle.deviceIoControl(IOCTL_TEST, null, 0));

    // P4 the status returned instead of STATUS_PENDING.
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x23E, irpAddress(),
        deviceAddress(), 0, "Disp");
  }

  @Test
  void withoutIoVerificationMarkingPendingButReturningSuccessIsNoBugCheck() {
    Kernel kernel = bootWithoutVerifier();
    Handle handle = open(kernel, disp((self, device, irp) -> {
      self.k.ioMarkIrpPending(irp);
      return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
    }));

    assertEquals(NtStatus.SUCCESS, handle.deviceIoControl(IOCTL_TEST, null, 0).status());

    assertRunning(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // 0x44: completing twice, with or without the verifier

  private TestDriver completesTwice() {
    return disp((self, device, irp) -> {
      Routines.complete(self, irp, NtStatus.SUCCESS, 0);
      self.k.ioCompleteRequest(irp, Wdm.IO_NO_INCREMENT);
      return NtStatus.SUCCESS;
    });
  }

  @Test
  void completingTwiceIsMultipleIrpCompleteRequestsUnderTheVerifier() {
    Kernel kernel = boot("Disp", VerifierFlags.STANDARD);
    Handle handle = open(kernel, completesTwice());

    BugCheck check = stops(kernel, () -> handle.deviceIoControl(IOCTL_TEST, null, 0));

    // P1 the IRP.
    assertBugCheck(check, BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, irpAddress(), 0, 0, 0, "Disp");
  }

  @Test
  void completingTwiceIsMultipleIrpCompleteRequestsWithoutTheVerifier() {
    Kernel kernel = bootWithoutVerifier();
    Handle handle = open(kernel, completesTwice());

    BugCheck check = stops(kernel, () -> handle.deviceIoControl(IOCTL_TEST, null, 0));

    assertBugCheck(check, BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, irpAddress(), 0, 0, 0, "Disp");
  }
}

package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.address;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertObject;
import static io.jwdm.host.VerifierAsserts.assertRunning;
import static io.jwdm.host.VerifierAsserts.assertTraced;
import static io.jwdm.host.VerifierAsserts.boot;
import static io.jwdm.host.VerifierAsserts.bootWithoutVerifier;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * I/O verification (0x10) of a WDM function driver's PnP handling: REMOVE_DEVICE must detach
 * (0xC9 / 0x21D), delete (0x21E) and never fail (0x306); SURPRISE_REMOVAL must neither detach
 * (0x241) nor delete (0x242); AddDevice must clear DO_DEVICE_INITIALIZING (0x243)
 * (DOMAIN §2.3, §2.6, §4).
 */
class VerifierPnpTest {
  private static final String TOASTER = "ROOT\\TOASTER";

  private final Journal journal = new Journal();
  /** The function driver's device object, as its routines saw it. */
  private final AtomicReference<DeviceObject> fdo = new AtomicReference<>();
  private final AtomicReference<Irp> seenIrp = new AtomicReference<>();

  /** "Func": a WDM function driver for ROOT\TOASTER with PNP and POWER dispatch. */
  private TestDriver.Builder func() {
    return TestDriver.wdm("Func", journal, TOASTER)
        .dispatch(MajorFunction.POWER, Routines.passDown());
  }

  private DeviceNode plugIn(Kernel kernel, TestDriver driver) {
    kernel.install(driver);
    DeviceNode node = kernel.plugIn(TOASTER);
    assertEquals(DeviceNode.State.STARTED, node.state(), journal::toString);
    return node;
  }

  private long fdoAddress() {
    assertNotNull(fdo.get(), "the routine saw the FDO");
    return address(fdo.get());
  }

  /** Passes a PnP IRP down with success, as the standard handling does. */
  private static NtStatus passDown(TestDriver.Instance self, DeviceObject device, Irp irp) {
    irp.ioStatus().setStatus(NtStatus.SUCCESS);
    self.k.ioSkipCurrentIrpStackLocation(irp);
    return self.k.ioCallDriver(Routines.lower(device), irp);
  }

  // ---------------------------------------------------------------------------------------------
  // REMOVE_DEVICE

  /** REMOVE_DEVICE passed down, then the device deleted but not detached. */
  private TestDriver deletesWithoutDetaching() {
    return func().onPnp(Wdm.IRP_MN_REMOVE_DEVICE, (self, device, irp) -> {
      fdo.set(device);
      NtStatus status = passDown(self, device, irp);
      self.k.ioDeleteDevice(device);
      return status;
    }).build();
  }

  @Test
  void removeDeviceWithoutDetachingIsBugCheckC9Subcode21D() {
    Kernel kernel = boot("Func", VerifierFlags.IO_VERIFICATION);
    DeviceNode node = plugIn(kernel, deletesWithoutDetaching());

    BugCheck check = stops(kernel, () -> kernel.remove(node));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x21D, fdoAddress(), 0, 0,
        "Func");
    assertEquals(1, check.objects().size(), check::render);
    assertObject(check.objects().get(0), "DeviceObject", "Func", "REMOVE_DEVICE (not detached)",
        Routines.class, "attachToStack");
  }

  @Test
  void withoutIoVerificationRemoveDeviceWithoutDetachingIsALeakAndAViolation() {
    Kernel kernel = bootWithoutVerifier();
    DeviceNode node = plugIn(kernel, deletesWithoutDetaching());

    assertEquals(NtStatus.SUCCESS, kernel.remove(node));

    assertRunning(kernel);
    assertEquals(1, kernel.leaks().size(), kernel.leaks()::toString);
    assertObject(kernel.leaks().get(0), "DeviceObject", "Func", "REMOVE_DEVICE (not detached)",
        Routines.class, "attachToStack");
    assertTraced(kernel, "Violation", "Func", "not detached");
  }

  /** REMOVE_DEVICE passed down, then the device detached but not deleted. */
  private TestDriver detachesWithoutDeleting() {
    return func().onPnp(Wdm.IRP_MN_REMOVE_DEVICE, (self, device, irp) -> {
      fdo.set(device);
      NtStatus status = passDown(self, device, irp);
      self.k.ioDetachDevice(Routines.lower(device));
      return status;
    }).build();
  }

  @Test
  void removeDeviceWithoutDeletingIsBugCheckC9Subcode21E() {
    Kernel kernel = boot("Func", VerifierFlags.IO_VERIFICATION);
    DeviceNode node = plugIn(kernel, detachesWithoutDeleting());

    BugCheck check = stops(kernel, () -> kernel.remove(node));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x21E, fdoAddress(), 0, 0,
        "Func");
    assertEquals(1, check.objects().size(), check::render);
    assertObject(check.objects().get(0), "DeviceObject", "Func", "REMOVE_DEVICE (not deleted)",
        Routines.class, "attachToStack");
  }

  @Test
  void withoutIoVerificationRemoveDeviceWithoutDeletingIsALeakAndAViolation() {
    Kernel kernel = bootWithoutVerifier();
    DeviceNode node = plugIn(kernel, detachesWithoutDeleting());

    assertEquals(NtStatus.SUCCESS, kernel.remove(node));

    assertRunning(kernel);
    assertEquals(1, kernel.leaks().size(), kernel.leaks()::toString);
    assertEquals("REMOVE_DEVICE (not deleted)", kernel.leaks().get(0).when());
    assertTraced(kernel, "Violation", "Func", "not deleted");
  }

  /** REMOVE_DEVICE: the device detached and deleted, then the IRP completed with UNSUCCESSFUL. */
  private TestDriver failsRemove() {
    return func().onPnp(Wdm.IRP_MN_REMOVE_DEVICE, (self, device, irp) -> {
      fdo.set(device);
      seenIrp.set(irp);
      self.k.ioDetachDevice(Routines.lower(device));
      self.k.ioDeleteDevice(device);
      return Routines.complete(self, irp, NtStatus.UNSUCCESSFUL, 0);
    }).build();
  }

  @Test
  void failingRemoveDeviceIsBugCheckC9Subcode306() {
    Kernel kernel = boot("Func", VerifierFlags.IO_VERIFICATION);
    DeviceNode node = plugIn(kernel, failsRemove());

    BugCheck check = stops(kernel, () -> kernel.remove(node));

    assertNotNull(seenIrp.get());
    // P2 the device REMOVE_DEVICE was sent to, P3 the IRP, P4 the status.
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x306, fdoAddress(),
        address(seenIrp.get()), 0xC0000001L, "Func");
  }

  @Test
  void withoutIoVerificationAFailedRemoveDeviceIsOnlyAViolation() {
    Kernel kernel = bootWithoutVerifier();
    DeviceNode node = plugIn(kernel, failsRemove());

    kernel.remove(node);

    assertRunning(kernel);
    assertTraced(kernel, "Violation", "Func", "REMOVE_DEVICE failed");
  }

  @Test
  void aStandardRemoveIsFineUnderIoVerification() {
    Kernel kernel = boot("Func", VerifierFlags.IO_VERIFICATION);
    DeviceNode node = plugIn(kernel, func().build());

    assertEquals(NtStatus.SUCCESS, kernel.remove(node));

    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertFalse(kernel.isLoaded("Func"));
    assertTrue(journal.contains("Func Unload"), journal::toString);
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // SURPRISE_REMOVAL

  @Test
  void detachingDuringSurpriseRemovalIsBugCheckC9Subcode241() {
    Kernel kernel = boot("Func", VerifierFlags.IO_VERIFICATION);
    DeviceNode node = plugIn(kernel, func()
        .onPnp(Wdm.IRP_MN_SURPRISE_REMOVAL, (self, device, irp) -> {
          fdo.set(device);
          NtStatus status = passDown(self, device, irp);
          self.k.ioDetachDevice(Routines.lower(device));
          return status;
        })
        .build());

    BugCheck check = stops(kernel, () -> kernel.surpriseRemove(node));

    // P2 the device being detached.
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x241, fdoAddress(), 0, 0,
        "Func");
  }

  @Test
  void deletingDuringSurpriseRemovalIsBugCheckC9Subcode242() {
    Kernel kernel = boot("Func", VerifierFlags.STANDARD);
    DeviceNode node = plugIn(kernel, func()
        .onPnp(Wdm.IRP_MN_SURPRISE_REMOVAL, (self, device, irp) -> {
          fdo.set(device);
          NtStatus status = passDown(self, device, irp);
          self.k.ioDeleteDevice(device);
          return status;
        })
        .build());

    BugCheck check = stops(kernel, () -> kernel.surpriseRemove(node));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x242, fdoAddress(), 0, 0,
        "Func");
  }

  @Test
  void surpriseRemovalThenRemoveDeviceIsFineUnderIoVerification() {
    Kernel kernel = boot("Func", VerifierFlags.IO_VERIFICATION);
    DeviceNode node = plugIn(kernel, func().build());

    assertEquals(NtStatus.SUCCESS, kernel.surpriseRemove(node));

    assertTrue(journal.indexOf("Func IRP_MN_SURPRISE_REMOVAL")
        < journal.indexOf("Func IRP_MN_REMOVE_DEVICE"), journal::toString);
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertFalse(kernel.isLoaded("Func"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // 0x243: DO_DEVICE_INITIALIZING after AddDevice

  /** AddDevice attaches its device but forgets to clear DO_DEVICE_INITIALIZING. */
  private TestDriver staysInitializing() {
    return func().addDevice((self, pdo) -> {
      Out<DeviceObject> out = new Out<>();
      Routines.DeviceExt ext = new Routines.DeviceExt();
      NtStatus status = self.k.ioCreateDevice(self.driverObject, ext, null,
          Wdm.FILE_DEVICE_UNKNOWN, Wdm.FILE_DEVICE_SECURE_OPEN, false, out);
      if (!status.isSuccess()) {
        return status;
      }
      fdo.set(out.get());
      ext.lower = self.k.ioAttachDeviceToDeviceStack(out.get(), pdo);
      out.get().setFlags(out.get().flags() | Wdm.DO_BUFFERED_IO);
      return NtStatus.SUCCESS;
    }).build();
  }

  @Test
  void leavingDoDeviceInitializingSetAfterAddDeviceIsBugCheckC9Subcode243() {
    Kernel kernel = boot("Func", VerifierFlags.IO_VERIFICATION);
    kernel.install(staysInitializing());

    BugCheck check = stops(kernel, () -> kernel.plugIn(TOASTER));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x243, fdoAddress(), 0, 0,
        "Func");
    assertFalse(journal.contains("Func IRP_MN_START_DEVICE"), "START_DEVICE must not be sent");
  }

  @Test
  void withoutIoVerificationAnInitializingDeviceIsAViolationAndRefusesOpens() {
    Kernel kernel = bootWithoutVerifier();
    kernel.install(staysInitializing());

    DeviceNode node = kernel.plugIn(TOASTER);

    assertRunning(kernel);
    assertTraced(kernel, "Violation", "Func", "DO_DEVICE_INITIALIZING");
    NtStatusException refused =
        assertThrows(NtStatusException.class, () -> kernel.open(node.pdoName()));
    assertEquals(NtStatus.NO_SUCH_DEVICE, refused.status());
  }
}

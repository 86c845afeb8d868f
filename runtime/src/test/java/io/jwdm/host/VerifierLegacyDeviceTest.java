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
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * I/O verification (0x10) of a legacy driver's device objects: IoDeleteDevice twice (0xC9 / 0x240),
 * IoDetachDevice with nothing attached (0xC9 / 0x202), and devices or links left at Unload (0xCE)
 * (DOMAIN §3, §4).
 */
class VerifierLegacyDeviceTest {
  private final Journal journal = new Journal();

  // ---------------------------------------------------------------------------------------------
  // 0x240: IoDeleteDevice twice

  /** "Doubler": a device and link; Unload deletes both, and the device a second time if told. */
  private TestDriver doubler(boolean deleteTwice) {
    return TestDriver.legacyDevice("Doubler", journal)
        .unload(self -> {
          self.k.ioDeleteSymbolicLink("\\??\\Doubler");
          self.k.ioDeleteDevice(self.device);
          if (deleteTwice) {
            self.k.ioDeleteDevice(self.device);
          }
        })
        .build();
  }

  @Test
  void deletingADeviceTwiceIsBugCheckC9Subcode240() {
    Kernel kernel = boot("Doubler", VerifierFlags.IO_VERIFICATION);
    kernel.loadDriver(doubler(true));
    long deviceAddress = address(journal.last("Doubler").device);

    BugCheck check = stops(kernel, () -> kernel.unloadDriver("Doubler"));

    // P2 the device object.
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x240, deviceAddress, 0, 0,
        "Doubler");
  }

  @Test
  void withoutIoVerificationDeletingTwiceIsOnlyTraced() {
    Kernel kernel = bootWithoutVerifier();
    kernel.loadDriver(doubler(true));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Doubler"));

    assertCleanRun(kernel);
    assertTraced(kernel, "DoubleDelete", "Doubler", "\\Device\\Doubler");
  }

  @Test
  void deletingOnceIsFineUnderIoVerification() {
    Kernel kernel = boot("Doubler", VerifierFlags.IO_VERIFICATION);
    kernel.loadDriver(doubler(false));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Doubler"));

    assertFalse(kernel.isLoaded("Doubler"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // 0x202: IoDetachDevice with nothing attached

  /**
   * "Upper": DriverEntry attaches an unnamed device to Lower's device; Unload detaches it (twice if
   * told) and deletes it.
   */
  private TestDriver upper(boolean detachTwice) {
    return TestDriver.legacy("Upper", journal)
        .entry(self -> {
          Out<DeviceObject> out = new Out<>();
          NtStatus status = self.k.ioCreateDevice(self.driverObject, null, null,
              Wdm.FILE_DEVICE_UNKNOWN, 0, false, out);
          if (!status.isSuccess()) {
            return status;
          }
          DeviceObject lower = journal.last("Lower").device;
          if (self.k.ioAttachDeviceToDeviceStack(out.get(), lower) == null) {
            self.k.ioDeleteDevice(out.get());
            return NtStatus.NO_SUCH_DEVICE;
          }
          self.device = out.get();
          self.values.put("lower", lower);
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          DeviceObject lower = (DeviceObject) self.values.get("lower");
          self.k.ioDetachDevice(lower);
          if (detachTwice) {
            self.k.ioDetachDevice(lower);
          }
          self.k.ioDeleteDevice(self.device);
        })
        .build();
  }

  private void loadLowerAndUpper(Kernel kernel, boolean detachTwice) {
    assertEquals(NtStatus.SUCCESS,
        kernel.loadDriver(TestDriver.legacyDevice("Lower", journal).build()));
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(upper(detachTwice)));
    assertNotNull(journal.last("Lower").device.attachedDevice(), "Upper is attached to Lower");
  }

  @Test
  void detachingWhenNothingIsAttachedIsBugCheckC9Subcode202() {
    Kernel kernel = boot("Upper", VerifierFlags.IO_VERIFICATION);
    loadLowerAndUpper(kernel, true);
    long lowerAddress = address(journal.last("Lower").device);

    BugCheck check = stops(kernel, () -> kernel.unloadDriver("Upper"));

    // P2 the target device, which had nothing attached; the driver is the caller.
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x202, lowerAddress, 0, 0,
        "Upper");
  }

  @Test
  void withoutIoVerificationDetachingTwiceIsOnlyTraced() {
    Kernel kernel = bootWithoutVerifier();
    loadLowerAndUpper(kernel, true);

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Upper"));

    assertTraced(kernel, "DoubleDetach", "Lower", "nothing attached");
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Lower"));
    assertCleanRun(kernel);
  }

  @Test
  void detachingOnceIsFineUnderIoVerification() {
    Kernel kernel = boot("Upper", VerifierFlags.IO_VERIFICATION);
    loadLowerAndUpper(kernel, false);

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Upper"));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Lower"));

    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // 0xCE: devices and links left at Unload

  /**
   * "Sloppy": DriverEntry creates \Device\Sloppy and \??\Sloppy; Unload deletes the link if told,
   * and nothing else.
   */
  private TestDriver sloppy(boolean deleteLink) {
    return TestDriver.legacyDevice("Sloppy", journal)
        .entry(self -> Routines.createDevice(self, "\\Device\\Sloppy", "\\??\\Sloppy", 0))
        .unload(self -> {
          if (deleteLink) {
            self.k.ioDeleteSymbolicLink("\\??\\Sloppy");
          }
        })
        .build();
  }

  @Test
  void aDeviceAndLinkLeftAtUnloadAreBugCheckCENamingBoth() {
    Kernel kernel = boot("Sloppy", VerifierFlags.IO_VERIFICATION);
    kernel.loadDriver(sloppy(false));
    long deviceAddress = address(journal.last("Sloppy").device);

    BugCheck check = stops(kernel, () -> kernel.unloadDriver("Sloppy"));

    // P1 the device object still referenced by the unloaded driver.
    assertBugCheck(check, BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
        deviceAddress, 0, 0, 0, "Sloppy");
    List<Leak> objects = check.objects();
    assertEquals(2, objects.size(), check::render);
    Leak link = Leaks.only(objects, "SymbolicLink");
    Leak device = Leaks.only(objects, "DeviceObject");
    assertObject(link, "SymbolicLink", "Sloppy", "Unload", VerifierLegacyDeviceTest.class,
        "sloppy");
    assertObject(device, "DeviceObject", "Sloppy", "Unload", VerifierLegacyDeviceTest.class,
        "sloppy");
    assertTrue(link.description().contains("\\??\\Sloppy"), link::render);
    assertTrue(device.description().contains("\\Device\\Sloppy"), device::render);
  }

  @Test
  void aDeviceLeftAtUnloadIsBugCheckCENamingIt() {
    Kernel kernel = boot("Sloppy", VerifierFlags.STANDARD);
    kernel.loadDriver(sloppy(true));
    long deviceAddress = address(journal.last("Sloppy").device);

    BugCheck check = stops(kernel, () -> kernel.unloadDriver("Sloppy"));

    assertBugCheck(check, BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
        deviceAddress, 0, 0, 0, "Sloppy");
    assertEquals(1, check.objects().size(), check::render);
    assertObject(check.objects().get(0), "DeviceObject", "Sloppy", "Unload",
        VerifierLegacyDeviceTest.class, "sloppy");
  }

  @Test
  void withoutIoVerificationADeviceAndLinkLeftAtUnloadAreOnlyLeaks() {
    Kernel kernel = bootWithoutVerifier();
    kernel.loadDriver(sloppy(false));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sloppy"));

    assertRunning(kernel);
    assertFalse(kernel.isLoaded("Sloppy"));
    List<Leak> leaks = kernel.leaks();
    assertEquals(2, leaks.size(), leaks::toString);
    assertObject(Leaks.only(leaks, "SymbolicLink"), "SymbolicLink", "Sloppy", "Unload",
        VerifierLegacyDeviceTest.class, "sloppy");
    assertObject(Leaks.only(leaks, "DeviceObject"), "DeviceObject", "Sloppy", "Unload",
        VerifierLegacyDeviceTest.class, "sloppy");
  }

  @Test
  void anUnloadThatDeletesDeviceAndLinkIsFineUnderIoVerification() {
    Kernel kernel = boot("Sloppy", VerifierFlags.IO_VERIFICATION);
    kernel.loadDriver(TestDriver.legacyDevice("Sloppy", journal).build());
    kernel.open("\\\\.\\Sloppy").close();

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sloppy"));

    assertFalse(kernel.isLoaded("Sloppy"));
    assertCleanRun(kernel);
  }
}

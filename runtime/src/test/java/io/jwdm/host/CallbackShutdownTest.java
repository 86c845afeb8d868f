package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertObject;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IoRegisterShutdownNotification and IoUnregisterShutdownNotification with
 * {@link Kernel#shutdown}: registered devices receive IRP_MJ_SHUTDOWN, no Unload routine runs
 * (DOMAIN §2.7), and a registration left at Unload is bug check 0xCE.
 */
class CallbackShutdownTest {
  private static final String DISK = "Disk";
  private static final String LINK = "\\??\\" + DISK;

  private final Journal journal = new Journal();

  /**
   * "Disk": a legacy driver with a device registered for shutdown notification in DriverEntry and,
   * if {@code unregister}, unregistered in Unload before the device is deleted.
   */
  private TestDriver disk(boolean unregister) {
    return TestDriver.legacyDevice(DISK, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + DISK, LINK, 0);
          return status.isSuccess() ? register(self) : status;
        })
        .dispatch(MajorFunction.SHUTDOWN, (self, device, irp) -> {
          self.note("shutdown at " + self.k.keGetCurrentIrql() + ", own device "
              + (device == self.device));
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .unload(self -> {
          if (unregister) {
            self.k.ioUnregisterShutdownNotification(self.device);
          }
          Routines.deleteDeviceAndLink(self, LINK);
        })
        .build();
  }

  /** The driver's own registration: leaks must name it. */
  private static NtStatus register(TestDriver.Instance self) {
    return self.k.ioRegisterShutdownNotification(self.device);
  }

  @Test
  void shutdownSendsIrpMjShutdownToRegisteredDevicesAndDoesNotUnload() {
    Kernel kernel = VerifierAsserts.boot(DISK, VerifierFlags.STANDARD);
    kernel.loadDriver(disk(true));

    kernel.shutdown();

    assertEquals(List.of("DriverEntry", "IRP_MJ_SHUTDOWN", "shutdown at PASSIVE_LEVEL, own device"
        + " true"), journal.eventsOf(DISK));
    assertFalse(journal.contains(DISK + " Unload"));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(DISK));
    kernel.shutdown();
    assertEquals(1, journal.count(DISK + " IRP_MJ_SHUTDOWN"), "unregistered: no second IRP");
    assertCleanRun(kernel);
  }

  @Test
  void registeringTwiceGivesOneIrp() {
    Kernel kernel = VerifierAsserts.boot(DISK, VerifierFlags.STANDARD);
    kernel.loadDriver(disk(true));
    kernel.runAsKernelThread(() -> journal.last(DISK).k.ioRegisterShutdownNotification(
        journal.last(DISK).device));

    kernel.shutdown();

    assertEquals(1, journal.count(DISK + " IRP_MJ_SHUTDOWN"), journal::toString);
    kernel.unloadDriver(DISK);
    assertCleanRun(kernel);
  }

  @Test
  void aRegistrationLeftAtUnloadIsBugCheckCEWithTheRegisteringStack() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(disk(false));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(DISK));

    assertEquals(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, check.code());
    assertEquals(1, check.objects().size(), check::render);
    assertObject(check.objects().get(0), "ShutdownNotification", DISK, "Unload",
        CallbackShutdownTest.class, "register");
  }
}

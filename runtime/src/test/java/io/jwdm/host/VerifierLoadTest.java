package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.address;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertTraced;
import static io.jwdm.host.VerifierAsserts.boot;
import static io.jwdm.host.VerifierAsserts.bootWithoutVerifier;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * What Driver Verifier checks when a driver loads: a permanent driver (no Unload) is refused
 * (DOMAIN §1, "jwdm:" note), and a WDM driver must have PNP and POWER dispatch routines (0xC9 / 0x21F).
 */
class VerifierLoadTest {
  private static final String TOASTER = "ROOT\\TOASTER";

  private final Journal journal = new Journal();

  /** "Keyboard": a legacy driver with a device and no Unload routine (glue.permanent() is true). */
  private TestDriver keyboard() {
    TestDriver glue = TestDriver.legacyDevice("Keyboard", journal).unload(null).build();
    assertTrue(glue.permanent(), "a driver without Unload is permanent");
    return glue;
  }

  // ---------------------------------------------------------------------------------------------
  // Permanent drivers

  @Test
  void aPermanentDriverIsRefusedWithDriverUnableToLoadWhenItsVerifierIsOn() {
    Kernel kernel = boot("Keyboard", VerifierFlags.POOL_TRACKING);

    NtStatus status = kernel.loadDriver(keyboard());

    assertEquals(NtStatus.DRIVER_UNABLE_TO_LOAD, status);
    assertFalse(kernel.isLoaded("Keyboard"));
    assertEquals(List.of(), kernel.drivers());
    assertFalse(journal.contains("Keyboard DriverEntry"), "DriverEntry must not run");
    assertCleanRun(kernel);
    assertTraced(kernel, "LoadRefused", "Keyboard", "no Unload routine");
  }

  @Test
  void aPermanentDriverIsRefusedUnderStandardFlags() {
    Kernel kernel = boot("Keyboard", VerifierFlags.STANDARD);

    assertEquals(NtStatus.DRIVER_UNABLE_TO_LOAD, kernel.loadDriver(keyboard()));

    assertFalse(kernel.isLoaded("Keyboard"));
  }

  @Test
  void aPermanentDriverLoadsWhenItsVerifierIsOff() {
    Kernel kernel = bootWithoutVerifier();

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(keyboard()));

    assertTrue(kernel.isLoaded("Keyboard"));
    assertTrue(journal.contains("Keyboard DriverEntry"));
    kernel.open("\\\\.\\Keyboard").close();
    assertCleanRun(kernel);
  }

  @Test
  void aPermanentDriverLoadsWhenOnlyAnotherDriverIsVerified() {
    Kernel kernel = boot("Mouse", VerifierFlags.STANDARD);

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(keyboard()));

    assertTrue(kernel.isLoaded("Keyboard"));
  }

  @Test
  void aDriverWithUnloadLoadsAndUnloadsUnderStandardFlags() {
    Kernel kernel = boot("Keyboard", VerifierFlags.STANDARD);

    assertEquals(NtStatus.SUCCESS,
        kernel.loadDriver(TestDriver.legacyDevice("Keyboard", journal).build()));
    kernel.open("\\\\.\\Keyboard").close();
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Keyboard"));

    assertFalse(kernel.isLoaded("Keyboard"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // 0x21F: a WDM driver without PNP or POWER dispatch

  @Test
  void aWdmDriverWithoutPowerDispatchIsBugCheckC9Subcode21FAtLoad() {
    Kernel kernel = boot("NoPower", VerifierFlags.IO_VERIFICATION);
    kernel.install(TestDriver.wdm("NoPower", journal, TOASTER).build());

    BugCheck check = stops(kernel, () -> kernel.plugIn(TOASTER));

    long driverAddress = address(journal.last("NoPower").driverObject);
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x21F, driverAddress,
        MajorFunction.POWER.code(), 0, "NoPower");
    assertTrue(check.message().contains("IRP_MJ_POWER"), check.message());
    assertFalse(journal.contains("NoPower AddDevice"), "AddDevice must not run: " + journal);
  }

  @Test
  void aWdmGlueWithNeitherPnpNorPowerDispatchIsBugCheckC9Subcode21FForPnp() {
    Kernel kernel = boot("Bare", VerifierFlags.IO_VERIFICATION);
    AtomicReference<DriverObject> driver = new AtomicReference<>();

    BugCheck check = stops(kernel,
        () -> kernel.loadDriver(new VerifierBareWdmGlue("Bare", driver::set, TOASTER)));

    assertNotNull(driver.get(), "DriverEntry ran");
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x21F,
        address(driver.get()), MajorFunction.PNP.code(), 0, "Bare");
  }

  @Test
  void withoutIoVerificationAWdmGlueWithoutPnpOrPowerDispatchLoads() {
    Kernel kernel = boot("Bare", VerifierFlags.POOL_TRACKING);
    AtomicReference<DriverObject> driver = new AtomicReference<>();

    NtStatus status = kernel.loadDriver(new VerifierBareWdmGlue("Bare", driver::set, TOASTER));

    assertEquals(NtStatus.SUCCESS, status);
    assertTrue(kernel.isLoaded("Bare"));
    assertCleanRun(kernel);
  }

  @Test
  void aWdmDriverWithPnpAndPowerDispatchStartsAndIsRemovedCleanlyUnderStandardFlags() {
    Kernel kernel = boot("Func", VerifierFlags.STANDARD);
    kernel.install(TestDriver.wdm("Func", journal, TOASTER)
        .dispatch(MajorFunction.POWER, Routines.passDown())
        .build());

    DeviceNode node = kernel.plugIn(TOASTER);

    assertEquals(DeviceNode.State.STARTED, node.state(), journal::toString);
    kernel.open(node.pdoName()).close();
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertFalse(kernel.isLoaded("Func"));
    assertTrue(journal.contains("Func Unload"));
    assertCleanRun(kernel);
  }
}

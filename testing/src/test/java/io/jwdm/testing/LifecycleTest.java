package io.jwdm.testing;

import static io.jwdm.testing.drivers.LegacySample.IOCTL_ECHO;
import static io.jwdm.testing.drivers.LegacySample.link;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.DeviceNode;
import io.jwdm.host.Handle;
import io.jwdm.host.ImageLoadException;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.VerifierFlags;
import io.jwdm.kernel.NtStatus;
import io.jwdm.testing.drivers.Echo_DriverGlue;
import io.jwdm.testing.drivers.Gadget_DriverGlue;
import io.jwdm.testing.drivers.ImageEcho_DriverGlue;
import io.jwdm.testing.drivers.Permanent_DriverGlue;
import io.jwdm.testing.drivers.Refuser_DriverGlue;
import io.jwdm.testing.drivers.SloppyGadget_DriverGlue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What {@link KernelTest} does around each test: loads the drivers and images, and after the test
 * closes, removes and unloads what is left, judging it.
 */
class LifecycleTest {
  /** Where the image tests' driver image is built, relative to the module's directory. */
  static final String IMAGE = "target/jwdm-testing-images/image-echo.jar";

  @BeforeAll
  static void buildImage() {
    ImageJar.write(Path.of(IMAGE), ImageEcho_DriverGlue.class);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(drivers = Echo_DriverGlue.class)
  static class CleanTest {
    @Test
    void echoes(Kernel kernel) {
      assertTrue(kernel.isLoaded(Echo_DriverGlue.NAME), "Echo was loaded before the test");
      try (Handle handle = kernel.open(link(Echo_DriverGlue.NAME))) {
        IoResult result = handle.deviceIoControl(IOCTL_ECHO, ascii("ping"), 16);
        assertEquals(NtStatus.SUCCESS, result.status());
        assertArrayEquals(ascii("ping"), result.data());
      }
    }
  }

  @Test
  void aCleanTestPassesAndItsLegacyDriversAreUnloadedAfterIt() {
    Fixtures.Outcome outcome = Fixtures.run(CleanTest.class);
    assertEquals(1, outcome.started(), outcome::toString);
    assertEquals(1, outcome.succeeded(), outcome::toString);
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(drivers = Echo_DriverGlue.class, load = false)
  static class InstallOnlyTest {
    @Test
    void loadsItself(Kernel kernel) {
      assertFalse(kernel.isLoaded(Echo_DriverGlue.NAME), "load = false must not load Echo");
      assertEquals(NtStatus.SUCCESS, kernel.loadDriver(Echo_DriverGlue.NAME),
          "Echo must be installed");
      // Left loaded: the teardown unloads it.
    }
  }

  @Test
  void loadFalseInstallsWithoutLoadingAndTheTeardownUnloadsWhatTheTestLoaded() {
    Fixtures.Outcome outcome = Fixtures.run(InstallOnlyTest.class);
    assertEquals(1, outcome.succeeded(), outcome::toString);
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(drivers = Refuser_DriverGlue.class)
  static class RefusedTest {
    @Test
    void neverRuns() {}
  }

  @Fixture
  @KernelTest(drivers = Refuser_DriverGlue.class, load = false)
  static class RefusedOnPurposeTest {
    @Test
    void driverEntryFails(Kernel kernel) {
      assertEquals(NtStatus.UNSUCCESSFUL, kernel.loadDriver(Refuser_DriverGlue.NAME));
    }
  }

  @Test
  void aDriverEntryThatFailsBeforeTheTestFailsItAndLoadFalseLetsATestCheckThat() {
    Throwable failure = Fixtures.run(RefusedTest.class).failure();
    assertTrue(failure.getMessage().contains("DriverEntry of Refuser returned "
        + NtStatus.UNSUCCESSFUL), failure::getMessage);
    assertTrue(failure.getMessage().contains("load = false"), failure::getMessage);

    assertEquals(1, Fixtures.run(RefusedOnPurposeTest.class).succeeded());
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(drivers = Permanent_DriverGlue.class, verifier = 0) // the verifier refuses it
  static class PermanentTest {
    @Test
    void loaded(Kernel kernel) {
      assertTrue(kernel.isLoaded(Permanent_DriverGlue.NAME));
    }
  }

  @Test
  void aPermanentDriverMayStayLoaded() {
    Fixtures.Outcome outcome = Fixtures.run(PermanentTest.class);
    assertEquals(1, outcome.succeeded(), outcome::toString);
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(drivers = {Gadget_DriverGlue.class, SloppyGadget_DriverGlue.class}, verifier = 0)
  static class PlugInTest {
    @Test
    void gadget(Kernel kernel) {
      DeviceNode node = kernel.plugIn(Gadget_DriverGlue.HARDWARE_ID);
      assertEquals(DeviceNode.State.STARTED, node.state(), kernel::deviceTree);
    }

    @Test
    void sloppyGadget(Kernel kernel) {
      DeviceNode node = kernel.plugIn(SloppyGadget_DriverGlue.HARDWARE_ID);
      assertEquals(DeviceNode.State.STARTED, node.state(), kernel::deviceTree);
    }
  }

  @Test
  void devicesLeftPluggedInAreRemovedSoTheirDriversRemovalPathIsJudged() {
    Fixtures.Outcome gadget = Fixtures.run(PlugInTest.class, "gadget");
    assertEquals(1, gadget.succeeded(), () -> "a WDM driver whose device the test left plugged in"
        + " is removed and unloaded: " + gadget);

    Throwable failure = Fixtures.run(PlugInTest.class, "sloppyGadget").failure();
    KernelNotCleanError error = assertInstanceOf(KernelNotCleanError.class, failure);
    assertTrue(error.problems().get(0).startsWith("1 object(s) left behind: DeviceObject"),
        error.problems()::toString);
    assertTrue(error.getMessage().contains("of SloppyGadget, left at REMOVE_DEVICE"),
        error::getMessage);
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(drivers = Echo_DriverGlue.class)
  static class OpenHandleTest {
    @Test
    void leavesAHandleOpen(Kernel kernel) {
      kernel.open(link(Echo_DriverGlue.NAME), "leaky.exe");
    }
  }

  @Test
  void aHandleLeftOpenFailsTheTestAndIsClosedSoTheDriverStillUnloads() {
    Throwable failure = Fixtures.run(OpenHandleTest.class).failure();
    KernelNotCleanError error = assertInstanceOf(KernelNotCleanError.class, failure);
    assertEquals(1, error.problems().size(), error::getMessage);
    assertTrue(error.problems().get(0).matches("handle left open: \\d+ to \\\\\\\\\\.\\\\Echo owned"
        + " by leaky\\.exe \\(the teardown closed it\\)"), error.problems()::toString);
    assertEquals(List.of(), error.report().drivers(), "Echo was unloaded after the handle closed");
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(images = IMAGE, verifier = VerifierFlags.STANDARD)
  static class ImageTest {
    @Test
    void loadsTheImage(Kernel kernel) {
      assertEquals(1, kernel.images().size());
      assertEquals(List.of(ImageEcho_DriverGlue.NAME), kernel.images().get(0).driverNames());
      assertTrue(kernel.isLoaded(ImageEcho_DriverGlue.NAME), "an image's legacy driver is loaded");
      try (Handle handle = kernel.open(link(ImageEcho_DriverGlue.NAME))) {
        assertArrayEquals(ascii("pong"), handle.deviceIoControl(IOCTL_ECHO, ascii("pong"), 4)
            .data());
      }
    }
  }

  @Fixture
  @KernelTest(images = "target/no-such-image.jar")
  static class MissingImageTest {
    @Test
    void neverRuns() {}
  }

  @Test
  void imagesAreLoadedBeforeTheTestAndUnloadedAfterIt() {
    Fixtures.Outcome outcome = Fixtures.run(ImageTest.class);
    assertEquals(1, outcome.succeeded(), outcome::toString);

    Throwable failure = Fixtures.run(MissingImageTest.class).failure();
    assertInstanceOf(ImageLoadException.class, failure);
    assertTrue(failure.getMessage().contains("no-such-image.jar"), failure::getMessage);
  }
}

package io.jwdm.host.image;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.DeviceNode;
import io.jwdm.host.DriverImage;
import io.jwdm.host.Handle;
import io.jwdm.host.ImageLoadException;
import io.jwdm.host.ImageReplaceResult;
import io.jwdm.host.ImageReplaceResult.Outcome;
import io.jwdm.host.ImageUnloadResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.NtStatusException;
import io.jwdm.kernel.NtStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unloading an image and replacing a driver while the system runs, for both driver models: I/O
 * before and after, a fresh driver instance after, handles waited for with a timeout that names
 * their holders, and a failing new image leaving its devices without a driver.
 */
class ImageReplaceTest {
  private static final String HARDWARE_ID = "ROOT\\IMGTOAST";
  private static final Duration SHORT = Duration.ofMillis(300);

  @TempDir Path dir;

  private final Kernel kernel = Kernel.boot(KernelOptions.builder().testSigning(true)
      .waitTimeout(Duration.ofSeconds(2)).build());

  private Path echo(String version) {
    return TestImage.legacy("Echo").version(version).jar(dir);
  }

  private Path toast(String version) {
    return TestImage.wdm("Toast", HARDWARE_ID).version(version).jar(dir);
  }

  // ---------------------------------------------------------------------------------------------
  // Unloading an image

  @Test
  void unloadingALegacyImageRunsUnloadUninstallsAndTheImageIsCollected() {
    DriverImage image = kernel.loadImage(echo("v1"));
    assertEquals("v1 #1", Io.ask(kernel, "\\\\.\\Echo"));

    ImageUnloadResult result = kernel.unloadImage(image);

    assertAll(
        () -> assertEquals(ImageUnloadResult.Outcome.UNLOADED, result.outcome(), result::render),
        () -> assertEquals(List.of("Echo"), result.unloadedDrivers()),
        () -> assertTrue(result.isGone(), result::render),
        () -> assertFalse(kernel.isLoaded("Echo")),
        () -> assertEquals(List.of(), kernel.images()),
        () -> assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, kernel.loadDriver("Echo")),
        () -> assertEquals(List.of(), kernel.leaks()));
  }

  @Test
  void unloadingAWdmImageRemovesItsDevicesWhichStayWithoutADriver() {
    DriverImage image = kernel.loadImage(toast("v1"));
    DeviceNode node = kernel.plugIn(HARDWARE_ID);
    assertEquals("v1 #1", Io.ask(kernel, "\\Device\\Toast"));

    ImageUnloadResult result = kernel.unloadImage(image);

    assertTrue(result.isGone(), result::render);
    assertEquals(List.of("Toast"), result.unloadedDrivers());
    assertEquals(DeviceNode.State.NO_DRIVER, node.state());
    assertEquals(DeviceNode.CODE_NO_DRIVER, node.problemCode());
    assertEquals(node, result.devices().get(0).node());
  }

  @Test
  void unloadingWaitsForHandlesAndTimesOutNamingWhoHoldsThem() {
    DriverImage image = kernel.loadImage(echo("v1"));
    Handle handle = kernel.open("\\\\.\\Echo", "notepad.exe");

    ImageUnloadResult result = kernel.unloadImage(image, SHORT);

    assertEquals(ImageUnloadResult.Outcome.TIMED_OUT, result.outcome(), result::render);
    assertTrue(result.blockers().contains("held by notepad.exe"), result.blockers());
    assertTrue(result.release().isEmpty());
    assertEquals(List.of(image), kernel.images(), "nothing was uninstalled");
    handle.close();
    assertTrue(kernel.awaitUnloaded("Echo", Duration.ofSeconds(2)), "the pending unload finishes");
    assertTrue(kernel.unloadImage(image).isGone());
  }

  @Test
  void anImageNotLoadedIsReportedSo() {
    DriverImage image = kernel.loadImage(echo("v1"));
    assertTrue(kernel.unloadImage(image).isGone());

    assertEquals(ImageUnloadResult.Outcome.NOT_LOADED, kernel.unloadImage(image).outcome());
  }

  // ---------------------------------------------------------------------------------------------
  // Replacing a legacy driver

  @Test
  void aLegacyDriverIsReplacedWhileRunningByAFreshInstanceOfTheNewImage() {
    DriverImage old = kernel.loadImage(echo("v1"));
    assertEquals("v1 #1", Io.ask(kernel, "\\\\.\\Echo"));
    assertEquals("v1 #2", Io.ask(kernel, "\\\\.\\Echo"));

    ImageReplaceResult result = kernel.replace("Echo", echo("v2"));

    assertAll(
        () -> assertEquals(Outcome.REPLACED, result.outcome(), result::render),
        () -> assertEquals(old, result.oldImage().orElseThrow()),
        () -> assertEquals(List.of(result.newImage().orElseThrow()), kernel.images()),
        () -> assertTrue(result.oldImageRelease().orElseThrow().collected(), result::render),
        () -> assertEquals("v2 #1", Io.ask(kernel, "\\\\.\\Echo"), "a fresh instance"),
        () -> assertEquals(List.of(), kernel.leaks()));
  }

  @Test
  void replacingALegacyDriverWithAnOpenHandleTimesOutNamingTheHolderAndKeepsTheOldDriver() {
    kernel.loadImage(echo("v1"));
    Handle handle = kernel.open("\\\\.\\Echo", "explorer.exe");

    ImageReplaceResult result = kernel.replace("Echo", echo("v2"), SHORT);

    assertEquals(Outcome.TIMED_OUT, result.outcome(), result::render);
    assertTrue(result.blockers().contains("held by explorer.exe"), result.blockers());
    assertEquals("v1 #1", Io.ask(handle), "requests in flight still complete");
    assertThrows(NtStatusException.class, () -> kernel.open("\\\\.\\Echo"),
        "the unload is pending: no new opens");
    handle.close();
    assertTrue(kernel.awaitUnloaded("Echo", Duration.ofSeconds(2)));

    ImageReplaceResult retried = kernel.replace("Echo", echo("v2"));

    assertEquals(Outcome.REPLACED, retried.outcome(), retried::render);
    assertEquals("v2 #1", Io.ask(kernel, "\\\\.\\Echo"));
  }

  @Test
  void aNewLegacyImageWhoseDriverEntryFailsLeavesNoDriverAndNothingHalfLoaded() {
    kernel.loadImage(echo("v1"));

    ImageReplaceResult result = kernel.replace("Echo",
        TestImage.legacy("Echo").version("bad").entryStatus("INSUFFICIENT_RESOURCES").jar(dir));

    assertEquals(Outcome.NEW_IMAGE_FAILED, result.outcome(), result::render);
    assertEquals(ImageLoadException.Kind.DRIVER_ENTRY_FAILED, result.failure().orElseThrow().kind());
    assertTrue(result.oldImageRelease().orElseThrow().collected());
    assertFalse(kernel.isLoaded("Echo"));
    assertEquals(List.of(), kernel.images());
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, kernel.loadDriver("Echo"));
  }

  @Test
  void aRefusedNewImageChangesNothingAndTheOldDriverKeepsServing() {
    kernel.loadImage(echo("v1"));
    assertEquals("v1 #1", Io.ask(kernel, "\\\\.\\Echo"));

    ImageReplaceResult result = kernel.replace("Echo",
        TestImage.legacy("Echo").version("v2").set("SPI", "7").jar(dir));

    assertEquals(Outcome.REFUSED, result.outcome(), result::render);
    assertEquals(ImageLoadException.Kind.INCOMPATIBLE_VERSION,
        result.failure().orElseThrow().kind());
    assertEquals("v1 #2", Io.ask(kernel, "\\\\.\\Echo"), "the same instance still serves");
  }

  @Test
  void aNewImageWithoutTheDriverIsRefused() {
    kernel.loadImage(echo("v1"));

    ImageReplaceResult result = kernel.replace("Echo", TestImage.legacy("Other").jar(dir));

    assertEquals(Outcome.REFUSED, result.outcome(), result::render);
    assertTrue(result.failure().orElseThrow().getMessage().contains("no driver named Echo"));
    assertTrue(kernel.isLoaded("Echo"));
  }

  @Test
  void aDriverWithoutAnUnloadRoutineCannotBeReplaced() {
    kernel.loadImage(TestImage.legacy("Keyboard").set("PERMANENT", "true").set("SET_UNLOAD", "")
        .jar(dir));

    ImageReplaceResult result = kernel.replace("Keyboard", TestImage.legacy("Keyboard")
        .version("v2").jar(dir));

    assertEquals(Outcome.NOT_REPLACEABLE, result.outcome(), result::render);
    assertTrue(result.blockers().contains("no Unload routine"), result.blockers());
    assertEquals("v1 #1", Io.ask(kernel, "\\\\.\\Keyboard"));
  }

  @Test
  void aDriverInstalledFromTheClassPathIsReplacedByAnImage() {
    kernel.loadDriver(new ClassPathEcho());
    assertEquals("classpath #1", Io.ask(kernel, "\\\\.\\Echo"));

    ImageReplaceResult result = kernel.replace("Echo", echo("v2"));

    assertEquals(Outcome.REPLACED, result.outcome(), result::render);
    assertTrue(result.oldImage().isEmpty());
    assertTrue(result.oldImageRelease().isEmpty(), "no image to collect");
    assertEquals("v2 #1", Io.ask(kernel, "\\\\.\\Echo"));
  }

  @Test
  void replacingAnUnknownDriverIsReportedNotFound() {
    assertEquals(Outcome.NOT_FOUND, kernel.replace("Nobody", echo("v1")).outcome());
  }

  // ---------------------------------------------------------------------------------------------
  // Replacing a WDM driver

  @Test
  void aWdmDriverIsReplacedItsDevicesRemovedAndStartedAgainWithAFreshInstance() {
    kernel.loadImage(toast("v1"));
    DeviceNode first = kernel.plugIn(HARDWARE_ID);
    assertEquals("v1 #1", Io.ask(kernel, "\\Device\\Toast"));
    assertEquals("v1 #2", Io.ask(kernel, "\\Device\\Toast"));

    ImageReplaceResult result = kernel.replace("Toast", toast("v2"));

    assertAll(
        () -> assertEquals(Outcome.REPLACED, result.outcome(), result::render),
        () -> assertEquals(DeviceNode.State.STARTED, first.state()),
        () -> assertEquals(List.of("Toast"), first.driverNames()),
        () -> assertEquals(1, result.devices().size()),
        () -> assertEquals(DeviceNode.State.STARTED, result.devices().get(0).state()),
        () -> assertTrue(result.oldImageRelease().orElseThrow().collected(), result::render),
        () -> assertEquals("v2 #1", Io.ask(kernel, "\\Device\\Toast"), "a fresh instance"));
    assertTrue(kernel.trace().stream().anyMatch(e -> e.kind().equals("IRP_MN_REMOVE_DEVICE")));
  }

  @Test
  void replacingAWdmDriverWithAnOpenHandleTimesOutAndTheOldDriverKeepsItsDevice() {
    kernel.loadImage(toast("v1"));
    DeviceNode node = kernel.plugIn(HARDWARE_ID);
    Handle handle = kernel.open("\\Device\\Toast", "toastmon.exe");

    ImageReplaceResult result = kernel.replace("Toast", toast("v2"), SHORT);

    assertEquals(Outcome.TIMED_OUT, result.outcome(), result::render);
    assertTrue(result.blockers().contains("held by toastmon.exe"), result.blockers());
    assertEquals(DeviceNode.State.STARTED, node.state());
    assertEquals("v1 #1", Io.ask(handle));
    handle.close();
    assertEquals(Outcome.REPLACED, kernel.replace("Toast", toast("v2")).outcome());
    assertEquals("v2 #1", Io.ask(kernel, "\\Device\\Toast"));
  }

  @Test
  void aNewWdmImageWhoseDriverEntryFailsLeavesTheDeviceWithCode37() {
    kernel.loadImage(toast("v1"));
    DeviceNode node = kernel.plugIn(HARDWARE_ID);

    ImageReplaceResult result = kernel.replace("Toast",
        TestImage.wdm("Toast", HARDWARE_ID).version("bad").entryStatus("UNSUCCESSFUL").jar(dir));

    assertAll(
        () -> assertEquals(Outcome.NEW_IMAGE_FAILED, result.outcome(), result::render),
        () -> assertEquals(ImageLoadException.Kind.DRIVER_ENTRY_FAILED,
            result.failure().orElseThrow().kind()),
        () -> assertEquals(DeviceNode.State.FAILED, node.state()),
        () -> assertEquals(DeviceNode.CODE_DRIVER_ENTRY_FAILED, node.problemCode()),
        () -> assertEquals(List.of(), node.driverNames()),
        () -> assertEquals(List.of(), kernel.images()),
        () -> assertFalse(kernel.isLoaded("Toast")),
        () -> assertTrue(result.oldImageRelease().orElseThrow().collected()));
    assertThrows(NtStatusException.class, () -> kernel.open("\\Device\\Toast"));
  }

  @Test
  void aWdmImageReplacingALoadedOneAlsoStartsDevicesThatHadNoDriver() {
    kernel.loadImage(toast("v1"));
    DeviceNode served = kernel.plugIn(HARDWARE_ID);
    DeviceNode orphan = kernel.plugIn("ROOT\\IMGTOAST2");
    assertEquals(DeviceNode.CODE_NO_DRIVER, orphan.problemCode());

    ImageReplaceResult result = kernel.replace("Toast", TestImage.wdm("Toast", HARDWARE_ID)
        .set("HARDWARE_ID", "ROOT\\\\IMGTOAST2").version("v2").set("DEVICE", "Toast2").jar(dir));

    assertEquals(Outcome.REPLACED, result.outcome(), result::render);
    assertEquals(DeviceNode.State.NO_DRIVER, served.state(), "v2 no longer serves its ID");
    assertEquals(DeviceNode.State.STARTED, orphan.state());
    assertEquals("v2 #1", Io.ask(kernel, "\\Device\\Toast2"));
  }
}

package io.jwdm.examples.sioctl;

import static io.jwdm.examples.KernelChecks.assertRunning;
import static io.jwdm.examples.KernelChecks.driverEntryCalls;
import static io.jwdm.examples.KernelChecks.events;
import static io.jwdm.examples.KernelChecks.unloadCalls;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_METHOD_BUFFERED;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_METHOD_IN_DIRECT;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_METHOD_NEITHER;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_METHOD_OUT_DIRECT;
import static io.jwdm.kernel.Wdm.CTL_CODE;
import static io.jwdm.kernel.Wdm.FILE_ANY_ACCESS;
import static io.jwdm.kernel.Wdm.METHOD_BUFFERED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.examples.LinkSquatter_DriverGlue;
import io.jwdm.host.DriverInfo;
import io.jwdm.host.Handle;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.NtStatusException;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverModel;
import io.jwdm.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The {@link Sioctl} legacy driver: load, the four IOCTL methods, unload, and its failure path.
 * Each test gets a fresh kernel with Sioctl loaded under Driver Verifier's {@code /standard}
 * checks; after it, Sioctl is unloaded (if the test did not) and must leave nothing behind.
 */
@DisplayName("Sioctl (legacy IOCTL driver)")
@KernelTest(drivers = Sioctl_DriverGlue.class)
class SioctlTest {
  private static final String LINK = "\\\\.\\IoctlTest";
  /** The reply with its NUL, as the driver writes it: strlen(data) + 1 bytes. */
  private static final byte[] REPLY =
      (Sioctl.REPLY + "\0").getBytes(StandardCharsets.US_ASCII);
  private static final int IOCTL_UNKNOWN =
      CTL_CODE(Sioctl.SIOCTL_TYPE, 0x9FF, METHOD_BUFFERED, FILE_ANY_ACCESS);

  private static byte[] ascii(String text) {
    return (text + "\0").getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  @DisplayName("the control codes are the sample's")
  void controlCodes() {
    assertEquals(0x9C402408, IOCTL_SIOCTL_METHOD_BUFFERED);
    assertEquals(0x9C402401, IOCTL_SIOCTL_METHOD_IN_DIRECT);
    assertEquals(0x9C402406, IOCTL_SIOCTL_METHOD_OUT_DIRECT);
    assertEquals(0x9C40240F, IOCTL_SIOCTL_METHOD_NEITHER);
  }

  @Test
  @DisplayName("loaded, the four transfer methods, close, unload")
  void loadIoctlUnload(Kernel kernel) {
    assertEquals(
        List.of(new DriverInfo("Sioctl", DriverModel.LEGACY,
            io.jwdm.annotation.DriverRole.FUNCTION, DriverInfo.State.LOADED,
            List.of(Sioctl.NT_DEVICE_NAME))),
        kernel.drivers());

    try (Handle handle = kernel.open(LINK)) {
      IoResult buffered = handle.deviceIoControl(IOCTL_SIOCTL_METHOD_BUFFERED,
          ascii("This String is from User Application; using METHOD_BUFFERED"), 100);
      assertEquals(NtStatus.SUCCESS, buffered.status());
      assertEquals(REPLY.length, buffered.information());
      assertArrayEquals(REPLY, buffered.data());

      IoResult neither = handle.deviceIoControl(IOCTL_SIOCTL_METHOD_NEITHER,
          ascii("This String is from User Application; using METHOD_NEITHER"), 100);
      assertEquals(NtStatus.SUCCESS, neither.status());
      assertEquals(REPLY.length, neither.information());
      assertArrayEquals(REPLY, Arrays.copyOf(neither.output(), REPLY.length));

      IoResult outDirect = handle.deviceIoControl(IOCTL_SIOCTL_METHOD_OUT_DIRECT,
          ascii("This String is from User Application; using METHOD_OUT_DIRECT"), 100);
      assertEquals(NtStatus.SUCCESS, outDirect.status());
      assertEquals(REPLY.length, outDirect.information());
      assertArrayEquals(REPLY, Arrays.copyOf(outDirect.output(), REPLY.length));

      // METHOD_IN_DIRECT: the second buffer goes to the device. The driver reads it and reports
      // all of it consumed (MmGetMdlByteCount), writing nothing back.
      IoResult inDirect = handle.deviceIoControl(IOCTL_SIOCTL_METHOD_IN_DIRECT,
          ascii("This String is from User Application; using METHOD_IN_DIRECT"), 64);
      assertEquals(NtStatus.SUCCESS, inDirect.status());
      assertEquals(64, inDirect.information());
      assertArrayEquals(new byte[64], inDirect.output());
    }

    // Each method read the caller's input.
    List<String> printed = events(kernel, "DbgPrint", "Sioctl");
    for (String method : List.of("BUFFERED", "NEITHER", "OUT_DIRECT", "IN_DIRECT")) {
      assertTrue(printed.stream().anyMatch(line -> line.startsWith("\tData from User")
              && line.endsWith("This String is from User Application; using METHOD_" + method
                  + ".")),
          () -> "no input printed for METHOD_" + method + ": " + printed);
    }

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sioctl"));
    assertFalse(kernel.isLoaded("Sioctl"));
    assertEquals(1, unloadCalls(kernel, "Sioctl"));
    NtStatusException gone = assertThrows(NtStatusException.class, () -> kernel.open(LINK));
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, gone.status());
  }

  @Test
  @DisplayName("a reply longer than the output buffer is cut to it")
  void shortOutputBuffer(Kernel kernel) {
    try (Handle handle = kernel.open(LINK)) {
      for (int code : List.of(IOCTL_SIOCTL_METHOD_BUFFERED, IOCTL_SIOCTL_METHOD_NEITHER,
          IOCTL_SIOCTL_METHOD_OUT_DIRECT)) {
        IoResult result = handle.deviceIoControl(code, ascii("x"), 10);
        assertEquals(NtStatus.SUCCESS, result.status());
        assertEquals(10, result.information());
        assertArrayEquals(Arrays.copyOf(REPLY, 10), result.output());
      }
    }
  }

  @Test
  @DisplayName("unknown codes fail: INVALID_DEVICE_REQUEST; empty buffers: INVALID_PARAMETER")
  void badRequests(Kernel kernel) {
    try (Handle handle = kernel.open(LINK)) {
      IoResult unknown = handle.deviceIoControl(IOCTL_UNKNOWN, ascii("x"), 100);
      assertEquals(NtStatus.INVALID_DEVICE_REQUEST, unknown.status());
      assertEquals(0, unknown.information());
      assertTrue(events(kernel, "DbgPrint", "Sioctl")
          .contains(String.format("ERROR: unrecognized IOCTL %x", IOCTL_UNKNOWN)));

      IoResult noInput = handle.deviceIoControl(IOCTL_SIOCTL_METHOD_BUFFERED, null, 100);
      assertEquals(NtStatus.INVALID_PARAMETER, noInput.status());
      IoResult noOutput = handle.deviceIoControl(IOCTL_SIOCTL_METHOD_OUT_DIRECT, ascii("x"), 0);
      assertEquals(NtStatus.INVALID_PARAMETER, noOutput.status());

      // READ has no dispatch routine: the I/O manager's default fails it.
      assertEquals(NtStatus.INVALID_DEVICE_REQUEST, handle.read(8).status());
    }
  }

  @Test
  @DisplayName("a reload runs DriverEntry again on a fresh instance")
  void reload(Kernel kernel) {
    for (int round = 1; round <= 2; round++) {
      if (round > 1) {
        assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Sioctl"), "load " + round);
      }
      assertEquals(round, driverEntryCalls(kernel, "Sioctl"));
      try (Handle handle = kernel.open(LINK)) {
        IoResult result = handle.deviceIoControl(IOCTL_SIOCTL_METHOD_BUFFERED, ascii("x"), 64);
        assertArrayEquals(REPLY, result.data());
      }
      assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sioctl"), "unload " + round);
      assertEquals(round, unloadCalls(kernel, "Sioctl"));
      assertEquals(List.of(), kernel.leaks(), "round " + round);
    }
    assertEquals(2, events(kernel, "IoCreateDevice", "Sioctl").size());
    assertEquals(2, events(kernel, "IoDeleteDevice", "Sioctl").size());
  }

  @Test
  @DisplayName("unloading with a handle open waits for the handle; new opens are refused")
  void unloadWithOpenHandle(Kernel kernel) {
    Handle handle = kernel.open(LINK);

    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Sioctl"));
    assertTrue(kernel.isLoaded("Sioctl"));
    assertEquals(DriverInfo.State.UNLOAD_PENDING, kernel.drivers().get(0).state());
    assertEquals(0, unloadCalls(kernel, "Sioctl"));

    NtStatusException refused = assertThrows(NtStatusException.class, () -> kernel.open(LINK));
    assertEquals(NtStatus.DELETE_PENDING, refused.status());

    IoResult stillWorks = handle.deviceIoControl(IOCTL_SIOCTL_METHOD_BUFFERED, ascii("x"), 64);
    assertEquals(NtStatus.SUCCESS, stillWorks.status());
    assertArrayEquals(REPLY, stillWorks.data());

    handle.close();
    assertFalse(kernel.isLoaded("Sioctl"));
    assertEquals(1, unloadCalls(kernel, "Sioctl"));
  }

  @Test
  @DisplayName("when the symbolic link cannot be created, DriverEntry deletes its device and fails")
  @KernelTest(drivers = {LinkSquatter_DriverGlue.class, Sioctl_DriverGlue.class}, load = false)
  void driverEntryFailureReleasesTheDevice(Kernel kernel) {
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("LinkSquatter"));

    assertEquals(NtStatus.OBJECT_NAME_COLLISION, kernel.loadDriver("Sioctl"));
    assertFalse(kernel.isLoaded("Sioctl"));
    assertEquals(List.of(), kernel.leaks(), "DriverEntry's failure path leaked");
    assertEquals(List.of(Sioctl.NT_DEVICE_NAME), events(kernel, "IoDeleteDevice", "Sioctl"));
    assertEquals(0, unloadCalls(kernel, "Sioctl"),
        "Unload must not run after a failed DriverEntry");
    NtStatusException gone =
        assertThrows(NtStatusException.class, () -> kernel.open(Sioctl.NT_DEVICE_NAME));
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, gone.status());
    assertRunning(kernel);

    // Once the name is free, Sioctl loads.
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("LinkSquatter"));
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Sioctl"));
    try (Handle handle = kernel.open(LINK)) {
      assertArrayEquals(REPLY,
          handle.deviceIoControl(IOCTL_SIOCTL_METHOD_BUFFERED, ascii("x"), 64).data());
    }
  }
}

package io.jwdm.host.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwdm.host.Handle;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.kernel.NtStatus;
import java.nio.charset.StandardCharsets;

/**
 * I/O against the test drivers, in methods of their own: a handle held in a local variable of a
 * test method could keep a device object, and its driver's image, reachable while the test waits
 * for the image to be collected.
 */
final class Io {
  private Io() {}

  /** Opens {@code path}, sends the echo IOCTL, closes, and returns the driver's answer. */
  static String ask(Kernel kernel, String path) {
    try (Handle handle = kernel.open(path, "test")) {
      return ask(handle);
    }
  }

  /** Sends the echo IOCTL on an open handle and returns the driver's answer. */
  static String ask(Handle handle) {
    IoResult result = handle.deviceIoControl(TestImage.IOCTL_ECHO, null, 1024);
    assertEquals(NtStatus.SUCCESS, result.status());
    return new String(result.data(), StandardCharsets.UTF_8);
  }
}

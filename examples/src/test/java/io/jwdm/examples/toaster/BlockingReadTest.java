package io.jwdm.examples.toaster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.examples.sioctl.Sioctl_DriverGlue;
import io.jwdm.examples.toasterfilter.ToasterFilter_DriverGlue;
import io.jwdm.host.Handle;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.kernel.NtStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A synchronous read that nothing will complete is cancelled after the kernel's wait timeout, even
 * while another driver's periodic timer keeps the virtual clock busy.
 */
class BlockingReadTest {
  @Test
  void aBlockedSynchronousReadIsCancelledAfterTheWaitTimeoutDespiteAPeriodicTimer() {
    Kernel kernel = Kernel.boot(KernelOptions.builder().waitTimeout(Duration.ofMillis(200)).build());
    kernel.install(new Toaster_DriverGlue());
    kernel.install(new ToasterFilter_DriverGlue());
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(new Sioctl_DriverGlue()));
    kernel.plugIn("ROOT\\TOASTER");

    IoResult result = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      try (Handle handle = kernel.open("\\\\.\\Toaster0")) {
        return handle.read(8);
      }
    });

    assertEquals(NtStatus.CANCELLED, result.status());
    assertTrue(kernel.bugCheck().isEmpty());
  }
}

package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.jwdm.kernel.FastMutex;
import io.jwdm.kernel.KSpinLock;
import java.time.Duration;

/**
 * What the lock tests share: kernels with a short wait timeout (so a hang is found fast), typed
 * access to what a test driver kept, and the kernel addresses lock bug checks carry. Stateless.
 */
final class SyncTestSupport {
  private SyncTestSupport() {}

  /** A deterministic kernel with {@code flags} for {@code driverName} and a 300 ms wait timeout. */
  static Kernel boot(String driverName, int flags) {
    return Kernel.boot(KernelOptions.builder()
        .waitTimeout(Duration.ofMillis(300))
        .verifier(driverName, flags)
        .build());
  }

  /** What a test driver's routine kept under {@code key}. */
  static <T> T value(TestDriver.Instance self, String key, Class<T> type) {
    return type.cast(self.values.get(key));
  }

  static long address(KSpinLock lock) {
    return assertInstanceOf(SyncManager.SyncLock.class, lock).address;
  }

  static long address(FastMutex mutex) {
    return assertInstanceOf(SyncManager.SyncLock.class, mutex).address;
  }
}

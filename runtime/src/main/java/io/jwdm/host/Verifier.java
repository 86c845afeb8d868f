package io.jwdm.host;

import io.jwdm.spi.DriverGlue;

/**
 * The simulated Driver Verifier: which checks are on for which driver. The checks themselves live
 * where the kernel acts (pool, I/O manager, PnP manager) and ask this class.
 */
final class Verifier {
  private final KernelOptions options;

  Verifier(KernelOptions options) {
    this.options = options;
  }

  /** The flags in force for {@code driver}; 0 for the kernel itself. */
  int flags(DriverObjectImpl driver) {
    return driver == null || driver.glue() == null ? 0 : options.verifierFlags(driver.name());
  }

  /** True if any of {@code anyOf} is on for {@code driver}. */
  boolean enabled(DriverObjectImpl driver, int anyOf) {
    return (flags(driver) & anyOf) != 0;
  }

  /** True if Driver Verifier is on for the driver of {@code glue}. */
  boolean enabledFor(DriverGlue glue) {
    return options.verifierFlags(glue.driverName()) != 0;
  }

  /** Low-resources simulation: true to fail this allocation. */
  boolean failAllocation(DriverObjectImpl driver, String service, String tag) {
    return false;
  }
}

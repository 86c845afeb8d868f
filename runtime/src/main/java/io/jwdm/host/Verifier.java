package io.jwdm.host;

import io.jwdm.spi.DriverGlue;

/**
 * The simulated Driver Verifier: which checks are on for which driver. The checks themselves live
 * where the kernel acts (pool, I/O manager, PnP manager) and ask this class.
 */
final class Verifier {
  private final KernelOptions options;
  private KernelCore core;
  private long callIndex;
  private final java.util.Set<String> failedStacks = new java.util.HashSet<>();
  private final java.util.List<InjectedFailure> failures = new java.util.ArrayList<>();

  Verifier(KernelOptions options) {
    this.options = options;
  }

  void connect(KernelCore core) {
    this.core = core;
  }

  /** The flags in force for {@code driver}; 0 for the kernel itself. */
  int flags(DriverObjectImpl driver) {
    return driver == null ? 0 : driver.verifierFlags();
  }

  /** True if any of {@code anyOf} is on for {@code driver}. */
  boolean enabled(DriverObjectImpl driver, int anyOf) {
    return (flags(driver) & anyOf) != 0;
  }

  /** True if Driver Verifier is on for the driver of {@code glue}. */
  boolean enabledFor(DriverGlue glue) {
    return options.verifierFlags(glue.driverName()) != 0;
  }

  /**
   * Low-resources simulation: true to fail this call of {@code service} by {@code driver}. Records
   * the failure with the seed and call index that replay it.
   */
  boolean failAllocation(DriverObjectImpl driver, String service, String tag) {
    int flags = flags(driver);
    boolean randomized = (flags & VerifierFlags.RANDOMIZED_LOW_RESOURCES) != 0;
    boolean systematic = (flags & VerifierFlags.SYSTEMATIC_LOW_RESOURCES) != 0;
    if (!randomized && !systematic) {
      return false;
    }
    LowResources settings = options.lowResources();
    if (!settings.eligible(service, tag)) {
      return false;
    }
    long loadedFor = core.now() - driver.loadTime();
    if (loadedFor < settings.delay().toNanos() / 100) {
      return false;
    }
    java.util.List<StackTraceElement> stack = KernelCore.creationStack();
    boolean fail;
    long index;
    synchronized (core.lock) {
      index = ++callIndex;
      if (systematic) {
        fail = failedStacks.add(service + "|" + stack);
      } else {
        long mixed = options.seed() * 0x9E3779B97F4A7C15L + index;
        fail = new java.util.SplittableRandom(mixed).nextDouble() < settings.probability();
      }
      if (fail) {
        InjectedFailure failure = new InjectedFailure(service, driver.name(), tag, options.seed(),
            index, systematic, stack);
        failures.add(failure);
        core.trace("LowResources", driver.name(), failure.summary());
      }
    }
    return fail;
  }

  java.util.List<InjectedFailure> failures() {
    synchronized (core.lock) {
      return java.util.List.copyOf(failures);
    }
  }
}

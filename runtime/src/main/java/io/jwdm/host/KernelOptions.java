package io.jwdm.host;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Kernel} is booted. Immutable; build with {@link #builder()}.
 *
 * <pre>{@code
 * Kernel kernel = Kernel.boot(KernelOptions.builder().waitTimeout(Duration.ofSeconds(2)).build());
 * }</pre>
 */
public final class KernelOptions {
  private static final KernelOptions DEFAULTS = builder().build();

  private final Duration waitTimeout;
  private final int traceCapacity;
  private final java.util.Map<String, Integer> verifierFlags;
  private final int verifierFlagsForAll;

  private KernelOptions(Builder builder) {
    this.waitTimeout = builder.waitTimeout;
    this.traceCapacity = builder.traceCapacity;
    this.verifierFlags = java.util.Map.copyOf(builder.verifierFlags);
    this.verifierFlagsForAll = builder.verifierFlagsForAll;
  }

  /**
   * The Driver Verifier flags in force for the driver named {@code driverName}: those set for it
   * by name, or else those set for all drivers; 0 when the verifier is off for it.
   */
  public int verifierFlags(String driverName) {
    Integer flags = verifierFlags.get(driverName.toUpperCase(java.util.Locale.ROOT));
    return flags != null ? flags : verifierFlagsForAll;
  }

  /** The default options. */
  public static KernelOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * How long a host's synchronous I/O waits for a pending IRP, and how long a kernel wait (such as
   * IoReleaseRemoveLockAndWait) waits for other threads before the kernel declares a hang. Default
   * 10 seconds.
   */
  public Duration waitTimeout() {
    return waitTimeout;
  }

  /** How many lifecycle events the trace keeps; older ones are dropped. Default 10,000. */
  public int traceCapacity() {
    return traceCapacity;
  }

  /** Builds {@link KernelOptions}. */
  public static final class Builder {
    private Duration waitTimeout = Duration.ofSeconds(10);
    private int traceCapacity = 10_000;
    private final java.util.Map<String, Integer> verifierFlags = new java.util.HashMap<>();
    private int verifierFlagsForAll;

    private Builder() {}

    /**
     * Enables Driver Verifier for one driver with {@link VerifierFlags} (such as
     * {@link VerifierFlags#STANDARD}); 0 turns it off for that driver.
     */
    public Builder verifier(String driverName, int flags) {
      Objects.requireNonNull(driverName, "driverName");
      VerifierFlags.parse(Integer.toString(flags));
      verifierFlags.put(driverName.toUpperCase(java.util.Locale.ROOT), flags);
      return this;
    }

    /** Enables Driver Verifier with {@code flags} for every driver not named by {@link #verifier}. */
    public Builder verifierForAll(int flags) {
      VerifierFlags.parse(Integer.toString(flags));
      this.verifierFlagsForAll = flags;
      return this;
    }

    /** Sets {@link KernelOptions#waitTimeout()}; must be positive. */
    public Builder waitTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("waitTimeout must be positive: " + timeout);
      }
      this.waitTimeout = timeout;
      return this;
    }

    /** Sets {@link KernelOptions#traceCapacity()}; 0 turns the trace off. */
    public Builder traceCapacity(int capacity) {
      if (capacity < 0) {
        throw new IllegalArgumentException("traceCapacity must not be negative: " + capacity);
      }
      this.traceCapacity = capacity;
      return this;
    }

    /** The options. */
    public KernelOptions build() {
      return new KernelOptions(this);
    }
  }
}

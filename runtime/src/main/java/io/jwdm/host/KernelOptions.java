package io.jwdm.host;

import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
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
  private final SchedulerMode schedulerMode;
  private final long seed;
  private final LowResources lowResources;

  private KernelOptions(Builder builder) {
    this.waitTimeout = builder.waitTimeout;
    this.traceCapacity = builder.traceCapacity;
    this.verifierFlags = java.util.Map.copyOf(builder.verifierFlags);
    this.verifierFlagsForAll = builder.verifierFlagsForAll;
    this.schedulerMode = builder.schedulerMode;
    this.seed = builder.seed;
    this.lowResources = builder.lowResources;
    this.imageSigning = builder.imageSigning;
  }

  /** How timers, DPCs, work items and system threads run. Default {@link SchedulerMode#DETERMINISTIC}. */
  public SchedulerMode schedulerMode() {
    return schedulerMode;
  }

  /**
   * The seed of every random choice the kernel makes: the deterministic scheduler's interleaving
   * and the low-resources simulation. Default 0.
   */
  public long seed() {
    return seed;
  }

  /**
   * The low-resources simulation's settings, for drivers whose verifier flags include
   * {@link VerifierFlags#RANDOMIZED_LOW_RESOURCES} or {@link VerifierFlags#SYSTEMATIC_LOW_RESOURCES}.
   */
  public LowResources lowResources() {
    return lowResources;
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
    private SchedulerMode schedulerMode = SchedulerMode.DETERMINISTIC;
    private long seed;
    private LowResources lowResources = LowResources.defaults();

    /** Sets {@link KernelOptions#lowResources()}. */
    public Builder lowResources(LowResources settings) {
      this.lowResources = Objects.requireNonNull(settings, "settings");
      return this;
    }

    private Builder() {}

    /** Sets {@link KernelOptions#schedulerMode()}. */
    public Builder schedulerMode(SchedulerMode mode) {
      this.schedulerMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** Sets {@link KernelOptions#seed()}. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

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

    // -------------------------------------------------------------------------------------------
    // Driver images: signature enforcement

    private ImageSigningPolicy imageSigning = ImageSigningPolicy.DEFAULT;

    /**
     * Sets the trust store driver images are checked against, as the roots a 64-bit Windows
     * kernel trusts for driver signing: an image loads only if a certificate chain of its signer
     * is anchored in one of the store's trusted-certificate entries. The certificates are copied
     * now; later changes to {@code trustStore} do not affect these options. Default: no trusted
     * certificate, so only a kernel in {@link #testSigning test-signing mode} loads images.
     *
     * @throws IllegalArgumentException if the store cannot be read (not loaded)
     */
    public Builder trustStore(KeyStore trustStore) {
      Objects.requireNonNull(trustStore, "trustStore");
      this.imageSigning = imageSigning.withTrusted(ImageSigningPolicy.trustedCertificates(
          trustStore));
      return this;
    }

    /**
     * Boots the kernel in test-signing mode, as {@code bcdedit /set testsigning on} does: images
     * signed by any key, self-signed or not anchored in the trust store, load, and so do unsigned
     * images and classes directories. A tampered image, whose content does not match its
     * signature, is refused in every mode. Default: off.
     */
    public Builder testSigning(boolean on) {
      this.imageSigning = imageSigning.withTestSigning(on);
      return this;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Driver images: signature enforcement

  private final ImageSigningPolicy imageSigning;

  /**
   * The certificates a driver image's signer chain must be anchored in: the trusted-certificate
   * entries of the {@link Builder#trustStore trust store} the kernel was booted with. Empty by
   * default.
   */
  public List<X509Certificate> trustedCertificates() {
    return imageSigning.trusted();
  }

  /** True if the kernel runs in test-signing mode: see {@link Builder#testSigning}. */
  public boolean testSigning() {
    return imageSigning.testSigning();
  }

  ImageSigningPolicy imageSigning() {
    return imageSigning;
  }
}

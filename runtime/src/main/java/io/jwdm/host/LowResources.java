package io.jwdm.host;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of Driver Verifier's low-resources simulation, used for drivers with
 * {@link VerifierFlags#RANDOMIZED_LOW_RESOURCES} or {@link VerifierFlags#SYSTEMATIC_LOW_RESOURCES}.
 * Immutable; build with {@link #builder()}.
 *
 * <p>Randomized: each eligible call fails with the given probability, drawn from the kernel's seed
 * and the call's index, so the same seed and settings fail the same calls. Systematic: each
 * distinct call stack fails once, the first time it is reached. Eligible calls are pool
 * allocations (ExAllocatePool2, ExAllocatePoolWithTag, lookaside lists), IoAllocateWorkItem,
 * IoCreateDevice and MmGetSystemAddressForMdlSafe, filtered by pool tag and service name, after a
 * delay from the driver's load.
 */
public final class LowResources {
  private static final LowResources DEFAULTS = builder().build();

  private final double probability;
  private final Set<String> tags;
  private final Set<String> services;
  private final Duration delay;

  private LowResources(Builder builder) {
    this.probability = builder.probability;
    this.tags = Set.copyOf(builder.tags);
    this.services = Set.copyOf(builder.services);
    this.delay = builder.delay;
  }

  /** The defaults: 6% of eligible calls fail, any tag, any service, no delay. */
  public static LowResources defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The probability that a randomized eligible call fails. */
  public double probability() {
    return probability;
  }

  /** The pool tags whose allocations may fail; empty for all. */
  public Set<String> tags() {
    return tags;
  }

  /** The services whose calls may fail, such as {@code ExAllocatePool2}; empty for all. */
  public Set<String> services() {
    return services;
  }

  /** How long after a driver loads its calls start to fail, on the kernel's clock. */
  public Duration delay() {
    return delay;
  }

  boolean eligible(String service, String tag) {
    return (services.isEmpty() || services.contains(service.toLowerCase(Locale.ROOT)))
        && (tags.isEmpty() || tag != null && tags.contains(tag));
  }

  @Override
  public String toString() {
    return "LowResources[probability=" + probability + ", tags=" + new TreeSet<>(tags)
        + ", services=" + new TreeSet<>(services) + ", delay=" + delay + "]";
  }

  /** Builds {@link LowResources}. */
  public static final class Builder {
    private double probability = 0.06;
    private final Set<String> tags = new TreeSet<>();
    private final Set<String> services = new TreeSet<>();
    private Duration delay = Duration.ZERO;

    private Builder() {}

    /** The probability, from 0 to 1, that a randomized eligible call fails. */
    public Builder probability(double probability) {
      if (!(probability >= 0 && probability <= 1)) {
        throw new IllegalArgumentException("probability must be between 0 and 1: " + probability);
      }
      this.probability = probability;
      return this;
    }

    /** Limits failures to allocations with this pool tag; may be called more than once. */
    public Builder tag(String tag) {
      if (!PoolManager.validTag(tag)) {
        throw new IllegalArgumentException("not a pool tag (1 to 4 printable ASCII characters): '"
            + tag + "'");
      }
      tags.add(tag);
      return this;
    }

    /** Limits failures to calls of this service, such as {@code ExAllocatePool2}. */
    public Builder service(String service) {
      Objects.requireNonNull(service, "service");
      services.add(service.toLowerCase(Locale.ROOT));
      return this;
    }

    /** Calls start to fail this long after the driver loads, on the kernel's clock. */
    public Builder delay(Duration delay) {
      Objects.requireNonNull(delay, "delay");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative: " + delay);
      }
      this.delay = delay;
      return this;
    }

    /** The settings. */
    public LowResources build() {
      return new LowResources(this);
    }
  }
}

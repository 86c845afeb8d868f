package io.jwdm.testing.drivers;

/** Like {@link Echo_DriverGlue}, but Unload does not free its pool block. */
public final class Leaky_DriverGlue extends LegacyGlue {
  /** The driver's name. */
  public static final String NAME = "Leaky";

  /** Creates the glue. */
  public Leaky_DriverGlue() {
    super(NAME, LegacySample.Flaw.LEAKS_POOL);
  }
}

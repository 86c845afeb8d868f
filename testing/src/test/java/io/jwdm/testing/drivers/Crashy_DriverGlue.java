package io.jwdm.testing.drivers;

/** Like {@link Echo_DriverGlue}, but its IOCTL routine throws. */
public final class Crashy_DriverGlue extends LegacyGlue {
  /** The driver's name. */
  public static final String NAME = "Crashy";

  /** Creates the glue. */
  public Crashy_DriverGlue() {
    super(NAME, LegacySample.Flaw.THROWS_IN_IOCTL);
  }
}

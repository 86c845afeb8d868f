package io.jwdm.testing.drivers;

/** A legacy driver whose DriverEntry fails, leaving nothing behind. */
public final class Refuser_DriverGlue extends LegacyGlue {
  /** The driver's name. */
  public static final String NAME = "Refuser";

  /** Creates the glue. */
  public Refuser_DriverGlue() {
    super(NAME, LegacySample.Flaw.FAILS_DRIVER_ENTRY);
  }
}

package io.jwdm.testing.drivers;

/** A legacy driver that unloads clean: device {@code \Device\Echo}, opened as {@code \\.\Echo}. */
public final class Echo_DriverGlue extends LegacyGlue {
  /** The driver's name. */
  public static final String NAME = "Echo";

  /** Creates the glue. */
  public Echo_DriverGlue() {
    super(NAME, LegacySample.Flaw.NONE);
  }
}

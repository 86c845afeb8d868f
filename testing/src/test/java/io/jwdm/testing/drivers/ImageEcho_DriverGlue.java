package io.jwdm.testing.drivers;

/**
 * Like {@link Echo_DriverGlue}, named "ImageEcho": the driver the tests put in a driver image, a
 * jar of this glue, {@link LegacyGlue} and {@link LegacySample}, which use only the runtime's API.
 */
public final class ImageEcho_DriverGlue extends LegacyGlue {
  /** The driver's name. */
  public static final String NAME = "ImageEcho";

  /** Creates the glue. */
  public ImageEcho_DriverGlue() {
    super(NAME, LegacySample.Flaw.NONE);
  }
}

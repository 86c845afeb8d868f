package io.jwdm.testing.drivers;

/**
 * A WDM function driver for {@value #HARDWARE_ID} that detaches its device at REMOVE_DEVICE but
 * forgets to delete it.
 */
public final class SloppyGadget_DriverGlue extends WdmGlue {
  /** The driver's name. */
  public static final String NAME = "SloppyGadget";
  /** The hardware ID it serves. */
  public static final String HARDWARE_ID = "ROOT\\SLOPPYGADGET";

  /** Creates the glue. */
  public SloppyGadget_DriverGlue() {
    super(NAME, HARDWARE_ID, false);
  }
}

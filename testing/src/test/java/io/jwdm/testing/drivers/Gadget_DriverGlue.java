package io.jwdm.testing.drivers;

/** A WDM function driver for {@value #HARDWARE_ID} that removes its device clean. */
public final class Gadget_DriverGlue extends WdmGlue {
  /** The driver's name. */
  public static final String NAME = "Gadget";
  /** The hardware ID it serves. */
  public static final String HARDWARE_ID = "ROOT\\GADGET";

  /** Creates the glue. */
  public Gadget_DriverGlue() {
    super(NAME, HARDWARE_ID, true);
  }
}

package io.jwdm.spi;

/** The two driver models jwdm supports. */
public enum DriverModel {
  /** A WDM (Plug and Play) driver, declared with {@code @WdmDriver}. */
  WDM,
  /** A legacy (non-PnP, NT-style) driver, declared with {@code @LegacyDriver}. */
  LEGACY
}

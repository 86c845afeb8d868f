package io.jwdm.annotation;

/**
 * Where a WDM driver sits in the device stacks of the hardware IDs it serves, as an INF installs it
 * (the function driver, or a name in the device's {@code UpperFilters} or {@code LowerFilters}).
 * The PnP manager builds a stack bottom-up: bus driver's PDO, lower filters, function driver, upper
 * filters.
 */
public enum DriverRole {
  /** The device's function driver: exactly one per device. */
  FUNCTION,
  /** A filter attached above the function driver. */
  UPPER_FILTER,
  /** A filter attached between the bus driver's PDO and the function driver. */
  LOWER_FILTER
}

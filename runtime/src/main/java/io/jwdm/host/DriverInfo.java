package io.jwdm.host;

import io.jwdm.annotation.DriverRole;
import io.jwdm.spi.DriverModel;
import java.util.List;

/**
 * A snapshot of a loaded driver.
 *
 * @param name the driver's name
 * @param model WDM or legacy
 * @param role a WDM driver's place in its device stacks
 * @param state where the driver is in its life
 * @param deviceNames its device objects, named or described, newest first
 */
public record DriverInfo(String name, DriverModel model, DriverRole role, State state,
    List<String> deviceNames) {
  /** Where a loaded driver is in its life. */
  public enum State {
    /** DriverEntry is running. */
    LOADING,
    /** Loaded and serving. */
    LOADED,
    /** An unload was requested and waits for open handles and outstanding IRPs. */
    UNLOAD_PENDING,
    /** Its Unload routine is running. */
    UNLOADING
  }

  /** Compact constructor: copies the list. */
  public DriverInfo {
    deviceNames = List.copyOf(deviceNames);
  }
}

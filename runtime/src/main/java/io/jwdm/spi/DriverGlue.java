package io.jwdm.spi;

import io.jwdm.annotation.DriverRole;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.NtStatus;
import java.util.List;

/**
 * The contract between a driver's generated glue and the kernel.
 *
 * <p>The jwdm processor generates one implementation per driver class, named
 * {@code <SimpleName>_DriverGlue} (or {@code Outer_Inner_DriverGlue} for a nested class), and lists
 * it in {@code META-INF/services/io.jwdm.spi.DriverGlue}. The kernel finds glue with
 * {@link java.util.ServiceLoader} or takes an instance directly. Glue calls the driver's routines
 * directly: no reflection.
 *
 * <p>Implementations are stateless: every {@link #driverEntry} call creates a fresh driver instance,
 * so the same glue can load the same driver again after it was unloaded.
 */
public interface DriverGlue {
  /**
   * The version of this contract. Glue reports the version it was generated for in
   * {@link #spiVersion()}, and the kernel refuses glue whose version differs.
   */
  int SPI_VERSION = 1;

  /** The version of this contract the glue was generated for; see {@link #SPI_VERSION}. */
  int spiVersion();

  /** The driver's name: the annotation's {@code name}, or the class's simple name. */
  String driverName();

  /** Whether the driver is a WDM or a legacy driver. */
  DriverModel model();

  /** The PnP hardware IDs a WDM driver serves, in declaration order; empty for a legacy driver. */
  List<String> hardwareIds();

  /**
   * A WDM driver's place in the device stacks of its hardware IDs ({@code @WdmDriver(role)});
   * {@link DriverRole#FUNCTION} for a legacy driver.
   */
  default DriverRole role() {
    return DriverRole.FUNCTION;
  }

  /** True for a {@code @LegacyDriver(permanent = true)}: a driver with no Unload routine. */
  boolean permanent();

  /** The driver class. */
  Class<?> driverClass();

  /**
   * The real DriverEntry: creates a driver instance, stores its routines in {@code driverObject}
   * (dispatch table, AddDevice, StartIo, Unload), then calls its {@code @DriverEntry} method if it
   * has one and returns that method's status, or {@link NtStatus#SUCCESS} if it has none.
   */
  NtStatus driverEntry(DriverObject driverObject, String registryPath);
}

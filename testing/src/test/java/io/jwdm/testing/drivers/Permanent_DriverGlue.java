package io.jwdm.testing.drivers;

import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.List;

/**
 * A permanent legacy driver ({@code @LegacyDriver(permanent = true)}): no Unload routine, no
 * device, nothing to release; the kernel refuses to unload it.
 */
public final class Permanent_DriverGlue implements DriverGlue {
  /** The driver's name. */
  public static final String NAME = "Permanent";

  /** Creates the glue. */
  public Permanent_DriverGlue() {}

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public String driverName() {
    return NAME;
  }

  @Override
  public DriverModel model() {
    return DriverModel.LEGACY;
  }

  @Override
  public List<String> hardwareIds() {
    return List.of();
  }

  @Override
  public boolean permanent() {
    return true;
  }

  @Override
  public Class<?> driverClass() {
    return Permanent_DriverGlue.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    return NtStatus.SUCCESS;
  }
}

package io.jwdm.testing.drivers;

import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.List;

/**
 * Glue written by hand, as the processor generates it, for a {@link LegacySample} driver with one
 * {@link LegacySample.Flaw}: each DriverEntry creates a fresh driver instance and stores its
 * routines in the driver object.
 */
abstract class LegacyGlue implements DriverGlue {
  private final String name;
  private final LegacySample.Flaw flaw;

  LegacyGlue(String name, LegacySample.Flaw flaw) {
    this.name = name;
    this.flaw = flaw;
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public String driverName() {
    return name;
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
    return false;
  }

  @Override
  public Class<?> driverClass() {
    return LegacySample.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    LegacySample driver = new LegacySample(name, flaw);
    driverObject.setMajorFunction(MajorFunction.CREATE, driver::createClose);
    driverObject.setMajorFunction(MajorFunction.CLOSE, driver::createClose);
    driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, driver::deviceControl);
    driverObject.setDriverUnload(driver::unload);
    return driver.driverEntry(driverObject, registryPath);
  }
}

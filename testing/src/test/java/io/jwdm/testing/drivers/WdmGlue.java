package io.jwdm.testing.drivers;

import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.List;

/** Glue written by hand for a {@link Gadget} WDM function driver. */
abstract class WdmGlue implements DriverGlue {
  private final String name;
  private final String hardwareId;
  private final boolean deletesAtRemove;

  WdmGlue(String name, String hardwareId, boolean deletesAtRemove) {
    this.name = name;
    this.hardwareId = hardwareId;
    this.deletesAtRemove = deletesAtRemove;
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
    return DriverModel.WDM;
  }

  @Override
  public List<String> hardwareIds() {
    return List.of(hardwareId);
  }

  @Override
  public boolean permanent() {
    return false;
  }

  @Override
  public Class<?> driverClass() {
    return Gadget.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    Gadget driver = new Gadget(deletesAtRemove);
    driverObject.setAddDevice(driver::addDevice);
    driverObject.setMajorFunction(MajorFunction.PNP, driver::dispatchPnp);
    driverObject.setMajorFunction(MajorFunction.POWER, driver::dispatchPower);
    driverObject.setDriverUnload(driver::unload);
    return NtStatus.SUCCESS;
  }
}

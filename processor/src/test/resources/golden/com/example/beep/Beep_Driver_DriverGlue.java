package com.example.beep;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.DriverUnload;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.List;
import javax.annotation.processing.Generated;

/**
 * The glue of legacy driver "BeepService": its real DriverEntry and its description for the kernel.
 */
@Generated("io.jwdm.processor.JwdmProcessor")
public final class Beep_Driver_DriverGlue implements DriverGlue {
  public Beep_Driver_DriverGlue() {
  }

  @Override
  public int spiVersion() {
    return 1;
  }

  @Override
  public String driverName() {
    return "BeepService";
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
    return Beep.Driver.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    Beep.Driver driver = new Beep.Driver();
    Routines openCloseRoutine = new Routines(driver, 0);
    driverObject.setMajorFunction(MajorFunction.CREATE, openCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.CLOSE, openCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, new Routines(driver, 1));
    driverObject.setMajorFunction(MajorFunction.CLEANUP, openCloseRoutine);
    driverObject.setDriverUnload(new Routines(driver, 2));
    return NtStatus.SUCCESS;
  }

  /**
   * Calls the driver's routines: {@code routine} selects the method an instance calls.
   */
  private static final class Routines implements DriverDispatch, DriverUnload {
    private final Beep.Driver driver;

    private final int routine;

    Routines(Beep.Driver driver, int routine) {
      this.driver = driver;
      this.routine = routine;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      switch (routine) {
        case 0:
          return driver.openClose(device, irp);
        case 1:
        default:
          return driver.deviceControl(device, irp);
      }
    }

    @Override
    public void unload(DriverObject driverObject) {
      driver.unload(driverObject);
    }
  }
}

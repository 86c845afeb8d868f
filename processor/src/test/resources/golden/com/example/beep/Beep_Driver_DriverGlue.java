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
    DriverDispatch openCloseRoutine = new OpenCloseRoutine(driver);
    DriverDispatch deviceControlRoutine = new DeviceControlRoutine(driver);
    driverObject.setMajorFunction(MajorFunction.CREATE, openCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.CLOSE, openCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, deviceControlRoutine);
    driverObject.setMajorFunction(MajorFunction.CLEANUP, openCloseRoutine);
    driverObject.setDriverUnload(new UnloadRoutine(driver));
    return NtStatus.SUCCESS;
  }

  private static final class OpenCloseRoutine implements DriverDispatch {
    private final Beep.Driver driver;

    OpenCloseRoutine(Beep.Driver driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.openClose(device, irp);
    }
  }

  private static final class DeviceControlRoutine implements DriverDispatch {
    private final Beep.Driver driver;

    DeviceControlRoutine(Beep.Driver driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.deviceControl(device, irp);
    }
  }

  private static final class UnloadRoutine implements DriverUnload {
    private final Beep.Driver driver;

    UnloadRoutine(Beep.Driver driver) {
      this.driver = driver;
    }

    @Override
    public void unload(DriverObject driverObject) {
      driver.unload(driverObject);
    }
  }
}

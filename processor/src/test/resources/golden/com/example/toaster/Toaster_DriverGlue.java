package com.example.toaster;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverAddDevice;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.DriverStartIo;
import io.jwdm.kernel.DriverUnload;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.List;
import javax.annotation.processing.Generated;

/**
 * The glue of WDM driver "Toaster": its real DriverEntry and its description for the kernel.
 */
@Generated("io.jwdm.processor.JwdmProcessor")
public final class Toaster_DriverGlue implements DriverGlue {
  public Toaster_DriverGlue() {
  }

  @Override
  public int spiVersion() {
    return 1;
  }

  @Override
  public String driverName() {
    return "Toaster";
  }

  @Override
  public DriverModel model() {
    return DriverModel.WDM;
  }

  @Override
  public List<String> hardwareIds() {
    return List.of("ROOT\\TOASTER", "{b85b7c50-6a01-11d2-b841-00c04fad5171}\\MsToaster");
  }

  @Override
  public boolean permanent() {
    return false;
  }

  @Override
  public Class<?> driverClass() {
    return Toaster.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    Toaster driver = new Toaster();
    Routines createCloseRoutine = new Routines(driver, 1);
    driverObject.setMajorFunction(MajorFunction.CREATE, createCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.CLOSE, createCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, new Routines(driver, 2));
    driverObject.setMajorFunction(MajorFunction.POWER, new Routines(driver, 4));
    driverObject.setMajorFunction(MajorFunction.SYSTEM_CONTROL, new Routines(driver, 5));
    driverObject.setMajorFunction(MajorFunction.PNP, new Routines(driver, 3));
    driverObject.setAddDevice(new Routines(driver, 0));
    driverObject.setDriverStartIo(new Routines(driver, 6));
    driverObject.setDriverUnload(new Routines(driver, 7));
    return driver.driverEntry(driverObject, registryPath);
  }

  /**
   * Calls the driver's routines: {@code routine} selects the method an instance calls.
   */
  private static final class Routines implements DriverAddDevice,
      DriverDispatch,
      DriverStartIo,
      DriverUnload {
    private final Toaster driver;

    private final int routine;

    Routines(Toaster driver, int routine) {
      this.driver = driver;
      this.routine = routine;
    }

    @Override
    public NtStatus addDevice(DriverObject driverObject, DeviceObject physicalDeviceObject) {
      return driver.addDevice(driverObject, physicalDeviceObject);
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      switch (routine) {
        case 1:
          return driver.createClose(device, irp);
        case 2:
          return driver.deviceControl(device, irp);
        case 3:
          return driver.pnp(device, irp);
        case 4:
          return driver.power(device, irp);
        case 5:
        default:
          return driver.systemControl(device, irp);
      }
    }

    @Override
    public void startIo(DeviceObject device, Irp irp) {
      driver.startIo(device, irp);
    }

    @Override
    public void unload(DriverObject driverObject) {
      driver.unload(driverObject);
    }
  }
}

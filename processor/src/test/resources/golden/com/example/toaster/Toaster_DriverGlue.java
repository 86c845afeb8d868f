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
    DriverDispatch createCloseRoutine = new CreateCloseRoutine(driver);
    DriverDispatch deviceControlRoutine = new DeviceControlRoutine(driver);
    DriverDispatch pnpRoutine = new PnpRoutine(driver);
    DriverDispatch powerRoutine = new PowerRoutine(driver);
    DriverDispatch systemControlRoutine = new SystemControlRoutine(driver);
    driverObject.setMajorFunction(MajorFunction.CREATE, createCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.CLOSE, createCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, deviceControlRoutine);
    driverObject.setMajorFunction(MajorFunction.POWER, powerRoutine);
    driverObject.setMajorFunction(MajorFunction.SYSTEM_CONTROL, systemControlRoutine);
    driverObject.setMajorFunction(MajorFunction.PNP, pnpRoutine);
    driverObject.setAddDevice(new AddDeviceRoutine(driver));
    driverObject.setDriverStartIo(new StartIoRoutine(driver));
    driverObject.setDriverUnload(new UnloadRoutine(driver));
    return driver.driverEntry(driverObject, registryPath);
  }

  private static final class AddDeviceRoutine implements DriverAddDevice {
    private final Toaster driver;

    AddDeviceRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus addDevice(DriverObject driverObject, DeviceObject physicalDeviceObject) {
      return driver.addDevice(driverObject, physicalDeviceObject);
    }
  }

  private static final class CreateCloseRoutine implements DriverDispatch {
    private final Toaster driver;

    CreateCloseRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.createClose(device, irp);
    }
  }

  private static final class DeviceControlRoutine implements DriverDispatch {
    private final Toaster driver;

    DeviceControlRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.deviceControl(device, irp);
    }
  }

  private static final class PnpRoutine implements DriverDispatch {
    private final Toaster driver;

    PnpRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.pnp(device, irp);
    }
  }

  private static final class PowerRoutine implements DriverDispatch {
    private final Toaster driver;

    PowerRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.power(device, irp);
    }
  }

  private static final class SystemControlRoutine implements DriverDispatch {
    private final Toaster driver;

    SystemControlRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.systemControl(device, irp);
    }
  }

  private static final class StartIoRoutine implements DriverStartIo {
    private final Toaster driver;

    StartIoRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public void startIo(DeviceObject device, Irp irp) {
      driver.startIo(device, irp);
    }
  }

  private static final class UnloadRoutine implements DriverUnload {
    private final Toaster driver;

    UnloadRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public void unload(DriverObject driverObject) {
      driver.unload(driverObject);
    }
  }
}

package io.jwdm.examples.toaster;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverAddDevice;
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
    return List.of("ROOT\\TOASTER");
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
    DriverDispatch toasterDispatchPnpRoutine = new ToasterDispatchPnpRoutine(driver);
    DriverDispatch toasterDispatchPowerRoutine = new ToasterDispatchPowerRoutine(driver);
    DriverDispatch toasterSystemControlRoutine = new ToasterSystemControlRoutine(driver);
    DriverDispatch toasterCreateCloseRoutine = new ToasterCreateCloseRoutine(driver);
    DriverDispatch toasterCleanupRoutine = new ToasterCleanupRoutine(driver);
    DriverDispatch toasterDispatchIoRoutine = new ToasterDispatchIoRoutine(driver);
    driverObject.setMajorFunction(MajorFunction.CREATE, toasterCreateCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.CLOSE, toasterCreateCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.READ, toasterDispatchIoRoutine);
    driverObject.setMajorFunction(MajorFunction.WRITE, toasterDispatchIoRoutine);
    driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, toasterDispatchIoRoutine);
    driverObject.setMajorFunction(MajorFunction.CLEANUP, toasterCleanupRoutine);
    driverObject.setMajorFunction(MajorFunction.POWER, toasterDispatchPowerRoutine);
    driverObject.setMajorFunction(MajorFunction.SYSTEM_CONTROL, toasterSystemControlRoutine);
    driverObject.setMajorFunction(MajorFunction.PNP, toasterDispatchPnpRoutine);
    driverObject.setAddDevice(new ToasterAddDeviceRoutine(driver));
    driverObject.setDriverUnload(new ToasterUnloadRoutine(driver));
    return driver.driverEntry(driverObject, registryPath);
  }

  private static final class ToasterAddDeviceRoutine implements DriverAddDevice {
    private final Toaster driver;

    ToasterAddDeviceRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus addDevice(DriverObject driverObject, DeviceObject physicalDeviceObject) {
      return driver.toasterAddDevice(driverObject, physicalDeviceObject);
    }
  }

  private static final class ToasterUnloadRoutine implements DriverUnload {
    private final Toaster driver;

    ToasterUnloadRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public void unload(DriverObject driverObject) {
      driver.toasterUnload(driverObject);
    }
  }

  private static final class ToasterDispatchPnpRoutine implements DriverDispatch {
    private final Toaster driver;

    ToasterDispatchPnpRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.toasterDispatchPnp(device, irp);
    }
  }

  private static final class ToasterDispatchPowerRoutine implements DriverDispatch {
    private final Toaster driver;

    ToasterDispatchPowerRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.toasterDispatchPower(device, irp);
    }
  }

  private static final class ToasterSystemControlRoutine implements DriverDispatch {
    private final Toaster driver;

    ToasterSystemControlRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.toasterSystemControl(device, irp);
    }
  }

  private static final class ToasterCreateCloseRoutine implements DriverDispatch {
    private final Toaster driver;

    ToasterCreateCloseRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.toasterCreateClose(device, irp);
    }
  }

  private static final class ToasterCleanupRoutine implements DriverDispatch {
    private final Toaster driver;

    ToasterCleanupRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.toasterCleanup(device, irp);
    }
  }

  private static final class ToasterDispatchIoRoutine implements DriverDispatch {
    private final Toaster driver;

    ToasterDispatchIoRoutine(Toaster driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.toasterDispatchIo(device, irp);
    }
  }
}

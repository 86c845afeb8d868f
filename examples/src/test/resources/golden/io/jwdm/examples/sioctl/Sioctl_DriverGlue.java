package io.jwdm.examples.sioctl;

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
 * The glue of legacy driver "Sioctl": its real DriverEntry and its description for the kernel.
 */
@Generated("io.jwdm.processor.JwdmProcessor")
public final class Sioctl_DriverGlue implements DriverGlue {
  public Sioctl_DriverGlue() {
  }

  @Override
  public int spiVersion() {
    return 1;
  }

  @Override
  public String driverName() {
    return "Sioctl";
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
    return Sioctl.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    Sioctl driver = new Sioctl();
    DriverDispatch sioctlCreateCloseRoutine = new SioctlCreateCloseRoutine(driver);
    DriverDispatch sioctlDeviceControlRoutine = new SioctlDeviceControlRoutine(driver);
    driverObject.setMajorFunction(MajorFunction.CREATE, sioctlCreateCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.CLOSE, sioctlCreateCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, sioctlDeviceControlRoutine);
    driverObject.setDriverUnload(new SioctlUnloadDriverRoutine(driver));
    return driver.driverEntry(driverObject, registryPath);
  }

  private static final class SioctlCreateCloseRoutine implements DriverDispatch {
    private final Sioctl driver;

    SioctlCreateCloseRoutine(Sioctl driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.sioctlCreateClose(device, irp);
    }
  }

  private static final class SioctlUnloadDriverRoutine implements DriverUnload {
    private final Sioctl driver;

    SioctlUnloadDriverRoutine(Sioctl driver) {
      this.driver = driver;
    }

    @Override
    public void unload(DriverObject driverObject) {
      driver.sioctlUnloadDriver(driverObject);
    }
  }

  private static final class SioctlDeviceControlRoutine implements DriverDispatch {
    private final Sioctl driver;

    SioctlDeviceControlRoutine(Sioctl driver) {
      this.driver = driver;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      return driver.sioctlDeviceControl(device, irp);
    }
  }
}

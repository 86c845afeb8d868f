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
    Routines sioctlCreateCloseRoutine = new Routines(driver, 0);
    driverObject.setMajorFunction(MajorFunction.CREATE, sioctlCreateCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.CLOSE, sioctlCreateCloseRoutine);
    driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, new Routines(driver, 1));
    driverObject.setDriverUnload(new Routines(driver, 2));
    return driver.driverEntry(driverObject, registryPath);
  }

  /**
   * Calls the driver's routines: {@code routine} selects the method an instance calls.
   */
  private static final class Routines implements DriverDispatch, DriverUnload {
    private final Sioctl driver;

    private final int routine;

    Routines(Sioctl driver, int routine) {
      this.driver = driver;
      this.routine = routine;
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      switch (routine) {
        case 0:
          return driver.sioctlCreateClose(device, irp);
        case 1:
        default:
          return driver.sioctlDeviceControl(device, irp);
      }
    }

    @Override
    public void unload(DriverObject driverObject) {
      driver.sioctlUnloadDriver(driverObject);
    }
  }
}

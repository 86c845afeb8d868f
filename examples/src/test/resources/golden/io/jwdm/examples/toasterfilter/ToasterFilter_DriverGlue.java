package io.jwdm.examples.toasterfilter;

import io.jwdm.annotation.DriverRole;
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
 * The glue of WDM driver "ToasterFilter": its real DriverEntry and its description for the kernel.
 */
@Generated("io.jwdm.processor.JwdmProcessor")
public final class ToasterFilter_DriverGlue implements DriverGlue {
  public ToasterFilter_DriverGlue() {
  }

  @Override
  public int spiVersion() {
    return 1;
  }

  @Override
  public String driverName() {
    return "ToasterFilter";
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
  public DriverRole role() {
    return DriverRole.UPPER_FILTER;
  }

  @Override
  public Class<?> driverClass() {
    return ToasterFilter.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    ToasterFilter driver = new ToasterFilter();
    Routines filterPassRoutine = new Routines(driver, 1);
    Routines filterDispatchIoRoutine = new Routines(driver, 2);
    driverObject.setMajorFunction(MajorFunction.CREATE, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.CREATE_NAMED_PIPE, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.CLOSE, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.READ, filterDispatchIoRoutine);
    driverObject.setMajorFunction(MajorFunction.WRITE, filterDispatchIoRoutine);
    driverObject.setMajorFunction(MajorFunction.QUERY_INFORMATION, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.SET_INFORMATION, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.QUERY_EA, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.SET_EA, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.FLUSH_BUFFERS, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.QUERY_VOLUME_INFORMATION, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.SET_VOLUME_INFORMATION, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.DIRECTORY_CONTROL, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.FILE_SYSTEM_CONTROL, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, filterDispatchIoRoutine);
    driverObject.setMajorFunction(MajorFunction.INTERNAL_DEVICE_CONTROL, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.SHUTDOWN, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.LOCK_CONTROL, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.CLEANUP, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.CREATE_MAILSLOT, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.QUERY_SECURITY, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.SET_SECURITY, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.POWER, new Routines(driver, 4));
    driverObject.setMajorFunction(MajorFunction.SYSTEM_CONTROL, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.DEVICE_CHANGE, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.QUERY_QUOTA, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.SET_QUOTA, filterPassRoutine);
    driverObject.setMajorFunction(MajorFunction.PNP, new Routines(driver, 3));
    driverObject.setAddDevice(new Routines(driver, 0));
    driverObject.setDriverUnload(new Routines(driver, 5));
    return driver.driverEntry(driverObject, registryPath);
  }

  /**
   * Calls the driver's routines: {@code routine} selects the method an instance calls.
   */
  private static final class Routines implements DriverAddDevice, DriverDispatch, DriverUnload {
    private final ToasterFilter driver;

    private final int routine;

    Routines(ToasterFilter driver, int routine) {
      this.driver = driver;
      this.routine = routine;
    }

    @Override
    public NtStatus addDevice(DriverObject driverObject, DeviceObject physicalDeviceObject) {
      return driver.filterAddDevice(driverObject, physicalDeviceObject);
    }

    @Override
    public NtStatus dispatch(DeviceObject device, Irp irp) {
      switch (routine) {
        case 1:
          return driver.filterPass(device, irp);
        case 2:
          return driver.filterDispatchIo(device, irp);
        case 3:
          return driver.filterDispatchPnp(device, irp);
        case 4:
        default:
          return driver.filterDispatchPower(device, irp);
      }
    }

    @Override
    public void unload(DriverObject driverObject) {
      driver.filterUnload(driverObject);
    }
  }
}

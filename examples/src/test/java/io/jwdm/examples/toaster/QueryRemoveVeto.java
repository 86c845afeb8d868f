package io.jwdm.examples.toaster;

import static io.jwdm.kernel.Wdm.*;

import io.jwdm.annotation.AddDevice;
import io.jwdm.annotation.Dispatch;
import io.jwdm.annotation.DriverEntry;
import io.jwdm.annotation.DriverRole;
import io.jwdm.annotation.Unload;
import io.jwdm.annotation.WdmDriver;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;

/**
 * A lower filter that fails the first IRP_MN_QUERY_REMOVE_DEVICE of each device, after the drivers
 * above it saw it, so that the PnP manager sends IRP_MN_CANCEL_REMOVE_DEVICE. It serves
 * {@value #HARDWARE_ID}, which a test gives a toaster besides {@code ROOT\TOASTER}.
 */
@WdmDriver(name = "QueryRemoveVeto", hardwareIds = QueryRemoveVeto.HARDWARE_ID,
    role = DriverRole.LOWER_FILTER)
public class QueryRemoveVeto {
  static final String HARDWARE_ID = "ROOT\\VETOTOASTER";

  static final class Extension {
    DeviceObject nextLowerDriver;
    boolean vetoed;
  }

  private KernelServices k;

  @DriverEntry
  NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    k = driverObject.kernel();
    return NtStatus.SUCCESS;
  }

  @AddDevice
  NtStatus addDevice(DriverObject driverObject, DeviceObject physicalDeviceObject) {
    Extension extension = new Extension();
    Out<DeviceObject> deviceObject = new Out<>();
    NtStatus status = k.ioCreateDevice(driverObject, extension, null, FILE_DEVICE_UNKNOWN,
        FILE_DEVICE_SECURE_OPEN, false, deviceObject);
    if (!status.isSuccess()) {
      return status;
    }
    extension.nextLowerDriver = k.ioAttachDeviceToDeviceStack(deviceObject.get(),
        physicalDeviceObject);
    if (extension.nextLowerDriver == null) {
      k.ioDeleteDevice(deviceObject.get());
      return NtStatus.NO_SUCH_DEVICE;
    }
    deviceObject.get().setFlags(deviceObject.get().flags() & ~DO_DEVICE_INITIALIZING);
    return NtStatus.SUCCESS;
  }

  @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE, MajorFunction.POWER,
      MajorFunction.SYSTEM_CONTROL})
  NtStatus pass(DeviceObject deviceObject, Irp irp) {
    k.ioSkipCurrentIrpStackLocation(irp);
    return k.ioCallDriver(deviceObject.deviceExtension(Extension.class).nextLowerDriver, irp);
  }

  @Dispatch(MajorFunction.PNP)
  NtStatus pnp(DeviceObject deviceObject, Irp irp) {
    Extension extension = deviceObject.deviceExtension(Extension.class);
    int minor = k.ioGetCurrentIrpStackLocation(irp).minorFunction();
    if (minor == IRP_MN_QUERY_REMOVE_DEVICE && !extension.vetoed) {
      extension.vetoed = true;
      irp.ioStatus().setStatus(NtStatus.UNSUCCESSFUL);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return NtStatus.UNSUCCESSFUL;
    }
    k.ioSkipCurrentIrpStackLocation(irp);
    NtStatus status = k.ioCallDriver(extension.nextLowerDriver, irp);
    if (minor == IRP_MN_REMOVE_DEVICE) {
      k.ioDetachDevice(extension.nextLowerDriver);
      k.ioDeleteDevice(deviceObject);
    }
    return status;
  }

  @Unload
  void unload(DriverObject driverObject) {}
}

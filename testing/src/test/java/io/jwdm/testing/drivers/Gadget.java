package io.jwdm.testing.drivers;

import static io.jwdm.kernel.Wdm.DO_BUFFERED_IO;
import static io.jwdm.kernel.Wdm.DO_DEVICE_INITIALIZING;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_SECURE_OPEN;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN;
import static io.jwdm.kernel.Wdm.IO_NO_INCREMENT;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;

/**
 * The WDM test drivers' code: a function driver whose AddDevice attaches an unnamed device to the
 * stack; START_DEVICE is forwarded synchronously, REMOVE_DEVICE passed down and the device
 * detached and deleted (unless the driver is sloppy and forgets to delete it), every other PnP IRP
 * passed down. POWER is passed down too.
 */
public final class Gadget {
  /** The device extension: the device below in the stack. */
  static final class Extension {
    DeviceObject lower;
  }

  private final boolean deletesAtRemove;
  private KernelServices k;

  Gadget(boolean deletesAtRemove) {
    this.deletesAtRemove = deletesAtRemove;
  }

  NtStatus addDevice(DriverObject driver, DeviceObject physicalDeviceObject) {
    k = driver.kernel();
    Extension extension = new Extension();
    Out<DeviceObject> out = new Out<>();
    NtStatus status = k.ioCreateDevice(driver, extension, null, FILE_DEVICE_UNKNOWN,
        FILE_DEVICE_SECURE_OPEN, false, out);
    if (!status.isSuccess()) {
      return status;
    }
    DeviceObject device = out.get();
    extension.lower = k.ioAttachDeviceToDeviceStack(device, physicalDeviceObject);
    if (extension.lower == null) {
      k.ioDeleteDevice(device);
      return NtStatus.NO_SUCH_DEVICE;
    }
    device.setFlags((device.flags() | DO_BUFFERED_IO) & ~DO_DEVICE_INITIALIZING);
    return NtStatus.SUCCESS;
  }

  NtStatus dispatchPnp(DeviceObject device, Irp irp) {
    DeviceObject lower = device.deviceExtension(Extension.class).lower;
    switch (k.ioGetCurrentIrpStackLocation(irp).minorFunction()) {
      case Wdm.IRP_MN_START_DEVICE: {
        k.ioForwardIrpSynchronously(lower, irp);
        NtStatus status = irp.ioStatus().status();
        k.ioCompleteRequest(irp, IO_NO_INCREMENT);
        return status;
      }
      case Wdm.IRP_MN_REMOVE_DEVICE: {
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        k.ioSkipCurrentIrpStackLocation(irp);
        NtStatus status = k.ioCallDriver(lower, irp);
        k.ioDetachDevice(lower);
        if (deletesAtRemove) {
          k.ioDeleteDevice(device);
        }
        return status;
      }
      default:
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        k.ioSkipCurrentIrpStackLocation(irp);
        return k.ioCallDriver(lower, irp);
    }
  }

  /** POWER: passed down, as every WDM driver must handle it. */
  NtStatus dispatchPower(DeviceObject device, Irp irp) {
    k.ioSkipCurrentIrpStackLocation(irp);
    return k.ioCallDriver(device.deviceExtension(Extension.class).lower, irp);
  }

  void unload(DriverObject driver) {}
}

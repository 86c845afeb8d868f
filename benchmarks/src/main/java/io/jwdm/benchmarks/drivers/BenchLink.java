package io.jwdm.benchmarks.drivers;

import static io.jwdm.kernel.Wdm.FILE_DEVICE_SECURE_OPEN;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN;
import static io.jwdm.kernel.Wdm.IO_NO_INCREMENT;

import io.jwdm.annotation.Dispatch;
import io.jwdm.annotation.DriverEntry;
import io.jwdm.annotation.LegacyDriver;
import io.jwdm.annotation.Unload;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;

/**
 * The smallest useful legacy driver, compiled through the jwdm processor: DriverEntry creates one
 * named device and one symbolic link, CREATE, CLOSE and DEVICE_CONTROL complete at once with no
 * data, and Unload deletes the link and the device. The benchmarks use it to measure the kernel's
 * own cost of the load/unload cycle and of a round trip, with no driver work on top.
 */
@LegacyDriver(name = "BenchLink")
public class BenchLink {
  /** The device's name. */
  public static final String DEVICE_NAME = "\\Device\\BenchLink";
  /** The symbolic link. */
  public static final String LINK_NAME = "\\DosDevices\\BenchLink";
  /** What a caller opens. */
  public static final String OPEN_PATH = "\\\\.\\BenchLink";

  private KernelServices k;

  @DriverEntry
  NtStatus driverEntry(DriverObject driver, String registryPath) {
    k = driver.kernel();
    Out<DeviceObject> device = new Out<>();
    NtStatus status = k.ioCreateDevice(driver, null, DEVICE_NAME, FILE_DEVICE_UNKNOWN,
        FILE_DEVICE_SECURE_OPEN, false, device);
    if (!status.isSuccess()) {
      return status;
    }
    status = k.ioCreateSymbolicLink(LINK_NAME, DEVICE_NAME);
    if (!status.isSuccess()) {
      k.ioDeleteDevice(device.get());
    }
    return status;
  }

  @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE, MajorFunction.DEVICE_CONTROL})
  NtStatus complete(DeviceObject device, Irp irp) {
    irp.ioStatus().setStatus(NtStatus.SUCCESS);
    irp.ioStatus().setInformation(0);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return NtStatus.SUCCESS;
  }

  @Unload
  void unload(DriverObject driver) {
    k.ioDeleteSymbolicLink(LINK_NAME);
    DeviceObject device = driver.deviceObject();
    if (device != null) {
      k.ioDeleteDevice(device);
    }
  }
}

package io.jwdm.examples;

import static io.jwdm.kernel.Wdm.*;

import io.jwdm.annotation.Dispatch;
import io.jwdm.annotation.DriverEntry;
import io.jwdm.annotation.LegacyDriver;
import io.jwdm.annotation.Unload;
import io.jwdm.examples.sioctl.Sioctl;
import io.jwdm.examples.toaster.Toaster;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.util.List;

/**
 * A legacy driver that takes the symbolic link names the examples create, {@code
 * \DosDevices\IoctlTest} and {@code \DosDevices\Toaster0}, so that their DriverEntry or AddDevice
 * fails half-way and must undo what it did.
 */
@LegacyDriver(name = "LinkSquatter")
public class LinkSquatter {
  /** The squatter's own device, which its links point to. */
  public static final String NT_DEVICE_NAME = "\\Device\\LinkSquatter";

  /** The links it takes. */
  public static final List<String> LINKS =
      List.of(Sioctl.DOS_DEVICE_NAME, Toaster.DOS_DEVICE_NAME_PREFIX + 0);

  private KernelServices k;

  @DriverEntry
  NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    k = driverObject.kernel();
    Out<DeviceObject> deviceObject = new Out<>();
    NtStatus status = k.ioCreateDevice(driverObject, null, NT_DEVICE_NAME, FILE_DEVICE_UNKNOWN,
        FILE_DEVICE_SECURE_OPEN, false, deviceObject);
    if (!status.isSuccess()) {
      return status;
    }
    for (int i = 0; i < LINKS.size(); i++) {
      status = k.ioCreateSymbolicLink(LINKS.get(i), NT_DEVICE_NAME);
      if (!status.isSuccess()) {
        for (int j = 0; j < i; j++) {
          k.ioDeleteSymbolicLink(LINKS.get(j));
        }
        k.ioDeleteDevice(deviceObject.get());
        return status;
      }
    }
    return NtStatus.SUCCESS;
  }

  @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE})
  NtStatus createClose(DeviceObject deviceObject, Irp irp) {
    irp.ioStatus().setStatus(NtStatus.SUCCESS);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return NtStatus.SUCCESS;
  }

  @Unload
  void unload(DriverObject driverObject) {
    for (String link : LINKS) {
      k.ioDeleteSymbolicLink(link);
    }
    k.ioDeleteDevice(driverObject.deviceObject());
  }
}

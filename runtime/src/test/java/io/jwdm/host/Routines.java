package io.jwdm.host;

import static io.jwdm.kernel.Wdm.DO_DEVICE_INITIALIZING;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_SECURE_OPEN;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN;
import static io.jwdm.kernel.Wdm.IO_NO_INCREMENT;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;

/** Routines the test drivers share, written as a WDK sample would write them. */
final class Routines {
  private Routines() {}

  /** A test driver's device extension: the device below it in its stack, if any. */
  static final class DeviceExt {
    volatile DeviceObject lower;
  }

  /** The device below {@code device}, from its {@link DeviceExt}. */
  static DeviceObject lower(DeviceObject device) {
    return device.deviceExtension(DeviceExt.class).lower;
  }

  /** {@code "IRP_MJ_READ"}, or for a PnP IRP its minor function, such as {@code "IRP_MN_START_DEVICE"}. */
  static String label(KernelServices k, Irp irp) {
    var location = k.ioGetCurrentIrpStackLocation(irp);
    if (location.majorFunction() == MajorFunction.PNP) {
      return pnpName(location.minorFunction());
    }
    return location.majorFunction().wdkName();
  }

  static String pnpName(int minor) {
    switch (minor) {
      case Wdm.IRP_MN_START_DEVICE: return "IRP_MN_START_DEVICE";
      case Wdm.IRP_MN_QUERY_REMOVE_DEVICE: return "IRP_MN_QUERY_REMOVE_DEVICE";
      case Wdm.IRP_MN_REMOVE_DEVICE: return "IRP_MN_REMOVE_DEVICE";
      case Wdm.IRP_MN_CANCEL_REMOVE_DEVICE: return "IRP_MN_CANCEL_REMOVE_DEVICE";
      case Wdm.IRP_MN_SURPRISE_REMOVAL: return "IRP_MN_SURPRISE_REMOVAL";
      default: return String.format("IRP_MN_0x%02X", minor);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // DriverEntry and Unload

  /**
   * Creates a named device with {@code flags} added and, if {@code link} is not null, its symbolic
   * link; keeps the device in {@link TestDriver.Instance#device}.
   */
  static NtStatus createDevice(TestDriver.Instance self, String deviceName, String link,
      int flags) {
    Out<DeviceObject> out = new Out<>();
    NtStatus status = self.k.ioCreateDevice(self.driverObject, new DeviceExt(), deviceName,
        FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, false, out);
    if (!status.isSuccess()) {
      return status;
    }
    DeviceObject device = out.get();
    device.setFlags(device.flags() | flags);
    if (link != null) {
      status = self.k.ioCreateSymbolicLink(link, deviceName);
      if (!status.isSuccess()) {
        self.k.ioDeleteDevice(device);
        return status;
      }
    }
    self.device = device;
    return NtStatus.SUCCESS;
  }

  /** A legacy Unload: deletes the link and every device of the driver. */
  static void deleteDeviceAndLink(TestDriver.Instance self, String link) {
    if (link != null) {
      self.k.ioDeleteSymbolicLink(link);
    }
    DeviceObject device = self.driverObject.deviceObject();
    while (device != null) {
      DeviceObject next = device.nextDevice();
      self.k.ioDeleteDevice(device);
      device = next;
    }
  }

  /** A WDM AddDevice: an unnamed device attached on top of the PDO's stack, ready for I/O. */
  static TestDriver.AddDevice attachToStack() {
    return (self, pdo) -> {
      Out<DeviceObject> out = new Out<>();
      DeviceExt ext = new DeviceExt();
      NtStatus status = self.k.ioCreateDevice(self.driverObject, ext, null, FILE_DEVICE_UNKNOWN,
          FILE_DEVICE_SECURE_OPEN, false, out);
      if (!status.isSuccess()) {
        return status;
      }
      DeviceObject device = out.get();
      ext.lower = self.k.ioAttachDeviceToDeviceStack(device, pdo);
      if (ext.lower == null) {
        self.k.ioDeleteDevice(device);
        return NtStatus.NO_SUCH_DEVICE;
      }
      device.setFlags((device.flags() | Wdm.DO_BUFFERED_IO) & ~DO_DEVICE_INITIALIZING);
      return NtStatus.SUCCESS;
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Dispatch

  /** Completes the IRP with {@code status} and no information. */
  static TestDriver.Dispatch complete(NtStatus status) {
    return (self, device, irp) -> complete(self, irp, status, 0);
  }

  /** Sets the IRP's status and information, completes it, and returns the status. */
  static NtStatus complete(TestDriver.Instance self, Irp irp, NtStatus status, long information) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(information);
    self.k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
  }

  /** Marks the IRP pending and keeps it in {@link TestDriver.Instance#held}. */
  static TestDriver.Dispatch hold() {
    return (self, device, irp) -> {
      self.k.ioMarkIrpPending(irp);
      self.held.add(irp);
      return NtStatus.PENDING;
    };
  }

  /** Passes the IRP to the device below without a completion routine. */
  static TestDriver.Dispatch passDown() {
    return (self, device, irp) -> {
      self.k.ioSkipCurrentIrpStackLocation(irp);
      return self.k.ioCallDriver(lower(device), irp);
    };
  }

  /**
   * A WDM driver's PnP dispatch: START_DEVICE is forwarded synchronously and completed with the
   * lower drivers' status (noting {@code "started"} on the way up); REMOVE_DEVICE is passed down,
   * then the device is detached and deleted; everything else succeeds and is passed down.
   */
  static NtStatus standardPnp(TestDriver.Instance self, DeviceObject device, Irp irp) {
    KernelServices k = self.k;
    DeviceObject lower = lower(device);
    switch (k.ioGetCurrentIrpStackLocation(irp).minorFunction()) {
      case Wdm.IRP_MN_START_DEVICE: {
        k.ioForwardIrpSynchronously(lower, irp);
        NtStatus status = irp.ioStatus().status();
        if (status.isSuccess()) {
          self.note("started");
        }
        k.ioCompleteRequest(irp, IO_NO_INCREMENT);
        return status;
      }
      case Wdm.IRP_MN_REMOVE_DEVICE: {
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        k.ioSkipCurrentIrpStackLocation(irp);
        NtStatus status = k.ioCallDriver(lower, irp);
        k.ioDetachDevice(lower);
        k.ioDeleteDevice(device);
        return status;
      }
      default:
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        k.ioSkipCurrentIrpStackLocation(irp);
        return k.ioCallDriver(lower, irp);
    }
  }
}

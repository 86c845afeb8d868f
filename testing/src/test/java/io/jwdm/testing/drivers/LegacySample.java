package io.jwdm.testing.drivers;

import static io.jwdm.kernel.Wdm.CTL_CODE;
import static io.jwdm.kernel.Wdm.FILE_ANY_ACCESS;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_SECURE_OPEN;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN;
import static io.jwdm.kernel.Wdm.IO_NO_INCREMENT;
import static io.jwdm.kernel.Wdm.METHOD_BUFFERED;
import static io.jwdm.kernel.Wdm.POOL_FLAG_NON_PAGED;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.IoStackLocation;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.PoolMemory;

/**
 * The legacy test drivers' code: DriverEntry creates {@code \Device\<name>} and its link
 * {@code \DosDevices\<name>} (opened as {@code \\.\<name>}) and allocates a block of nonpaged pool;
 * {@link #IOCTL_ECHO} returns the caller's input; Unload deletes the link and the device and frees
 * the block. Each {@link Flaw} breaks one of these, as the driver's glue chooses.
 */
public final class LegacySample {
  /** Returns the input buffer, as much of it as fits in the output buffer. */
  public static final int IOCTL_ECHO =
      CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS);

  /** The pool tag of the block DriverEntry allocates. */
  public static final String TAG = "Smpl";

  /** What a test driver gets wrong. */
  public enum Flaw {
    /** Nothing: it unloads clean. */
    NONE,
    /** Unload does not free the pool block. */
    LEAKS_POOL,
    /** The IOCTL routine throws: bug check 0x1E. */
    THROWS_IN_IOCTL,
    /** DriverEntry fails with STATUS_UNSUCCESSFUL, after undoing what it did. */
    FAILS_DRIVER_ENTRY
  }

  private final String name;
  private final Flaw flaw;
  private KernelServices k;
  private PoolMemory block;

  LegacySample(String name, Flaw flaw) {
    this.name = name;
    this.flaw = flaw;
  }

  /** The path a caller opens: {@code \\.\<name>}. */
  public static String link(String driverName) {
    return "\\\\.\\" + driverName;
  }

  NtStatus driverEntry(DriverObject driver, String registryPath) {
    k = driver.kernel();
    String deviceName = "\\Device\\" + name;
    Out<DeviceObject> device = new Out<>();
    NtStatus status = k.ioCreateDevice(driver, null, deviceName, FILE_DEVICE_UNKNOWN,
        FILE_DEVICE_SECURE_OPEN, false, device);
    if (!status.isSuccess()) {
      return status;
    }
    status = k.ioCreateSymbolicLink(dosName(), deviceName);
    if (!status.isSuccess()) {
      k.ioDeleteDevice(device.get());
      return status;
    }
    block = allocateBlock();
    if (block == null || flaw == Flaw.FAILS_DRIVER_ENTRY) {
      if (block != null) {
        k.exFreePoolWithTag(block, TAG);
      }
      k.ioDeleteSymbolicLink(dosName());
      k.ioDeleteDevice(device.get());
      return block == null ? NtStatus.INSUFFICIENT_RESOURCES : NtStatus.UNSUCCESSFUL;
    }
    return NtStatus.SUCCESS;
  }

  /** Allocates the driver's block: a leak of it names this method in its creation stack. */
  private PoolMemory allocateBlock() {
    return k.exAllocatePool2(POOL_FLAG_NON_PAGED, 64, TAG);
  }

  private String dosName() {
    return "\\DosDevices\\" + name;
  }

  NtStatus createClose(DeviceObject device, Irp irp) {
    irp.ioStatus().setStatus(NtStatus.SUCCESS);
    irp.ioStatus().setInformation(0);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return NtStatus.SUCCESS;
  }

  NtStatus deviceControl(DeviceObject device, Irp irp) {
    IoStackLocation location = k.ioGetCurrentIrpStackLocation(irp);
    NtStatus status = NtStatus.INVALID_DEVICE_REQUEST;
    long information = 0;
    if (location.ioControlCode() == IOCTL_ECHO) {
      if (flaw == Flaw.THROWS_IN_IOCTL) {
        throw new IllegalStateException(name + " cannot echo");
      }
      // METHOD_BUFFERED: input and output share the system buffer, so the input is echoed in place.
      information = Math.min(location.inputBufferLength(), location.outputBufferLength());
      status = NtStatus.SUCCESS;
    }
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(information);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
  }

  void unload(DriverObject driver) {
    if (flaw != Flaw.LEAKS_POOL) {
      k.exFreePoolWithTag(block, TAG);
    }
    block = null;
    k.ioDeleteSymbolicLink(dosName());
    k.ioDeleteDevice(driver.deviceObject());
  }
}

package io.jwdm.examples.sioctl;

import static io.jwdm.kernel.Wdm.*;

import io.jwdm.annotation.Dispatch;
import io.jwdm.annotation.DriverEntry;
import io.jwdm.annotation.LegacyDriver;
import io.jwdm.annotation.Unload;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.IoStackLocation;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A legacy (NT-style) driver modelled on the WDK's {@code sioctl} sample
 * ({@code general/ioctl/wdm/sys/sioctl.c}), which shows how a driver receives the caller's buffers
 * for each of the four IOCTL transfer methods.
 *
 * <p>What it shows:
 *
 * <ul>
 *   <li>DriverEntry creating a named device object ({@value #NT_DEVICE_NAME}) and a symbolic link
 *       ({@value #DOS_DEVICE_NAME}) that user mode opens as {@code \\.\IoctlTest}, and deleting the
 *       device again when the link cannot be created, since Unload is not called after a failed
 *       DriverEntry;
 *   <li>CREATE and CLOSE completed with success, as a device with no per-open state does;
 *   <li>DEVICE_CONTROL reading the caller's input and writing {@link #DATA} back through the buffer
 *       each method provides: the system buffer ({@code METHOD_BUFFERED}), an MDL
 *       ({@code METHOD_IN_DIRECT} and {@code METHOD_OUT_DIRECT}), or the caller's own buffers
 *       ({@code METHOD_NEITHER}), and failing an unknown code with
 *       {@code STATUS_INVALID_DEVICE_REQUEST};
 *   <li>Unload undoing DriverEntry: the symbolic link first, then the device object.
 * </ul>
 *
 * <p>As in the sample, {@code METHOD_IN_DIRECT} only reads: its MDL describes a buffer the caller
 * sends to the device, so the driver prints it and reports its length, {@code
 * MmGetMdlByteCount}, as the bytes transferred. The sample's {@code DriverEntry} stores the
 * dispatch routines in {@code DriverObject->MajorFunction}; here the {@code @Dispatch} annotations
 * say the same and the generated glue stores them before {@link #driverEntry} runs.
 */
@LegacyDriver(name = "Sioctl")
public class Sioctl {

  /** {@code SIOCTL_TYPE}: the device type of the sample's control codes (a vendor's, > 32767). */
  public static final int SIOCTL_TYPE = 40000;

  /** {@code IOCTL_SIOCTL_METHOD_IN_DIRECT}. */
  public static final int IOCTL_SIOCTL_METHOD_IN_DIRECT =
      CTL_CODE(SIOCTL_TYPE, 0x900, METHOD_IN_DIRECT, FILE_ANY_ACCESS);

  /** {@code IOCTL_SIOCTL_METHOD_OUT_DIRECT}. */
  public static final int IOCTL_SIOCTL_METHOD_OUT_DIRECT =
      CTL_CODE(SIOCTL_TYPE, 0x901, METHOD_OUT_DIRECT, FILE_ANY_ACCESS);

  /** {@code IOCTL_SIOCTL_METHOD_BUFFERED}. */
  public static final int IOCTL_SIOCTL_METHOD_BUFFERED =
      CTL_CODE(SIOCTL_TYPE, 0x902, METHOD_BUFFERED, FILE_ANY_ACCESS);

  /** {@code IOCTL_SIOCTL_METHOD_NEITHER}. */
  public static final int IOCTL_SIOCTL_METHOD_NEITHER =
      CTL_CODE(SIOCTL_TYPE, 0x903, METHOD_NEITHER, FILE_ANY_ACCESS);

  /** {@code NT_DEVICE_NAME}: the device object's name. */
  public static final String NT_DEVICE_NAME = "\\Device\\SIOCTL";

  /** {@code DOS_DEVICE_NAME}: the symbolic link user mode opens as {@code \\.\IoctlTest}. */
  public static final String DOS_DEVICE_NAME = "\\DosDevices\\IoctlTest";

  /**
   * The reply the driver writes into every output buffer, with its terminating NUL: the sample's
   * {@code data}, of length {@code strlen(data) + 1}.
   */
  public static final String REPLY = "This String is from Device Driver !!!";

  private static final byte[] DATA = (REPLY + "\0").getBytes(StandardCharsets.US_ASCII);

  /** The kernel's services, kept from the driver object DriverEntry receives. */
  private KernelServices k;

  /**
   * {@code DriverEntry}: creates the device object and its symbolic link.
   *
   * @return the status of IoCreateDevice or IoCreateSymbolicLink; on failure nothing is left
   *     behind
   */
  @DriverEntry
  NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    k = driverObject.kernel();

    Out<DeviceObject> deviceObject = new Out<>();
    NtStatus ntStatus = k.ioCreateDevice(
        driverObject,               // Our driver object
        null,                       // We don't use a device extension
        NT_DEVICE_NAME,             // Device name "\Device\SIOCTL"
        FILE_DEVICE_UNKNOWN,        // Device type
        FILE_DEVICE_SECURE_OPEN,    // Device characteristics
        false,                      // Not an exclusive device
        deviceObject);              // Returned ptr to device object
    if (!ntStatus.isSuccess()) {
      k.dbgPrint("SIOCTL.SYS: Couldn't create the device object");
      return ntStatus;
    }

    // The dispatch routines (CREATE, CLOSE, DEVICE_CONTROL) and Unload are in the driver object
    // already: the glue stored them from the annotations below.

    ntStatus = k.ioCreateSymbolicLink(DOS_DEVICE_NAME, NT_DEVICE_NAME);
    if (!ntStatus.isSuccess()) {
      // Delete everything that this routine has allocated.
      k.dbgPrint("SIOCTL.SYS: Couldn't create symbolic link");
      k.ioDeleteDevice(deviceObject.get());
    }
    return ntStatus;
  }

  /**
   * {@code SioctlCreateClose}: called when a handle to the device is opened or closed. There is
   * nothing to set up or tear down, so the request succeeds.
   */
  @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE})
  NtStatus sioctlCreateClose(DeviceObject deviceObject, Irp irp) {
    irp.ioStatus().setStatus(NtStatus.SUCCESS);
    irp.ioStatus().setInformation(0);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return NtStatus.SUCCESS;
  }

  /**
   * {@code SioctlUnloadDriver}: deletes the symbolic link and the device object DriverEntry
   * created.
   */
  @Unload
  void sioctlUnloadDriver(DriverObject driverObject) {
    DeviceObject deviceObject = driverObject.deviceObject();

    // Delete the link from our device name to a name in the Win32 namespace.
    k.ioDeleteSymbolicLink(DOS_DEVICE_NAME);

    if (deviceObject != null) {
      k.ioDeleteDevice(deviceObject);
    }
  }

  /**
   * {@code SioctlDeviceControl}: handles the four sample IOCTLs. Each prints the caller's input and
   * (except {@code METHOD_IN_DIRECT}) copies {@link #DATA} into the output, as much as fits.
   */
  @Dispatch(MajorFunction.DEVICE_CONTROL)
  NtStatus sioctlDeviceControl(DeviceObject deviceObject, Irp irp) {
    NtStatus ntStatus = NtStatus.SUCCESS;
    IoStackLocation irpSp = k.ioGetCurrentIrpStackLocation(irp);
    int inBufLength = irpSp.inputBufferLength();
    int outBufLength = irpSp.outputBufferLength();
    ByteBuffer inBuf;
    ByteBuffer outBuf;
    ByteBuffer buffer;
    int datalen = DATA.length;

    if (inBufLength == 0 || outBufLength == 0) {
      ntStatus = NtStatus.INVALID_PARAMETER;
      return end(irp, ntStatus);
    }

    // Determine which I/O control code was specified.
    int ioControlCode = irpSp.ioControlCode();
    if (ioControlCode == IOCTL_SIOCTL_METHOD_BUFFERED) {
      // In this method the I/O manager allocates a buffer large enough to hold the larger of the
      // input and output lengths, copies the caller's input into it, and copies
      // IoStatus.Information bytes of it back to the caller's output at completion.
      k.dbgPrint("Called IOCTL_SIOCTL_METHOD_BUFFERED");
      inBuf = irp.systemBuffer();
      outBuf = irp.systemBuffer();

      k.dbgPrint("\tData from User : " + printChars(inBuf, inBufLength));
      // Write to the buffer over-writes the input buffer content.
      outBuf.put(0, DATA, 0, Math.min(outBufLength, datalen));
      k.dbgPrint("\tData to User : " + printChars(outBuf, Math.min(outBufLength, datalen)));

      // Assign the length of the data copied to IoStatus.Information of the IRP.
      irp.ioStatus().setInformation(Math.min(outBufLength, datalen));

    } else if (ioControlCode == IOCTL_SIOCTL_METHOD_NEITHER) {
      // In this method the I/O manager passes the caller's buffers as they are: the input in
      // Parameters.DeviceIoControl.Type3InputBuffer and the output in Irp->UserBuffer. The
      // sample probes them inside a try block; jwdm hands over buffers that are always mapped.
      k.dbgPrint("Called IOCTL_SIOCTL_METHOD_NEITHER");
      inBuf = irpSp.type3InputBuffer();
      outBuf = irp.userBuffer();
      if (inBuf == null || outBuf == null) {
        ntStatus = NtStatus.INVALID_PARAMETER;
        return end(irp, ntStatus);
      }

      k.dbgPrint("\tData from User : " + printChars(inBuf, inBufLength));
      outBuf.put(0, DATA, 0, Math.min(outBufLength, datalen));
      k.dbgPrint("\tData to User : " + printChars(outBuf, Math.min(outBufLength, datalen)));

      irp.ioStatus().setInformation(Math.min(outBufLength, datalen));

    } else if (ioControlCode == IOCTL_SIOCTL_METHOD_IN_DIRECT) {
      // The input is in the system buffer; the second buffer, described by the MDL, holds data
      // the caller sends to the device: the driver reads it.
      k.dbgPrint("Called IOCTL_SIOCTL_METHOD_IN_DIRECT");
      inBuf = irp.systemBuffer();
      k.dbgPrint("\tData from User in InputBuffer: " + printChars(inBuf, inBufLength));

      buffer = k.mmGetSystemAddressForMdlSafe(irp.mdlAddress(), NORMAL_PAGE_PRIORITY);
      if (buffer == null) {
        ntStatus = NtStatus.INSUFFICIENT_RESOURCES;
        return end(irp, ntStatus);
      }
      k.dbgPrint("\tData from User in OutputBuffer: " + printChars(buffer, outBufLength));

      // Tell the caller how much of its buffer the device consumed.
      irp.ioStatus().setInformation(irp.mdlAddress().byteCount());

    } else if (ioControlCode == IOCTL_SIOCTL_METHOD_OUT_DIRECT) {
      // The input is in the system buffer; the output buffer is described by the MDL, locked
      // down for the driver to write.
      k.dbgPrint("Called IOCTL_SIOCTL_METHOD_OUT_DIRECT");
      inBuf = irp.systemBuffer();
      k.dbgPrint("\tData from User : " + printChars(inBuf, inBufLength));

      buffer = k.mmGetSystemAddressForMdlSafe(irp.mdlAddress(), NORMAL_PAGE_PRIORITY);
      if (buffer == null) {
        ntStatus = NtStatus.INSUFFICIENT_RESOURCES;
        return end(irp, ntStatus);
      }
      buffer.put(0, DATA, 0, Math.min(outBufLength, datalen));
      k.dbgPrint("\tData to User : " + printChars(buffer, Math.min(outBufLength, datalen)));

      irp.ioStatus().setInformation(Math.min(outBufLength, datalen));

    } else {
      // The specified I/O control code is unrecognized by this driver.
      ntStatus = NtStatus.INVALID_DEVICE_REQUEST;
      k.dbgPrint(String.format("ERROR: unrecognized IOCTL %x", ioControlCode));
    }

    return end(irp, ntStatus);
  }

  /** The sample's {@code End:} label: finish the request with {@code ntStatus}. */
  private NtStatus end(Irp irp, NtStatus ntStatus) {
    irp.ioStatus().setStatus(ntStatus);
    if (!ntStatus.isSuccess()) {
      irp.ioStatus().setInformation(0);
    }
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return ntStatus;
  }

  /**
   * {@code PrintChars}: the first {@code countChars} bytes of {@code bufferAddress} as text, with
   * a dot for each unprintable byte.
   */
  private static String printChars(ByteBuffer bufferAddress, int countChars) {
    StringBuilder chars = new StringBuilder(countChars);
    int count = Math.min(countChars, bufferAddress.capacity());
    for (int i = 0; i < count; i++) {
      int c = bufferAddress.get(i) & 0xFF;
      chars.append(c > 31 && c < 127 ? (char) c : '.');
    }
    return chars.toString();
  }
}

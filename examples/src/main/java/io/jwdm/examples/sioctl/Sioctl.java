package io.jwdm.examples.sioctl;

import static io.jwdm.kernel.Wdm.*;

import io.jwdm.annotation.Dispatch;
import io.jwdm.annotation.DriverEntry;
import io.jwdm.annotation.LegacyDriver;
import io.jwdm.annotation.Unload;
import io.jwdm.kernel.CreateProcessNotifyRoutine;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.IoStackLocation;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.KSpinLock;
import io.jwdm.kernel.KTimer;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.PsCreateNotifyInfo;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A legacy (NT-style) driver modelled on the WDK's {@code sioctl} sample
 * ({@code general/ioctl/wdm/sys/sioctl.c}), which shows how a driver receives the caller's buffers
 * for each of the four IOCTL transfer methods, grown with the driver-wide kernel services a legacy
 * driver acquires in DriverEntry and must release in Unload.
 *
 * <p>What it shows:
 *
 * <ul>
 *   <li>DriverEntry creating a named device object ({@value #NT_DEVICE_NAME}) and a symbolic link
 *       ({@value #DOS_DEVICE_NAME}) that user mode opens as {@code \\.\IoctlTest};
 *   <li><b>pool</b>: DriverEntry allocates the driver-wide {@code SIOCTL_COUNTERS} from nonpaged
 *       pool with ExAllocatePool2 and the tag {@value #SIOCTL_TAG} (nonpaged, because the timer's
 *       DPC writes it at DISPATCH_LEVEL), and Unload frees it with ExFreePoolWithTag;
 *       {@link #IOCTL_SIOCTL_REVERSE} allocates a scratch buffer from paged pool per request, with
 *       the tag {@value #SIOCTL_REQUEST_TAG}, uses it and frees it before completing the request;
 *   <li><b>a spin lock</b> ({@code KSPIN_LOCK}) guarding the counters, taken by the DPC at
 *       DISPATCH_LEVEL, by the process notify routine and by the IOCTL that reads them;
 *   <li><b>a periodic kernel timer and its DPC</b>: KeSetTimerEx fires every
 *       {@value #SIOCTL_TIMER_PERIOD_MS} ms of kernel time and queues {@link #sioctlTimerDpc},
 *       which counts the ticks; {@link #IOCTL_SIOCTL_GET_COUNTERS} returns the count;
 *   <li><b>a callback</b>: a process notify routine registered with
 *       PsSetCreateProcessNotifyRoutineEx counts the processes created and exited, and Unload
 *       removes it before anything it touches is freed;
 *   <li>CREATE and CLOSE completed with success, as a device with no per-open state does;
 *   <li>DEVICE_CONTROL reading the caller's input and writing {@link #DATA} back through the buffer
 *       each method provides: the system buffer ({@code METHOD_BUFFERED}), an MDL
 *       ({@code METHOD_IN_DIRECT} and {@code METHOD_OUT_DIRECT}), or the caller's own buffers
 *       ({@code METHOD_NEITHER}), and failing an unknown code with
 *       {@code STATUS_INVALID_DEVICE_REQUEST};
 *   <li>DriverEntry's failure paths: Unload is not called after a failed DriverEntry, so each
 *       failure releases, in reverse order, everything acquired before it; a failed allocation
 *       makes DriverEntry return {@code STATUS_INSUFFICIENT_RESOURCES} with nothing left behind;
 *   <li>Unload undoing DriverEntry in the order the WDK gives for a legacy driver: first quiesce
 *       what could still run (remove the process notify routine; KeCancelTimer, KeRemoveQueueDpc,
 *       then KeFlushQueuedDpcs for a DPC already running), then delete the symbolic link, free the
 *       pool, and delete the device object.
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

  /**
   * {@code IOCTL_SIOCTL_GET_COUNTERS}: returns the driver's {@code SIOCTL_COUNTERS}, {@value
   * #SIOCTL_COUNTERS_SIZE} bytes, three little-endian ULONGs: {@code TimerTicks}, how many times
   * the periodic timer's DPC ran since DriverEntry; {@code ProcessesCreated} and {@code
   * ProcessesExited}, counted by the process notify routine. It needs no input buffer.
   */
  public static final int IOCTL_SIOCTL_GET_COUNTERS =
      CTL_CODE(SIOCTL_TYPE, 0x904, METHOD_BUFFERED, FILE_ANY_ACCESS);

  /**
   * {@code IOCTL_SIOCTL_REVERSE}: returns the caller's input reversed, as much of it as fits in the
   * output buffer. The input and output share the system buffer, so the driver copies the input
   * aside into a per-request pool buffer first; when that allocation fails, the request fails
   * with {@code STATUS_INSUFFICIENT_RESOURCES}.
   */
  public static final int IOCTL_SIOCTL_REVERSE =
      CTL_CODE(SIOCTL_TYPE, 0x905, METHOD_BUFFERED, FILE_ANY_ACCESS);

  /** {@code sizeof(SIOCTL_COUNTERS)}. */
  public static final int SIOCTL_COUNTERS_SIZE = 12;

  /** The offset of {@code SIOCTL_COUNTERS.TimerTicks}. */
  private static final int COUNTERS_TIMER_TICKS = 0;

  /** The offset of {@code SIOCTL_COUNTERS.ProcessesCreated}. */
  private static final int COUNTERS_PROCESSES_CREATED = 4;

  /** The offset of {@code SIOCTL_COUNTERS.ProcessesExited}. */
  private static final int COUNTERS_PROCESSES_EXITED = 8;

  /** The pool tag of the driver-wide allocation made in DriverEntry. */
  public static final String SIOCTL_TAG = "Sioc";

  /** The pool tag of the per-request buffers of {@link #IOCTL_SIOCTL_REVERSE}. */
  public static final String SIOCTL_REQUEST_TAG = "SioR";

  /** The period of the driver's timer, in milliseconds of kernel time. */
  public static final int SIOCTL_TIMER_PERIOD_MS = 100;

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
   * {@code SIOCTL_COUNTERS}: the driver-wide counters, in nonpaged pool ({@value #SIOCTL_TAG}),
   * guarded by {@link #countersLock}.
   */
  private PoolMemory counters;

  /** The spin lock that guards {@link #counters}. */
  private KSpinLock countersLock;

  /** The periodic timer, and the DPC it queues each time it expires. */
  private KTimer timer;

  private KDpc timerDpc;

  /**
   * The process notify routine, kept as the one object registered: removing it takes the same
   * object, as a C driver passes the same function pointer.
   */
  private final CreateProcessNotifyRoutine processNotifyRoutine =
      this::sioctlCreateProcessNotifyRoutine;

  /**
   * {@code DriverEntry}: creates the device object and its symbolic link, allocates the counters,
   * registers the process notify routine, and starts the periodic timer.
   *
   * @return SUCCESS; the status of IoCreateDevice, IoCreateSymbolicLink or
   *     PsSetCreateProcessNotifyRoutineEx; INSUFFICIENT_RESOURCES when the counters cannot be
   *     allocated. On failure nothing is left behind
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
      return ntStatus;
    }

    // The counters live in nonpaged pool: the timer's DPC updates them at DISPATCH_LEVEL, where
    // paged pool must not be touched. ExAllocatePool2 zeroes the block.
    counters = k.exAllocatePool2(POOL_FLAG_NON_PAGED, SIOCTL_COUNTERS_SIZE, SIOCTL_TAG);
    if (counters == null) {
      k.dbgPrint("SIOCTL.SYS: Couldn't allocate the counters");
      k.ioDeleteSymbolicLink(DOS_DEVICE_NAME);
      k.ioDeleteDevice(deviceObject.get());
      return NtStatus.INSUFFICIENT_RESOURCES;
    }
    countersLock = k.keInitializeSpinLock();

    // Count process creations and exits from now on.
    ntStatus = k.psSetCreateProcessNotifyRoutineEx(processNotifyRoutine, false);
    if (!ntStatus.isSuccess()) {
      k.dbgPrint("SIOCTL.SYS: Couldn't register the process notify routine");
      k.exFreePoolWithTag(counters, SIOCTL_TAG);
      counters = null;
      k.ioDeleteSymbolicLink(DOS_DEVICE_NAME);
      k.ioDeleteDevice(deviceObject.get());
      return ntStatus;
    }

    // Start the periodic timer last: nothing after it can fail, so no failure path has to cancel
    // it. Its first expiry is one period from now.
    timer = k.keInitializeTimer();
    timerDpc = k.keInitializeDpc(this::sioctlTimerDpc, null);
    k.keSetTimerEx(timer, RELATIVE_MILLISECONDS(SIOCTL_TIMER_PERIOD_MS), SIOCTL_TIMER_PERIOD_MS,
        timerDpc);

    return NtStatus.SUCCESS;
  }

  /**
   * The timer's DPC routine ({@code KDEFERRED_ROUTINE}), run at DISPATCH_LEVEL each time the
   * timer expires: counts the tick in the nonpaged counters, under their spin lock.
   */
  private void sioctlTimerDpc(KDpc dpc, Object deferredContext, Object systemArgument1,
      Object systemArgument2) {
    Irql oldIrql = k.keAcquireSpinLock(countersLock);
    counters.putInt(COUNTERS_TIMER_TICKS, counters.getInt(COUNTERS_TIMER_TICKS) + 1);
    k.keReleaseSpinLock(countersLock, oldIrql);
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
   * The process notify routine ({@code PCREATE_PROCESS_NOTIFY_ROUTINE_EX}), at PASSIVE_LEVEL:
   * counts a creation ({@code createInfo} is given) or an exit (it is null). It never blocks a
   * creation: it leaves {@code CreationStatus} alone.
   */
  private void sioctlCreateProcessNotifyRoutine(long processId, PsCreateNotifyInfo createInfo) {
    int counter = createInfo != null ? COUNTERS_PROCESSES_CREATED : COUNTERS_PROCESSES_EXITED;
    Irql oldIrql = k.keAcquireSpinLock(countersLock);
    counters.putInt(counter, counters.getInt(counter) + 1);
    k.keReleaseSpinLock(countersLock, oldIrql);
    k.dbgPrint("SIOCTL.SYS: process " + processId + (createInfo != null
        ? " created: " + createInfo.imageFileName() : " exited"));
  }

  /**
   * {@code SioctlUnloadDriver}: undoes DriverEntry. First nothing of the driver may still run:
   * the process notify routine is removed, the timer is cancelled, a DPC it queued is taken out
   * of the DPC queue, and KeFlushQueuedDpcs waits for one already running. Then the symbolic
   * link, the pool and the device object go.
   */
  @Unload
  void sioctlUnloadDriver(DriverObject driverObject) {
    DeviceObject deviceObject = driverObject.deviceObject();

    // No more process notifications: the routine writes the counters freed below.
    k.psSetCreateProcessNotifyRoutineEx(processNotifyRoutine, true);

    // Stop the timer, then make sure its DPC is neither queued nor running.
    k.keCancelTimer(timer);
    k.keRemoveQueueDpc(timerDpc);
    k.keFlushQueuedDpcs();

    // Delete the link from our device name to a name in the Win32 namespace.
    k.ioDeleteSymbolicLink(DOS_DEVICE_NAME);

    k.exFreePoolWithTag(counters, SIOCTL_TAG);
    counters = null;

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

    // Determine which I/O control code was specified. The two codes this driver adds come first:
    // the counters need no input buffer.
    int ioControlCode = irpSp.ioControlCode();
    if (ioControlCode == IOCTL_SIOCTL_GET_COUNTERS) {
      k.dbgPrint("Called IOCTL_SIOCTL_GET_COUNTERS");
      return end(irp, sioctlGetCounters(irp, outBufLength));
    }

    if (inBufLength == 0 || outBufLength == 0) {
      ntStatus = NtStatus.INVALID_PARAMETER;
      return end(irp, ntStatus);
    }

    if (ioControlCode == IOCTL_SIOCTL_REVERSE) {
      k.dbgPrint("Called IOCTL_SIOCTL_REVERSE");
      return end(irp, sioctlReverse(irp, inBufLength, outBufLength));
    }

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

  /**
   * {@link #IOCTL_SIOCTL_GET_COUNTERS}: copies {@code SIOCTL_COUNTERS} out of the pool, under the
   * spin lock the timer's DPC takes.
   */
  private NtStatus sioctlGetCounters(Irp irp, int outBufLength) {
    if (outBufLength < SIOCTL_COUNTERS_SIZE) {
      return NtStatus.BUFFER_TOO_SMALL;
    }
    byte[] snapshot = new byte[SIOCTL_COUNTERS_SIZE];
    Irql oldIrql = k.keAcquireSpinLock(countersLock);
    counters.get(0, snapshot, 0, SIOCTL_COUNTERS_SIZE);
    int timerTicks = counters.getInt(COUNTERS_TIMER_TICKS);
    int created = counters.getInt(COUNTERS_PROCESSES_CREATED);
    int exited = counters.getInt(COUNTERS_PROCESSES_EXITED);
    k.keReleaseSpinLock(countersLock, oldIrql);

    irp.systemBuffer().put(0, snapshot, 0, SIOCTL_COUNTERS_SIZE);
    irp.ioStatus().setInformation(SIOCTL_COUNTERS_SIZE);
    k.dbgPrint("\tTimer ticks : " + timerTicks);
    k.dbgPrint("\tProcesses : " + created + " created, " + exited + " exited");
    return NtStatus.SUCCESS;
  }

  /**
   * {@link #IOCTL_SIOCTL_REVERSE}: pool used per request. The input is copied aside into a paged
   * pool buffer (the dispatch routine runs at PASSIVE_LEVEL), then written back reversed into the
   * system buffer, and the buffer is freed before the request completes, on every path.
   */
  private NtStatus sioctlReverse(Irp irp, int inBufLength, int outBufLength) {
    ByteBuffer systemBuffer = irp.systemBuffer();
    PoolMemory scratch = k.exAllocatePool2(POOL_FLAG_PAGED, inBufLength, SIOCTL_REQUEST_TAG);
    if (scratch == null) {
      k.dbgPrint("\tCouldn't allocate " + inBufLength + " bytes to reverse");
      return NtStatus.INSUFFICIENT_RESOURCES;
    }

    byte[] input = new byte[inBufLength];
    systemBuffer.get(0, input, 0, inBufLength);
    scratch.put(0, input, 0, inBufLength);
    k.dbgPrint("\tData from User : " + printChars(systemBuffer, inBufLength));

    // The system buffer is input and output at once: write the reversed copy over it.
    int count = Math.min(inBufLength, outBufLength);
    for (int i = 0; i < count; i++) {
      systemBuffer.put(i, scratch.get(inBufLength - 1 - i));
    }
    k.exFreePoolWithTag(scratch, SIOCTL_REQUEST_TAG);

    k.dbgPrint("\tData to User : " + printChars(systemBuffer, count));
    irp.ioStatus().setInformation(count);
    return NtStatus.SUCCESS;
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

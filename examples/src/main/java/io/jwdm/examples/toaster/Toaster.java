package io.jwdm.examples.toaster;

import static io.jwdm.kernel.Wdm.*;

import io.jwdm.annotation.AddDevice;
import io.jwdm.annotation.Dispatch;
import io.jwdm.annotation.DriverEntry;
import io.jwdm.annotation.Unload;
import io.jwdm.annotation.WdmDriver;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.FileObject;
import io.jwdm.kernel.IoRemoveLock;
import io.jwdm.kernel.IoStackLocation;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A WDM function driver for a simulated toaster, modelled on the WDK's toaster function driver
 * ({@code general/toaster/wdm/func/featured/toaster.c} and its {@code incomplete} steps).
 *
 * <p>What it shows:
 *
 * <ul>
 *   <li>AddDevice creating the FDO with its {@link FdoData} extension and a remove lock, attaching
 *       it above the PDO, and exposing it to user mode as {@code \\.\Toaster<n>} (the sample
 *       registers a device interface; jwdm has none, so the FDO is named {@code \Device\Toaster<n>}
 *       and a symbolic link {@code \DosDevices\Toaster<n>} points to it);
 *   <li>a remove lock taken by every dispatch routine for the time it works on an IRP, and
 *       IoReleaseRemoveLockAndWait at REMOVE_DEVICE before detaching and deleting the FDO;
 *   <li>the sample's PnP state machine ({@code SET_NEW_PNP_STATE},
 *       {@code RESTORE_PREVIOUS_PNP_STATE}) and its queue states: requests are held while the
 *       device is not started or a removal is pending, processed when it starts or the removal is
 *       cancelled, and failed after a surprise removal or at REMOVE_DEVICE;
 *   <li>START_DEVICE forwarded synchronously and finished on the way up; SURPRISE_REMOVAL and
 *       REMOVE_DEVICE passed down with IoSkipCurrentIrpStackLocation after the driver's own work;
 *   <li>cancel-safe queued I/O: a READ waits, pending and cancelable, until a WRITE puts toast in
 *       the toaster; a READ when there is toast completes at once. CLEANUP cancels the pending
 *       reads of the handle being closed;
 *   <li>a small buffered IOCTL that returns a structure ({@link #IOCTL_TOASTER_GET_STATISTICS}),
 *       and the sample's {@link #IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE}.
 * </ul>
 *
 * <p>The sample counts outstanding I/O itself (ToasterIoIncrement and ToasterIoDecrement); this
 * driver uses IO_REMOVE_LOCK, as the WDK recommends. jwdm's PnP manager sends no stop IRPs, so the
 * sample's stop states are left out: QUERY_STOP, STOP and CANCEL_STOP are passed down. Power IRPs
 * are passed down: the simulated toaster has no power states.
 */
@WdmDriver(name = "Toaster", hardwareIds = "ROOT\\TOASTER")
public class Toaster {

  /** {@code IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE}: hides the device in Device Manager. */
  public static final int IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE =
      CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_READ_ACCESS);

  /**
   * {@code IOCTL_TOASTER_GET_STATISTICS}: returns a {@code TOASTER_STATISTICS} of
   * {@value #TOASTER_STATISTICS_SIZE} bytes: four little-endian ULONGs, ToastsMade (writes),
   * ToastsServed (reads completed with toast), BytesInToaster and DontDisplayInUI.
   */
  public static final int IOCTL_TOASTER_GET_STATISTICS =
      CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_READ_ACCESS);

  /** {@code sizeof(TOASTER_STATISTICS)}. */
  public static final int TOASTER_STATISTICS_SIZE = 16;

  /** How many bytes of toast the toaster holds; a write beyond that is cut short. */
  public static final int TOASTER_CAPACITY = 64;

  /** The prefix of the FDO's name; the instance number follows. */
  public static final String NT_DEVICE_NAME_PREFIX = "\\Device\\Toaster";

  /** The prefix of the symbolic link user mode opens as {@code \\.\Toaster<n>}. */
  public static final String DOS_DEVICE_NAME_PREFIX = "\\DosDevices\\Toaster";

  /** The pool tag of the remove lock. */
  private static final String TOASTER_POOL_TAG = "Toas";

  /** {@code DEVICE_PNP_STATE}: where a device is in its PnP life. */
  enum DevicePnpState {
    NOT_STARTED,
    STARTED,
    STOP_PENDING,
    STOPPED,
    REMOVE_PENDING,
    SURPRISE_REMOVE_PENDING,
    DELETED
  }

  /** {@code QUEUE_STATE}: what the driver does with a new request. */
  enum QueueState {
    /** Queue it, to be processed when the device starts or a removal is cancelled. */
    HOLD_REQUESTS,
    /** Process it. */
    ALLOW_REQUESTS,
    /** Fail it: the device is gone. */
    FAIL_REQUESTS
  }

  /** {@code FDO_DATA}: the FDO's device extension. */
  static final class FdoData {
    /** The FDO this extension belongs to. */
    DeviceObject self;
    /** The PDO the bus driver created. */
    DeviceObject underlyingPdo;
    /** The device IRPs are passed down to: what IoAttachDeviceToDeviceStack returned. */
    DeviceObject nextLowerDriver;
    volatile DevicePnpState devicePnpState = DevicePnpState.NOT_STARTED;
    volatile DevicePnpState previousPnpState = DevicePnpState.NOT_STARTED;
    volatile QueueState queueState = QueueState.HOLD_REQUESTS;
    IoRemoveLock removeLock;
    /** The FDO's name and its symbolic link; the link is null once deleted. */
    String deviceName;
    String symbolicLinkName;
    volatile boolean dontDisplayInUi;

    /** {@code QueueLock}: guards everything below, as the sample's spin lock. */
    final Object queueLock = new Object();
    /** {@code NewRequestsQueue}: requests held while the queue state is HOLD_REQUESTS. */
    final ArrayDeque<Irp> newRequestsQueue = new ArrayDeque<>();
    /** Reads waiting for toast. */
    final ArrayDeque<Irp> pendingReadQueue = new ArrayDeque<>();
    /** The toast: {@code toastLength} bytes at the start of {@code toast}. */
    final byte[] toast = new byte[TOASTER_CAPACITY];
    int toastLength;
    int toastsMade;
    int toastsServed;

    /** {@code SET_NEW_PNP_STATE}. */
    void setNewPnpState(DevicePnpState state) {
      previousPnpState = devicePnpState;
      devicePnpState = state;
    }

    /** {@code RESTORE_PREVIOUS_PNP_STATE}. */
    void restorePreviousPnpState() {
      devicePnpState = previousPnpState;
    }
  }

  /** The kernel's services, kept from the driver object DriverEntry receives. */
  private KernelServices k;

  /** {@code Globals.RegistryPath}: the driver's copy of its service key. */
  private String registryPath;

  /** The instance number of the next FDO: {@code \Device\Toaster0}, {@code 1}, ... */
  private int nextInstance;

  /**
   * {@code DriverEntry}: keeps a copy of the registry path. The dispatch routines, AddDevice and
   * Unload are stored by the glue from the annotations.
   */
  @DriverEntry
  NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    k = driverObject.kernel();
    k.dbgPrint("Toaster function driver sample: DriverEntry");
    // The sample allocates a buffer and copies the UNICODE_STRING; a Java String is immutable,
    // so keeping it is the copy.
    this.registryPath = registryPath;
    return NtStatus.SUCCESS;
  }

  /**
   * {@code ToasterAddDevice}: creates and initializes the FDO, attaches it above the PDO and
   * creates the symbolic link to it.
   */
  @AddDevice
  NtStatus toasterAddDevice(DriverObject driverObject, DeviceObject physicalDeviceObject) {
    k.dbgPrint("AddDevice PDO (" + physicalDeviceObject.name() + ")");

    int instance = nextInstance++;
    String deviceName = NT_DEVICE_NAME_PREFIX + instance;
    String symbolicLinkName = DOS_DEVICE_NAME_PREFIX + instance;

    // Create a function device object.
    FdoData fdoData = new FdoData();
    Out<DeviceObject> deviceObject = new Out<>();
    NtStatus status = k.ioCreateDevice(driverObject,
        fdoData,
        deviceName,
        FILE_DEVICE_UNKNOWN,
        FILE_DEVICE_SECURE_OPEN,
        false,
        deviceObject);
    if (!status.isSuccess()) {
      return status;
    }

    // Initialize the device extension.
    fdoData.self = deviceObject.get();
    fdoData.underlyingPdo = physicalDeviceObject;
    fdoData.deviceName = deviceName;

    // Requests are held until the device starts (INITIALIZE_PNP_STATE).
    fdoData.devicePnpState = DevicePnpState.NOT_STARTED;
    fdoData.previousPnpState = DevicePnpState.NOT_STARTED;
    fdoData.queueState = QueueState.HOLD_REQUESTS;

    fdoData.removeLock = k.ioInitializeRemoveLock(TOASTER_POOL_TAG, 1, 100);

    // Attach our FDO to the device stack. The return value is the device object we pass IRPs
    // down to: the top of the stack before the attachment.
    fdoData.nextLowerDriver = k.ioAttachDeviceToDeviceStack(fdoData.self, physicalDeviceObject);
    if (fdoData.nextLowerDriver == null) {
      k.ioDeleteDevice(fdoData.self);
      return NtStatus.NO_SUCH_DEVICE;
    }

    fdoData.self.setFlags(fdoData.self.flags() | DO_BUFFERED_IO | DO_POWER_PAGABLE);

    // Tell user mode about the device: the sample registers a device interface here.
    status = k.ioCreateSymbolicLink(symbolicLinkName, deviceName);
    if (!status.isSuccess()) {
      k.dbgPrint("AddDevice: IoCreateSymbolicLink failed (" + status + ")");
      k.ioDetachDevice(fdoData.nextLowerDriver);
      k.ioDeleteDevice(fdoData.self);
      return status;
    }
    fdoData.symbolicLinkName = symbolicLinkName;

    // Clear the DO_DEVICE_INITIALIZING flag: the device is ready for IRPs.
    fdoData.self.setFlags(fdoData.self.flags() & ~DO_DEVICE_INITIALIZING);

    k.dbgPrint("AddDevice: " + deviceName + " to " + fdoData.nextLowerDriver.name());
    return NtStatus.SUCCESS;
  }

  /**
   * {@code ToasterUnload}: frees what DriverEntry allocated. The devices are gone already: each
   * was deleted at its REMOVE_DEVICE.
   */
  @Unload
  void toasterUnload(DriverObject driverObject) {
    k.dbgPrint("Unload: driver object " + driverObject.driverName() + ", device object "
        + driverObject.deviceObject());
    registryPath = null;
  }

  /**
   * {@code ToasterDispatchPnp}: the PnP state machine. Every PnP IRP is handled under the remove
   * lock; REMOVE_DEVICE releases it and waits for every other holder.
   */
  @Dispatch(MajorFunction.PNP)
  NtStatus toasterDispatchPnp(DeviceObject deviceObject, Irp irp) {
    FdoData fdoData = deviceObject.deviceExtension(FdoData.class);
    IoStackLocation stack = k.ioGetCurrentIrpStackLocation(irp);
    NtStatus status;

    status = k.ioAcquireRemoveLock(fdoData.removeLock, irp);
    if (!status.isSuccess()) {
      irp.ioStatus().setStatus(status);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return status;
    }

    switch (stack.minorFunction()) {
      case IRP_MN_START_DEVICE:
        // The bus driver and the lower filters start the device on the way down; the function
        // driver does its part on the way back up.
        if (k.ioForwardIrpSynchronously(fdoData.nextLowerDriver, irp)) {
          status = irp.ioStatus().status();
        } else {
          status = NtStatus.UNSUCCESSFUL;
        }
        if (status.isSuccess()) {
          status = toasterStartDevice(fdoData, irp);
        }
        // We must now complete the IRP, since we stopped it in the completion routine with
        // MORE_PROCESSING_REQUIRED.
        irp.ioStatus().setStatus(status);
        irp.ioStatus().setInformation(0);
        k.ioCompleteRequest(irp, IO_NO_INCREMENT);
        k.ioReleaseRemoveLock(fdoData.removeLock, irp);
        return status;

      case IRP_MN_QUERY_REMOVE_DEVICE:
        // The device will be removed unless a driver vetoes: hold new requests. The requests
        // already started are accounted for by the remove lock.
        fdoData.setNewPnpState(DevicePnpState.REMOVE_PENDING);
        fdoData.queueState = QueueState.HOLD_REQUESTS;
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        break;

      case IRP_MN_CANCEL_REMOVE_DEVICE:
        // Lower drivers handle the cancel first: forward it and finish on the way up.
        if (k.ioForwardIrpSynchronously(fdoData.nextLowerDriver, irp)) {
          status = irp.ioStatus().status();
        } else {
          status = NtStatus.UNSUCCESSFUL;
        }
        if (status.isSuccess()) {
          if (fdoData.devicePnpState == DevicePnpState.REMOVE_PENDING) {
            // We did receive a query-remove, so restore.
            fdoData.restorePreviousPnpState();
            fdoData.queueState = QueueState.ALLOW_REQUESTS;
            toasterProcessQueuedRequests(fdoData);
          }
        } else {
          // Nobody can fail this IRP: a lower driver has a bug.
          k.dbgPrint("CANCEL_REMOVE_DEVICE failed below the toaster: " + status);
        }
        irp.ioStatus().setStatus(status);
        k.ioCompleteRequest(irp, IO_NO_INCREMENT);
        k.ioReleaseRemoveLock(fdoData.removeLock, irp);
        return status;

      case IRP_MN_SURPRISE_REMOVAL:
        // The device is gone: fail every queued and new request, and stop advertising it. Do not
        // detach or delete the FDO: that waits for REMOVE_DEVICE.
        fdoData.setNewPnpState(DevicePnpState.SURPRISE_REMOVE_PENDING);
        fdoData.queueState = QueueState.FAIL_REQUESTS;
        toasterProcessQueuedRequests(fdoData);
        toasterCompleteQueued(fdoData, fdoData.pendingReadQueue, null, NtStatus.NO_SUCH_DEVICE);
        toasterDeleteSymbolicLink(fdoData);
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        break;

      case IRP_MN_REMOVE_DEVICE:
        // The PnP manager sends REMOVE_DEVICE once no handle is open. Fail whatever is still
        // queued, pass the IRP down, wait for the requests in progress, then detach and delete.
        fdoData.setNewPnpState(DevicePnpState.DELETED);
        fdoData.queueState = QueueState.FAIL_REQUESTS;
        toasterProcessQueuedRequests(fdoData);
        toasterCompleteQueued(fdoData, fdoData.pendingReadQueue, null, NtStatus.NO_SUCH_DEVICE);

        // After a surprise removal the link is gone already.
        if (fdoData.previousPnpState != DevicePnpState.SURPRISE_REMOVE_PENDING) {
          toasterDeleteSymbolicLink(fdoData);
        }

        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        k.ioSkipCurrentIrpStackLocation(irp);
        status = k.ioCallDriver(fdoData.nextLowerDriver, irp);

        // Wait for all outstanding requests to complete.
        k.dbgPrint("Waiting for outstanding requests");
        k.ioReleaseRemoveLockAndWait(fdoData.removeLock, irp);

        k.ioDetachDevice(fdoData.nextLowerDriver);
        k.ioDeleteDevice(fdoData.self);
        return status;

      default:
        // Pass down every other PnP IRP, with the status a lower driver set or left.
        break;
    }

    k.ioSkipCurrentIrpStackLocation(irp);
    status = k.ioCallDriver(fdoData.nextLowerDriver, irp);
    k.ioReleaseRemoveLock(fdoData.removeLock, irp);
    return status;
  }

  /** {@code ToasterStartDevice}: the lower drivers started the device; start serving I/O. */
  private NtStatus toasterStartDevice(FdoData fdoData, Irp irp) {
    // A real toaster would map its registers and connect its interrupt here, from the resources
    // in the IRP. The simulated one has none.
    fdoData.setNewPnpState(DevicePnpState.STARTED);
    fdoData.queueState = QueueState.ALLOW_REQUESTS;
    toasterProcessQueuedRequests(fdoData);
    return NtStatus.SUCCESS;
  }

  /** {@code ToasterDispatchPower}: the simulated toaster has no power states: pass it down. */
  @Dispatch(MajorFunction.POWER)
  NtStatus toasterDispatchPower(DeviceObject deviceObject, Irp irp) {
    FdoData fdoData = deviceObject.deviceExtension(FdoData.class);
    NtStatus status = k.ioAcquireRemoveLock(fdoData.removeLock, irp);
    if (!status.isSuccess()) {
      irp.ioStatus().setStatus(status);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return status;
    }
    k.ioSkipCurrentIrpStackLocation(irp);
    status = k.ioCallDriver(fdoData.nextLowerDriver, irp);
    k.ioReleaseRemoveLock(fdoData.removeLock, irp);
    return status;
  }

  /**
   * {@code ToasterSystemControl}: the toaster is not a WMI provider, so it passes the IRP down.
   */
  @Dispatch(MajorFunction.SYSTEM_CONTROL)
  NtStatus toasterSystemControl(DeviceObject deviceObject, Irp irp) {
    FdoData fdoData = deviceObject.deviceExtension(FdoData.class);
    NtStatus status = k.ioAcquireRemoveLock(fdoData.removeLock, irp);
    if (!status.isSuccess()) {
      irp.ioStatus().setStatus(status);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return status;
    }
    k.ioSkipCurrentIrpStackLocation(irp);
    status = k.ioCallDriver(fdoData.nextLowerDriver, irp);
    k.ioReleaseRemoveLock(fdoData.removeLock, irp);
    return status;
  }

  /** {@code ToasterCreate} and {@code ToasterClose}: nothing to set up per handle. */
  @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE})
  NtStatus toasterCreateClose(DeviceObject deviceObject, Irp irp) {
    FdoData fdoData = deviceObject.deviceExtension(FdoData.class);
    NtStatus status = k.ioAcquireRemoveLock(fdoData.removeLock, irp);
    if (!status.isSuccess()) {
      irp.ioStatus().setStatus(status);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return status;
    }
    irp.ioStatus().setStatus(NtStatus.SUCCESS);
    irp.ioStatus().setInformation(0);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    k.ioReleaseRemoveLock(fdoData.removeLock, irp);
    return NtStatus.SUCCESS;
  }

  /**
   * {@code ToasterCleanup}: the last handle of a file object is being closed: cancel the
   * requests of that file object the driver still holds.
   */
  @Dispatch(MajorFunction.CLEANUP)
  NtStatus toasterCleanup(DeviceObject deviceObject, Irp irp) {
    FdoData fdoData = deviceObject.deviceExtension(FdoData.class);
    NtStatus status = k.ioAcquireRemoveLock(fdoData.removeLock, irp);
    if (!status.isSuccess()) {
      irp.ioStatus().setStatus(status);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return status;
    }
    FileObject fileObject = k.ioGetCurrentIrpStackLocation(irp).fileObject();
    toasterCompleteQueued(fdoData, fdoData.newRequestsQueue, fileObject, NtStatus.CANCELLED);
    toasterCompleteQueued(fdoData, fdoData.pendingReadQueue, fileObject, NtStatus.CANCELLED);

    irp.ioStatus().setStatus(NtStatus.SUCCESS);
    irp.ioStatus().setInformation(0);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    k.ioReleaseRemoveLock(fdoData.removeLock, irp);
    return NtStatus.SUCCESS;
  }

  /**
   * {@code ToasterDispatchIO}: READ, WRITE and DEVICE_CONTROL. Held while the device is not
   * started or a removal is pending, failed once it is gone, processed otherwise.
   */
  @Dispatch({MajorFunction.READ, MajorFunction.WRITE, MajorFunction.DEVICE_CONTROL})
  NtStatus toasterDispatchIo(DeviceObject deviceObject, Irp irp) {
    FdoData fdoData = deviceObject.deviceExtension(FdoData.class);
    NtStatus status = k.ioAcquireRemoveLock(fdoData.removeLock, irp);
    if (!status.isSuccess()) {
      irp.ioStatus().setStatus(status);
      irp.ioStatus().setInformation(0);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return status;
    }

    if (fdoData.queueState == QueueState.HOLD_REQUESTS) {
      return toasterQueueRequest(fdoData, irp);
    }
    if (fdoData.queueState == QueueState.FAIL_REQUESTS) {
      status = NtStatus.NO_SUCH_DEVICE;
      irp.ioStatus().setStatus(status);
      irp.ioStatus().setInformation(0);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      k.ioReleaseRemoveLock(fdoData.removeLock, irp);
      return status;
    }

    IoStackLocation stack = k.ioGetCurrentIrpStackLocation(irp);
    switch (stack.majorFunction()) {
      case READ:
        status = toasterRead(fdoData, irp, stack);
        break;
      case WRITE:
        status = toasterWrite(fdoData, irp, stack);
        break;
      default:
        status = toasterDispatchIoctl(fdoData, irp, stack);
        break;
    }
    k.ioReleaseRemoveLock(fdoData.removeLock, irp);
    return status;
  }

  /**
   * A READ: takes toast if there is some and no earlier read waits for it; otherwise marks the
   * IRP pending and queues it, cancelable, until a write supplies toast.
   */
  private NtStatus toasterRead(FdoData fdoData, Irp irp, IoStackLocation stack) {
    int length = stack.length();
    boolean queued = false;
    boolean cancelled = false;

    if (length == 0) {
      irp.ioStatus().setStatus(NtStatus.SUCCESS);
      irp.ioStatus().setInformation(0);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return NtStatus.SUCCESS;
    }

    synchronized (fdoData.queueLock) {
      if (fdoData.toastLength > 0 && fdoData.pendingReadQueue.isEmpty()) {
        int served = serveToast(fdoData, irp, length);
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        irp.ioStatus().setInformation(served);
      } else {
        // No toast yet: the read waits. Mark it pending before another thread can complete it.
        k.ioMarkIrpPending(irp);
        fdoData.pendingReadQueue.addLast(irp);
        k.ioSetCancelRoutine(irp, this::toasterCancelQueued);
        if (irp.cancel() && k.ioSetCancelRoutine(irp, null) != null) {
          // Cancelled before the cancel routine was set: undo the queueing ourselves.
          fdoData.pendingReadQueue.remove(irp);
          cancelled = true;
        } else {
          queued = true;
        }
      }
    }

    if (queued) {
      // From here on the read belongs to the queue: a write or its cancel routine completes it.
      k.dbgPrint("Read queued");
      return NtStatus.PENDING;
    }
    if (cancelled) {
      irp.ioStatus().setStatus(NtStatus.CANCELLED);
      irp.ioStatus().setInformation(0);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return NtStatus.PENDING;
    }
    NtStatus status = irp.ioStatus().status();
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
  }

  /**
   * A WRITE: puts the caller's bytes into the toaster, as many as fit, then gives the toast to the
   * reads that wait for it, oldest first.
   */
  private NtStatus toasterWrite(FdoData fdoData, Irp irp, IoStackLocation stack) {
    int length = stack.length();
    ByteBuffer buffer = irp.systemBuffer();
    List<Irp> served = new ArrayList<>();
    int accepted;

    synchronized (fdoData.queueLock) {
      accepted = Math.min(length, TOASTER_CAPACITY - fdoData.toastLength);
      if (accepted > 0) {
        buffer.get(0, fdoData.toast, fdoData.toastLength, accepted);
        fdoData.toastLength += accepted;
        fdoData.toastsMade++;
      }
      while (fdoData.toastLength > 0 && !fdoData.pendingReadQueue.isEmpty()) {
        Irp read = fdoData.pendingReadQueue.pollFirst();
        if (k.ioSetCancelRoutine(read, null) == null) {
          // Its cancel routine is about to run and will complete it.
          continue;
        }
        int count = serveToast(fdoData, read, k.ioGetCurrentIrpStackLocation(read).length());
        read.ioStatus().setStatus(NtStatus.SUCCESS);
        read.ioStatus().setInformation(count);
        served.add(read);
      }
    }

    // Complete outside the lock, as the sample releases its spin lock first.
    for (Irp read : served) {
      k.ioCompleteRequest(read, IO_NO_INCREMENT);
    }

    NtStatus status = accepted > 0 || length == 0 ? NtStatus.SUCCESS : NtStatus.DEVICE_BUSY;
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(accepted);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
  }

  /** Moves up to {@code length} bytes of toast into a read's buffer. Under the queue lock. */
  private static int serveToast(FdoData fdoData, Irp read, int length) {
    int count = Math.min(length, fdoData.toastLength);
    read.systemBuffer().put(0, fdoData.toast, 0, count);
    System.arraycopy(fdoData.toast, count, fdoData.toast, 0, fdoData.toastLength - count);
    fdoData.toastLength -= count;
    fdoData.toastsServed++;
    return count;
  }

  /** {@code ToasterDispatchIoctl}: the toaster's control codes, all METHOD_BUFFERED. */
  private NtStatus toasterDispatchIoctl(FdoData fdoData, Irp irp, IoStackLocation stack) {
    NtStatus status;
    long information = 0;

    int ioControlCode = stack.ioControlCode();
    if (ioControlCode == IOCTL_TOASTER_DONT_DISPLAY_IN_UI_DEVICE) {
      // The sample then calls IoInvalidateDeviceState so that the PnP manager asks again.
      fdoData.dontDisplayInUi = true;
      status = NtStatus.SUCCESS;
    } else if (ioControlCode == IOCTL_TOASTER_GET_STATISTICS) {
      if (stack.outputBufferLength() < TOASTER_STATISTICS_SIZE) {
        status = NtStatus.BUFFER_TOO_SMALL;
      } else {
        ByteBuffer statistics = irp.systemBuffer();
        synchronized (fdoData.queueLock) {
          statistics.putInt(0, fdoData.toastsMade);
          statistics.putInt(4, fdoData.toastsServed);
          statistics.putInt(8, fdoData.toastLength);
          statistics.putInt(12, fdoData.dontDisplayInUi ? 1 : 0);
        }
        information = TOASTER_STATISTICS_SIZE;
        status = NtStatus.SUCCESS;
      }
    } else {
      status = NtStatus.INVALID_DEVICE_REQUEST;
    }

    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(information);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
  }

  /**
   * {@code ToasterQueueRequest}: holds a request until the device starts or a removal is
   * cancelled. The IRP is marked pending; the remove lock is released, as a held request must not
   * keep REMOVE_DEVICE waiting (it is failed there instead).
   */
  private NtStatus toasterQueueRequest(FdoData fdoData, Irp irp) {
    boolean cancelled = false;

    k.ioMarkIrpPending(irp);
    synchronized (fdoData.queueLock) {
      fdoData.newRequestsQueue.addLast(irp);
      k.ioSetCancelRoutine(irp, this::toasterCancelQueued);
      if (irp.cancel() && k.ioSetCancelRoutine(irp, null) != null) {
        fdoData.newRequestsQueue.remove(irp);
        cancelled = true;
      }
    }
    if (cancelled) {
      irp.ioStatus().setStatus(NtStatus.CANCELLED);
      irp.ioStatus().setInformation(0);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    }
    k.ioReleaseRemoveLock(fdoData.removeLock, irp);
    return NtStatus.PENDING;
  }

  /**
   * {@code ToasterProcessQueuedRequests}: takes each held request off the queue and dispatches it
   * again, or fails it if the device is gone.
   */
  private void toasterProcessQueuedRequests(FdoData fdoData) {
    while (true) {
      Irp nextIrp;
      synchronized (fdoData.queueLock) {
        nextIrp = fdoData.newRequestsQueue.pollFirst();
        if (nextIrp == null) {
          break;
        }
        if (k.ioSetCancelRoutine(nextIrp, null) == null) {
          // The cancel routine runs or is about to run; it completes this IRP.
          continue;
        }
      }
      if (fdoData.queueState == QueueState.FAIL_REQUESTS) {
        nextIrp.ioStatus().setStatus(NtStatus.NO_SUCH_DEVICE);
        nextIrp.ioStatus().setInformation(0);
        k.ioCompleteRequest(nextIrp, IO_NO_INCREMENT);
      } else {
        toasterDispatchIo(fdoData.self, nextIrp);
      }
    }
  }

  /**
   * Takes off {@code queue} and completes with {@code status} the requests of {@code fileObject},
   * or every request if it is null; the sample's loop over {@code NewRequestsQueue} in
   * {@code ToasterCleanup}.
   */
  private void toasterCompleteQueued(FdoData fdoData, ArrayDeque<Irp> queue,
      FileObject fileObject, NtStatus status) {
    List<Irp> cleanupList = new ArrayList<>();
    synchronized (fdoData.queueLock) {
      for (Iterator<Irp> it = queue.iterator(); it.hasNext(); ) {
        Irp pendingIrp = it.next();
        if (fileObject != null
            && k.ioGetCurrentIrpStackLocation(pendingIrp).fileObject() != fileObject) {
          continue;
        }
        it.remove();
        if (k.ioSetCancelRoutine(pendingIrp, null) != null) {
          cleanupList.add(pendingIrp);
        }
        // Otherwise the cancel routine is running: it completes the IRP.
      }
    }
    for (Irp pendingIrp : cleanupList) {
      pendingIrp.ioStatus().setStatus(status);
      pendingIrp.ioStatus().setInformation(0);
      k.ioCompleteRequest(pendingIrp, IO_NO_INCREMENT);
    }
  }

  /**
   * {@code ToasterCancelQueued}: the cancel routine of a held request or a waiting read. The I/O
   * manager cleared it before calling it; take the IRP off its queue and complete it.
   */
  private void toasterCancelQueued(DeviceObject deviceObject, Irp irp) {
    FdoData fdoData = deviceObject.deviceExtension(FdoData.class);
    synchronized (fdoData.queueLock) {
      // RemoveEntryList: the IRP is on one of the two queues, or already off both.
      fdoData.newRequestsQueue.remove(irp);
      fdoData.pendingReadQueue.remove(irp);
    }
    irp.ioStatus().setStatus(NtStatus.CANCELLED);
    irp.ioStatus().setInformation(0);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
  }

  /** Deletes the FDO's symbolic link once: the sample's IoSetDeviceInterfaceState(FALSE). */
  private void toasterDeleteSymbolicLink(FdoData fdoData) {
    String symbolicLinkName = fdoData.symbolicLinkName;
    if (symbolicLinkName != null) {
      fdoData.symbolicLinkName = null;
      k.ioDeleteSymbolicLink(symbolicLinkName);
    }
  }
}

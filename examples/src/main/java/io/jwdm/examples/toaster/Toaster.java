package io.jwdm.examples.toaster;

import static io.jwdm.kernel.Wdm.*;

import io.jwdm.annotation.AddDevice;
import io.jwdm.annotation.Dispatch;
import io.jwdm.annotation.DriverEntry;
import io.jwdm.annotation.Unload;
import io.jwdm.annotation.WdmDriver;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.EventType;
import io.jwdm.kernel.FileObject;
import io.jwdm.kernel.IoRemoveLock;
import io.jwdm.kernel.IoStackLocation;
import io.jwdm.kernel.IoWorkItem;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KEvent;
import io.jwdm.kernel.KSpinLock;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.PoolMemory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 *   <li><b>a spin lock</b> ({@code KSPIN_LOCK}, the sample's {@code QueueLock}) guarding the
 *       queues and the toast, taken with KeAcquireSpinLock at DISPATCH_LEVEL, with every IRP
 *       completed after it is released;
 *   <li><b>pool</b>: DriverEntry copies its registry path into paged pool, as the sample does,
 *       and Unload frees it; AddDevice allocates the toaster's chamber, the
 *       {@value #TOASTER_CAPACITY} bytes that hold the toast, from nonpaged pool (it is touched
 *       under the spin lock, at DISPATCH_LEVEL), and REMOVE_DEVICE frees it; a failed allocation
 *       fails DriverEntry or AddDevice with {@code STATUS_INSUFFICIENT_RESOURCES};
 *   <li><b>a work item</b>: {@link #IOCTL_TOASTER_REHEAT} is marked pending and finished at
 *       PASSIVE_LEVEL in a system worker thread by a work item allocated for the request, which
 *       holds the remove lock until it has completed the request and freed itself;
 *   <li><b>a system thread</b> per device, the toaster's heating element: started at START_DEVICE
 *       with PsCreateSystemThread, it waits on a synchronization {@code KEVENT} for slices to
 *       toast ({@link #IOCTL_TOASTER_TOAST}), toasts each for {@value #TOASTING_TIME_MS} ms of
 *       kernel time by waiting on a notification {@code KEVENT} with a timeout, and ends with
 *       PsTerminateSystemThread when that event says stop. SURPRISE_REMOVAL signals it (the
 *       hardware is gone); REMOVE_DEVICE signals it and waits on the thread object until it has
 *       ended, before the chamber is freed and the FDO deleted;
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
   * {@value #TOASTER_STATISTICS_SIZE} bytes: four little-endian ULONGs, ToastsMade (writes, toasted
   * slices and reheats),
   * ToastsServed (reads completed with toast), BytesInToaster and DontDisplayInUI.
   */
  public static final int IOCTL_TOASTER_GET_STATISTICS =
      CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_BUFFERED, FILE_READ_ACCESS);

  /**
   * {@code IOCTL_TOASTER_TOAST}: puts the slice of bread in the input buffer into the toaster. The
   * request stays pending while the device's heating element thread toasts it, {@value
   * #TOASTING_TIME_MS} ms of kernel time, one slice after the other; then the toast pops into the
   * toaster as a WRITE puts it, served to the waiting reads, and the request completes with
   * {@code STATUS_SUCCESS}, or {@code STATUS_DEVICE_BUSY} if the toaster was full. A slice
   * still in the toaster when the device goes is failed with {@code STATUS_NO_SUCH_DEVICE}.
   */
  public static final int IOCTL_TOASTER_TOAST =
      CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802, METHOD_BUFFERED, FILE_WRITE_ACCESS);

  /**
   * {@code IOCTL_TOASTER_REHEAT}: puts toast from the input buffer back into the toaster, with no
   * toasting time. The dispatch routine marks the request pending and queues a work item, which
   * puts the toast in at PASSIVE_LEVEL and completes the request as a WRITE would;
   * {@code STATUS_INSUFFICIENT_RESOURCES} if no work item can be allocated.
   */
  public static final int IOCTL_TOASTER_REHEAT =
      CTL_CODE(FILE_DEVICE_UNKNOWN, 0x803, METHOD_BUFFERED, FILE_WRITE_ACCESS);

  /** How long the heating element toasts a slice, in milliseconds of kernel time. */
  public static final int TOASTING_TIME_MS = 200;

  /** {@code sizeof(TOASTER_STATISTICS)}. */
  public static final int TOASTER_STATISTICS_SIZE = 16;

  /** How many bytes of toast the toaster holds; a write beyond that is cut short. */
  public static final int TOASTER_CAPACITY = 64;

  /** The prefix of the FDO's name; the instance number follows. */
  public static final String NT_DEVICE_NAME_PREFIX = "\\Device\\Toaster";

  /** The prefix of the symbolic link user mode opens as {@code \\.\Toaster<n>}. */
  public static final String DOS_DEVICE_NAME_PREFIX = "\\DosDevices\\Toaster";

  /** {@code TOASTER_POOL_TAG}: the tag of the driver's pool and of the remove lock. */
  public static final String TOASTER_POOL_TAG = "Toas";

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

  /**
   * {@code WORK_ITEM_CONTEXT}: what a reheat's work item needs: the request it completes and the
   * work item itself, which the routine frees.
   */
  static final class ReheatContext {
    final Irp irp;
    final IoWorkItem workItem;

    ReheatContext(Irp irp, IoWorkItem workItem) {
      this.irp = irp;
      this.workItem = workItem;
    }
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

    /** {@code QueueLock}: the spin lock that guards everything below. */
    KSpinLock queueLock;
    /** {@code NewRequestsQueue}: requests held while the queue state is HOLD_REQUESTS. */
    final ArrayDeque<Irp> newRequestsQueue = new ArrayDeque<>();
    /** Reads waiting for toast. */
    final ArrayDeque<Irp> pendingReadQueue = new ArrayDeque<>();
    /** Slices waiting for the heating element ({@link #IOCTL_TOASTER_TOAST}), oldest first. */
    final ArrayDeque<Irp> toastingQueue = new ArrayDeque<>();
    /**
     * The chamber: {@value #TOASTER_CAPACITY} bytes of nonpaged pool; the toast is the first
     * {@code toastLength} of them.
     */
    PoolMemory toast;
    int toastLength;
    int toastsMade;
    int toastsServed;

    /** The heating element's thread, from START_DEVICE until REMOVE_DEVICE has waited for it. */
    KThreadObject heatingElement;
    /** A synchronization event: set when a slice is queued for the heating element. */
    KEvent heatingElementWork;
    /** A notification event: set at REMOVE_DEVICE to make the heating element end. */
    KEvent heatingElementStop;

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

  /**
   * {@code Globals.RegistryPath}: the driver's copy of its service key, a NUL-terminated UTF-16
   * string in paged pool.
   */
  private PoolMemory registryPath;

  /** The instance number of the next FDO: {@code \Device\Toaster0}, {@code 1}, ... */
  private int nextInstance;

  /**
   * {@code DriverEntry}: keeps a copy of the registry path in paged pool, since the string it
   * receives is gone when DriverEntry returns. The dispatch routines, AddDevice and Unload are
   * stored by the glue from the annotations.
   *
   * @return SUCCESS, or INSUFFICIENT_RESOURCES if the copy cannot be allocated
   */
  @DriverEntry
  NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    k = driverObject.kernel();
    k.dbgPrint("Toaster function driver sample: DriverEntry");

    // Save the RegistryPath, with room for a terminating NUL.
    byte[] path = (registryPath + "\0").getBytes(StandardCharsets.UTF_16LE);
    this.registryPath = k.exAllocatePool2(POOL_FLAG_PAGED, path.length, TOASTER_POOL_TAG);
    if (this.registryPath == null) {
      k.dbgPrint("DriverEntry: couldn't allocate " + path.length + " bytes for the registry path");
      return NtStatus.INSUFFICIENT_RESOURCES;
    }
    this.registryPath.put(0, path, 0, path.length);
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

    // The chamber is nonpaged: it is read and written under the spin lock, at DISPATCH_LEVEL.
    fdoData.toast = k.exAllocatePool2(POOL_FLAG_NON_PAGED, TOASTER_CAPACITY, TOASTER_POOL_TAG);
    if (fdoData.toast == null) {
      k.dbgPrint("AddDevice: couldn't allocate the toaster's chamber");
      k.ioDeleteDevice(fdoData.self);
      return NtStatus.INSUFFICIENT_RESOURCES;
    }
    fdoData.queueLock = k.keInitializeSpinLock();
    fdoData.heatingElementWork = k.keInitializeEvent(EventType.SYNCHRONIZATION_EVENT, false);
    fdoData.heatingElementStop = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);

    // Requests are held until the device starts (INITIALIZE_PNP_STATE).
    fdoData.devicePnpState = DevicePnpState.NOT_STARTED;
    fdoData.previousPnpState = DevicePnpState.NOT_STARTED;
    fdoData.queueState = QueueState.HOLD_REQUESTS;

    fdoData.removeLock = k.ioInitializeRemoveLock(TOASTER_POOL_TAG, 1, 100);

    // Attach our FDO to the device stack. The return value is the device object we pass IRPs
    // down to: the top of the stack before the attachment.
    fdoData.nextLowerDriver = k.ioAttachDeviceToDeviceStack(fdoData.self, physicalDeviceObject);
    if (fdoData.nextLowerDriver == null) {
      toasterFreeChamber(fdoData);
      k.ioDeleteDevice(fdoData.self);
      return NtStatus.NO_SUCH_DEVICE;
    }

    fdoData.self.setFlags(fdoData.self.flags() | DO_BUFFERED_IO | DO_POWER_PAGABLE);

    // Tell user mode about the device: the sample registers a device interface here.
    status = k.ioCreateSymbolicLink(symbolicLinkName, deviceName);
    if (!status.isSuccess()) {
      k.dbgPrint("AddDevice: IoCreateSymbolicLink failed (" + status + ")");
      k.ioDetachDevice(fdoData.nextLowerDriver);
      toasterFreeChamber(fdoData);
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
   * {@code ToasterUnload}: frees what DriverEntry allocated, the copy of the registry path. The
   * devices are gone already: each was deleted, with its chamber and its thread, at its
   * REMOVE_DEVICE.
   */
  @Unload
  void toasterUnload(DriverObject driverObject) {
    k.dbgPrint("Unload: driver object " + driverObject.driverName() + ", device object "
        + driverObject.deviceObject());
    if (registryPath != null) {
      k.exFreePoolWithTag(registryPath, TOASTER_POOL_TAG);
      registryPath = null;
    }
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
        toasterCompleteQueued(fdoData, fdoData.toastingQueue, null, NtStatus.NO_SUCH_DEVICE);
        // The heating element goes cold: it fails the slice it toasts and ends. REMOVE_DEVICE
        // waits for it.
        toasterSignalHeatingElementStop(fdoData);
        toasterDeleteSymbolicLink(fdoData);
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        break;

      case IRP_MN_REMOVE_DEVICE:
        // The PnP manager sends REMOVE_DEVICE once no handle is open (or after a failed start).
        // Fail whatever is still queued, stop the heating element, pass the IRP down, wait for
        // the requests and work items in progress, then detach, free the chamber and delete.
        fdoData.setNewPnpState(DevicePnpState.DELETED);
        fdoData.queueState = QueueState.FAIL_REQUESTS;
        toasterProcessQueuedRequests(fdoData);
        toasterCompleteQueued(fdoData, fdoData.pendingReadQueue, null, NtStatus.NO_SUCH_DEVICE);
        toasterCompleteQueued(fdoData, fdoData.toastingQueue, null, NtStatus.NO_SUCH_DEVICE);

        // After a surprise removal the link is gone already.
        if (fdoData.previousPnpState != DevicePnpState.SURPRISE_REMOVE_PENDING) {
          toasterDeleteSymbolicLink(fdoData);
        }

        // No thread of the driver may outlive its device: tell the heating element to stop and
        // wait on the thread object until it has ended.
        toasterStopHeatingElement(fdoData);

        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        k.ioSkipCurrentIrpStackLocation(irp);
        status = k.ioCallDriver(fdoData.nextLowerDriver, irp);

        // Wait for all outstanding requests, and the work items that hold the lock, to complete.
        k.dbgPrint("Waiting for outstanding requests");
        k.ioReleaseRemoveLockAndWait(fdoData.removeLock, irp);

        k.ioDetachDevice(fdoData.nextLowerDriver);
        toasterFreeChamber(fdoData);
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

  /**
   * {@code ToasterStartDevice}: the lower drivers started the device; start the heating element
   * and serve I/O. If the thread cannot be created the start fails, and the PnP manager follows
   * with REMOVE_DEVICE.
   */
  private NtStatus toasterStartDevice(FdoData fdoData, Irp irp) {
    // A real toaster would map its registers and connect its interrupt here, from the resources
    // in the IRP. The simulated one has none, only its heating element.
    Out<KThreadObject> thread = new Out<>();
    NtStatus status = k.psCreateSystemThread(thread, this::toasterHeatingElement, fdoData);
    if (!status.isSuccess()) {
      k.dbgPrint("StartDevice: PsCreateSystemThread failed (" + status + ")");
      return status;
    }
    fdoData.heatingElement = thread.get();

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
    toasterCompleteQueued(fdoData, fdoData.toastingQueue, fileObject, NtStatus.CANCELLED);

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

    Irql oldIrql = k.keAcquireSpinLock(fdoData.queueLock);
    if (fdoData.toastLength > 0 && fdoData.pendingReadQueue.isEmpty()) {
      int served = serveToast(fdoData, irp, length);
      irp.ioStatus().setStatus(NtStatus.SUCCESS);
      irp.ioStatus().setInformation(served);
    } else {
      // No toast yet: the read waits. Mark it pending before another thread can complete it.
      k.ioMarkIrpPending(irp);
      queued = toasterQueueCancelable(fdoData.pendingReadQueue, irp);
      cancelled = !queued;
    }
    k.keReleaseSpinLock(fdoData.queueLock, oldIrql);

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
    int accepted = toasterPutToast(fdoData, irp.systemBuffer(), length);
    NtStatus status = accepted > 0 || length == 0 ? NtStatus.SUCCESS : NtStatus.DEVICE_BUSY;
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(accepted);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
  }

  /**
   * Puts up to {@code length} bytes of {@code slice} into the chamber, as many as fit, counts a
   * toast made, and completes the reads that wait for toast, oldest first, after releasing the
   * spin lock (as the sample releases its lock before completing). The toast of a WRITE, of a
   * slice the heating element toasted, and of a reheat all go in here.
   *
   * @return how many bytes went in
   */
  private int toasterPutToast(FdoData fdoData, ByteBuffer slice, int length) {
    List<Irp> served = new ArrayList<>();
    int accepted;

    Irql oldIrql = k.keAcquireSpinLock(fdoData.queueLock);
    accepted = Math.min(length, TOASTER_CAPACITY - fdoData.toastLength);
    if (accepted > 0) {
      byte[] bytes = new byte[accepted];
      slice.get(0, bytes, 0, accepted);
      fdoData.toast.put(fdoData.toastLength, bytes, 0, accepted);
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
    k.keReleaseSpinLock(fdoData.queueLock, oldIrql);

    for (Irp read : served) {
      k.ioCompleteRequest(read, IO_NO_INCREMENT);
    }
    return accepted;
  }

  /**
   * Moves up to {@code length} bytes of toast from the chamber into a read's buffer, and the rest
   * of the toast to the front of the chamber. Under the spin lock.
   */
  private static int serveToast(FdoData fdoData, Irp read, int length) {
    int count = Math.min(length, fdoData.toastLength);
    byte[] toast = new byte[fdoData.toastLength];
    fdoData.toast.get(0, toast, 0, fdoData.toastLength);
    read.systemBuffer().put(0, toast, 0, count);
    fdoData.toast.put(0, toast, count, fdoData.toastLength - count);
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
        Irql oldIrql = k.keAcquireSpinLock(fdoData.queueLock);
        statistics.putInt(0, fdoData.toastsMade);
        statistics.putInt(4, fdoData.toastsServed);
        statistics.putInt(8, fdoData.toastLength);
        statistics.putInt(12, fdoData.dontDisplayInUi ? 1 : 0);
        k.keReleaseSpinLock(fdoData.queueLock, oldIrql);
        information = TOASTER_STATISTICS_SIZE;
        status = NtStatus.SUCCESS;
      }
    } else if (ioControlCode == IOCTL_TOASTER_TOAST) {
      return toasterQueueSlice(fdoData, irp, stack);
    } else if (ioControlCode == IOCTL_TOASTER_REHEAT) {
      return toasterQueueReheat(fdoData, irp, stack);
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
    Irql oldIrql = k.keAcquireSpinLock(fdoData.queueLock);
    cancelled = !toasterQueueCancelable(fdoData.newRequestsQueue, irp);
    k.keReleaseSpinLock(fdoData.queueLock, oldIrql);
    if (cancelled) {
      irp.ioStatus().setStatus(NtStatus.CANCELLED);
      irp.ioStatus().setInformation(0);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    }
    k.ioReleaseRemoveLock(fdoData.removeLock, irp);
    return NtStatus.PENDING;
  }

  /**
   * Appends {@code irp}, marked pending, to {@code queue} with the cancel routine set. Under the
   * spin lock.
   *
   * @return true if it is queued; false if it was cancelled before the cancel routine was set,
   *     and is off the queue again for the caller to complete
   */
  private boolean toasterQueueCancelable(ArrayDeque<Irp> queue, Irp irp) {
    queue.addLast(irp);
    k.ioSetCancelRoutine(irp, this::toasterCancelQueued);
    if (irp.cancel() && k.ioSetCancelRoutine(irp, null) != null) {
      // Cancelled before the cancel routine was set: undo the queueing ourselves.
      queue.remove(irp);
      return false;
    }
    return true;
  }

  /**
   * Takes the oldest request off {@code queue} whose cancel routine has not run, clearing it.
   * Under the spin lock.
   *
   * @return the request, now the caller's to complete; null if the queue is empty
   */
  private Irp toasterDequeueCancelable(ArrayDeque<Irp> queue) {
    while (true) {
      Irp irp = queue.pollFirst();
      if (irp == null || k.ioSetCancelRoutine(irp, null) != null) {
        return irp;
      }
      // The cancel routine runs or is about to run; it completes this IRP.
    }
  }

  /**
   * {@link #IOCTL_TOASTER_TOAST}: queues the slice, pending and cancelable, for the heating
   * element, and wakes it.
   */
  private NtStatus toasterQueueSlice(FdoData fdoData, Irp irp, IoStackLocation stack) {
    if (stack.inputBufferLength() == 0) {
      return toasterCompleteRequest(irp, NtStatus.INVALID_PARAMETER);
    }
    k.ioMarkIrpPending(irp);
    Irql oldIrql = k.keAcquireSpinLock(fdoData.queueLock);
    boolean queued = toasterQueueCancelable(fdoData.toastingQueue, irp);
    k.keReleaseSpinLock(fdoData.queueLock, oldIrql);
    if (!queued) {
      toasterCompleteRequest(irp, NtStatus.CANCELLED);
      return NtStatus.PENDING;
    }
    k.keSetEvent(fdoData.heatingElementWork, IO_NO_INCREMENT, false);
    return NtStatus.PENDING;
  }

  /**
   * The heating element: the start routine ({@code KSTART_ROUTINE}) of the device's system
   * thread, at PASSIVE_LEVEL. It waits on {@code heatingElementWork} until a slice is queued,
   * toasts the slices one after the other by waiting {@value #TOASTING_TIME_MS} ms on
   * {@code heatingElementStop}, and puts the toast in the chamber. Once told to stop it fails the
   * slices left and ends with PsTerminateSystemThread.
   */
  private void toasterHeatingElement(Object startContext) {
    FdoData fdoData = (FdoData) startContext;
    k.dbgPrint("Heating element on: " + fdoData.deviceName);

    while (true) {
      Irql oldIrql = k.keAcquireSpinLock(fdoData.queueLock);
      Irp slice = toasterDequeueCancelable(fdoData.toastingQueue);
      k.keReleaseSpinLock(fdoData.queueLock, oldIrql);

      if (slice == null) {
        if (k.keReadStateEvent(fdoData.heatingElementStop) != 0) {
          break;
        }
        // Nothing to toast: sleep until a slice comes, or until REMOVE_DEVICE says stop.
        k.keWaitForSingleObject(fdoData.heatingElementWork, EXECUTIVE, KERNEL_MODE, false, null);
        continue;
      }

      // Toast the slice. The stop event cuts the toasting short; a timeout means it is done.
      NtStatus waited = k.keWaitForSingleObject(fdoData.heatingElementStop, EXECUTIVE,
          KERNEL_MODE, false, RELATIVE_MILLISECONDS(TOASTING_TIME_MS));
      NtStatus status;
      if (waited.equals(NtStatus.TIMEOUT) && fdoData.queueState != QueueState.FAIL_REQUESTS) {
        int length = k.ioGetCurrentIrpStackLocation(slice).inputBufferLength();
        int accepted = toasterPutToast(fdoData, slice.systemBuffer(), length);
        k.dbgPrint("Heating element: toasted " + accepted + " of " + length + " bytes");
        status = accepted > 0 ? NtStatus.SUCCESS : NtStatus.DEVICE_BUSY;
      } else {
        // Told to stop, or the toaster is gone: the slice cannot be toasted.
        status = NtStatus.NO_SUCH_DEVICE;
      }
      toasterCompleteRequest(slice, status);
    }

    k.dbgPrint("Heating element off: " + fdoData.deviceName);
    k.psTerminateSystemThread(NtStatus.SUCCESS);
  }

  /**
   * Tells the heating element to stop: sets the stop event, which cuts a toasting short, and the
   * work event, which wakes an idle element. The events outlive the thread: they are in the
   * device extension.
   */
  private void toasterSignalHeatingElementStop(FdoData fdoData) {
    k.keSetEvent(fdoData.heatingElementStop, IO_NO_INCREMENT, false);
    k.keSetEvent(fdoData.heatingElementWork, IO_NO_INCREMENT, false);
  }

  /**
   * Stops the heating element, if the device started one, and waits on the thread object until
   * the thread has ended (the sample's {@code KeWaitForSingleObject(ThreadObject)}, then
   * {@code ObDereferenceObject}). At PASSIVE_LEVEL, at REMOVE_DEVICE: after it no code of the
   * driver runs for this device, so its memory can go.
   */
  private void toasterStopHeatingElement(FdoData fdoData) {
    if (fdoData.heatingElement == null) {
      return;
    }
    toasterSignalHeatingElementStop(fdoData);
    k.keWaitForSingleObject(fdoData.heatingElement, EXECUTIVE, KERNEL_MODE, false, null);
    fdoData.heatingElement = null;
  }

  /**
   * {@link #IOCTL_TOASTER_REHEAT}: allocates a work item for the request, takes the remove lock
   * on its behalf (so REMOVE_DEVICE waits for it), marks the request pending and queues the work
   * item.
   */
  private NtStatus toasterQueueReheat(FdoData fdoData, Irp irp, IoStackLocation stack) {
    if (stack.inputBufferLength() == 0) {
      return toasterCompleteRequest(irp, NtStatus.INVALID_PARAMETER);
    }
    IoWorkItem workItem = k.ioAllocateWorkItem(fdoData.self);
    if (workItem == null) {
      k.dbgPrint("Reheat: IoAllocateWorkItem failed");
      return toasterCompleteRequest(irp, NtStatus.INSUFFICIENT_RESOURCES);
    }
    ReheatContext context = new ReheatContext(irp, workItem);
    NtStatus status = k.ioAcquireRemoveLock(fdoData.removeLock, context);
    if (!status.isSuccess()) {
      k.ioFreeWorkItem(workItem);
      return toasterCompleteRequest(irp, status);
    }
    k.ioMarkIrpPending(irp);
    k.dbgPrint("Reheat queued");
    k.ioQueueWorkItem(workItem, this::toasterReheatWorkItem, DELAYED_WORK_QUEUE, context);
    return NtStatus.PENDING;
  }

  /**
   * The reheat's work item routine ({@code IO_WORKITEM_ROUTINE}), at PASSIVE_LEVEL in a system
   * worker thread: puts the toast in the chamber, completes the request, frees the work item and
   * releases the remove lock taken for it.
   */
  private void toasterReheatWorkItem(DeviceObject deviceObject, Object context) {
    ReheatContext reheat = (ReheatContext) context;
    FdoData fdoData = deviceObject.deviceExtension(FdoData.class);
    Irp irp = reheat.irp;

    NtStatus status;
    if (fdoData.queueState == QueueState.FAIL_REQUESTS) {
      status = NtStatus.NO_SUCH_DEVICE;
    } else {
      int length = k.ioGetCurrentIrpStackLocation(irp).inputBufferLength();
      int accepted = toasterPutToast(fdoData, irp.systemBuffer(), length);
      k.dbgPrint("Reheat: " + accepted + " of " + length + " bytes");
      status = accepted > 0 ? NtStatus.SUCCESS : NtStatus.DEVICE_BUSY;
    }
    toasterCompleteRequest(irp, status);

    k.ioFreeWorkItem(reheat.workItem);
    k.ioReleaseRemoveLock(fdoData.removeLock, reheat);
  }

  /** Completes {@code irp} with {@code status} and no data. */
  private NtStatus toasterCompleteRequest(Irp irp, NtStatus status) {
    irp.ioStatus().setStatus(status);
    irp.ioStatus().setInformation(0);
    k.ioCompleteRequest(irp, IO_NO_INCREMENT);
    return status;
  }

  /** Frees the chamber, if AddDevice allocated it. */
  private void toasterFreeChamber(FdoData fdoData) {
    if (fdoData.toast != null) {
      k.exFreePoolWithTag(fdoData.toast, TOASTER_POOL_TAG);
      fdoData.toast = null;
    }
  }

  /**
   * {@code ToasterProcessQueuedRequests}: takes each held request off the queue and dispatches it
   * again, or fails it if the device is gone.
   */
  private void toasterProcessQueuedRequests(FdoData fdoData) {
    while (true) {
      Irql oldIrql = k.keAcquireSpinLock(fdoData.queueLock);
      Irp nextIrp = toasterDequeueCancelable(fdoData.newRequestsQueue);
      k.keReleaseSpinLock(fdoData.queueLock, oldIrql);
      if (nextIrp == null) {
        break;
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
    Irql oldIrql = k.keAcquireSpinLock(fdoData.queueLock);
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
    k.keReleaseSpinLock(fdoData.queueLock, oldIrql);
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
    Irql oldIrql = k.keAcquireSpinLock(fdoData.queueLock);
    // RemoveEntryList: the IRP is on one of the queues, or already off all of them.
    fdoData.newRequestsQueue.remove(irp);
    fdoData.pendingReadQueue.remove(irp);
    fdoData.toastingQueue.remove(irp);
    k.keReleaseSpinLock(fdoData.queueLock, oldIrql);
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

package io.jwdm.examples.toasterfilter;

import static io.jwdm.kernel.Wdm.*;

import io.jwdm.annotation.AddDevice;
import io.jwdm.annotation.Dispatch;
import io.jwdm.annotation.DriverEntry;
import io.jwdm.annotation.DriverRole;
import io.jwdm.annotation.Unload;
import io.jwdm.annotation.WdmDriver;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.IoRemoveLock;
import io.jwdm.kernel.IoStackLocation;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A WDM upper filter for the toaster, modelled on the WDK's toaster filter sample
 * ({@code general/toaster/wdm/filter/filter.c}), installed in the toaster's {@code UpperFilters}.
 *
 * <p>What it shows:
 *
 * <ul>
 *   <li>AddDevice creating an unnamed filter device object of the type of the device it attaches
 *       to, attaching it, and copying {@code DO_BUFFERED_IO}, {@code DO_DIRECT_IO} and
 *       {@code DO_POWER_PAGABLE} from the device below, so that the I/O manager builds IRPs the
 *       way the function driver expects;
 *   <li>a filter passing down every major function it is given, under its remove lock: most with
 *       IoSkipCurrentIrpStackLocation ({@code FilterPass}); READ, WRITE, DEVICE_CONTROL and PnP
 *       with IoCopyCurrentIrpStackLocationToNext and a completion routine, which counts the
 *       completed requests in the device extension, propagates the pending flag
 *       ({@code if (Irp->PendingReturned) IoMarkIrpPending(Irp)}) and releases the remove lock;
 *   <li>START_DEVICE forwarded synchronously and completed on the way up, and REMOVE_DEVICE
 *       waiting on the remove lock, passing the IRP down, then detaching and deleting the filter
 *       device.
 * </ul>
 *
 * <p>The sample's DriverEntry fills every {@code MajorFunction} slot with {@code FilterPass} in a
 * loop, then overrides PnP and power; here the {@code @Dispatch} annotations list the slots.
 * The filter's completion routine reports each count with DbgPrint, so the kernel's trace shows it.
 * The sample's optional control device ({@code IOCTL_INTERFACE}) is left out.
 */
@WdmDriver(name = "ToasterFilter", hardwareIds = "ROOT\\TOASTER", role = DriverRole.UPPER_FILTER)
public class ToasterFilter {

  /** The pool tag of the remove lock. */
  private static final String POOL_TAG = "Filt";

  /** {@code DEVICE_PNP_STATE}: where the filter device is in its PnP life. */
  enum DevicePnpState {
    NOT_STARTED,
    STARTED,
    STOP_PENDING,
    STOPPED,
    REMOVE_PENDING,
    SURPRISE_REMOVE_PENDING,
    DELETED
  }

  /** {@code DEVICE_EXTENSION}: the filter device's extension. */
  static final class DeviceExtension {
    /** The filter device object this extension belongs to. */
    DeviceObject self;
    /** The device IRPs are passed down to: what IoAttachDeviceToDeviceStack returned. */
    DeviceObject nextLowerDriver;
    volatile DevicePnpState devicePnpState = DevicePnpState.NOT_STARTED;
    volatile DevicePnpState previousPnpState = DevicePnpState.NOT_STARTED;
    IoRemoveLock removeLock;
    /** How many requests the completion routine saw complete (InterlockedIncrement). */
    final AtomicLong completedRequests = new AtomicLong();

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
   * {@code DriverEntry}: the glue stored the dispatch routines, AddDevice and Unload; nothing else
   * is driver-wide.
   */
  @DriverEntry
  NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    k = driverObject.kernel();
    k.dbgPrint("Entered the Driver Entry");
    return NtStatus.SUCCESS;
  }

  /**
   * {@code FilterAddDevice}: creates the filter device object and attaches it to the top of the
   * toaster's stack.
   */
  @AddDevice
  NtStatus filterAddDevice(DriverObject driverObject, DeviceObject physicalDeviceObject) {
    // Create a filter device object of the type of the device we attach to. The sample takes it
    // with IoGetAttachedDeviceReference; jwdm fixes the type when the device is created, where
    // the sample copies it after attaching.
    DeviceObject attached = physicalDeviceObject;
    while (attached.attachedDevice() != null) {
      attached = attached.attachedDevice();
    }
    int deviceType = attached.deviceType();

    DeviceExtension deviceExtension = new DeviceExtension();
    Out<DeviceObject> deviceObject = new Out<>();
    NtStatus status = k.ioCreateDevice(driverObject,
        deviceExtension,
        null,
        deviceType,
        FILE_DEVICE_SECURE_OPEN,
        false,
        deviceObject);
    if (!status.isSuccess()) {
      // Returning failure here prevents the entire stack from functioning, but most likely the
      // rest of the stack will not be able to create device objects either.
      return status;
    }

    deviceExtension.nextLowerDriver =
        k.ioAttachDeviceToDeviceStack(deviceObject.get(), physicalDeviceObject);
    // Failure for attachment is an indication of a broken plug and play system.
    if (deviceExtension.nextLowerDriver == null) {
      k.ioDeleteDevice(deviceObject.get());
      return NtStatus.UNSUCCESSFUL;
    }

    // The I/O manager builds an IRP for the top of the stack from the top device's flags: copy
    // the buffering method of the device below, and whether it is pageable for power IRPs.
    deviceObject.get().setFlags(deviceObject.get().flags()
        | (deviceExtension.nextLowerDriver.flags()
            & (DO_BUFFERED_IO | DO_DIRECT_IO | DO_POWER_PAGABLE)));

    deviceExtension.self = deviceObject.get();

    // Let us use the remove lock to keep count of IRPs, so that we don't detach and delete our
    // device object until all pending I/Os in our devstack are completed.
    deviceExtension.removeLock = k.ioInitializeRemoveLock(POOL_TAG, 1, 100);

    // Set the initial state of the filter device object.
    deviceExtension.devicePnpState = DevicePnpState.NOT_STARTED;
    deviceExtension.previousPnpState = DevicePnpState.NOT_STARTED;

    deviceObject.get().setFlags(deviceObject.get().flags() & ~DO_DEVICE_INITIALIZING);

    k.dbgPrint("AddDevice: filter device above " + describe(deviceExtension.nextLowerDriver));
    return NtStatus.SUCCESS;
  }

  /**
   * {@code FilterPass}: the default dispatch routine. The filter does not know what these IRPs
   * are about, so it passes them down unchanged.
   */
  @Dispatch({
    MajorFunction.CREATE,
    MajorFunction.CREATE_NAMED_PIPE,
    MajorFunction.CLOSE,
    MajorFunction.QUERY_INFORMATION,
    MajorFunction.SET_INFORMATION,
    MajorFunction.QUERY_EA,
    MajorFunction.SET_EA,
    MajorFunction.FLUSH_BUFFERS,
    MajorFunction.QUERY_VOLUME_INFORMATION,
    MajorFunction.SET_VOLUME_INFORMATION,
    MajorFunction.DIRECTORY_CONTROL,
    MajorFunction.FILE_SYSTEM_CONTROL,
    MajorFunction.INTERNAL_DEVICE_CONTROL,
    MajorFunction.SHUTDOWN,
    MajorFunction.LOCK_CONTROL,
    MajorFunction.CLEANUP,
    MajorFunction.CREATE_MAILSLOT,
    MajorFunction.QUERY_SECURITY,
    MajorFunction.SET_SECURITY,
    MajorFunction.SYSTEM_CONTROL,
    MajorFunction.DEVICE_CHANGE,
    MajorFunction.QUERY_QUOTA,
    MajorFunction.SET_QUOTA
  })
  NtStatus filterPass(DeviceObject deviceObject, Irp irp) {
    DeviceExtension deviceExtension = deviceObject.deviceExtension(DeviceExtension.class);
    NtStatus status = k.ioAcquireRemoveLock(deviceExtension.removeLock, irp);
    if (!status.isSuccess()) {
      irp.ioStatus().setStatus(status);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return status;
    }

    k.ioSkipCurrentIrpStackLocation(irp);
    status = k.ioCallDriver(deviceExtension.nextLowerDriver, irp);
    k.ioReleaseRemoveLock(deviceExtension.removeLock, irp);
    return status;
  }

  /**
   * READ, WRITE and DEVICE_CONTROL: passed down with a completion routine that counts them. The
   * remove lock is held until the request completes.
   */
  @Dispatch({MajorFunction.READ, MajorFunction.WRITE, MajorFunction.DEVICE_CONTROL})
  NtStatus filterDispatchIo(DeviceObject deviceObject, Irp irp) {
    DeviceExtension deviceExtension = deviceObject.deviceExtension(DeviceExtension.class);
    NtStatus status = k.ioAcquireRemoveLock(deviceExtension.removeLock, irp);
    if (!status.isSuccess()) {
      irp.ioStatus().setStatus(status);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return status;
    }

    k.ioCopyCurrentIrpStackLocationToNext(irp);
    k.ioSetCompletionRoutine(irp, this::filterCompletionRoutine, deviceExtension,
        true, true, true);
    return k.ioCallDriver(deviceExtension.nextLowerDriver, irp);
  }

  /**
   * {@code FilterDispatchPnp}: tracks the device's PnP state; START_DEVICE is finished on the way
   * up, REMOVE_DEVICE detaches and deletes the filter device, every other PnP IRP is passed down
   * with the counting completion routine.
   */
  @Dispatch(MajorFunction.PNP)
  NtStatus filterDispatchPnp(DeviceObject deviceObject, Irp irp) {
    DeviceExtension deviceExtension = deviceObject.deviceExtension(DeviceExtension.class);
    IoStackLocation irpStack = k.ioGetCurrentIrpStackLocation(irp);
    NtStatus status;

    status = k.ioAcquireRemoveLock(deviceExtension.removeLock, irp);
    if (!status.isSuccess()) {
      irp.ioStatus().setStatus(status);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return status;
    }

    switch (irpStack.minorFunction()) {
      case IRP_MN_START_DEVICE:
        // The device is started on the way up: send the IRP down and wait for the lower drivers.
        if (k.ioForwardIrpSynchronously(deviceExtension.nextLowerDriver, irp)) {
          status = irp.ioStatus().status();
        } else {
          status = NtStatus.UNSUCCESSFUL;
        }
        if (status.isSuccess()) {
          deviceExtension.setNewPnpState(DevicePnpState.STARTED);
        }
        irp.ioStatus().setStatus(status);
        k.ioCompleteRequest(irp, IO_NO_INCREMENT);
        k.ioReleaseRemoveLock(deviceExtension.removeLock, irp);
        return status;

      case IRP_MN_REMOVE_DEVICE:
        // Wait for all outstanding requests to complete.
        k.dbgPrint("Waiting for outstanding requests");
        k.ioReleaseRemoveLockAndWait(deviceExtension.removeLock, irp);

        k.ioSkipCurrentIrpStackLocation(irp);
        status = k.ioCallDriver(deviceExtension.nextLowerDriver, irp);

        deviceExtension.setNewPnpState(DevicePnpState.DELETED);

        k.ioDetachDevice(deviceExtension.nextLowerDriver);
        k.ioDeleteDevice(deviceObject);
        return status;

      case IRP_MN_QUERY_REMOVE_DEVICE:
        deviceExtension.setNewPnpState(DevicePnpState.REMOVE_PENDING);
        status = NtStatus.SUCCESS;
        break;

      case IRP_MN_SURPRISE_REMOVAL:
        deviceExtension.setNewPnpState(DevicePnpState.SURPRISE_REMOVE_PENDING);
        status = NtStatus.SUCCESS;
        break;

      case IRP_MN_CANCEL_REMOVE_DEVICE:
        // First check to see whether you have received a query-remove; you could have received
        // just a cancel-remove without a query-remove.
        if (deviceExtension.devicePnpState == DevicePnpState.REMOVE_PENDING) {
          deviceExtension.restorePreviousPnpState();
        }
        status = NtStatus.SUCCESS;
        break;

      default:
        // If you don't handle any IRP you must leave the status as is.
        status = irp.ioStatus().status();
        break;
    }

    // Pass the IRP down and forget it; the completion routine counts it and releases the lock.
    irp.ioStatus().setStatus(status);
    k.ioCopyCurrentIrpStackLocationToNext(irp);
    k.ioSetCompletionRoutine(irp, this::filterCompletionRoutine, deviceExtension,
        true, true, true);
    return k.ioCallDriver(deviceExtension.nextLowerDriver, irp);
  }

  /** {@code FilterDispatchPower}: the filter does nothing with power IRPs but pass them down. */
  @Dispatch(MajorFunction.POWER)
  NtStatus filterDispatchPower(DeviceObject deviceObject, Irp irp) {
    DeviceExtension deviceExtension = deviceObject.deviceExtension(DeviceExtension.class);
    NtStatus status = k.ioAcquireRemoveLock(deviceExtension.removeLock, irp);
    if (!status.isSuccess()) {
      irp.ioStatus().setStatus(status);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return status;
    }

    k.ioSkipCurrentIrpStackLocation(irp);
    status = k.ioCallDriver(deviceExtension.nextLowerDriver, irp);
    k.ioReleaseRemoveLock(deviceExtension.removeLock, irp);
    return status;
  }

  /**
   * The completion routine of the requests passed down with
   * IoCopyCurrentIrpStackLocationToNext: counts the request, propagates the pending flag and
   * releases the remove lock taken for it.
   */
  private NtStatus filterCompletionRoutine(DeviceObject deviceObject, Irp irp, Object context) {
    DeviceExtension deviceExtension = (DeviceExtension) context;

    // A lower driver returned STATUS_PENDING: mark our stack location pending as well, or the
    // I/O manager would not know to wait for the IRP.
    if (irp.pendingReturned()) {
      k.ioMarkIrpPending(irp);
    }

    long completed = deviceExtension.completedRequests.incrementAndGet();
    IoStackLocation irpStack = k.ioGetCurrentIrpStackLocation(irp);
    k.dbgPrint("FilterCompletionRoutine: request " + completed + " completed: "
        + irpStack.majorFunction().wdkName() + " " + irp.ioStatus().status());

    k.ioReleaseRemoveLock(deviceExtension.removeLock, irp);

    // STATUS_CONTINUE_COMPLETION: let completion go on up the stack.
    return NtStatus.SUCCESS;
  }

  /**
   * {@code FilterUnload}: the filter devices are gone, deleted at their REMOVE_DEVICE; nothing
   * driver-wide is left to free.
   */
  @Unload
  void filterUnload(DriverObject driverObject) {
    k.dbgPrint("Unload: device object " + driverObject.deviceObject());
  }

  private static String describe(DeviceObject device) {
    return device.name() != null ? device.name() : "an unnamed device";
  }
}

package io.jwdm.kernel;

/**
 * A cancel routine (the WDK's {@code DRIVER_CANCEL}), set with {@link KernelServices#ioSetCancelRoutine}.
 *
 * <p>The I/O manager clears the IRP's cancel routine before calling it. The routine removes the IRP
 * from the driver's queue and completes it with {@link NtStatus#CANCELLED}. (jwdm has no global
 * cancel spin lock: a routine does not call IoReleaseCancelSpinLock.)
 */
@FunctionalInterface
public interface DriverCancel {
  /** Cancels {@code irp}, which was queued on {@code device}. */
  void cancel(DeviceObject device, Irp irp);
}

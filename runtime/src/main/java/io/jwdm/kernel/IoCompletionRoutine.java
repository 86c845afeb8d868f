package io.jwdm.kernel;

/**
 * An I/O completion routine (the WDK's {@code IO_COMPLETION_ROUTINE}), set with
 * {@link KernelServices#ioSetCompletionRoutine}. It runs when a lower driver completes the IRP, at
 * the IRQL of the completing code (up to DISPATCH_LEVEL).
 */
@FunctionalInterface
public interface IoCompletionRoutine {
  /**
   * Returns {@link NtStatus#MORE_PROCESSING_REQUIRED} to stop completion and keep the IRP, or any
   * other status to let completion go on up the stack. If {@link Irp#pendingReturned()} is true and
   * the routine lets completion continue, it must call {@link KernelServices#ioMarkIrpPending}.
   *
   * @param device the device object of the driver that set the routine, or null for the IRP's
   *     creator
   */
  NtStatus complete(DeviceObject device, Irp irp, Object context);
}

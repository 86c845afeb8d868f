package io.jwdm.kernel;

/**
 * A dispatch routine (the WDK's {@code DRIVER_DISPATCH}): an entry of the driver object's
 * {@code MajorFunction} table. Drivers declare them with {@code @Dispatch}; the generated glue
 * stores them.
 */
@FunctionalInterface
public interface DriverDispatch {
  /**
   * Handles {@code irp} sent to {@code device}. Completes it, passes it down, or marks it pending
   * and returns {@link NtStatus#PENDING}.
   */
  NtStatus dispatch(DeviceObject device, Irp irp);
}

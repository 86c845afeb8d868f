package io.jwdm.annotation;

import io.jwdm.kernel.MajorFunction;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an instance method of a driver class as a dispatch routine (the WDK's DRIVER_DISPATCH role,
 * with {@code _Dispatch_type_}) for the given major functions.
 *
 * <p>Signature: {@code NtStatus m(DeviceObject device, Irp irp)}. The method may not be private,
 * static or abstract, may not be generic and may not declare checked exceptions.
 *
 * <p>A dispatch routine either completes the IRP (IoCompleteRequest), passes it down
 * (IoCallDriver), or marks it pending (IoMarkIrpPending) and returns {@code NtStatus.PENDING}.
 * Each major function may have at most one dispatch routine in a driver. A major function without
 * one is completed by the I/O manager with {@code STATUS_INVALID_DEVICE_REQUEST}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Dispatch {
  /** The major functions this routine handles; at least one, each at most once. */
  MajorFunction[] value();
}

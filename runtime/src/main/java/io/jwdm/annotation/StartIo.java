package io.jwdm.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an instance method of a driver class as the driver's StartIo routine (the WDK's DRIVER_STARTIO role).
 *
 * <p>Signature: {@code void m(DeviceObject device, Irp irp)}. The method may not be private, static or abstract, may not be generic and
 * may not declare checked exceptions.
 *
 * <p>At most one per driver. The I/O manager calls it at DISPATCH_LEVEL for each IRP that a dispatch routine queued with IoStartPacket.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface StartIo {}

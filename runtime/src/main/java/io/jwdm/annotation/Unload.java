package io.jwdm.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an instance method of a driver class as the driver's Unload routine (the WDK's DRIVER_UNLOAD role).
 *
 * <p>Signature: {@code void m(DriverObject driver)}. The method may not be private, static or abstract, may not be generic and
 * may not declare checked exceptions.
 *
 * <p>Exactly one per driver; only a {@code @LegacyDriver(permanent = true)} may leave it out. The I/O manager calls it at PASSIVE_LEVEL when the driver is unloaded. It releases everything the driver acquired: a legacy driver deletes its symbolic links and device objects; every driver frees its pool, cancels its timers and DPCs, and unregisters its callbacks.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Unload {}

package io.jwdm.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an instance method of a driver class as the driver's initialization routine (the WDK's DRIVER_INITIALIZE role).
 *
 * <p>Signature: {@code NtStatus m(DriverObject driver, String registryPath)}. The method may not be private, static or abstract, may not be generic and
 * may not declare checked exceptions.
 *
 * <p>At most one per driver. The generated glue is the real DriverEntry: it fills the driver object's dispatch table from the annotations, then calls this method and returns its status. A warning or error status means the driver is not loaded and its Unload routine is never called, so on that path the method must release whatever it created. The registry path string is the driver's service key; copy what you need from it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface DriverEntry {}

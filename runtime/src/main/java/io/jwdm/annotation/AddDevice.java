package io.jwdm.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an instance method of a driver class as the driver's AddDevice routine (the WDK's DRIVER_ADD_DEVICE role).
 *
 * <p>Signature: {@code NtStatus m(DriverObject driver, DeviceObject physicalDeviceObject)}. The method may not be private, static or abstract, may not be generic and
 * may not declare checked exceptions.
 *
 * <p>Exactly one in a {@link WdmDriver}, none in a {@link LegacyDriver}. The PnP manager calls it for each device the driver serves. It creates a device object, attaches it above {@code physicalDeviceObject} and clears {@code DO_DEVICE_INITIALIZING}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface AddDevice {}

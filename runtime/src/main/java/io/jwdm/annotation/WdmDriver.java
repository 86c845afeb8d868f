package io.jwdm.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a WDM (Plug and Play) driver.
 *
 * <p>A WDM driver is loaded by the PnP manager when a device it serves appears, and is unloaded
 * when its last device is removed. It must provide {@link DriverEntry} (optional in jwdm, since the
 * generated glue is the real DriverEntry), {@link AddDevice}, {@link Dispatch} routines for at
 * least {@code PNP} and {@code POWER}, and an {@link Unload} routine.
 *
 * <pre>{@code
 * @WdmDriver(hardwareIds = "ROOT\\TOASTER")
 * public class Toaster {
 *   @AddDevice NtStatus addDevice(DriverObject driver, DeviceObject pdo) { ... }
 *   @Dispatch(MajorFunction.PNP) NtStatus dispatchPnp(DeviceObject device, Irp irp) { ... }
 *   @Dispatch(MajorFunction.POWER) NtStatus dispatchPower(DeviceObject device, Irp irp) { ... }
 *   @Unload void unload(DriverObject driver) { }
 * }
 * }</pre>
 *
 * <p>The jwdm processor checks the class at compile time and generates its glue,
 * {@code <SimpleName>_DriverGlue}, registered as a {@code io.jwdm.spi.DriverGlue} service.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface WdmDriver {
  /** The driver's name, as the service name of its INF. Empty means the class's simple name. */
  String name() default "";

  /**
   * The PnP hardware IDs this driver serves, as its INF lists them (for example
   * {@code "ROOT\\TOASTER"} or {@code "PCI\\VEN_8086&DEV_100E"}). The PnP manager loads the driver
   * for a device that reports one of them.
   */
  String[] hardwareIds() default {};

  /**
   * Whether the driver is the function driver of those devices or a filter above or below it.
   * Defaults to {@link DriverRole#FUNCTION}.
   */
  DriverRole role() default DriverRole.FUNCTION;
}

package io.jwdm.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class as a legacy (non-PnP, NT-style) driver.
 *
 * <p>A legacy driver is loaded and unloaded explicitly, as a service is started and stopped. Its
 * DriverEntry creates its device objects and symbolic links itself, and its {@link Unload} routine
 * must delete them again. It has no {@link AddDevice} routine and needs at least one
 * {@link Dispatch} routine.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface LegacyDriver {
  /** The driver's name, as its service name. Empty means the class's simple name. */
  String name() default "";

  /**
   * Declares a driver that is never unloaded, such as a boot keyboard driver. It is the only way
   * to leave out {@link Unload}. The kernel refuses to unload such a driver, and a kernel whose
   * verifier is enabled for it refuses to load it, as Driver Verifier fails any driver without an
   * Unload routine.
   */
  boolean permanent() default false;
}

/**
 * The jwdm driver DSL: a driver is a class annotated {@link io.jwdm.annotation.WdmDriver} or
 * {@link io.jwdm.annotation.LegacyDriver}, whose routines are instance methods annotated
 * {@link io.jwdm.annotation.DriverEntry}, {@link io.jwdm.annotation.AddDevice},
 * {@link io.jwdm.annotation.Dispatch}, {@link io.jwdm.annotation.StartIo} and
 * {@link io.jwdm.annotation.Unload}.
 *
 * <p>The jwdm processor checks every driver against the WDK's rules at compile time and generates
 * the glue that wires it into the kernel. Annotations have CLASS retention: the kernel never reads
 * them reflectively.
 */
package io.jwdm.annotation;

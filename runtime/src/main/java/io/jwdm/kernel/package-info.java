/**
 * The kernel as a driver sees it: the objects its routines receive ({@link
 * io.jwdm.kernel.DriverObject}, {@link io.jwdm.kernel.DeviceObject}, {@link io.jwdm.kernel.Irp},
 * {@link io.jwdm.kernel.IoStackLocation}, ...), the values ({@link io.jwdm.kernel.NtStatus},
 * {@link io.jwdm.kernel.MajorFunction}, {@link io.jwdm.kernel.Irql}, the {@link io.jwdm.kernel.Wdm}
 * constants) and the services ({@link io.jwdm.kernel.KernelServices}), each named after the WDK
 * routine it mirrors.
 *
 * <p>Everything here is what a driver may use. The kernel implementing it lives elsewhere and is
 * never imported by drivers.
 */
package io.jwdm.kernel;

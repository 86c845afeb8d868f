/**
 * The simulated kernel, as a host (a test, a tool) boots and drives it: {@link
 * io.jwdm.host.Kernel} with its I/O manager, PnP manager and object namespace, the caller's
 * {@link io.jwdm.host.Handle}s, and the reports ({@link io.jwdm.host.BugCheck}, {@link
 * io.jwdm.host.Leak}, {@link io.jwdm.host.TraceEvent}). Drivers never import this package.
 *
 * <h2>The rules it follows</h2>
 * <ul>
 *   <li>Loading creates the driver object and runs DriverEntry at PASSIVE_LEVEL. A warning or error
 *       status means the driver is not loaded and its Unload routine is never called; what it left
 *       behind is reported as a leak.
 *   <li>A WDM driver is loaded by the PnP manager for a device with one of its hardware IDs: lower
 *       filters, function driver, upper filters, each with AddDevice, then IRP_MN_START_DEVICE.
 *       When its last device is removed it is unloaded. An explicit unload of it is refused with
 *       STATUS_INVALID_DEVICE_REQUEST.
 *   <li>A legacy driver is unloaded on request; without an Unload routine the request is refused.
 *       The driver is then "unload pending": no new opens or attachments, while IRPs in flight
 *       complete. Unload runs when no handle is open, no IRP is outstanding and no other routine of
 *       the driver is running; no IRP reaches the driver after it returns.
 *   <li>An IRP is completed once; a second IoCompleteRequest is bug check 0x44. A routine that
 *       throws is bug check 0x1E. A service called above its IRQL limit is bug check 0xA.
 * </ul>
 *
 * <h2>Where the simulation simplifies</h2>
 * <ul>
 *   <li>The host thread that calls into a kernel is adopted as a kernel thread at PASSIVE_LEVEL
 *       and runs the routines the call causes; deferred work (an unload or removal that waited for
 *       references) runs when the outermost host call returns. Unload therefore runs on a thread
 *       that is, for the duration, a kernel system thread.
 *   <li>IRQL is tracked per thread, as if each thread had its own processor.
 *   <li>A wait that nothing can satisfy within {@link io.jwdm.host.KernelOptions#waitTimeout()}
 *       stops the system with jwdm's own bug check {@link io.jwdm.host.BugCheck#JWDM_HANG_DETECTED}
 *       instead of hanging it; a host's synchronous I/O first cancels its IRP.
 *   <li>Objects a driver leaves behind are recorded in {@link io.jwdm.host.Kernel#leaks()} and then
 *       reclaimed, so the kernel stays consistent and the driver can be loaded again.
 * </ul>
 */
package io.jwdm.host;

/**
 * A JUnit 5 extension that runs each test against a fresh simulated kernel and fails it when a
 * driver leaks, stops the system, or stays loaded.
 *
 * <pre>{@code
 * @KernelTest(drivers = Sioctl_DriverGlue.class, verifier = VerifierFlags.STANDARD)
 * class SioctlTest {
 *   @Test
 *   void answersAnIoctl(Kernel kernel) {
 *     try (Handle h = kernel.open("\\\\.\\IoctlTest")) {
 *       assertEquals(NtStatus.SUCCESS, h.deviceIoControl(IOCTL, input, 64).status());
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>{@link io.jwdm.testing.KernelTest} configures the kernel and names the drivers,
 * {@link io.jwdm.testing.InjectKernel} marks a field that receives it, and a test that leaves the
 * kernel unclean fails with a {@link io.jwdm.testing.KernelNotCleanError} carrying the kernel's
 * report. {@link io.jwdm.testing.KernelExtension#SEED_PROPERTY} replays a failing test's seed.
 */
package io.jwdm.testing;

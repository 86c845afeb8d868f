package io.jwdm.testing;

import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.SchedulerMode;
import io.jwdm.host.VerifierFlags;
import io.jwdm.spi.DriverGlue;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test against a fresh simulated {@link Kernel}, with its drivers loaded, and fails the
 * test if a driver left anything behind.
 *
 * <pre>{@code
 * @KernelTest(drivers = Sioctl_DriverGlue.class)
 * class SioctlTest {
 *   @Test
 *   void answersAnIoctl(Kernel kernel) {
 *     try (Handle h = kernel.open("\\\\.\\IoctlTest")) {
 *       assertEquals(NtStatus.SUCCESS, h.deviceIoControl(IOCTL_SIOCTL_METHOD_BUFFERED, input, 64)
 *           .status());
 *     }
 *   }
 * }
 * }</pre>
 *
 * <p>For each test, before any {@code @BeforeEach} method, {@link KernelExtension}:
 * <ol>
 *   <li>boots a kernel with the options below: Driver Verifier {@code /standard} for every driver,
 *       the deterministic scheduler and seed 0 unless this annotation says otherwise;
 *   <li>installs the {@link #drivers()} in order, running DriverEntry for the legacy ones (WDM
 *       drivers wait, as on Windows, for a device with one of their hardware IDs:
 *       {@link Kernel#plugIn}), then loads the {@link #images()};
 *   <li>hands the kernel to the test: a parameter of type {@link Kernel} of the test method or of a
 *       {@code @BeforeEach} or {@code @AfterEach} method, or a field annotated
 *       {@link InjectKernel}.
 * </ol>
 *
 * <p>After the test and its {@code @AfterEach} methods, it tears the kernel down as an
 * administrator would: it notes every handle still open (a leak the test is told about) and closes
 * it, removes every device still plugged in (surprise-removing one whose removal a driver vetoes),
 * unloads every image and every legacy driver, and waits for pending unloads. The test then fails
 * with a {@link KernelNotCleanError} carrying the kernel's full report
 * ({@link io.jwdm.host.KernelReport#renderText()}) if the system stopped with a bug check, a driver
 * left an object behind (each named with the stack that created it), a handle was left open, a
 * driver stayed loaded, the kernel traced a violation, or an image stayed in memory after its
 * unload. A permanent legacy driver ({@code @LegacyDriver(permanent = true)}), which no one can
 * unload, may stay.
 *
 * <p>The seed of every random choice the kernel makes is {@link #seed()}; the configuration
 * parameter (or system property) {@value KernelExtension#SEED_PROPERTY} overrides it for every
 * test, to replay a failure ({@code -Djwdm.seed=42}) or to explore ({@code -Djwdm.seed=random}
 * draws a fresh seed per test). A failing test names its seed: in the failure itself, as a
 * {@code jwdm.seed} report entry, and on standard error.
 *
 * <p>On a class, the annotation applies to every test in it, in its subclasses and in its
 * {@code @Nested} classes. On a method (next to {@code @Test}), it replaces the class's for that
 * test: the nearest annotation wins as a whole, attributes are not merged. It may also be used as
 * a meta-annotation, to name a set of drivers and options once.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(KernelExtension.class)
public @interface KernelTest {
  /**
   * The drivers to install, by their generated glue class (such as {@code Sioctl_DriverGlue}),
   * in order. Each legacy driver is loaded (DriverEntry runs) unless {@link #load()} is false; a
   * DriverEntry that fails fails the test. WDM drivers are installed only: plugging in a device
   * with one of their hardware IDs loads them. Each glue class needs a public no-argument
   * constructor, as generated glue has.
   */
  Class<? extends DriverGlue>[] drivers() default {};

  /**
   * Driver images to load with {@link Kernel#loadImage}, in order, after {@link #drivers()}: jars,
   * or classes directories, compiled with the jwdm processor. A relative path is resolved against
   * the working directory, which Maven and Gradle set to the module's directory (so
   * {@code "target/classes"} is the module's own drivers). Loading an image runs DriverEntry for
   * its legacy drivers and installs its WDM drivers; a refused image fails the test.
   */
  String[] images() default {};

  /**
   * Whether the legacy {@link #drivers()} are loaded before the test. False installs them only, for
   * a test that loads them itself, such as a test of a failing DriverEntry. Images are always
   * loaded. Default true.
   */
  boolean load() default true;

  /**
   * The Driver Verifier flags for every driver ({@link KernelOptions.Builder#verifierForAll}), as
   * {@link VerifierFlags} constants, such as {@code VerifierFlags.POOL_TRACKING |
   * VerifierFlags.SPECIAL_POOL}; 0 turns the verifier off. Default {@link VerifierFlags#STANDARD},
   * {@code /standard}: leaked pool is bug check 0xC4 / 0x62, devices and links left at Unload
   * 0xCE, and so on.
   */
  int verifier() default VerifierFlags.STANDARD;

  /**
   * The kernel's seed ({@link KernelOptions#seed()}): the deterministic scheduler's interleaving and
   * the low-resources simulation draw from it. Default 0. The configuration parameter or system
   * property {@value KernelExtension#SEED_PROPERTY} overrides it.
   */
  long seed() default 0;

  /** How timers, DPCs, work items and system threads run. Default {@link SchedulerMode#DETERMINISTIC}. */
  SchedulerMode scheduler() default SchedulerMode.DETERMINISTIC;

  /**
   * The kernel's wait timeout ({@link KernelOptions#waitTimeout()}) in milliseconds: how long a
   * synchronous I/O waits for a pending IRP, how long a kernel wait waits before the kernel
   * declares a hang, and how long the teardown waits for a pending unload. 0, the default, keeps
   * the kernel's default (10 seconds).
   */
  long waitTimeoutMillis() default 0;

  /**
   * Whether the kernel runs in test-signing mode ({@link KernelOptions.Builder#testSigning}), so
   * that unsigned and test-signed {@link #images()} load, as on a development machine. Default
   * true.
   */
  boolean testSigning() default true;
}

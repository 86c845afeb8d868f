package io.jwdm.benchmarks;

import io.jwdm.benchmarks.drivers.BenchLink;
import io.jwdm.benchmarks.drivers.BenchLink_DriverGlue;
import io.jwdm.examples.sioctl.Sioctl_DriverGlue;
import io.jwdm.host.DriverImage;
import io.jwdm.host.Handle;
import io.jwdm.host.ImageUnloadResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row 3, the load/unload cycle, each in a freshly booted kernel with the deterministic scheduler
 * (the default), sampled one cycle at a time (JMH SampleTime: the median is p0.50).
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LoadUnloadBenchmark {
  static final String SIOCTL_LINK = "\\\\.\\IoctlTest";

  /** A class-path driver: its glue is a class of the application. */
  @State(Scope.Thread)
  public static class ClassPath {
    @Param({"Sioctl", "BenchLink"})
    public String driver;

    DriverGlue glue;
    String path;

    @Setup(Level.Trial)
    public void setUp() {
      glue = driver.equals("Sioctl") ? new Sioctl_DriverGlue() : new BenchLink_DriverGlue();
      path = driver.equals("Sioctl") ? SIOCTL_LINK : BenchLink.OPEN_PATH;
    }
  }

  /**
   * Boot, install, load (DriverEntry: a device and a link; Sioctl also allocates pool, registers
   * a process notify routine and starts a periodic timer), open and close a handle (CREATE,
   * CLEANUP, CLOSE), ZwUnloadDriver (Unload deletes what DriverEntry made), shut the kernel.
   */
  @Benchmark
  public Kernel classPathCycle(ClassPath state) {
    Kernel kernel = Kernel.boot();
    cycle(kernel, state.glue, state.path);
    return kernel;
  }

  static void cycle(Kernel kernel, DriverGlue glue, String path) {
    NtStatus loaded = kernel.loadDriver(glue);
    if (!loaded.isSuccess()) {
      throw new IllegalStateException("DriverEntry: " + loaded);
    }
    kernel.open(path).close();
    NtStatus unloaded = kernel.unloadDriver(glue.driverName());
    if (!unloaded.isSuccess()) {
      throw new IllegalStateException("unload: " + unloaded);
    }
    kernel.close();
  }

  /** The examples jar as a driver image, each cycle in a class loader of its own. */
  @State(Scope.Thread)
  public static class Image {
    Path jar;
    KernelOptions options;
    int classesPerImage;
    long unloadedBefore;
    long cycles;
    int collections;

    @Setup(Level.Trial)
    public void setUp() {
      jar = Images.examplesJar();
      options = Images.trusting(jar).build();
      classesPerImage = Images.classCount(jar);
    }

    @Setup(Level.Iteration)
    public void startCounting() {
      unloadedBefore = ManagementFactory.getClassLoadingMXBean().getUnloadedClassCount();
      cycles = 0;
    }

    /** The GC proof of this iteration's images, outside the timed part. */
    @TearDown(Level.Iteration)
    public void proveCollected() {
      collections = Images.proveCollected(unloadedBefore, cycles, classesPerImage);
    }
  }

  /**
   * Boot; load the image (read the jar into memory, verify its signature against the trust store,
   * define and link all its classes in a new class loader, find the glue with ServiceLoader,
   * install Sioctl, Toaster and ToasterFilter, run Sioctl's DriverEntry); open and close Sioctl's
   * link; ZwUnloadDriver (Unload); shut the kernel and drop it: nothing references the image's
   * class loader any more. The GC proof that every loader was collected runs after the iteration.
   */
  @Benchmark
  @Warmup(iterations = 5, time = 2)
  public Kernel imageCycle(Image state) {
    Kernel kernel = Kernel.boot(state.options);
    DriverImage image = kernel.loadImage(state.jar);
    if (!image.driverNames().contains("Sioctl")) {
      throw new IllegalStateException("no Sioctl in " + image);
    }
    kernel.open(SIOCTL_LINK).close();
    NtStatus unloaded = kernel.unloadDriver("Sioctl");
    if (!unloaded.isSuccess()) {
      throw new IllegalStateException("unload: " + unloaded);
    }
    kernel.close();
    state.cycles++;
    return kernel;
  }

  /**
   * A one-driver image, the size of Felix's one-activator bundle: BenchLink's class and its glue
   * (with its services file) written into a jar at setup by the subclass, and the kernel options
   * that load it. Counts the cycles of each iteration for the GC proof after it.
   */
  public abstract static class OneDriverImage {
    Path jar;
    KernelOptions options;
    long unloadedBefore;
    long cycles;

    @Setup(Level.Iteration)
    public void startCounting() {
      unloadedBefore = ManagementFactory.getClassLoadingMXBean().getUnloadedClassCount();
      cycles = 0;
    }

    @TearDown(Level.Iteration)
    public void proveCollected() {
      Images.proveCollected(unloadedBefore, cycles, 2);
    }

    @TearDown(Level.Trial)
    public void delete() throws java.io.IOException {
      java.nio.file.Files.deleteIfExists(jar);
    }
  }

  /** The one-driver image unsigned, so the kernel boots in test-signing mode. */
  @State(Scope.Thread)
  public static class SmallImage extends OneDriverImage {
    @Setup(Level.Trial)
    public void setUp() throws java.io.IOException {
      jar = Images.oneDriverJar(BenchLink.class, BenchLink_DriverGlue.class);
      options = KernelOptions.builder().testSigning(true).build();
    }
  }

  /**
   * The one-driver image signed with the examples build's test-signing key (as the examples jar
   * is), and a kernel that trusts that key and enforces driver signing.
   */
  @State(Scope.Thread)
  public static class SignedSmallImage extends OneDriverImage {
    @Setup(Level.Trial)
    public void setUp() throws java.io.IOException {
      Path examples = Images.examplesJar();
      jar = Images.signedOneDriverJar(BenchLink.class, BenchLink_DriverGlue.class, examples);
      options = Images.trusting(examples).build();
      if (options.testSigning()) {
        throw new IllegalStateException("the kernel would not enforce driver signing");
      }
    }
  }

  /** {@link #imageCycle} for the one-driver image of {@link SmallImage}. */
  @Benchmark
  @Warmup(iterations = 5, time = 2)
  public Kernel imageCycleOneDriver(SmallImage state) {
    return oneDriverCycle(state, DriverImage.Signing.UNSIGNED);
  }

  /**
   * {@link #imageCycleOneDriver} for the signed one-driver image of {@link SignedSmallImage}: the
   * load also verifies its signature (entry digests, the signature block) and anchors its signer
   * in the trust store.
   */
  @Benchmark
  @Warmup(iterations = 5, time = 2)
  public Kernel imageCycleOneDriverSigned(SignedSmallImage state) {
    return oneDriverCycle(state, DriverImage.Signing.TRUSTED);
  }

  private static Kernel oneDriverCycle(OneDriverImage state, DriverImage.Signing expected) {
    Kernel kernel = Kernel.boot(state.options);
    DriverImage image = kernel.loadImage(state.jar);
    if (image.signing() != expected) {
      throw new IllegalStateException("expected " + expected + ": " + image);
    }
    kernel.open(BenchLink.OPEN_PATH).close();
    NtStatus unloaded = kernel.unloadDriver("BenchLink");
    if (!unloaded.isSuccess()) {
      throw new IllegalStateException("unload: " + unloaded);
    }
    kernel.close();
    state.cycles++;
    return kernel;
  }

  /** The image cycle through the kernel's own image unload, with its GC proof inside. */
  @State(Scope.Thread)
  public static class ImageUnload {
    Path jar;
    KernelOptions options;

    @Setup(Level.Trial)
    public void setUp() {
      jar = Images.examplesJar();
      options = Images.trusting(jar).build();
    }
  }

  /**
   * As {@link #imageCycle}, but the image goes with {@code Kernel.unloadImage}: it unloads
   * Sioctl, uninstalls the three drivers, drops the kernel's references, then requests full
   * collections until the image's class loader is collected (its GC proof, timed here).
   */
  @Benchmark
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 3, time = 2)
  public ImageUnloadResult imageCycleWithUnloadImage(ImageUnload state) {
    Kernel kernel = Kernel.boot(state.options);
    DriverImage image = kernel.loadImage(state.jar);
    kernel.open(SIOCTL_LINK).close();
    ImageUnloadResult result = kernel.unloadImage(image);
    if (!result.isGone()) {
      throw new IllegalStateException(result.render());
    }
    kernel.close();
    return result;
  }
}

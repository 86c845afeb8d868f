package io.jwdm.host.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwdm.host.DriverImage;
import io.jwdm.host.ImageUnloadResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load, I/O and unload of a driver image (a legacy driver after the WDK's sioctl), over and over in
 * one JVM and one kernel: every image's class loader is collected, metaspace stays flat, and no
 * kernel object is left behind.
 *
 * <p>It runs {@value #DEFAULT_CYCLES} cycles by default, a few seconds. The full run is
 * <pre>
 * mvn -B -pl runtime test -Dtest=ImageStressTest -Djwdm.imageCycles=10000
 * </pre>
 * and prints the cycles, the class loaders collected, metaspace used before and after, and the
 * kernel objects left.
 */
class ImageStressTest {
  static final int DEFAULT_CYCLES = 100;
  private static final int WARM_UP = 10;
  /** Growth of metaspace allowed over the whole run: far less than one image per cycle. */
  private static final long FLAT_BYTES = 4L << 20;

  @TempDir Path dir;

  @Test
  void loadIoUnloadCyclesCollectEveryImageKeepMetaspaceFlatAndLeaveNoKernelObject() {
    int cycles = Integer.getInteger("jwdm.imageCycles", DEFAULT_CYCLES);
    Path jar = TestImage.legacy("Sioctl").set("DEVICE", "IoctlTest").jar(dir);
    Kernel kernel = Kernel.boot(KernelOptions.builder().testSigning(true).traceCapacity(1_000)
        .waitTimeout(Duration.ofSeconds(5)).build());
    for (int i = 0; i < WARM_UP; i++) {
      cycle(kernel, jar);
    }
    long before = metaspaceUsed();
    long started = System.nanoTime();
    int collected = 0;
    int mostCollections = 0;
    for (int i = 0; i < cycles; i++) {
      int collections = cycle(kernel, jar);
      collected++;
      mostCollections = Math.max(mostCollections, collections);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long after = metaspaceUsed();
    String left = kernel.drivers().size() + " drivers, " + kernel.deviceNodes().size()
        + " device nodes, " + kernel.openHandles().size() + " handles, " + kernel.leaks().size()
        + " leaks, " + kernel.images().size() + " images";
    System.out.printf("jwdm image stress: %d load -> I/O -> unload cycles of %s in one JVM"
        + " (after %d warm-up cycles), %.1f s%n", cycles, jar.getFileName(), WARM_UP, seconds);
    System.out.printf("  class loaders collected: %d of %d (at most %d full collection(s) each)%n",
        collected, cycles, mostCollections);
    System.out.printf("  metaspace used: before %d KiB, after %d KiB (%+d KiB)%n",
        before >> 10, after >> 10, (after - before) >> 10);
    System.out.printf("  kernel objects left: %s%n", left);

    assertEquals(cycles, collected);
    assertEquals("0 drivers, 0 device nodes, 0 handles, 0 leaks, 0 images", left);
    if (before >= 0) {
      assertTrue(after - before < FLAT_BYTES, "metaspace grew by " + ((after - before) >> 10)
          + " KiB over " + cycles + " cycles");
    }
  }

  /** One cycle; returns how many full collections it took for the image to go. */
  private static int cycle(Kernel kernel, Path jar) {
    DriverImage image = kernel.loadImage(jar);
    assertEquals("v1 #1", Io.ask(kernel, "\\\\.\\IoctlTest"));
    assertEquals("v1 #2", Io.ask(kernel, "\\\\.\\IoctlTest"));
    ImageUnloadResult result = kernel.unloadImage(image);
    if (!result.isGone()) {
      fail(result.render());
    }
    return result.release().orElseThrow().collections();
  }

  /** Metaspace used after full collections, or -1 if this JVM has no Metaspace pool. */
  private static long metaspaceUsed() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
    for (MemoryPoolMXBean pool : pools) {
      if (pool.getName().equals("Metaspace")) {
        return pool.getUsage().getUsed();
      }
    }
    return -1;
  }
}

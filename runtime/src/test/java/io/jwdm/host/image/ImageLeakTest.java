package io.jwdm.host.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.DriverImage;
import io.jwdm.host.Handle;
import io.jwdm.host.ImageLeak;
import io.jwdm.host.ImageLeak.HolderKind;
import io.jwdm.host.ImageRelease;
import io.jwdm.host.ImageUnloadResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deliberately leaky images: the kernel drops its references at unload, the image's class loader
 * survives anyway, and the leak report names what holds it. Each test then removes the holder and
 * checks the loader is collected after all, which proves the report named the right thing.
 */
class ImageLeakTest {
  @TempDir Path dir;

  private final Kernel kernel = Kernel.boot(KernelOptions.builder().testSigning(true)
      .waitTimeout(Duration.ofSeconds(2)).build());
  private final String token = LoaderProbe.token();
  private Handle kept;

  @AfterEach
  void stopLeftovers() throws InterruptedException {
    System.getProperties().remove("jwdm.test.leak." + token);
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().endsWith(token)) {
        thread.interrupt();
        thread.join(5_000);
      }
    }
  }

  private ImageLeak leakOf(DriverImage image) {
    ImageUnloadResult result = kernel.unloadImage(image);
    assertEquals(ImageUnloadResult.Outcome.UNLOADED, result.outcome(), result::render);
    assertFalse(kernel.isLoaded(image.driverNames().get(0)), "the driver itself is unloaded");
    assertFalse(kernel.images().contains(image), "and uninstalled");
    ImageRelease release = result.release().orElseThrow();
    assertFalse(release.collected(), result::render);
    return release.leak().orElseThrow();
  }

  private static ImageLeak.Holder holder(ImageLeak leak, HolderKind kind) {
    return leak.holders().stream().filter(h -> h.kind() == kind).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " holder in:\n" + leak.render()));
  }

  private void stopThread() throws InterruptedException {
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().endsWith(token)) {
        thread.interrupt();
        thread.join(5_000);
        assertFalse(thread.isAlive());
      }
    }
  }

  @Test
  void aThreadTheDriverStartedAndNeverStoppedIsNamedWithTheImageCodeItRuns()
      throws InterruptedException {
    DriverImage image = kernel.loadImage(TestImage.legacy("Leaky").set("ON_ENTRY", """
        Thread worker = new Thread(() -> {
          while (true) {
            try {
              Thread.sleep(60_000);
            } catch (InterruptedException stop) {
              return;
            }
          }
        }, "leaky-worker-%s");
        worker.setDaemon(true);
        worker.start();
        """.formatted(token)).jar(dir));

    ImageLeak leak = leakOf(image);

    ImageLeak.Holder thread = holder(leak, HolderKind.THREAD);
    assertTrue(thread.description().contains("\"leaky-worker-" + token + "\""), leak::render);
    assertTrue(thread.description().contains("runs image code at img.leaky.Leaky.lambda$"),
        leak::render);
    assertTrue(leak.render().contains(image.id()), leak::render);
    stopThread();
    assertTrue(leak.awaitCollected(), "stopping the named thread frees the image");
  }

  @Test
  void aThreadWithTheImageAsContextClassLoaderIsNamedEvenWithoutImageFrames()
      throws InterruptedException {
    DriverImage image = kernel.loadImage(TestImage.legacy("Leaky").set("ON_ENTRY", """
        Thread waiter = new Thread(java.util.concurrent.locks.LockSupport::park,
            "parked-%s");
        waiter.setContextClassLoader(getClass().getClassLoader());
        waiter.setDaemon(true);
        waiter.start();
        """.formatted(token)).jar(dir));

    ImageLeak leak = leakOf(image);

    ImageLeak.Holder thread = holder(leak, HolderKind.THREAD);
    assertTrue(thread.description().contains("parked-" + token), leak::render);
    assertFalse(thread.description().contains("runs image code"), leak::render);
    assertTrue(thread.description().contains("context class loader"), leak::render);
    stopThread();
    assertTrue(leak.awaitCollected());
  }

  @Test
  void aDriverThatStoresItselfInTheSystemPropertiesIsFoundThere() {
    String key = "jwdm.test.leak." + token;
    DriverImage image = kernel.loadImage(TestImage.legacy("Hoarder")
        .set("ON_ENTRY", "System.getProperties().put(\"" + key + "\", this);").jar(dir));

    ImageLeak leak = leakOf(image);

    ImageLeak.Holder registry = holder(leak, HolderKind.JDK_REGISTRY);
    assertEquals("System.getProperties()[" + key + "] is an instance of image class"
        + " img.hoarder.Hoarder", registry.description());
    System.getProperties().remove(key);
    assertTrue(leak.awaitCollected());
  }

  @Test
  void anObjectHandedToAnotherLoadedDriverIsFoundThroughTheKernelsObjects() {
    String key = "jwdm.test.leak." + token;
    DriverImage giver = kernel.loadImage(TestImage.legacy("Giver")
        .set("MEMBERS", "static final class Gift {}")
        .set("ON_ENTRY", "System.getProperties().put(\"" + key + "\", new Gift());").jar(dir));
    DriverImage keeper = kernel.loadImage(TestImage.legacy("Keeper")
        .set("EXTENSION", "System.getProperties().remove(\"" + key + "\")").jar(dir));

    ImageLeak leak = leakOf(giver);

    ImageLeak.Holder object = holder(leak, HolderKind.KERNEL_OBJECT);
    assertTrue(object.description().contains("<\\Driver\\Keeper>"), leak::render);
    assertTrue(object.description().contains(".extension is an instance of image class"
        + " img.giver.Giver$Gift"), leak::render);
    assertTrue(kernel.unloadImage(keeper).isGone());
    assertTrue(leak.awaitCollected());
  }

  @Test
  void aClosedHandleTheHostKeepsDoesNotKeepTheImageAlive() {
    DriverImage image = kernel.loadImage(TestImage.legacy("Echo").set("EXTENSION", "this")
        .jar(dir));
    kept = kernel.open("\\\\.\\Echo", "host");
    kept.close();

    // The kernel drops a deleted device's extension and a closed file's context, so the handle
    // the host still holds reaches no object of the image.
    ImageUnloadResult result = kernel.unloadImage(image);

    assertEquals(ImageUnloadResult.Outcome.UNLOADED, result.outcome(), result::render);
    assertTrue(result.release().orElseThrow().collected(), result::render);
    assertTrue(kept != null && !kept.isOpen());
  }
}

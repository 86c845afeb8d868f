package io.jwdm.host;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.Set;

/**
 * What the kernel keeps of an image to prove it is gone: a weak reference to its class loader,
 * and names only (its loader's name and its class names), never a strong reference to anything of
 * the image.
 */
final class ImageTracker {
  final DriverImage image;
  final String loaderName;
  final Set<String> classNames;
  private final ReferenceQueue<ClassLoader> queue = new ReferenceQueue<>();
  private final WeakReference<ClassLoader> loader;

  ImageTracker(DriverImage image, ClassLoader loader, Set<String> classNames) {
    this.image = image;
    this.loaderName = loader.getName();
    this.classNames = Set.copyOf(classNames);
    this.loader = new WeakReference<>(loader, queue);
  }

  /** The loader if it is still alive: only for explaining a leak, never to keep. */
  ClassLoader loaderIfAlive() {
    return loader.get();
  }

  boolean collected() {
    return loader.refersTo(null);
  }

  /** Waits up to {@code millis} for the collector to clear the reference. */
  boolean awaitCleared(long millis) throws InterruptedException {
    if (collected()) {
      return true;
    }
    return queue.remove(Math.max(1, millis)) != null || collected();
  }
}

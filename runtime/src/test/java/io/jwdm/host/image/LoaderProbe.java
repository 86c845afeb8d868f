package io.jwdm.host.image;

import java.lang.ref.WeakReference;
import java.util.UUID;

/**
 * The test's side channel to an image's class loader: an image built with
 * {@link TestImage#probe(String)} publishes a weak reference to its loader as a system property
 * when its glue class initializes. The test takes it (removing the property) and asks whether the
 * loader was collected, without ever holding the loader strongly.
 */
final class LoaderProbe {
  private LoaderProbe() {}

  /** A fresh token. */
  static String token() {
    return UUID.randomUUID().toString();
  }

  /** The system property an image built with {@code probe(token)} publishes. */
  static String key(String token) {
    return "jwdm.test.imageLoader." + token;
  }

  /** Takes the published reference; fails if the image never published it. */
  @SuppressWarnings("unchecked")
  static WeakReference<ClassLoader> take(String token) {
    Object published = System.getProperties().remove(key(token));
    if (!(published instanceof WeakReference)) {
      throw new AssertionError("the image did not publish its loader under " + key(token));
    }
    return (WeakReference<ClassLoader>) published;
  }

  /** Collects, a bounded number of times, until the reference is cleared. */
  static boolean collected(WeakReference<?> reference) {
    for (int attempt = 0; attempt < 20; attempt++) {
      if (reference.refersTo(null)) {
        return true;
      }
      System.gc();
      try {
        Thread.sleep(25);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return reference.refersTo(null);
  }
}

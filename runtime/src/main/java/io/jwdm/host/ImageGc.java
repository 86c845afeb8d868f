package io.jwdm.host;

/**
 * A bounded, deterministic wait for an image's class loader to be collected, the technique of
 * OpenJDK's {@code ForceGC} and Guava's {@code GcFinalization}: request a full collection
 * ({@link System#gc()}), then wait on the reference queue for the loader's weak reference to be
 * cleared, with a growing wait, for at most {@value #ATTEMPTS} collections. A loader nothing
 * reaches is normally gone after the first. The bound is in collections, not in wall-clock time,
 * so the verdict does not depend on how loaded the machine is; a JVM started with
 * {@code -XX:+DisableExplicitGC} or {@code -XX:-ClassUnloading} cannot give it, which a leak report
 * then says.
 */
final class ImageGc {
  /** How many collections the wait requests at most. */
  static final int ATTEMPTS = 8;
  private static final long FIRST_WAIT_MILLIS = 10;
  private static final long MAX_WAIT_MILLIS = 250;

  private ImageGc() {}

  /**
   * Collects until the tracker's loader is gone.
   *
   * @return how many collections it took (0 if it was gone already), or -1 if it survived
   *     {@value #ATTEMPTS}
   */
  static int awaitCollected(ImageTracker tracker) {
    if (tracker.collected()) {
      return 0;
    }
    long wait = FIRST_WAIT_MILLIS;
    boolean interrupted = false;
    try {
      for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
        System.gc();
        try {
          if (tracker.awaitCleared(wait)) {
            return attempt;
          }
        } catch (InterruptedException interruption) {
          interrupted = true;
        }
        wait = Math.min(MAX_WAIT_MILLIS, wait * 2);
      }
      return tracker.collected() ? ATTEMPTS : -1;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Why this JVM cannot collect class loaders on request, or null if it can. */
  static String collectionDisabled() {
    try {
      for (String argument
          : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
        if (argument.equals("-XX:+DisableExplicitGC") || argument.equals("-XX:-ClassUnloading")) {
          return "the JVM runs with " + argument;
        }
      }
    } catch (RuntimeException | LinkageError unavailable) {
      return null;
    }
    return null;
  }
}

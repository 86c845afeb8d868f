package io.jwdm.benchmarks;

import io.jwdm.host.Kernel;

/** What every benchmark proves after its measurement: the kernel ran clean. */
final class Checks {
  private Checks() {}

  /** Throws unless {@code kernel} has no bug check and no leak. */
  static void clean(Kernel kernel) {
    kernel.bugCheck().ifPresent(check -> {
      throw new IllegalStateException("bug check: " + check);
    });
    if (!kernel.leaks().isEmpty()) {
      throw new IllegalStateException("leaks: " + kernel.leaks());
    }
  }
}

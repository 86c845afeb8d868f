package io.jwdm.testing;

/**
 * Added to a failing test's exception as a suppressed exception: the kernel seed that replays it.
 * It carries no stack trace of its own.
 */
final class ReplaySeed extends Exception {
  private static final long serialVersionUID = 1L;

  ReplaySeed(long seed) {
    super("the test ran with kernel seed " + seed + "; replay it with -D"
        + KernelExtension.SEED_PROPERTY + "=" + seed, null, false, false);
  }
}

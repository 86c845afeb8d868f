package io.jwdm.kernel;

/**
 * Interrupt request levels, as the kernel tracks them per processor (here: per kernel thread).
 * A service may be called only at or below its documented level.
 */
public enum Irql {
  /** {@code PASSIVE_LEVEL} (0): threads run here; all services are allowed. */
  PASSIVE_LEVEL(0),
  /** {@code APC_LEVEL} (1): APCs are masked. */
  APC_LEVEL(1),
  /** {@code DISPATCH_LEVEL} (2): StartIo, DPCs, and code holding a spin lock. No waits, no paged pool. */
  DISPATCH_LEVEL(2),
  /** A device IRQL: interrupt service routines. */
  DIRQL(12),
  /** {@code HIGH_LEVEL} (15). */
  HIGH_LEVEL(15);

  private final int level;

  Irql(int level) {
    this.level = level;
  }

  /** The numeric level. */
  public int level() {
    return level;
  }

  /** True if this level is above {@code other}. */
  public boolean isAbove(Irql other) {
    return level > other.level;
  }
}

package io.jwdm.kernel;

/** A spin lock ({@code KSPIN_LOCK}), from {@link KernelServices#keInitializeSpinLock}. */
public interface KSpinLock {
  /** True while some thread holds it. */
  boolean isHeld();
}

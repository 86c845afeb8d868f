package io.jwdm.kernel;

/** A fast mutex ({@code FAST_MUTEX}), from {@link KernelServices#exInitializeFastMutex}. */
public interface FastMutex {
  /** True while some thread holds it. */
  boolean isHeld();
}

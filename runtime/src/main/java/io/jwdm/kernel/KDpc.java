package io.jwdm.kernel;

/**
 * A deferred procedure call object ({@code KDPC}), from {@link KernelServices#keInitializeDpc}. A
 * queued DPC must run or be removed before its driver unloads (bug check 0xC7 otherwise).
 */
public interface KDpc {
  /** True while the DPC is in the DPC queue. */
  boolean isQueued();
}

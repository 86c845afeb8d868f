package io.jwdm.kernel;

/**
 * A kernel timer ({@code KTIMER}), from {@link KernelServices#keInitializeTimer}. Signaled when it
 * expires; a set timer must be cancelled before its driver unloads (bug check 0xC7 otherwise).
 */
public interface KTimer extends DispatcherObject {
  /** True while the timer is set (in the timer queue). */
  boolean isSet();
}

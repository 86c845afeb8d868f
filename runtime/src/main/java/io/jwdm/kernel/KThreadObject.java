package io.jwdm.kernel;

/**
 * A system thread ({@code PETHREAD}), from {@link KernelServices#psCreateSystemThread}. Signaled
 * when the thread has ended; a driver waits on it before unloading.
 */
public interface KThreadObject extends DispatcherObject {
  /** True once the thread has ended. */
  boolean isTerminated();
}

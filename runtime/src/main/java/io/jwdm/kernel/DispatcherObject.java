package io.jwdm.kernel;

/**
 * A dispatcher object: something a thread can wait on with {@link KernelServices#keWaitForSingleObject}
 * (an event, a timer, a thread). It is signaled or not.
 */
public interface DispatcherObject {
  /** True if the object is signaled now. */
  boolean isSignaled();
}

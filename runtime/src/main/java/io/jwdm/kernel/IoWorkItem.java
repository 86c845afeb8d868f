package io.jwdm.kernel;

/**
 * A work item ({@code IO_WORKITEM}), from {@link KernelServices#ioAllocateWorkItem}. While queued it
 * holds a reference on its device, which delays the driver's unload.
 */
public interface IoWorkItem {
  /** True while the item is queued or running. */
  boolean isQueued();
}

package io.jwdm.kernel;

/**
 * A remove lock ({@code IO_REMOVE_LOCK}), created by {@link KernelServices#ioInitializeRemoveLock}
 * and kept in the device extension. A driver acquires it for each IRP it handles and, on
 * REMOVE_DEVICE, releases it and waits until every other holder has released it.
 */
public interface IoRemoveLock {
  /** The number of outstanding acquisitions; for diagnostics. */
  int count();

  /** True once IoReleaseRemoveLockAndWait was called: further acquisitions fail. */
  boolean isRemoved();
}

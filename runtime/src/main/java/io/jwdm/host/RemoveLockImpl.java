package io.jwdm.host;

import io.jwdm.kernel.IoRemoveLock;

/** The kernel's remove lock. Guarded by the kernel lock. */
final class RemoveLockImpl implements IoRemoveLock {
  final String tag;
  int count;
  boolean removed;

  RemoveLockImpl(String tag) {
    this.tag = tag;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public boolean isRemoved() {
    return removed;
  }
}

package io.jwdm.host;

import io.jwdm.kernel.LookasideList;
import io.jwdm.kernel.PoolMemory;

/** The kernel's nonpaged lookaside lists over the pool. */
final class LookasideManager {
  private final KernelCore core;
  private final Services services;

  LookasideManager(KernelCore core, Services services) {
    this.core = core;
    this.services = services;
  }

  LookasideList initialize(int flags, int size, String tag, int depth) {
    throw new UnsupportedOperationException("ExInitializeNPagedLookasideList");
  }

  PoolMemory allocate(LookasideList lookaside) {
    throw new UnsupportedOperationException("ExAllocateFromNPagedLookasideList");
  }

  void free(LookasideList lookaside, PoolMemory entry) {
    throw new UnsupportedOperationException("ExFreeToNPagedLookasideList");
  }

  void delete(LookasideList lookaside) {
    throw new UnsupportedOperationException("ExDeleteNPagedLookasideList");
  }
}

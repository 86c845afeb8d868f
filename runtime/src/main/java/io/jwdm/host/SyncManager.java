package io.jwdm.host;

import io.jwdm.kernel.FastMutex;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KSpinLock;

/** The kernel's spin locks and fast mutexes, with Driver Verifier deadlock detection. */
final class SyncManager {
  private final KernelCore core;
  private final Services services;

  SyncManager(KernelCore core, Services services) {
    this.core = core;
    this.services = services;
  }

  KSpinLock initializeSpinLock() {
    throw new UnsupportedOperationException("KeInitializeSpinLock");
  }

  Irql acquireSpinLock(KSpinLock spinLock) {
    throw new UnsupportedOperationException("KeAcquireSpinLock");
  }

  void releaseSpinLock(KSpinLock spinLock, Irql newIrql) {
    throw new UnsupportedOperationException("KeReleaseSpinLock");
  }

  FastMutex initializeFastMutex() {
    throw new UnsupportedOperationException("ExInitializeFastMutex");
  }

  void acquireFastMutex(FastMutex fastMutex) {
    throw new UnsupportedOperationException("ExAcquireFastMutex");
  }

  void releaseFastMutex(FastMutex fastMutex) {
    throw new UnsupportedOperationException("ExReleaseFastMutex");
  }
}

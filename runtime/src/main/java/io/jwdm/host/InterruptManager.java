package io.jwdm.host;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.IoDpcRoutine;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KInterrupt;
import io.jwdm.kernel.KServiceRoutine;
import io.jwdm.kernel.KSpinLock;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;

/** The kernel's interrupt objects, ISRs and DpcForIsr. */
final class InterruptManager {
  private final KernelCore core;
  private final Services services;

  InterruptManager(KernelCore core, Services services) {
    this.core = core;
    this.services = services;
  }

  NtStatus connect(Out<KInterrupt> interruptObject, KServiceRoutine serviceRoutine,
      Object serviceContext, KSpinLock spinLock, int vector, Irql irql, Irql synchronizeIrql,
      int interruptMode, boolean shareVector, long processorEnableMask, boolean floatingSave) {
    throw new UnsupportedOperationException("IoConnectInterrupt");
  }

  void disconnect(KInterrupt interruptObject) {
    throw new UnsupportedOperationException("IoDisconnectInterrupt");
  }

  void initializeDpcRequest(DeviceObject device, IoDpcRoutine dpcRoutine) {
    throw new UnsupportedOperationException("IoInitializeDpcRequest");
  }

  void requestDpc(DeviceObject device, Irp irp, Object context) {
    throw new UnsupportedOperationException("IoRequestDpc");
  }

  /** The simulated hardware raises interrupt {@code vector}: runs the connected ISRs. */
  boolean raise(int vector) {
    throw new UnsupportedOperationException("interrupts");
  }
}

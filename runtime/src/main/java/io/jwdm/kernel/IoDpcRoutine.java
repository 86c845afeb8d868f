package io.jwdm.kernel;

/** A DpcForIsr routine ({@code IO_DPC_ROUTINE}), queued by {@link KernelServices#ioRequestDpc}. */
@FunctionalInterface
public interface IoDpcRoutine {
  /** Runs at DISPATCH_LEVEL on behalf of the ISR that requested it. */
  void run(KDpc dpc, DeviceObject device, Irp irp, Object context);
}

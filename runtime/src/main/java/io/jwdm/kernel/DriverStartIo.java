package io.jwdm.kernel;

/** A StartIo routine (the WDK's {@code DRIVER_STARTIO}), called at DISPATCH_LEVEL. */
@FunctionalInterface
public interface DriverStartIo {
  /** Starts the I/O operation described by {@code irp} on {@code device}. */
  void startIo(DeviceObject device, Irp irp);
}

package io.jwdm.kernel;

/** An Unload routine (the WDK's {@code DRIVER_UNLOAD}), called at PASSIVE_LEVEL. */
@FunctionalInterface
public interface DriverUnload {
  /** Releases everything the driver acquired, before its image is freed. */
  void unload(DriverObject driver);
}

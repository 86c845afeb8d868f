package io.jwdm.kernel;

/** A connected interrupt ({@code KINTERRUPT}), from {@link KernelServices#ioConnectInterrupt}. */
public interface KInterrupt {
  /** The interrupt vector it is connected to. */
  int vector();
}

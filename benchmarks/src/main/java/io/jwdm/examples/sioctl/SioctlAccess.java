package io.jwdm.examples.sioctl;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.NtStatus;

/**
 * A direct call of Sioctl's package-private CREATE/CLOSE routine, for the dispatch benchmark's
 * baseline: this class sits in Sioctl's package (the benchmarks run on the class path, so the
 * package is shared), and the JIT sees a plain static call into a plain instance method.
 */
public final class SioctlAccess {
  private SioctlAccess() {}

  /** {@code driver.sioctlCreateClose(device, irp)}. */
  public static NtStatus createClose(Sioctl driver, DeviceObject device, Irp irp) {
    return driver.sioctlCreateClose(device, irp);
  }
}

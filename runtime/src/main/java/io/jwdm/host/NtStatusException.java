package io.jwdm.host;

import io.jwdm.kernel.NtStatus;

/**
 * Thrown to a host (never to a driver) when a kernel request that has no result but success fails,
 * such as opening a device. Carries the status the kernel or driver returned.
 */
public final class NtStatusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient NtStatus status;

  /** Creates the exception for {@code status}, with what was attempted. */
  public NtStatusException(NtStatus status, String what) {
    super(what + ": " + status);
    this.status = status;
  }

  /** The failure status. */
  public NtStatus status() {
    return status;
  }
}

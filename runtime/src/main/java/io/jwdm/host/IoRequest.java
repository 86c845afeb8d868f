package io.jwdm.host;

import io.jwdm.kernel.NtStatus;
import java.time.Duration;

/**
 * An I/O request sent without waiting, as overlapped I/O: it completes when the driver completes
 * its IRP. Get one from {@link Handle#submitRead}, {@link Handle#submitWrite} or
 * {@link Handle#submitDeviceIoControl}.
 */
public final class IoRequest {
  private final IoManager io;
  private final KernelCore core;
  private final IrpImpl irp;
  private volatile IoResult result;

  IoRequest(IoManager io, KernelCore core, IrpImpl irp) {
    this.io = io;
    this.core = core;
    this.irp = irp;
  }

  static IoRequest completed(IoManager io, KernelCore core, IoResult result) {
    IoRequest request = new IoRequest(io, core, null);
    request.result = result;
    return request;
  }

  void complete(IoResult result) {
    this.result = result;
  }

  /** True once the IRP completed. */
  public boolean isDone() {
    return result != null;
  }

  /**
   * The result.
   *
   * @throws IllegalStateException if the request is still pending
   */
  public IoResult result() {
    IoResult done = result;
    if (done == null) {
      throw new IllegalStateException("the request is still pending; check isDone() or await()");
    }
    return done;
  }

  /**
   * Waits up to {@code timeout} for another thread to complete the request.
   *
   * @return true if it completed
   */
  public boolean await(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (core.lock) {
      while (result == null) {
        if (core.bugCheck() != null) {
          throw new SystemStoppedException(core.bugCheck());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          core.waitLocked(Math.max(1, left / 1_000_000));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Cancels the request, as {@code CancelIoEx}: calls IoCancelIrp, which runs the IRP's cancel
   * routine if the driver set one.
   *
   * @return true if a cancel routine was called
   */
  public boolean cancel() {
    if (irp == null || result != null) {
      return false;
    }
    return core.hostCall(() -> io.cancelIrp(irp));
  }

  /** Inside a host call: waits for completion; on timeout cancels, then waits once more. */
  IoResult awaitInKernel() {
    if (result != null) {
      return result;
    }
    if (!io.waitFor(() -> result != null)) {
      io.cancelIrp(irp);
      io.waitUntil(() -> result != null, irp.address,
          "synchronous " + Services.describe(irp) + ", cancelled after the wait timeout,");
    }
    return result;
  }

  @Override
  public String toString() {
    IoResult done = result;
    return "IoRequest[" + (done == null ? NtStatus.PENDING : done.status()) + "]";
  }
}

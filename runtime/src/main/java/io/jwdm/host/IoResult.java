package io.jwdm.host;

import io.jwdm.kernel.NtStatus;
import java.util.Arrays;
import java.util.Objects;

/**
 * The outcome of a completed I/O request, as a caller sees it after the I/O manager copied the
 * output back.
 *
 * @param status the IRP's final {@code IoStatus.Status}
 * @param information the IRP's final {@code IoStatus.Information} (bytes transferred)
 * @param output the caller's output buffer after completion (empty for a write)
 */
public record IoResult(NtStatus status, long information, byte[] output) {
  /** Compact constructor: copies the buffer. */
  public IoResult {
    Objects.requireNonNull(status, "status");
    output = output.clone();
  }

  /** The output buffer (a copy). */
  @Override
  public byte[] output() {
    return output.clone();
  }

  /** The first {@link #information()} bytes of the output: the data the driver returned. */
  public byte[] data() {
    return Arrays.copyOf(output, (int) Math.max(0, Math.min(information, output.length)));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IoResult
        && ((IoResult) other).status.equals(status)
        && ((IoResult) other).information == information
        && Arrays.equals(((IoResult) other).output, output);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, information, Arrays.hashCode(output));
  }

  @Override
  public String toString() {
    return "IoResult[" + status + ", information=" + information + ", output=" + output.length
        + " bytes]";
  }
}

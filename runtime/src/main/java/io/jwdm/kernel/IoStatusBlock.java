package io.jwdm.kernel;

/** An IRP's {@code IoStatus} ({@code IO_STATUS_BLOCK}): its final status and information value. */
public interface IoStatusBlock {
  /** {@code IoStatus.Status}. */
  NtStatus status();

  /** Sets {@code IoStatus.Status}. */
  void setStatus(NtStatus status);

  /** {@code IoStatus.Information}: for a transfer, the number of bytes transferred. */
  long information();

  /** Sets {@code IoStatus.Information}. */
  void setInformation(long information);
}

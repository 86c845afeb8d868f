package io.jwdm.kernel;

/** What a process-creation notify routine learns of a new process ({@code PS_CREATE_NOTIFY_INFO}). */
public interface PsCreateNotifyInfo {
  /** The image file name of the new process. */
  String imageFileName();

  /** {@code CreationStatus}: set an error status to block the process from starting. */
  void setCreationStatus(NtStatus status);
}

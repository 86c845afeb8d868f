package io.jwdm.kernel;

/**
 * A file object ({@code FILE_OBJECT}): one open of a device, created by CREATE and destroyed after
 * CLOSE. A driver keeps per-open state in {@link #fsContext()}.
 */
public interface FileObject {
  /** The device object the open was sent to (the top of its stack when opened). */
  DeviceObject deviceObject();

  /** The path the caller opened, after the device name (often empty). */
  String fileName();

  /** {@code FsContext}: the driver's per-open state, or null. */
  Object fsContext();

  /** Sets {@code FsContext}. */
  void setFsContext(Object context);
}

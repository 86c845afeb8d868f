package io.jwdm.host;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.FileObject;

/** The kernel's file object: one open. */
final class FileObjectImpl implements FileObject {
  final DeviceObjectImpl device;
  /** The devices this open references: the opened device and every device above it. */
  final java.util.List<DeviceObjectImpl> referenced;
  private final String fileName;
  /** Caller IRPs on this file not yet completed. Guarded by the kernel lock. */
  int outstanding;
  /** CLEANUP was sent; CLOSE goes when the last outstanding IRP completes. */
  boolean closePending;
  /** CLOSE was sent. */
  boolean closed;
  private volatile Object fsContext;

  FileObjectImpl(DeviceObjectImpl device, java.util.List<DeviceObjectImpl> referenced,
      String fileName) {
    this.device = device;
    this.referenced = referenced;
    this.fileName = fileName;
  }

  @Override
  public DeviceObject deviceObject() {
    return device;
  }

  @Override
  public String fileName() {
    return fileName;
  }

  @Override
  public Object fsContext() {
    return fsContext;
  }

  @Override
  public void setFsContext(Object context) {
    this.fsContext = context;
  }
}

package io.jwdm.host;

import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.util.Objects;

/**
 * An open handle to a device, as a user-mode caller holds one: it sends READ, WRITE and
 * DEVICE_CONTROL IRPs to the top of the device's stack, and {@link #close()} sends CLEANUP then
 * CLOSE. Every handle has an owner, and the kernel counts them: a driver cannot unload while a
 * handle to one of its devices is open.
 *
 * <p>Synchronous methods wait for a pending IRP up to the kernel's wait timeout, then cancel it;
 * the {@code submit} methods return at once, as overlapped I/O does.
 */
public final class Handle implements AutoCloseable {
  private final IoManager io;
  private final KernelCore core;
  private final FileObjectImpl file;
  private final String path;
  private final String owner;
  private final long id;
  private volatile boolean open = true;

  Handle(IoManager io, KernelCore core, FileObjectImpl file, String path, String owner, long id) {
    this.io = io;
    this.core = core;
    this.file = file;
    this.path = path;
    this.owner = owner;
    this.id = id;
  }

  FileObjectImpl file() {
    return file;
  }

  /** The path this handle was opened with. */
  public String path() {
    return path;
  }

  /** Who opened it, such as a process name. */
  public String owner() {
    return owner;
  }

  /** The handle value, unique in its kernel. */
  public long id() {
    return id;
  }

  /** True until {@link #close()}. */
  public boolean isOpen() {
    return open;
  }

  /** {@code ReadFile}: reads up to {@code length} bytes. */
  public IoResult read(int length) {
    return core.hostCall(() -> {
      IoResult refused = refuse(length);
      if (refused != null) {
        return refused;
      }
      byte[] output = new byte[length];
      IoManager.Copy[] copy = new IoManager.Copy[1];
      IrpImpl irp = io.buildTransfer(file, MajorFunction.READ, 0, new byte[0], output, copy);
      return io.send(file.device.top(), irp, output, copy[0]);
    });
  }

  /** {@code WriteFile}: writes {@code data}. */
  public IoResult write(byte[] data) {
    byte[] input = data == null ? new byte[0] : data.clone();
    return core.hostCall(() -> {
      IoResult refused = refuse(input.length);
      if (refused != null) {
        return refused;
      }
      IoManager.Copy[] copy = new IoManager.Copy[1];
      IrpImpl irp = io.buildTransfer(file, MajorFunction.WRITE, 0, input, new byte[0], copy);
      return io.send(file.device.top(), irp, new byte[0], copy[0]);
    });
  }

  /**
   * {@code DeviceIoControl}: sends an I/O control code with {@code input} (null for none) and an
   * output buffer of {@code outputLength} bytes. The code's transfer method decides how the driver
   * sees the buffers.
   */
  public IoResult deviceIoControl(int ioControlCode, byte[] input, int outputLength) {
    byte[] in = input == null ? new byte[0] : input.clone();
    return core.hostCall(() -> {
      IoResult refused = refuse(outputLength < 0 ? outputLength : Math.max(in.length,
          outputLength));
      if (refused != null) {
        return refused;
      }
      byte[] output = new byte[outputLength];
      IoManager.Copy[] copy = new IoManager.Copy[1];
      IrpImpl irp = io.buildTransfer(file, MajorFunction.DEVICE_CONTROL, ioControlCode, in,
          output, copy);
      return io.send(file.device.top(), irp, output, copy[0]);
    });
  }

  /** Overlapped {@link #read}: returns at once; the request completes when the driver completes it. */
  public IoRequest submitRead(int length) {
    return core.hostCall(() -> {
      IoResult refused = refuse(length);
      if (refused != null) {
        return IoRequest.completed(io, core, refused);
      }
      byte[] output = new byte[length];
      IoManager.Copy[] copy = new IoManager.Copy[1];
      IrpImpl irp = io.buildTransfer(file, MajorFunction.READ, 0, new byte[0], output, copy);
      return io.submit(file.device.top(), irp, output, copy[0]);
    });
  }

  /** Overlapped {@link #write}. */
  public IoRequest submitWrite(byte[] data) {
    byte[] input = data == null ? new byte[0] : data.clone();
    return core.hostCall(() -> {
      IoResult refused = refuse(input.length);
      if (refused != null) {
        return IoRequest.completed(io, core, refused);
      }
      IoManager.Copy[] copy = new IoManager.Copy[1];
      IrpImpl irp = io.buildTransfer(file, MajorFunction.WRITE, 0, input, new byte[0], copy);
      return io.submit(file.device.top(), irp, new byte[0], copy[0]);
    });
  }

  /** Overlapped {@link #deviceIoControl}. */
  public IoRequest submitDeviceIoControl(int ioControlCode, byte[] input, int outputLength) {
    byte[] in = input == null ? new byte[0] : input.clone();
    return core.hostCall(() -> {
      IoResult refused = refuse(outputLength < 0 ? outputLength : Math.max(in.length,
          outputLength));
      if (refused != null) {
        return IoRequest.completed(io, core, refused);
      }
      byte[] output = new byte[outputLength];
      IoManager.Copy[] copy = new IoManager.Copy[1];
      IrpImpl irp = io.buildTransfer(file, MajorFunction.DEVICE_CONTROL, ioControlCode, in,
          output, copy);
      return io.submit(file.device.top(), irp, output, copy[0]);
    });
  }

  /** Why a request cannot be sent at all, as a result, or null if it can. */
  private IoResult refuse(int length) {
    if (!open) {
      return new IoResult(NtStatus.INVALID_HANDLE, 0, new byte[0]);
    }
    if (length < 0) {
      return new IoResult(NtStatus.INVALID_PARAMETER, 0, new byte[0]);
    }
    if (length > IoManager.MAX_BUFFER) {
      return new IoResult(NtStatus.INSUFFICIENT_RESOURCES, 0, new byte[0]);
    }
    return null;
  }

  /**
   * {@code CloseHandle}: sends CLEANUP, then CLOSE once no IRP of this handle is outstanding.
   * Closing a closed handle does nothing.
   */
  @Override
  public void close() {
    if (!open) {
      return;
    }
    open = false;
    core.hostRun(() -> io.close(this));
  }

  @Override
  public String toString() {
    return "Handle[" + id + " " + path + " owned by " + owner + (open ? "" : ", closed") + "]";
  }

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(id);
  }
}

package io.jwdm.host;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverCancel;
import io.jwdm.kernel.FileObject;
import io.jwdm.kernel.IoCompletionRoutine;
import io.jwdm.kernel.IoStackLocation;
import io.jwdm.kernel.IoStatusBlock;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.Mdl;
import io.jwdm.kernel.NtStatus;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The kernel's IRP. Stack locations are indexed from 0 (the top driver's) down; {@link #current} is
 * -1 while the IRP belongs to its creator.
 */
final class IrpImpl implements Irp {
  /** Where an IRP is in its life. */
  enum State {
    /** Owned by a driver (or its creator): not yet completed. */
    ACTIVE,
    /** IoCompleteRequest is walking up the stack. */
    COMPLETING,
    /** Completion finished at the top: the IRP is done. */
    DONE
  }

  /** Receives an IRP when its completion reaches the top. Called without the kernel lock. */
  interface Completion {
    void completed(IrpImpl irp);
  }

  final long address;
  final StackLocation[] locations;
  int current = -1;
  private final StatusBlock ioStatus = new StatusBlock();
  ByteBuffer systemBuffer;
  MdlImpl mdl;
  ByteBuffer userBuffer;
  volatile boolean pendingReturned;
  volatile boolean cancelled;
  final AtomicReference<DriverCancel> cancelRoutine = new AtomicReference<>();
  volatile State state = State.ACTIVE;
  private final Object[] driverContext = new Object[4];
  /** The device the IRP was first sent to: it holds a reference on it until completion. */
  DeviceObjectImpl referencedDevice;
  /** IoCallDriver and IoCompleteRequest calls on this IRP so far: what a dispatch routine did. */
  volatile int actions;
  /** IoCallDriver calls on this IRP so far. */
  volatile int passes;
  /** Called at final completion (copy-back, waking the caller). */
  Completion completion;

  IrpImpl(long address, int stackCount) {
    this.address = address;
    this.locations = new StackLocation[stackCount];
    for (int i = 0; i < stackCount; i++) {
      locations[i] = new StackLocation();
    }
  }

  StackLocation currentLocation0() {
    return current >= 0 && current < locations.length ? locations[current] : null;
  }

  StackLocation nextLocation0() {
    int next = current + 1;
    return next < locations.length ? locations[next] : null;
  }

  MajorFunction majorFunction() {
    StackLocation first = locations.length > 0 ? locations[0] : null;
    return first == null ? null : first.majorFunction;
  }

  @Override
  public IoStatusBlock ioStatus() {
    return ioStatus;
  }

  @Override
  public ByteBuffer systemBuffer() {
    return systemBuffer;
  }

  @Override
  public Mdl mdlAddress() {
    return mdl;
  }

  @Override
  public ByteBuffer userBuffer() {
    return userBuffer;
  }

  @Override
  public boolean pendingReturned() {
    return pendingReturned;
  }

  @Override
  public boolean cancel() {
    return cancelled;
  }

  @Override
  public int stackCount() {
    return locations.length;
  }

  @Override
  public int currentLocation() {
    return locations.length - current;
  }

  @Override
  public Object driverContext(int index) {
    return driverContext[index];
  }

  @Override
  public void setDriverContext(int index, Object value) {
    driverContext[index] = value;
  }

  @Override
  public String toString() {
    MajorFunction major = majorFunction();
    return String.format("IRP %016x (%s)", address, major == null ? "?" : major.wdkName());
  }

  /** {@code IO_STATUS_BLOCK}. */
  static final class StatusBlock implements IoStatusBlock {
    private volatile NtStatus status = NtStatus.SUCCESS;
    private volatile long information;

    @Override
    public NtStatus status() {
      return status;
    }

    @Override
    public void setStatus(NtStatus status) {
      this.status = status == null ? NtStatus.UNSUCCESSFUL : status;
    }

    @Override
    public long information() {
      return information;
    }

    @Override
    public void setInformation(long information) {
      this.information = information;
    }
  }

  /** {@code IO_STACK_LOCATION}. */
  static final class StackLocation implements IoStackLocation {
    MajorFunction majorFunction;
    int minorFunction;
    DeviceObjectImpl deviceObject;
    FileObjectImpl fileObject;
    int ioControlCode;
    int inputBufferLength;
    int outputBufferLength;
    ByteBuffer type3InputBuffer;
    int length;
    long byteOffset;
    IoCompletionRoutine completionRoutine;
    Object completionContext;
    boolean invokeOnSuccess;
    boolean invokeOnError;
    boolean invokeOnCancel;
    /** {@code SL_PENDING_RETURNED}: the driver of this location called IoMarkIrpPending. */
    boolean pending;

    void copyParametersFrom(StackLocation other) {
      majorFunction = other.majorFunction;
      minorFunction = other.minorFunction;
      fileObject = other.fileObject;
      ioControlCode = other.ioControlCode;
      inputBufferLength = other.inputBufferLength;
      outputBufferLength = other.outputBufferLength;
      type3InputBuffer = other.type3InputBuffer;
      length = other.length;
      byteOffset = other.byteOffset;
      completionRoutine = null;
      completionContext = null;
      invokeOnSuccess = false;
      invokeOnError = false;
      invokeOnCancel = false;
      pending = false;
    }

    @Override
    public MajorFunction majorFunction() {
      return majorFunction;
    }

    @Override
    public int minorFunction() {
      return minorFunction;
    }

    @Override
    public DeviceObject deviceObject() {
      return deviceObject;
    }

    @Override
    public FileObject fileObject() {
      return fileObject;
    }

    @Override
    public int ioControlCode() {
      return ioControlCode;
    }

    @Override
    public int inputBufferLength() {
      return inputBufferLength;
    }

    @Override
    public int outputBufferLength() {
      return outputBufferLength;
    }

    @Override
    public ByteBuffer type3InputBuffer() {
      return type3InputBuffer;
    }

    @Override
    public int length() {
      return length;
    }

    @Override
    public long byteOffset() {
      return byteOffset;
    }
  }
}

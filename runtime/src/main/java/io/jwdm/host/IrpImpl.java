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
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

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
  /** Set by completion on the completing thread, read there by completion routines. */
  boolean pendingReturned;
  volatile boolean cancelled;
  /** Accessed through {@link #CANCEL_ROUTINE}: cancel and completion race for it. */
  private volatile DriverCancel cancelRoutine;
  /** Accessed through {@link #STATE} with release/acquire ordering, and compare-and-set. */
  private State state = State.ACTIVE;
  /** {@code Tail.Overlay.DriverContext}: four slots, allocated when a driver first sets one. */
  private Object[] driverContext;
  /** The caller's open file whose outstanding count this IRP holds, or null. */
  FileObjectImpl callerFile;
  /** The device the IRP was first sent to: it holds a reference on it until completion. */
  DeviceObjectImpl referencedDevice;
  /**
   * IoCallDriver and IoCompleteRequest calls on this IRP so far: what a dispatch routine did. Read
   * by the thread that called the routine, for the verifier's I/O checks.
   */
  int actions;
  /** IoCallDriver calls on this IRP so far. */
  int passes;
  /** Called at final completion (copy-back, waking the caller). */
  Completion completion;

  private static final VarHandle CANCEL_ROUTINE;
  private static final VarHandle STATE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CANCEL_ROUTINE = lookup.findVarHandle(IrpImpl.class, "cancelRoutine", DriverCancel.class);
      STATE = lookup.findVarHandle(IrpImpl.class, "state", State.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** {@code IoSetCancelRoutine}: sets the cancel routine (null clears it) and returns the old one. */
  DriverCancel exchangeCancelRoutine(DriverCancel routine) {
    if (routine == null && cancelRoutine == null) {
      return null; // nothing to clear: completion of an IRP that was never cancelable
    }
    return (DriverCancel) CANCEL_ROUTINE.getAndSet(this, routine);
  }

  State state() {
    return (State) STATE.getAcquire(this);
  }

  void setState(State state) {
    STATE.setRelease(this, state);
  }

  /** Moves the IRP from {@code expected} to {@code next}; false if it was not in {@code expected}. */
  boolean changeState(State expected, State next) {
    return STATE.compareAndSet(this, expected, next);
  }

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
    Objects.checkIndex(index, 4);
    Object[] slots = driverContext;
    return slots == null ? null : slots[index];
  }

  @Override
  public void setDriverContext(int index, Object value) {
    Objects.checkIndex(index, 4);
    if (driverContext == null) {
      driverContext = new Object[4];
    }
    driverContext[index] = value;
  }

  @Override
  public String toString() {
    MajorFunction major = majorFunction();
    return String.format("IRP %016x (%s)", address, major == null ? "?" : major.wdkName());
  }

  /** {@code IO_STATUS_BLOCK}. */
  static final class StatusBlock implements IoStatusBlock {
    // Plain fields: a driver sets them before IoCompleteRequest, and the caller reads them after
    // completion, which the kernel publishes under its lock.
    private NtStatus status = NtStatus.SUCCESS;
    private long information;

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

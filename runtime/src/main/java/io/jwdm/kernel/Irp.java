package io.jwdm.kernel;

import java.nio.ByteBuffer;

/**
 * An I/O request packet ({@code IRP}).
 *
 * <p>An IRP is completed exactly once ({@link KernelServices#ioCompleteRequest}), passed down
 * ({@link KernelServices#ioCallDriver}), or marked pending ({@link KernelServices#ioMarkIrpPending})
 * by the routine that returns {@link NtStatus#PENDING}. Buffers are little-endian views of memory,
 * as on x86 and x64; use absolute {@code get}/{@code put}.
 */
public interface Irp {
  /** {@code IoStatus}. */
  IoStatusBlock ioStatus();

  /**
   * {@code AssociatedIrp.SystemBuffer}: the kernel's copy of the caller's data for buffered I/O
   * (READ and WRITE with {@link Wdm#DO_BUFFERED_IO}, METHOD_BUFFERED IOCTLs, and the input of
   * direct IOCTLs), or null. Its capacity is the larger of the input and output lengths.
   */
  ByteBuffer systemBuffer();

  /** {@code MdlAddress}: the caller's buffer for direct I/O, or null. */
  Mdl mdlAddress();

  /** {@code UserBuffer}: the caller's output buffer for METHOD_NEITHER and neither-I/O, or null. */
  ByteBuffer userBuffer();

  /** {@code PendingReturned}: true in a completion routine when a lower driver returned PENDING. */
  boolean pendingReturned();

  /** {@code Cancel}: true once IoCancelIrp was called on this IRP. */
  boolean cancel();

  /** {@code StackCount}: the number of stack locations. */
  int stackCount();

  /** {@code CurrentLocation}: 1-based, counting down as the IRP goes down the stack. */
  int currentLocation();

  /**
   * {@code Tail.Overlay.DriverContext[index]}: a slot the current owner of the IRP may use, such as
   * to remember a queue entry. Indices 0 to 3.
   */
  Object driverContext(int index);

  /** Sets {@code Tail.Overlay.DriverContext[index]}. */
  void setDriverContext(int index, Object value);
}

package io.jwdm.kernel;

import java.nio.ByteBuffer;

/**
 * An IRP stack location ({@code IO_STACK_LOCATION}): what one driver in the device stack is asked
 * to do. Get the current one with {@link KernelServices#ioGetCurrentIrpStackLocation}.
 *
 * <p>The WDK's {@code Parameters} union is flattened into accessors; each names the union member it
 * mirrors. Accessors for another request type return 0 or null.
 */
public interface IoStackLocation {
  /** {@code MajorFunction}. */
  MajorFunction majorFunction();

  /** {@code MinorFunction}, such as {@link Wdm#IRP_MN_START_DEVICE} for a PnP IRP. */
  int minorFunction();

  /** {@code DeviceObject}: the device this location is addressed to. */
  DeviceObject deviceObject();

  /** {@code FileObject}: the open this request belongs to, or null (PnP and power IRPs). */
  FileObject fileObject();

  /** {@code Parameters.DeviceIoControl.IoControlCode}. */
  int ioControlCode();

  /** {@code Parameters.DeviceIoControl.InputBufferLength}. */
  int inputBufferLength();

  /** {@code Parameters.DeviceIoControl.OutputBufferLength}. */
  int outputBufferLength();

  /** {@code Parameters.DeviceIoControl.Type3InputBuffer}: the caller's input for METHOD_NEITHER. */
  ByteBuffer type3InputBuffer();

  /** {@code Parameters.Read.Length} or {@code Parameters.Write.Length}. */
  int length();

  /** {@code Parameters.Read.ByteOffset} or {@code Parameters.Write.ByteOffset}. */
  long byteOffset();
}

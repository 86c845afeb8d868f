package io.jwdm.kernel;

/**
 * A block of pool memory, from {@link KernelServices#exAllocatePool2} or
 * {@link KernelServices#exAllocatePoolWithTag}, freed with {@link KernelServices#exFreePoolWithTag}.
 *
 * <p>It is memory the driver really uses: little-endian reads and writes at byte offsets, as through
 * a pointer to the block. An access outside the block is an access violation (bug check 0x1E); with
 * Driver Verifier's special pool on, it is caught as Windows catches it (0xD6 beyond the end, 0xD5
 * after the block was freed).
 */
public interface PoolMemory {
  /** The number of bytes requested. */
  int size();

  /** The four-character pool tag. */
  String tag();

  /** True for paged pool, false for nonpaged pool. */
  boolean paged();

  /** Reads the byte at {@code offset}. */
  byte get(int offset);

  /** Writes the byte at {@code offset}. */
  void put(int offset, byte value);

  /** Reads the little-endian 16-bit value at {@code offset}. */
  short getShort(int offset);

  /** Writes a little-endian 16-bit value at {@code offset}. */
  void putShort(int offset, short value);

  /** Reads the little-endian 32-bit value at {@code offset}. */
  int getInt(int offset);

  /** Writes a little-endian 32-bit value at {@code offset}. */
  void putInt(int offset, int value);

  /** Reads the little-endian 64-bit value at {@code offset}. */
  long getLong(int offset);

  /** Writes a little-endian 64-bit value at {@code offset}. */
  void putLong(int offset, long value);

  /** Copies {@code length} bytes from {@code offset} into {@code destination}: RtlCopyMemory out. */
  void get(int offset, byte[] destination, int destinationOffset, int length);

  /** Copies {@code length} bytes from {@code source} to {@code offset}: RtlCopyMemory in. */
  void put(int offset, byte[] source, int sourceOffset, int length);

  /** Sets every byte to {@code value}: RtlFillMemory (RtlZeroMemory with 0). */
  void fill(byte value);
}

package io.jwdm.host;

import io.jwdm.kernel.PoolMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/** A block of pool memory, with its owner, tag and creation site. */
final class PoolBlock implements PoolMemory {
  private final KernelCore core;
  final DriverObjectImpl owner;
  private final String tag;
  private final boolean paged;
  final long address;
  final List<StackTraceElement> creationStack;
  /** Allocated from special pool: overruns and use after free are caught. */
  private final boolean special;
  private final ByteBuffer data;
  volatile boolean freed;

  PoolBlock(KernelCore core, DriverObjectImpl owner, String tag, boolean paged, int size,
      long address, boolean special, List<StackTraceElement> creationStack) {
    this.core = core;
    this.owner = owner;
    this.tag = tag;
    this.paged = paged;
    this.address = address;
    this.special = special;
    this.creationStack = creationStack;
    this.data = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Checks an access of {@code width} bytes at {@code offset}, as the MMU and special pool do. */
  private void check(int offset, int width, boolean write) {
    if (freed && special) {
      throw core.bugCheck(BugCheck.DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL, address + offset,
          write ? 1 : 0, 0, 0, owner, String.format("%s %d bytes at offset %d of pool block %016x"
              + " (tag '%s'), which was freed", write ? "wrote" : "read", width, offset, address,
              tag), null, List.of(leak("freed")));
    }
    if (offset < 0 || width < 0 || (long) offset + width > data.capacity()) {
      if (special) {
        throw core.bugCheck(BugCheck.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION,
            address + offset, write ? 1 : 0, 0, 0, owner, String.format(
                "%s %d bytes at offset %d of pool block %016x (tag '%s'), which is %d bytes long",
                write ? "wrote" : "read", width, offset, address, tag, data.capacity()), null,
            List.of(leak("overrun")));
      }
      throw new IndexOutOfBoundsException(String.format(
          "access of %d bytes at offset %d of a %d-byte pool block (tag '%s')", width, offset,
          data.capacity(), tag));
    }
  }

  /** True if this block belongs to the kernel of {@code other}. */
  boolean belongsTo(KernelCore other) {
    return core == other;
  }

  Leak leak(String when) {
    return new Leak("Pool", owner == null ? "system" : owner.name(),
        String.format("%016x (%s)", address, paged ? "paged" : "nonpaged"), when, tag,
        data.capacity(), creationStack);
  }

  @Override
  public int size() {
    return data.capacity();
  }

  @Override
  public String tag() {
    return tag;
  }

  @Override
  public boolean paged() {
    return paged;
  }

  @Override
  public byte get(int offset) {
    check(offset, 1, false);
    return data.get(offset);
  }

  @Override
  public void put(int offset, byte value) {
    check(offset, 1, true);
    data.put(offset, value);
  }

  @Override
  public short getShort(int offset) {
    check(offset, 2, false);
    return data.getShort(offset);
  }

  @Override
  public void putShort(int offset, short value) {
    check(offset, 2, true);
    data.putShort(offset, value);
  }

  @Override
  public int getInt(int offset) {
    check(offset, 4, false);
    return data.getInt(offset);
  }

  @Override
  public void putInt(int offset, int value) {
    check(offset, 4, true);
    data.putInt(offset, value);
  }

  @Override
  public long getLong(int offset) {
    check(offset, 8, false);
    return data.getLong(offset);
  }

  @Override
  public void putLong(int offset, long value) {
    check(offset, 8, true);
    data.putLong(offset, value);
  }

  @Override
  public void get(int offset, byte[] destination, int destinationOffset, int length) {
    check(offset, length, false);
    data.get(offset, destination, destinationOffset, length);
  }

  @Override
  public void put(int offset, byte[] source, int sourceOffset, int length) {
    check(offset, length, true);
    data.put(offset, source, sourceOffset, length);
  }

  @Override
  public void fill(byte value) {
    check(0, data.capacity(), true);
    for (int i = 0; i < data.capacity(); i++) {
      data.put(i, value);
    }
  }

  @Override
  public String toString() {
    return String.format("PoolMemory[%016x, %d bytes, tag '%s'%s]", address, data.capacity(), tag,
        freed ? ", freed" : "");
  }
}

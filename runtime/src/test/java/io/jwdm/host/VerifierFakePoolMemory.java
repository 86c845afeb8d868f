package io.jwdm.host;

import io.jwdm.kernel.PoolMemory;

/**
 * A {@link PoolMemory} the kernel never allocated, as a pointer into a driver's own stack or
 * image: freeing it is freeing what is not a pool block. Its accessors are never meant to be used.
 */
final class VerifierFakePoolMemory implements PoolMemory {
  @Override
  public int size() {
    return 4;
  }

  @Override
  public String tag() {
    return "Bogu";
  }

  @Override
  public boolean paged() {
    return false;
  }

  @Override
  public byte get(int offset) {
    throw new UnsupportedOperationException("fake pool memory");
  }

  @Override
  public void put(int offset, byte value) {
    throw new UnsupportedOperationException("fake pool memory");
  }

  @Override
  public short getShort(int offset) {
    throw new UnsupportedOperationException("fake pool memory");
  }

  @Override
  public void putShort(int offset, short value) {
    throw new UnsupportedOperationException("fake pool memory");
  }

  @Override
  public int getInt(int offset) {
    throw new UnsupportedOperationException("fake pool memory");
  }

  @Override
  public void putInt(int offset, int value) {
    throw new UnsupportedOperationException("fake pool memory");
  }

  @Override
  public long getLong(int offset) {
    throw new UnsupportedOperationException("fake pool memory");
  }

  @Override
  public void putLong(int offset, long value) {
    throw new UnsupportedOperationException("fake pool memory");
  }

  @Override
  public void get(int offset, byte[] destination, int destinationOffset, int length) {
    throw new UnsupportedOperationException("fake pool memory");
  }

  @Override
  public void put(int offset, byte[] source, int sourceOffset, int length) {
    throw new UnsupportedOperationException("fake pool memory");
  }

  @Override
  public void fill(byte value) {
    throw new UnsupportedOperationException("fake pool memory");
  }
}

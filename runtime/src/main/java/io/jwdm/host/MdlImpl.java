package io.jwdm.host;

import io.jwdm.kernel.Mdl;
import java.nio.ByteBuffer;

/** An MDL over a caller's buffer. */
final class MdlImpl implements Mdl {
  final ByteBuffer buffer;

  MdlImpl(ByteBuffer buffer) {
    this.buffer = buffer;
  }

  @Override
  public int byteCount() {
    return buffer.capacity();
  }
}

package io.jwdm.kernel;

/**
 * A memory descriptor list ({@code MDL}) describing a caller's buffer for direct I/O. Map it with
 * {@link KernelServices#mmGetSystemAddressForMdlSafe}.
 */
public interface Mdl {
  /** {@code MmGetMdlByteCount}: the length of the described buffer. */
  int byteCount();
}

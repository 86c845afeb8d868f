package io.jwdm.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A driver image a kernel loaded with {@link Kernel#loadImage(Path)}: a jar (or, in test-signing
 * mode, a classes directory) compiled with the jwdm processor, running in its own class loader.
 *
 * <p>This is a description, not a handle: it holds no reference to the image's classes or class
 * loader, so a host may keep it after the image is unloaded without keeping the image in memory.
 *
 * @param id the image's name in its kernel: the file name and its base address, such as
 *     {@code sioctl.jar@ffffa00000001400}; unique in the kernel
 * @param source the jar or directory the image was loaded from
 * @param driverNames the drivers the image provides, in the order of their names
 * @param signing how the image's signature was judged
 * @param signers the subjects of the certificates that signed it, empty if it is unsigned
 */
public record DriverImage(String id, Path source, List<String> driverNames, Signing signing,
    List<String> signers) {

  /**
   * The manifest attribute naming the {@link io.jwdm.spi.DriverGlue#SPI_VERSION} an image was
   * built for. Optional; when present, an image built for another version is refused before any of
   * its classes is loaded.
   */
  public static final String SPI_VERSION_ATTRIBUTE = "Jwdm-Spi-Version";

  /** How an image's signature was judged when it was loaded. */
  public enum Signing {
    /** Signed, with a signer chain anchored in the kernel's trust store. */
    TRUSTED,
    /** Signed by a key the trust store does not anchor: accepted in test-signing mode only. */
    TEST_SIGNED,
    /** Not signed (or a classes directory): accepted in test-signing mode only. */
    UNSIGNED
  }

  /** Compact constructor: checks and copies. */
  public DriverImage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(signing, "signing");
    driverNames = List.copyOf(driverNames);
    signers = List.copyOf(signers);
  }

  @Override
  public String toString() {
    return id + " " + driverNames + " (" + signing + (signers.isEmpty() ? "" : " by " + signers)
        + ")";
  }
}

package io.jwdm.host;

import io.jwdm.kernel.NtStatus;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Thrown to a host when the kernel refuses a driver image: it names the image, the {@link Kind} of
 * the refusal and the cause. A refused image leaves the kernel as it was: no driver object, no
 * installed driver, and no reference to the image's class loader. The exception itself holds none
 * either: a cause thrown by the image's code is copied ({@link #getCause()} has the original's class
 * name, message and stack) so that keeping the exception does not keep the image in memory.
 */
public final class ImageLoadException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why an image was refused. */
  public enum Kind {
    /** The file is missing, unreadable, not a jar, or a corrupt zip, or its manifest is malformed. */
    NOT_AN_IMAGE,
    /**
     * The image is not signed (or only with algorithms the JDK no longer accepts, which it treats
     * as unsigned), and the kernel is not in test-signing mode. A classes directory cannot be
     * signed: it loads only in test-signing mode.
     */
    UNSIGNED,
    /**
     * The image's content does not match its signature: an entry was modified or added after
     * signing, or a signature file does not match the manifest. Refused in every mode.
     */
    TAMPERED,
    /**
     * The image is signed, but no certificate chain of its signer is anchored in the kernel's trust
     * store (or the chain is not valid), and the kernel is not in test-signing mode.
     */
    UNTRUSTED,
    /** The image registers no glue in {@code META-INF/services/io.jwdm.spi.DriverGlue}. */
    NO_GLUE,
    /**
     * A glue class is missing or cannot be instantiated, or a class of the image fails to load or
     * link: a class or member it refers to is missing or not visible to an image (such as the
     * host's {@code io.jwdm.host} package), or its bytecode is malformed.
     */
    LINK_FAILED,
    /**
     * The image was built against an incompatible jwdm version: its manifest's
     * {@value DriverImage#SPI_VERSION_ATTRIBUTE} attribute or a glue's {@code spiVersion()} differs
     * from this kernel's {@link io.jwdm.spi.DriverGlue#SPI_VERSION}.
     */
    INCOMPATIBLE_VERSION,
    /** A driver of the image has the name of a driver already installed or loaded. */
    NAME_IN_USE,
    /** The DriverEntry routine of a legacy driver of the image returned a failure status. */
    DRIVER_ENTRY_FAILED
  }

  private final Path image;
  private final Kind kind;
  private final String driverName;
  private final transient NtStatus status;

  ImageLoadException(Path image, Kind kind, String driverName, NtStatus status, String detail,
      Throwable cause) {
    super(message(image, kind, detail), cause);
    this.image = Objects.requireNonNull(image, "image");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.driverName = driverName;
    this.status = status;
  }

  ImageLoadException(Path image, Kind kind, String detail) {
    this(image, kind, null, null, detail, null);
  }

  ImageLoadException(Path image, Kind kind, String detail, Throwable cause) {
    this(image, kind, null, null, detail, cause);
  }

  private static String message(Path image, Kind kind, String detail) {
    return "driver image " + image + " refused (" + kind + "): " + detail;
  }

  /** The image's path, as the host gave it. */
  public Path image() {
    return image;
  }

  /** Why the image was refused. */
  public Kind kind() {
    return kind;
  }

  /** The driver the refusal is about, where it is about one. */
  public Optional<String> driverName() {
    return Optional.ofNullable(driverName);
  }

  /** The status DriverEntry returned, for {@link Kind#DRIVER_ENTRY_FAILED}. */
  public Optional<NtStatus> status() {
    return Optional.ofNullable(status);
  }
}

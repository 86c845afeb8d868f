package io.jwdm.host;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Kernel#replace(String, java.nio.file.Path)} did.
 *
 * @param driverName the driver that was to be replaced
 * @param outcome what happened
 * @param oldImage the image the driver came from, if it came from one (a driver installed from
 *     glue on the class path has none)
 * @param newImage the new image, for {@link Outcome#REPLACED}
 * @param failure why the new image was refused, for {@link Outcome#REFUSED} and
 *     {@link Outcome#NEW_IMAGE_FAILED}
 * @param devices the device nodes the replacement touched, as they stand now: started with the new
 *     driver, or with a problem code (37 when the new DriverEntry failed)
 * @param blockers for {@link Outcome#TIMED_OUT} and {@link Outcome#NOT_REPLACEABLE}, what prevented
 *     the unload (who holds handles, which driver has no Unload routine); empty otherwise
 * @param oldImageRelease once the old image is unloaded, the proof it is gone or its leak report
 */
public record ImageReplaceResult(String driverName, Outcome outcome, Optional<DriverImage> oldImage,
    Optional<DriverImage> newImage, Optional<ImageLoadException> failure,
    List<ImageDeviceState> devices, String blockers, Optional<ImageRelease> oldImageRelease) {

  /** What a replacement did. */
  public enum Outcome {
    /** The old driver (and the rest of its image) is gone and the new image serves. */
    REPLACED,
    /**
     * The new image was refused before anything changed (bad signature, broken classes, wrong
     * version …): the old driver still runs. See {@link #failure()}.
     */
    REFUSED,
    /**
     * The old driver is gone, but a DriverEntry of the new image failed: the new image was unloaded
     * again and its devices stay without a driver, with problem code 37. Nothing is half-loaded.
     */
    NEW_IMAGE_FAILED,
    /**
     * Handles stayed open past the timeout; the old driver still runs (a legacy driver's requested
     * unload stays pending until its handles close). See {@link #blockers()}.
     */
    TIMED_OUT,
    /** The old driver cannot be unloaded (no Unload routine, or permanent); nothing changed. */
    NOT_REPLACEABLE,
    /** No driver of that name is installed or loaded. */
    NOT_FOUND
  }

  /** Compact constructor: checks and copies. */
  public ImageReplaceResult {
    Objects.requireNonNull(driverName, "driverName");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(oldImage, "oldImage");
    Objects.requireNonNull(newImage, "newImage");
    Objects.requireNonNull(failure, "failure");
    devices = List.copyOf(devices);
    Objects.requireNonNull(blockers, "blockers");
    Objects.requireNonNull(oldImageRelease, "oldImageRelease");
  }

  /** The result as text, with the new image's failure and the old image's leak report if any. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("replace ").append(driverName).append(": ").append(outcome);
    oldImage.ifPresent(image -> out.append(", old ").append(image.id()));
    newImage.ifPresent(image -> out.append(", new ").append(image.id()));
    if (!blockers.isEmpty()) {
      out.append(", blocked by: ").append(blockers);
    }
    out.append(System.lineSeparator());
    failure.ifPresent(f -> out.append("  ").append(f.getMessage()).append(System.lineSeparator()));
    for (ImageDeviceState device : devices) {
      out.append("  device ").append(device).append(System.lineSeparator());
    }
    oldImageRelease.ifPresent(r -> out.append("  ").append(r).append(System.lineSeparator()));
    return out.toString();
  }
}

package io.jwdm.host;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Kernel#unloadImage(DriverImage)} did.
 *
 * @param image the image
 * @param outcome what happened
 * @param unloadedDrivers the image's drivers that were loaded and are now unloaded
 * @param devices the device nodes whose stacks had one of the image's drivers, as they stand now:
 *     started again without it, or without a driver (code 28)
 * @param blockers for {@link Outcome#TIMED_OUT} and {@link Outcome#NOT_UNLOADABLE}, what prevented
 *     the unload (who holds handles, which driver has no Unload routine); empty otherwise
 * @param release for {@link Outcome#UNLOADED}, the proof the image is gone, or its leak report
 */
public record ImageUnloadResult(DriverImage image, Outcome outcome, List<String> unloadedDrivers,
    List<ImageDeviceState> devices, String blockers, Optional<ImageRelease> release) {

  /** What an image unload did. */
  public enum Outcome {
    /** Every driver of the image is unloaded and uninstalled; see {@link #release()}. */
    UNLOADED,
    /**
     * Handles or references stayed open past the timeout; nothing was uninstalled. A legacy
     * driver's unload that was requested stays pending, as any unload does, and completes when
     * its handles close; its devices' stacks were restored.
     */
    TIMED_OUT,
    /** A driver of the image cannot be unloaded (no Unload routine, or permanent); nothing changed. */
    NOT_UNLOADABLE,
    /** The image is not loaded in this kernel. */
    NOT_LOADED
  }

  /** Compact constructor: checks and copies. */
  public ImageUnloadResult {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(outcome, "outcome");
    unloadedDrivers = List.copyOf(unloadedDrivers);
    devices = List.copyOf(devices);
    Objects.requireNonNull(blockers, "blockers");
    Objects.requireNonNull(release, "release");
  }

  /** True if the image was unloaded and its class loader collected. */
  public boolean isGone() {
    return outcome == Outcome.UNLOADED && release.map(ImageRelease::collected).orElse(false);
  }

  /** The result as text, with the leak report if the image leaked. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("unload ").append(image.id()).append(": ").append(outcome);
    if (!unloadedDrivers.isEmpty()) {
      out.append(", unloaded ").append(unloadedDrivers);
    }
    if (!blockers.isEmpty()) {
      out.append(", blocked by: ").append(blockers);
    }
    out.append(System.lineSeparator());
    for (ImageDeviceState device : devices) {
      out.append("  device ").append(device).append(System.lineSeparator());
    }
    release.ifPresent(r -> out.append("  ").append(r).append(System.lineSeparator()));
    return out.toString();
  }
}

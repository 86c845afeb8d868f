package io.jwdm.host;

import java.util.List;
import java.util.Objects;

/**
 * An image that stayed in memory after it was unloaded: its class loader survived a bounded
 * series of full collections, so something still reaches one of its classes or objects. The
 * report names what the kernel could find to hold it:
 *
 * <ul>
 *   <li>live threads whose context class loader is the image's, whose class is an image class, or
 *       whose stack runs image code;
 *   <li>objects of image classes still held by the kernel: device extensions, file contexts,
 *       routines and completion contexts of other drivers' objects, IRPs in device queues, and the
 *       objects these reach;
 *   <li>JDK-wide registries a driver can reach: system properties, the default uncaught-exception
 *       handler, {@code java.util.logging} handlers and filters, security providers and platform
 *       MBeans.
 * </ul>
 *
 * <p>It cannot walk the whole heap: a host's own static fields, a {@code ThreadLocal} value an image
 * set on a host thread, a shutdown hook, or a closed {@link Handle} the host still holds (it reaches
 * the device object and its extension) are not found. When nothing is found the report says so and
 * how to find the holder with a heap dump.
 */
public final class ImageLeak {
  /** What kind of thing holds the image. */
  public enum HolderKind {
    /** A live thread runs the image's code, is of an image class, or has it as context loader. */
    THREAD,
    /** An object the kernel holds is, or reaches, an object of an image class. */
    KERNEL_OBJECT,
    /** A JDK-wide registry (system properties, logging, security providers …) reaches the image. */
    JDK_REGISTRY,
    /** Nothing the kernel can inspect holds it: see the description for where to look. */
    UNKNOWN
  }

  /**
   * One thing that keeps the image in memory.
   *
   * @param kind what kind of thing it is
   * @param description what it is and how it reaches the image
   */
  public record Holder(HolderKind kind, String description) {
    /** Compact constructor: checks. */
    public Holder {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(description, "description");
    }
  }

  private final DriverImage image;
  private final String loaderName;
  private final List<Holder> holders;
  private final ImageTracker tracker;

  ImageLeak(DriverImage image, String loaderName, List<Holder> holders, ImageTracker tracker) {
    this.image = image;
    this.loaderName = loaderName;
    this.holders = List.copyOf(holders);
    this.tracker = tracker;
  }

  /** The image that leaked. */
  public DriverImage image() {
    return image;
  }

  /** The name of its class loader, as heap dumps and stack frames show it. */
  public String loaderName() {
    return loaderName;
  }

  /** What the kernel found holding it; one {@link HolderKind#UNKNOWN} holder if nothing. */
  public List<Holder> holders() {
    return holders;
  }

  /**
   * Runs the bounded collection wait again, for instance after the host stopped a thread the
   * report named. This object holds the loader only weakly.
   *
   * @return true if the image's class loader is gone now
   */
  public boolean awaitCollected() {
    return ImageGc.awaitCollected(tracker) >= 0;
  }

  /** The report as text: the image, its loader and each holder. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("image leak: ").append(image.id()).append(" ").append(image.driverNames())
        .append(" is still in memory after unload (class loader \"").append(loaderName)
        .append("\")").append(System.lineSeparator());
    for (Holder holder : holders) {
      out.append("  held by ").append(holder.kind()).append(": ").append(holder.description())
          .append(System.lineSeparator());
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return render();
  }
}

package io.jwdm.host;

import java.util.List;

/**
 * A loaded image as the kernel holds it: reached only through its installed {@link ImageGlue}, so
 * uninstalling the image's drivers drops the kernel's last path to it.
 */
final class ImageRecord {
  final DriverImage image;
  final ImageTracker tracker;
  private volatile ImageClassLoader loader;
  private volatile List<ImageGlue> glue;

  ImageRecord(DriverImage image, ImageClassLoader loader, ImageTracker tracker) {
    this.image = image;
    this.loader = loader;
    this.tracker = tracker;
    this.glue = List.of();
  }

  void glue(List<ImageGlue> glue) {
    this.glue = List.copyOf(glue);
  }

  List<ImageGlue> glue() {
    return glue;
  }

  /** Drops every reference to the image's code: its glue's delegates and its class loader. */
  void release() {
    for (ImageGlue each : glue) {
      each.detach();
    }
    loader = null;
  }

  boolean isReleased() {
    return loader == null;
  }
}

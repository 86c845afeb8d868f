package io.jwdm.host;

import java.util.Objects;
import java.util.Optional;

/**
 * The proof that an unloaded image is gone: after the kernel dropped every reference it held to
 * the image, whether the image's class loader was collected, and if not, the {@link ImageLeak}.
 *
 * @param image the unloaded image
 * @param collected true if its class loader was collected
 * @param collections how many full collections the bounded wait requested before the loader was
 *     gone (0 if it was gone already); the wait's limit if it survived
 * @param leak the leak report, present exactly when the loader survived
 */
public record ImageRelease(DriverImage image, boolean collected, int collections,
    Optional<ImageLeak> leak) {
  /** Compact constructor: checks that a leak is reported exactly when the loader survived. */
  public ImageRelease {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(leak, "leak");
    if (collected == leak.isPresent()) {
      throw new IllegalArgumentException("a leak is reported exactly when the loader survived");
    }
  }

  @Override
  public String toString() {
    return collected ? image.id() + " collected after " + collections + " collection(s)"
        : leak.get().render();
  }
}

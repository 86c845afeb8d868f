package io.jwdm.host;

import io.jwdm.annotation.DriverRole;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.List;

/**
 * The kernel's wrapper of an image's glue. It answers the glue's questions from values copied at
 * load (so no image code runs when the kernel matches drivers), delegates DriverEntry, and knows
 * its image. {@link #detach()} drops the delegate once the image is unloaded: a driver object the
 * host may still reach (through a closed handle, say) then no longer reaches the image's code.
 */
final class ImageGlue implements DriverGlue {
  private final String name;
  private final DriverModel model;
  private final DriverRole role;
  private final List<String> hardwareIds;
  private final boolean permanent;
  private final int spiVersion;
  private volatile DriverGlue delegate;
  private volatile Class<?> driverClass;
  private volatile ImageRecord image;

  ImageGlue(DriverGlue delegate, String name, DriverModel model, DriverRole role,
      List<String> hardwareIds, boolean permanent, int spiVersion, Class<?> driverClass) {
    this.delegate = delegate;
    this.name = name;
    this.model = model;
    this.role = role;
    this.hardwareIds = List.copyOf(hardwareIds);
    this.permanent = permanent;
    this.spiVersion = spiVersion;
    this.driverClass = driverClass;
  }

  void attach(ImageRecord image) {
    this.image = image;
  }

  /** The image this glue came from, or null once it is released. */
  ImageRecord image() {
    return image;
  }

  void detach() {
    delegate = null;
    driverClass = null;
    image = null;
  }

  @Override
  public int spiVersion() {
    return spiVersion;
  }

  @Override
  public String driverName() {
    return name;
  }

  @Override
  public DriverModel model() {
    return model;
  }

  @Override
  public List<String> hardwareIds() {
    return hardwareIds;
  }

  @Override
  public DriverRole role() {
    return role;
  }

  @Override
  public boolean permanent() {
    return permanent;
  }

  /** The driver class; once the image is unloaded, {@link Unloaded}. */
  @Override
  public Class<?> driverClass() {
    Class<?> current = driverClass;
    return current != null ? current : Unloaded.class;
  }

  /** Delegates; once the image is unloaded, refuses with INVALID_IMAGE_FORMAT. */
  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    DriverGlue current = delegate;
    if (current == null) {
      return NtStatus.INVALID_IMAGE_FORMAT;
    }
    return current.driverEntry(driverObject, registryPath);
  }

  @Override
  public String toString() {
    ImageRecord current = image;
    return "ImageGlue[" + name + (current == null ? ", unloaded" : " of " + current.image.id())
        + "]";
  }

  /** Stands for the driver class of an unloaded image. */
  static final class Unloaded {
    private Unloaded() {}
  }
}

package io.jwdm.kernel;

/**
 * An out parameter: where a service stores a result besides its status, as a C routine writes
 * through a pointer ({@code PDEVICE_OBJECT *DeviceObject}).
 *
 * <pre>{@code
 * Out<DeviceObject> fdo = new Out<>();
 * NtStatus status = k.ioCreateDevice(driver, new FdoData(), null, FILE_DEVICE_UNKNOWN,
 *     FILE_DEVICE_SECURE_OPEN, false, fdo);
 * if (!status.isSuccess()) return status;
 * DeviceObject device = fdo.get();
 * }</pre>
 *
 * @param <T> the type of the value
 */
public final class Out<T> {
  private T value;

  /** An empty out parameter. */
  public Out() {}

  /** The stored value, or null if the service stored none (it failed). */
  public T get() {
    return value;
  }

  /** Stores the value; services call this. */
  public void set(T value) {
    this.value = value;
  }

  @Override
  public String toString() {
    return "Out[" + value + "]";
  }
}

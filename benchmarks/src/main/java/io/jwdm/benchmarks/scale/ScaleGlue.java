package io.jwdm.benchmarks.scale;

import static io.jwdm.kernel.Wdm.FILE_DEVICE_SECURE_OPEN;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN;
import static io.jwdm.kernel.Wdm.IO_NO_INCREMENT;
import static io.jwdm.kernel.Wdm.IRP_MN_REMOVE_DEVICE;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.List;

/**
 * Glue written by hand, parameterized by name, for the scale harness: a minimal WDM function
 * driver for hardware ID {@code ROOT\<NAME>}. AddDevice creates a named FDO
 * ({@code \Device\<name>_<n>}) and attaches it to the PDO; PnP and power IRPs are passed down, and
 * REMOVE_DEVICE detaches and deletes the FDO; CREATE and CLOSE complete at once. What the
 * processor would generate for such a class, with one glue class serving a thousand drivers.
 */
public final class ScaleGlue implements DriverGlue {
  private final String name;
  private final String hardwareId;

  public ScaleGlue(String name) {
    this.name = name;
    this.hardwareId = "ROOT\\" + name.toUpperCase(java.util.Locale.ROOT);
  }

  /** The hardware ID this driver serves. */
  public String hardwareId() {
    return hardwareId;
  }

  /** The device name of this driver's {@code instance}-th FDO. */
  public String deviceName(int instance) {
    return "\\Device\\" + name + "_" + instance;
  }

  @Override
  public int spiVersion() {
    return DriverGlue.SPI_VERSION;
  }

  @Override
  public String driverName() {
    return name;
  }

  @Override
  public DriverModel model() {
    return DriverModel.WDM;
  }

  @Override
  public List<String> hardwareIds() {
    return List.of(hardwareId);
  }

  @Override
  public boolean permanent() {
    return false;
  }

  @Override
  public Class<?> driverClass() {
    return Driver.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    Driver driver = new Driver(this, driverObject.kernel());
    driverObject.setAddDevice(driver::addDevice);
    driverObject.setMajorFunction(MajorFunction.PNP, driver::pnp);
    driverObject.setMajorFunction(MajorFunction.POWER, driver::passDown);
    driverObject.setMajorFunction(MajorFunction.SYSTEM_CONTROL, driver::passDown);
    driverObject.setMajorFunction(MajorFunction.CREATE, driver::complete);
    driverObject.setMajorFunction(MajorFunction.CLOSE, driver::complete);
    driverObject.setMajorFunction(MajorFunction.CLEANUP, driver::complete);
    driverObject.setDriverUnload(driver::unload);
    return NtStatus.SUCCESS;
  }

  /** The driver instance: one per load. */
  static final class Driver {
    private final ScaleGlue glue;
    private final KernelServices k;
    private int nextInstance;

    Driver(ScaleGlue glue, KernelServices k) {
      this.glue = glue;
      this.k = k;
    }

    NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
      Extension extension = new Extension();
      Out<DeviceObject> fdo = new Out<>();
      NtStatus status = k.ioCreateDevice(driver, extension, glue.deviceName(nextInstance++),
          FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, false, fdo);
      if (!status.isSuccess()) {
        return status;
      }
      extension.lower = k.ioAttachDeviceToDeviceStack(fdo.get(), pdo);
      if (extension.lower == null) {
        k.ioDeleteDevice(fdo.get());
        return NtStatus.NO_SUCH_DEVICE;
      }
      fdo.get().setFlags(fdo.get().flags() & ~io.jwdm.kernel.Wdm.DO_DEVICE_INITIALIZING);
      return NtStatus.SUCCESS;
    }

    NtStatus pnp(DeviceObject device, Irp irp) {
      Extension extension = device.deviceExtension(Extension.class);
      int minor = k.ioGetCurrentIrpStackLocation(irp).minorFunction();
      if (minor == IRP_MN_REMOVE_DEVICE) {
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        k.ioSkipCurrentIrpStackLocation(irp);
        NtStatus status = k.ioCallDriver(extension.lower, irp);
        k.ioDetachDevice(extension.lower);
        k.ioDeleteDevice(device);
        return status;
      }
      if (minor != io.jwdm.kernel.Wdm.IRP_MN_START_DEVICE) {
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
      }
      k.ioSkipCurrentIrpStackLocation(irp);
      return k.ioCallDriver(extension.lower, irp);
    }

    NtStatus passDown(DeviceObject device, Irp irp) {
      k.ioSkipCurrentIrpStackLocation(irp);
      return k.ioCallDriver(device.deviceExtension(Extension.class).lower, irp);
    }

    NtStatus complete(DeviceObject device, Irp irp) {
      irp.ioStatus().setStatus(NtStatus.SUCCESS);
      irp.ioStatus().setInformation(0);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return NtStatus.SUCCESS;
    }

    void unload(DriverObject driver) {}
  }

  /** The FDO's device extension. */
  static final class Extension {
    DeviceObject lower;
  }
}

package io.jwdm.examples.stress;

import static io.jwdm.kernel.Wdm.DO_BUFFERED_IO;
import static io.jwdm.kernel.Wdm.DO_DEVICE_INITIALIZING;
import static io.jwdm.kernel.Wdm.DO_DIRECT_IO;
import static io.jwdm.kernel.Wdm.DO_POWER_PAGABLE;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN;
import static io.jwdm.kernel.Wdm.IRP_MN_REMOVE_DEVICE;

import io.jwdm.annotation.DriverRole;
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
 * A WDM upper filter that watches every IRP going down a device stack, written by hand as a WDK
 * filter driver would be: it passes each IRP down with a completion routine, and counts in {@link
 * StressCounters} the IRPs it passed down and the completions it saw. An IRP is completed exactly
 * once when its completion routine runs once: a second run is a doubled completion, and an IRP
 * still in flight when the stack is gone was lost.
 */
final class IrpProbeFilter implements DriverGlue {
  static final String NAME = "IrpProbe";

  private final String hardwareId;
  private final StressCounters counters;

  IrpProbeFilter(String hardwareId, StressCounters counters) {
    this.hardwareId = hardwareId;
    this.counters = counters;
  }

  /** The filter device's extension: the device below it. */
  private static final class Extension {
    volatile DeviceObject lower;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    KernelServices k = driverObject.kernel();
    for (MajorFunction function : MajorFunction.values()) {
      driverObject.setMajorFunction(function, (device, irp) -> passDown(k, device, irp));
    }
    driverObject.setAddDevice((driver, pdo) -> addDevice(k, driver, pdo));
    driverObject.setDriverUnload(driver -> { });
    return NtStatus.SUCCESS;
  }

  private static NtStatus addDevice(KernelServices k, DriverObject driver, DeviceObject pdo) {
    Extension extension = new Extension();
    Out<DeviceObject> created = new Out<>();
    NtStatus status = k.ioCreateDevice(driver, extension, null, FILE_DEVICE_UNKNOWN, 0, false,
        created);
    if (!status.isSuccess()) {
      return status;
    }
    DeviceObject device = created.get();
    extension.lower = k.ioAttachDeviceToDeviceStack(device, pdo);
    if (extension.lower == null) {
      k.ioDeleteDevice(device);
      return NtStatus.NO_SUCH_DEVICE;
    }
    int inherited = extension.lower.flags() & (DO_BUFFERED_IO | DO_DIRECT_IO | DO_POWER_PAGABLE);
    device.setFlags((device.flags() | inherited) & ~DO_DEVICE_INITIALIZING);
    return NtStatus.SUCCESS;
  }

  /**
   * Every IRP goes down with a completion routine that counts it; REMOVE_DEVICE then detaches and
   * deletes the filter device, as a filter must.
   */
  private NtStatus passDown(KernelServices k, DeviceObject device, Irp irp) {
    Extension extension = device.deviceExtension(Extension.class);
    DeviceObject lower = extension.lower;
    var location = k.ioGetCurrentIrpStackLocation(irp);
    boolean remove = location.majorFunction() == MajorFunction.PNP
        && location.minorFunction() == IRP_MN_REMOVE_DEVICE;

    counters.probed.increment();
    counters.inFlight.put(irp, Boolean.TRUE);
    k.ioCopyCurrentIrpStackLocationToNext(irp);
    k.ioSetCompletionRoutine(irp, (upper, done, context) -> {
      counters.probeCompletions.increment();
      if (counters.inFlight.remove(done) == null) {
        counters.problem(counters.doubled, "completion routine ran twice for " + done);
      }
      if (done.pendingReturned()) {
        k.ioMarkIrpPending(done);
      }
      return NtStatus.CONTINUE_COMPLETION;
    }, null, true, true, true);
    NtStatus status = k.ioCallDriver(lower, irp);
    if (remove) {
      k.ioDetachDevice(lower);
      k.ioDeleteDevice(device);
    }
    return status;
  }

  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public String driverName() {
    return NAME;
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
  public DriverRole role() {
    return DriverRole.UPPER_FILTER;
  }

  @Override
  public boolean permanent() {
    return false;
  }

  @Override
  public Class<?> driverClass() {
    return IrpProbeFilter.class;
  }
}

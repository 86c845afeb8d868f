package io.jwdm.host.image;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A legacy driver named Echo installed from glue on the class path, not from an image: device
 * {@code \Device\Echo}, link {@code \\.\Echo}, and the echo IOCTL answering {@code "classpath #n"}.
 */
public final class ClassPathEcho implements DriverGlue {
  @Override
  public int spiVersion() {
    return SPI_VERSION;
  }

  @Override
  public String driverName() {
    return "Echo";
  }

  @Override
  public DriverModel model() {
    return DriverModel.LEGACY;
  }

  @Override
  public List<String> hardwareIds() {
    return List.of();
  }

  @Override
  public boolean permanent() {
    return false;
  }

  @Override
  public Class<?> driverClass() {
    return ClassPathEcho.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    KernelServices k = driverObject.kernel();
    int[] requests = new int[1];
    driverObject.setMajorFunction(MajorFunction.CREATE, (device, irp) -> complete(k, irp, 0));
    driverObject.setMajorFunction(MajorFunction.CLOSE, (device, irp) -> complete(k, irp, 0));
    driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, (device, irp) -> {
      byte[] reply = ("classpath #" + ++requests[0]).getBytes(StandardCharsets.UTF_8);
      irp.systemBuffer().put(0, reply);
      return complete(k, irp, reply.length);
    });
    driverObject.setDriverUnload(driver -> {
      k.ioDeleteSymbolicLink("\\DosDevices\\Echo");
      k.ioDeleteDevice(driver.deviceObject());
    });
    Out<DeviceObject> device = new Out<>();
    NtStatus status = k.ioCreateDevice(driverObject, null, "\\Device\\Echo",
        Wdm.FILE_DEVICE_UNKNOWN, 0, false, device);
    if (!status.isSuccess()) {
      return status;
    }
    status = k.ioCreateSymbolicLink("\\DosDevices\\Echo", "\\Device\\Echo");
    if (!status.isSuccess()) {
      k.ioDeleteDevice(device.get());
    }
    return status;
  }

  private static NtStatus complete(KernelServices k, Irp irp, int information) {
    irp.ioStatus().setStatus(NtStatus.SUCCESS);
    irp.ioStatus().setInformation(information);
    k.ioCompleteRequest(irp, Wdm.IO_NO_INCREMENT);
    return NtStatus.SUCCESS;
  }
}

package io.jwdm.benchmarks;

/**
 * Driver sources for the processor benchmark: legacy drivers shaped like the WDK's sioctl (a
 * DriverEntry creating a device and a link, CREATE/CLOSE, DEVICE_CONTROL over a few codes, an
 * Unload), each with its own name and package.
 */
final class DriverSources {
  private DriverSources() {}

  static String packageName(int index) {
    return "gen.drivers.d" + (index / 100);
  }

  static String simpleName(int index) {
    return "Gen" + index;
  }

  static String className(int index) {
    return packageName(index) + "." + simpleName(index);
  }

  static String source(int index) {
    String name = simpleName(index);
    return """
        package %1$s;

        import static io.jwdm.kernel.Wdm.*;

        import io.jwdm.annotation.Dispatch;
        import io.jwdm.annotation.DriverEntry;
        import io.jwdm.annotation.LegacyDriver;
        import io.jwdm.annotation.Unload;
        import io.jwdm.kernel.DeviceObject;
        import io.jwdm.kernel.DriverObject;
        import io.jwdm.kernel.IoStackLocation;
        import io.jwdm.kernel.Irp;
        import io.jwdm.kernel.KernelServices;
        import io.jwdm.kernel.MajorFunction;
        import io.jwdm.kernel.NtStatus;
        import io.jwdm.kernel.Out;
        import java.nio.ByteBuffer;

        /** Generated driver %2$s. */
        @LegacyDriver(name = "%2$s")
        public class %2$s {
          static final String DEVICE = "\\\\Device\\\\%2$s";
          static final String LINK = "\\\\DosDevices\\\\%2$s";
          static final int IOCTL_ECHO = CTL_CODE(40000, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS);
          static final int IOCTL_COUNT = CTL_CODE(40000, 0x901, METHOD_BUFFERED, FILE_ANY_ACCESS);

          private KernelServices k;
          private int requests;

          @DriverEntry
          NtStatus driverEntry(DriverObject driver, String registryPath) {
            k = driver.kernel();
            Out<DeviceObject> device = new Out<>();
            NtStatus status = k.ioCreateDevice(driver, null, DEVICE, FILE_DEVICE_UNKNOWN,
                FILE_DEVICE_SECURE_OPEN, false, device);
            if (!status.isSuccess()) {
              return status;
            }
            status = k.ioCreateSymbolicLink(LINK, DEVICE);
            if (!status.isSuccess()) {
              k.ioDeleteDevice(device.get());
            }
            return status;
          }

          @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE})
          NtStatus createClose(DeviceObject device, Irp irp) {
            irp.ioStatus().setStatus(NtStatus.SUCCESS);
            irp.ioStatus().setInformation(0);
            k.ioCompleteRequest(irp, IO_NO_INCREMENT);
            return NtStatus.SUCCESS;
          }

          @Dispatch(MajorFunction.DEVICE_CONTROL)
          NtStatus deviceControl(DeviceObject device, Irp irp) {
            IoStackLocation stack = k.ioGetCurrentIrpStackLocation(irp);
            NtStatus status = NtStatus.SUCCESS;
            long information = 0;
            ByteBuffer buffer = irp.systemBuffer();
            if (stack.ioControlCode() == IOCTL_ECHO) {
              information = Math.min(stack.inputBufferLength(), stack.outputBufferLength());
            } else if (stack.ioControlCode() == IOCTL_COUNT && stack.outputBufferLength() >= 4) {
              buffer.putInt(0, ++requests);
              information = 4;
            } else {
              status = NtStatus.INVALID_DEVICE_REQUEST;
            }
            irp.ioStatus().setStatus(status);
            irp.ioStatus().setInformation(information);
            k.ioCompleteRequest(irp, IO_NO_INCREMENT);
            return status;
          }

          @Unload
          void unload(DriverObject driver) {
            k.ioDeleteSymbolicLink(LINK);
            if (driver.deviceObject() != null) {
              k.ioDeleteDevice(driver.deviceObject());
            }
          }
        }
        """.formatted(packageName(index), name);
  }
}

package demo;

import io.jwdm.annotation.AddDevice;
import io.jwdm.annotation.Dispatch;
import io.jwdm.annotation.WdmDriver;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;

/** A WDM driver that forgot its Unload routine: the jwdm processor rejects it. */
@WdmDriver(hardwareIds = "ROOT\\FORGETFUL")
public class NoUnloadDriver {
  @AddDevice
  NtStatus addDevice(DriverObject driver, DeviceObject physicalDeviceObject) {
    return NtStatus.SUCCESS;
  }

  @Dispatch({MajorFunction.PNP, MajorFunction.POWER, MajorFunction.CREATE, MajorFunction.CLOSE,
      MajorFunction.SYSTEM_CONTROL})
  NtStatus dispatch(DeviceObject device, Irp irp) {
    return NtStatus.SUCCESS;
  }
}

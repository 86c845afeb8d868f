package io.jwdm.host;

import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Wdm;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hand-written glue for a WDM function driver that stores no PNP and no POWER dispatch routine
 * (only CREATE and CLOSE) and an empty Unload: what {@link TestDriver} cannot build, since it always
 * stores a PnP routine for a WDM driver. DriverEntry hands its driver object to {@code entered}.
 */
final class VerifierBareWdmGlue implements DriverGlue {
  private final String name;
  private final List<String> hardwareIds;
  private final Consumer<DriverObject> entered;

  VerifierBareWdmGlue(String name, Consumer<DriverObject> entered, String... hardwareIds) {
    this.name = name;
    this.entered = entered;
    this.hardwareIds = List.of(hardwareIds);
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
    return hardwareIds;
  }

  @Override
  public boolean permanent() {
    return false;
  }

  @Override
  public Class<?> driverClass() {
    return VerifierBareWdmGlue.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    entered.accept(driverObject);
    for (MajorFunction function : new MajorFunction[] {MajorFunction.CREATE, MajorFunction.CLOSE}) {
      driverObject.setMajorFunction(function, (device, irp) -> {
        irp.ioStatus().setStatus(NtStatus.SUCCESS);
        device.kernel().ioCompleteRequest(irp, Wdm.IO_NO_INCREMENT);
        return NtStatus.SUCCESS;
      });
    }
    driverObject.setDriverUnload(driver -> { });
    return NtStatus.SUCCESS;
  }
}

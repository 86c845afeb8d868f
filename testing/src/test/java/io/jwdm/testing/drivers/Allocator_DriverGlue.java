package io.jwdm.testing.drivers;

import static io.jwdm.kernel.Wdm.POOL_FLAG_PAGED;

import io.jwdm.kernel.CreateProcessNotifyRoutine;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.PsCreateNotifyInfo;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.List;

/**
 * A legacy driver with no device that allocates and frees a block of pool each time a process is
 * created, from a process notify routine: under the low-resources simulation, the kernel's seed
 * decides which of these allocations fail. DriverEntry itself makes no call the simulation may
 * fail, so the driver always loads.
 */
public final class Allocator_DriverGlue implements DriverGlue {
  /** The driver's name. */
  public static final String NAME = "Allocator";

  /** Creates the glue. */
  public Allocator_DriverGlue() {}

  /** The driver. */
  static final class Allocator {
    private KernelServices k;
    private final CreateProcessNotifyRoutine routine = this::onProcess;

    NtStatus driverEntry(DriverObject driver) {
      k = driver.kernel();
      return k.psSetCreateProcessNotifyRoutineEx(routine, false);
    }

    private void onProcess(long processId, PsCreateNotifyInfo createInfo) {
      if (createInfo != null) {
        PoolMemory block = k.exAllocatePool2(POOL_FLAG_PAGED, 16, "Aloc");
        if (block != null) {
          k.exFreePoolWithTag(block, "Aloc");
        }
      }
    }

    void unload(DriverObject driver) {
      k.psSetCreateProcessNotifyRoutineEx(routine, true);
    }
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
    return Allocator.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    Allocator driver = new Allocator();
    driverObject.setDriverUnload(driver::unload);
    return driver.driverEntry(driverObject);
  }
}

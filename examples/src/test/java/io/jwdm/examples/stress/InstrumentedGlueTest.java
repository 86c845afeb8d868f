package io.jwdm.examples.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jwdm.annotation.DriverRole;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverAddDevice;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.DriverStartIo;
import io.jwdm.kernel.DriverUnload;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.lang.reflect.Proxy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The stress test's instruments catch what they are there to catch: {@link InstrumentedGlue}, fed
 * a kernel that misbehaves on purpose (a fake driver object calling the routines in the wrong
 * order), counts a dispatch after Unload began, an Unload overlapping a dispatch routine, and a
 * dispatch routine that returned without completing its IRP.
 */
@DisplayName("Stress instruments")
class InstrumentedGlueTest {
  private final StressCounters counters = new StressCounters();

  /** A driver object as the kernel's, with the package-private accessor the glue reads. */
  static final class FakeDriverObject implements DriverObject {
    final Map<MajorFunction, DriverDispatch> table = new EnumMap<>(MajorFunction.class);
    final DriverDispatch defaultRoutine = (device, irp) -> NtStatus.INVALID_DEVICE_REQUEST;
    DriverUnload unloadRoutine;

    DriverUnload unload() {
      return unloadRoutine;
    }

    @Override
    public String driverName() {
      return "\\Driver\\Fake";
    }

    @Override
    public void setMajorFunction(MajorFunction function, DriverDispatch routine) {
      table.put(function, routine);
    }

    @Override
    public DriverDispatch majorFunction(MajorFunction function) {
      return table.getOrDefault(function, defaultRoutine);
    }

    @Override
    public void setAddDevice(DriverAddDevice routine) {}

    @Override
    public void setDriverStartIo(DriverStartIo routine) {}

    @Override
    public void setDriverUnload(DriverUnload routine) {
      unloadRoutine = routine;
    }

    @Override
    public DriverUnload driverUnload() {
      return unloadRoutine;
    }

    @Override
    public DeviceObject deviceObject() {
      return null;
    }

    @Override
    public KernelServices kernel() {
      throw new UnsupportedOperationException();
    }
  }

  /** A legacy glue whose DEVICE_CONTROL routine runs {@code body} and whose Unload runs {@code onUnload}. */
  private static DriverGlue glue(DriverDispatch body, Runnable onUnload) {
    return new DriverGlue() {
      @Override
      public int spiVersion() {
        return SPI_VERSION;
      }

      @Override
      public String driverName() {
        return "Fake";
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
      public DriverRole role() {
        return DriverRole.FUNCTION;
      }

      @Override
      public boolean permanent() {
        return false;
      }

      @Override
      public Class<?> driverClass() {
        return InstrumentedGlueTest.class;
      }

      @Override
      public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
        driverObject.setMajorFunction(MajorFunction.DEVICE_CONTROL, body);
        driverObject.setDriverUnload(driver -> onUnload.run());
        return NtStatus.SUCCESS;
      }
    };
  }

  /** An IRP at {@code location} of a one-location stack: 2 means completed. */
  private static Irp irp(int location) {
    return (Irp) Proxy.newProxyInstance(Irp.class.getClassLoader(), new Class<?>[] {Irp.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "stackCount" -> 1;
          case "currentLocation" -> location;
          case "toString" -> "fake IRP";
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  @DisplayName("a dispatch routine called after Unload began is counted")
  void dispatchAfterUnload() {
    FakeDriverObject driver = new FakeDriverObject();
    new InstrumentedGlue(glue((d, i) -> NtStatus.PENDING, () -> { }), counters, false)
        .driverEntry(driver, "");
    driver.unload().unload(driver);
    driver.majorFunction(MajorFunction.DEVICE_CONTROL).dispatch(null, irp(1));
    assertEquals(1, counters.afterUnload.sum());
    assertEquals(1, counters.problems.size());
  }

  @Test
  @DisplayName("Unload called while a dispatch routine runs is counted as an overlap")
  void unloadDuringDispatch() {
    FakeDriverObject driver = new FakeDriverObject();
    AtomicReference<Runnable> unloadNow = new AtomicReference<>();
    new InstrumentedGlue(glue((d, i) -> {
      unloadNow.get().run();
      return NtStatus.PENDING;
    }, () -> { }), counters, false).driverEntry(driver, "");
    unloadNow.set(() -> driver.unload().unload(driver));
    driver.majorFunction(MajorFunction.DEVICE_CONTROL).dispatch(null, irp(1));
    assertEquals(2, counters.overlaps.sum(), "seen as Unload began and as it ended");
  }

  @Test
  @DisplayName("a dispatch routine returning SUCCESS without completing its IRP is counted")
  void notCompleted() {
    FakeDriverObject driver = new FakeDriverObject();
    new InstrumentedGlue(glue((d, i) -> NtStatus.SUCCESS, () -> { }), counters, true)
        .driverEntry(driver, "");
    driver.majorFunction(MajorFunction.DEVICE_CONTROL).dispatch(null, irp(1));
    driver.majorFunction(MajorFunction.DEVICE_CONTROL).dispatch(null, irp(2));
    assertEquals(1, counters.notCompletedByDispatch.sum());
    assertEquals(2, counters.dispatches.sum());
  }
}

package io.jwdm.host.stress;

import static io.jwdm.kernel.Wdm.DO_BUFFERED_IO;
import static io.jwdm.kernel.Wdm.DO_DEVICE_INITIALIZING;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN;
import static io.jwdm.kernel.Wdm.IO_NO_INCREMENT;
import static io.jwdm.kernel.Wdm.IRP_MN_REMOVE_DEVICE;
import static io.jwdm.kernel.Wdm.IRP_MN_START_DEVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.annotation.DriverRole;
import io.jwdm.host.DeviceNode;
import io.jwdm.host.Handle;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.SchedulerMode;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A race the example stress test found, replayed step by step on the real-time scheduler: a WDM
 * driver's last device goes (the last handle of a surprise-removed device closes) while the PnP
 * manager is in that same driver's AddDevice for a new device. The driver has a device being added,
 * so it must not be unloaded under it: the new device starts on the running instance. (The kernel
 * once marked the driver unload-pending as soon as its device list was empty, so the new device's
 * IoCreateDevice got DELETE_PENDING, the device failed with code 31, and Unload ran.)
 */
@DisplayName("Stress regression: the last device going while AddDevice runs")
class AddDeviceUnloadRaceTest {
  private static final String ID = "ROOT\\RACER";
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "jwdm-race");
    thread.setDaemon(true);
    return thread;
  });
  private Kernel kernel;

  @AfterEach
  void stop() {
    threads.shutdownNow();
    if (kernel != null) {
      kernel.close();
    }
  }

  /**
   * A WDM function driver: AddDevice attaches a device to the stack; the second AddDevice first
   * says it started ({@code entered}) and waits for {@code proceed}. START and REMOVE are handled
   * as a function driver does; everything else is completed with success.
   */
  private static final class Racer implements DriverGlue {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch proceed = new CountDownLatch(1);
    final AtomicInteger addDevices = new AtomicInteger();
    final AtomicInteger unloads = new AtomicInteger();

    @Override
    public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
      KernelServices k = driverObject.kernel();
      driverObject.setAddDevice((driver, pdo) -> {
        if (addDevices.incrementAndGet() == 2) {
          entered.countDown();
          await(proceed);
        }
        Out<DeviceObject> created = new Out<>();
        NtStatus status = k.ioCreateDevice(driver, new DeviceObject[1], null, FILE_DEVICE_UNKNOWN,
            0, false, created);
        if (!status.isSuccess()) {
          return status;
        }
        DeviceObject device = created.get();
        DeviceObject lower = k.ioAttachDeviceToDeviceStack(device, pdo);
        device.deviceExtension(DeviceObject[].class)[0] = lower;
        device.setFlags((device.flags() | DO_BUFFERED_IO) & ~DO_DEVICE_INITIALIZING);
        return NtStatus.SUCCESS;
      });
      for (MajorFunction function : List.of(MajorFunction.CREATE, MajorFunction.CLEANUP,
          MajorFunction.CLOSE)) {
        driverObject.setMajorFunction(function, (device, irp) -> complete(k, irp));
      }
      driverObject.setMajorFunction(MajorFunction.PNP, (device, irp) -> pnp(k, device, irp));
      driverObject.setDriverUnload(driver -> unloads.incrementAndGet());
      return NtStatus.SUCCESS;
    }

    private static NtStatus complete(KernelServices k, Irp irp) {
      irp.ioStatus().setStatus(NtStatus.SUCCESS);
      k.ioCompleteRequest(irp, IO_NO_INCREMENT);
      return NtStatus.SUCCESS;
    }

    private static NtStatus pnp(KernelServices k, DeviceObject device, Irp irp) {
      DeviceObject lower = device.deviceExtension(DeviceObject[].class)[0];
      int minor = k.ioGetCurrentIrpStackLocation(irp).minorFunction();
      if (minor == IRP_MN_START_DEVICE) {
        k.ioForwardIrpSynchronously(lower, irp);
        NtStatus status = irp.ioStatus().status();
        k.ioCompleteRequest(irp, IO_NO_INCREMENT);
        return status;
      }
      irp.ioStatus().setStatus(NtStatus.SUCCESS);
      k.ioSkipCurrentIrpStackLocation(irp);
      NtStatus status = k.ioCallDriver(lower, irp);
      if (minor == IRP_MN_REMOVE_DEVICE) {
        k.ioDetachDevice(lower);
        k.ioDeleteDevice(device);
      }
      return status;
    }

    private static void await(CountDownLatch latch) {
      try {
        if (!latch.await(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new IllegalStateException("the test never let AddDevice proceed");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public int spiVersion() {
      return SPI_VERSION;
    }

    @Override
    public String driverName() {
      return "Racer";
    }

    @Override
    public DriverModel model() {
      return DriverModel.WDM;
    }

    @Override
    public List<String> hardwareIds() {
      return List.of(ID);
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
      return Racer.class;
    }
  }

  @Test
  @DisplayName("a device added while the driver's last other device goes starts on the running driver")
  void lastDeviceGoesDuringAddDevice() throws Exception {
    kernel = Kernel.boot(KernelOptions.builder().schedulerMode(SchedulerMode.REAL_TIME)
        .waitTimeout(Duration.ofSeconds(5)).build());
    Racer racer = new Racer();
    kernel.install(racer);
    DeviceNode first = kernel.plugIn(ID);
    assertEquals(DeviceNode.State.STARTED, first.state(), kernel::deviceTree);
    Handle handle = kernel.open(first.pdoName());
    assertEquals(NtStatus.SUCCESS, kernel.surpriseRemove(first));

    Future<DeviceNode> second = threads.submit(() -> kernel.plugIn(ID));
    assertTrue(racer.entered.await(BOUND.toMillis(), TimeUnit.MILLISECONDS), "AddDevice never ran");
    handle.close(); // the first device's REMOVE_DEVICE: the driver's only finished device goes
    assertTrue(awaitState(first, DeviceNode.State.REMOVED), kernel::deviceTree);
    racer.proceed.countDown();
    DeviceNode node = second.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);

    assertEquals(DeviceNode.State.STARTED, node.state(), () -> node.problemCode() + "\n"
        + kernel.deviceTree() + kernel.trace().subList(Math.max(0, kernel.trace().size() - 15),
            kernel.trace().size()));
    assertEquals(0, racer.unloads.get(), "Unload ran while the driver had a device");
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertTrue(kernel.awaitUnloaded("Racer", BOUND));
    assertEquals(1, racer.unloads.get());
    assertEquals(Optional.empty(), kernel.bugCheck());
    assertEquals(List.of(), kernel.leaks());
  }

  private static boolean awaitState(DeviceNode node, DeviceNode.State state)
      throws InterruptedException {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (node.state() != state) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }
}

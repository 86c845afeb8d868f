package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.IOCTL_KICK;
import static io.jwdm.host.SchedulerTestSupport.deterministic;
import static io.jwdm.host.SchedulerTestSupport.nowMillis;
import static io.jwdm.host.SchedulerTestSupport.waitForever;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertTraced;
import static io.jwdm.kernel.Wdm.DELAYED_WORK_QUEUE;
import static io.jwdm.kernel.Wdm.RELATIVE_MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.EventType;
import io.jwdm.kernel.IoWorkItem;
import io.jwdm.kernel.IoWorkItemRoutine;
import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.KEvent;
import io.jwdm.kernel.KTimer;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Work items under the deterministic scheduler: IoAllocateWorkItem, IoQueueWorkItem and
 * IoFreeWorkItem. A work item runs at PASSIVE_LEVEL, and while queued holds a reference on its
 * device, so it delays a legacy driver's unload (DOMAIN §2.7, §3; KernelServices#ioQueueWorkItem).
 */
class SchedulerWorkItemTest {
  private static final String WORKER = "Worker";
  private static final String LINK = "\\??\\" + WORKER;

  private final Journal journal = new Journal();

  /**
   * "Worker": a legacy driver with a device. DriverEntry allocates one work item; DEVICE_CONTROL
   * queues it with {@link #noteRoutine} and completes; Unload frees it and deletes the device.
   */
  private TestDriver worker() {
    return TestDriver.legacyDevice(WORKER, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + WORKER, LINK, 0);
          if (!status.isSuccess()) {
            return status;
          }
          IoWorkItem item = self.k.ioAllocateWorkItem(self.device);
          if (item == null) {
            Routines.deleteDeviceAndLink(self, LINK);
            return NtStatus.INSUFFICIENT_RESOURCES;
          }
          self.values.put("item", item);
          return NtStatus.SUCCESS;
        })
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          self.k.ioQueueWorkItem(item(self), noteRoutine(self), DELAYED_WORK_QUEUE, "from ioctl");
          self.note("queued");
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .unload(self -> {
          self.k.ioFreeWorkItem(item(self));
          Routines.deleteDeviceAndLink(self, LINK);
        })
        .build();
  }

  /** A work item routine noting its IRQL, whether it got the driver's device, and its context. */
  private static IoWorkItemRoutine noteRoutine(TestDriver.Instance self) {
    return (device, context) -> self.note("work item at " + self.k.keGetCurrentIrql() + " "
        + (device == self.device ? "own device" : "other device " + device) + " " + context);
  }

  private static IoWorkItem item(TestDriver.Instance self) {
    return (IoWorkItem) self.values.get("item");
  }

  @Test
  void queuedWorkItemRunsAtPassiveLevelAfterTheQueuingRoutineReturns() {
    Kernel kernel = deterministic();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(worker()));
    TestDriver.Instance self = journal.last(WORKER);
    assertNotNull(item(self));
    assertFalse(item(self).isQueued());

    try (Handle handle = kernel.open(LINK)) {
      assertEquals(NtStatus.SUCCESS, handle.deviceIoControl(IOCTL_KICK, null, 0).status());
    }

    List<String> events = journal.eventsOf(WORKER);
    int queued = events.indexOf("queued");
    int ran = events.indexOf("work item at PASSIVE_LEVEL own device from ioctl");
    assertTrue(queued >= 0 && ran > queued, "queued, then run at PASSIVE_LEVEL with its device"
        + " and context:\n" + journal);
    assertEquals(1, journal.count(WORKER + " work item at PASSIVE_LEVEL own device from ioctl"));
    assertFalse(item(self).isQueued(), "not queued once it ran");

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(WORKER));
    assertCleanRun(kernel);
  }

  @Test
  void workItemQueuedFromADpcRunsAtPassiveLevelAfterTheDpc() {
    Kernel kernel = deterministic();
    TestDriver driver = TestDriver.legacyDevice(WORKER, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + WORKER, LINK, 0);
          IoWorkItem item = self.k.ioAllocateWorkItem(self.device);
          self.values.put("item", item);
          KDpc dpc = self.k.keInitializeDpc((d, context, a1, a2) -> {
            self.note("dpc at " + self.k.keGetCurrentIrql());
            self.k.ioQueueWorkItem(item, noteRoutine(self), DELAYED_WORK_QUEUE, "from dpc");
          }, null);
          KTimer timer = self.k.keInitializeTimer();
          self.k.keSetTimer(timer, RELATIVE_MILLISECONDS(5), dpc);
          return status;
        })
        .unload(self -> {
          self.k.ioFreeWorkItem(item(self));
          Routines.deleteDeviceAndLink(self, LINK);
        })
        .build();
    kernel.loadDriver(driver);

    kernel.advanceClock(Duration.ofMillis(5));

    assertEquals(List.of("DriverEntry", "dpc at DISPATCH_LEVEL",
        "work item at PASSIVE_LEVEL own device from dpc"), journal.eventsOf(WORKER));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(WORKER));
    assertCleanRun(kernel);
  }

  @Test
  void queuedWorkItemHoldsADeviceReferenceSoTheUnloadWaitsUntilItRan() {
    Kernel kernel = deterministic();
    kernel.loadDriver(worker());
    TestDriver.Instance self = journal.last(WORKER);
    List<Object> seen = new ArrayList<>();

    // Playing the part of the system: a work item is queued, and the service stop comes before a
    // worker thread picked it up.
    kernel.runAsKernelThread(() -> {
      self.k.ioQueueWorkItem(item(self), (device, context) -> self.note("work item ran"),
          DELAYED_WORK_QUEUE, null);
      seen.add(kernel.unloadDriver(WORKER));
      seen.add(kernel.isLoaded(WORKER));
      seen.add(kernel.unloadBlockers(WORKER));
      seen.add(item(self).isQueued());
    });

    assertEquals(NtStatus.PENDING, seen.get(0), "the unload waits");
    assertEquals(true, seen.get(1));
    assertTrue(seen.get(2).toString().contains("1 reference"),
        "the queued work item is the device's reference: " + seen.get(2));
    assertEquals(true, seen.get(3));
    assertTraced(kernel, "UnloadWaiting", WORKER, "1 reference");
    List<String> events = journal.eventsOf(WORKER);
    assertTrue(events.indexOf("work item ran") >= 0
        && events.indexOf("work item ran") < events.indexOf("Unload"),
        "Unload runs only after the work item ran:\n" + journal);
    assertFalse(kernel.isLoaded(WORKER), "then the driver unloads");
    assertCleanRun(kernel);
  }

  @Test
  void workItemThatFreesItselfLeavesNothingBehind() {
    Kernel kernel = deterministic();
    TestDriver driver = TestDriver.legacyDevice(WORKER, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + WORKER, LINK, 0);
          IoWorkItem item = self.k.ioAllocateWorkItem(self.device);
          self.k.ioQueueWorkItem(item, (device, context) -> {
            self.note("work item ran");
            self.k.ioFreeWorkItem((IoWorkItem) context);
          }, DELAYED_WORK_QUEUE, item);
          return status;
        })
        .build();

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(WORKER));

    assertEquals(List.of("DriverEntry", "work item ran", "Unload"), journal.eventsOf(WORKER));
    assertCleanRun(kernel);
  }

  @Test
  void workItemWaitingOnAnEventIsWokenByTheDpcThatSetsIt() {
    Kernel kernel = deterministic();
    TestDriver driver = TestDriver.legacyDevice(WORKER, journal)
        .entry(self -> {
          KernelServices k = self.k;
          NtStatus status = Routines.createDevice(self, "\\Device\\" + WORKER, LINK, 0);
          KEvent event = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
          KDpc dpc = k.keInitializeDpc((d, context, a1, a2) -> {
            self.note("dpc sets the event at " + nowMillis(k) + " ms");
            k.keSetEvent(event, 0, false);
          }, null);
          KTimer timer = k.keInitializeTimer();
          IoWorkItem item = k.ioAllocateWorkItem(self.device);
          self.values.put("item", item);
          k.ioQueueWorkItem(item, (DeviceObject device, Object context) -> {
            self.note("work item waits at " + nowMillis(k) + " ms");
            NtStatus woke = waitForever(k, event);
            self.note("work item woke " + woke.name() + " at " + nowMillis(k) + " ms");
          }, DELAYED_WORK_QUEUE, null);
          k.keSetTimer(timer, RELATIVE_MILLISECONDS(20), dpc);
          return status;
        })
        .unload(self -> {
          self.k.ioFreeWorkItem(item(self));
          Routines.deleteDeviceAndLink(self, LINK);
        })
        .build();

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));

    assertEquals(List.of("DriverEntry", "work item waits at 0 ms", "dpc sets the event at 20 ms",
        "work item woke SUCCESS at 20 ms"), journal.eventsOf(WORKER));
    assertEquals(Duration.ofMillis(20), kernel.clock(),
        "while the only kernel thread waited, virtual time moved to the timer and no further");
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(WORKER));
    assertCleanRun(kernel);
  }
}

package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.address;
import static io.jwdm.host.SchedulerTestSupport.deterministic;
import static io.jwdm.host.SchedulerTestSupport.waitForever;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertObject;
import static io.jwdm.host.VerifierAsserts.stops;
import static io.jwdm.kernel.Wdm.DELAYED_WORK_QUEUE;
import static io.jwdm.kernel.Wdm.RELATIVE_MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.EventType;
import io.jwdm.kernel.IoWorkItem;
import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.KEvent;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KTimer;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What Unload must release (DOMAIN §3) and the bug checks for what it does not (DOMAIN §4): a timer
 * still set or a DPC still queued is 0xC7 TIMER_OR_DPC_INVALID (P1 0 for a timer, 1 for a DPC,
 * P2 the object); a work item not freed or a system thread still running is 0xCE
 * DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS (P1 the object). These checks hold without
 * any verifier flag. Each leaked object is named with the stack that created it.
 */
class SchedulerLeakTest {
  private static final String LEAKY = "Leaky";
  private static final String LINK = "\\??\\" + LEAKY;

  private final Journal journal = new Journal();
  private Kernel kernel;

  @AfterEach
  void stopKernelThreads() {
    if (kernel != null) {
      kernel.close();
    }
  }

  private static <T> T value(TestDriver.Instance self, String key, Class<T> type) {
    return type.cast(self.values.get(key));
  }

  // ---------------------------------------------------------------------------------------------
  // 0xC7

  @Test
  void timerLeftSetAtUnloadIsBugCheckC7WithP1ZeroNamingTheTimerAndItsCreator() {
    kernel = deterministic();
    TestDriver driver = TestDriver.legacy(LEAKY, journal)
        .entry(self -> {
          KTimer timer = self.k.keInitializeTimer();
          KDpc dpc = self.k.keInitializeDpc((d, c, a1, a2) -> self.note("dpc ran"), null);
          self.k.keSetTimer(timer, RELATIVE_MILLISECONDS(1000), dpc);
          self.values.put("timer", timer);
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(driver));
    long timer = address(value(journal.last(LEAKY), "timer", KTimer.class));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(LEAKY));

    assertNotEquals(0L, timer);
    assertBugCheck(check, BugCheck.TIMER_OR_DPC_INVALID, 0, timer, 0, 0, LEAKY);
    assertEquals(1, check.objects().size(), check::render);
    Leak leak = check.objects().get(0);
    assertObject(leak, "Timer", LEAKY, "Unload", SchedulerLeakTest.class,
        "timerLeftSetAtUnloadIsBugCheckC7WithP1ZeroNamingTheTimerAndItsCreator");
    assertTrue(leak.description().contains(String.format("%016x", timer)), leak::render);
    assertEquals(List.of(leak), kernel.leaks(), "the kernel's leak list has it too");
    assertFalse(journal.contains(LEAKY + " dpc ran"));
  }

  @Test
  void dpcLeftQueuedAtUnloadIsBugCheckC7WithP1OneAndNeverRuns() {
    kernel = deterministic();
    TestDriver driver = TestDriver.legacy(LEAKY, journal)
        .entry(self -> {
          self.values.put("dpc", self.k.keInitializeDpc((d, c, a1, a2) -> self.note("dpc ran"),
              null));
          return NtStatus.SUCCESS;
        })
        // A last-moment kick in Unload: the DPC is still queued when the driver goes away.
        .unload(self -> self.k.keInsertQueueDpc(value(self, "dpc", KDpc.class), null, null))
        .build();
    kernel.loadDriver(driver);
    long dpc = address(value(journal.last(LEAKY), "dpc", KDpc.class));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(LEAKY));

    assertBugCheck(check, BugCheck.TIMER_OR_DPC_INVALID, 1, dpc, 0, 0, LEAKY);
    assertEquals(1, check.objects().size(), check::render);
    assertObject(check.objects().get(0), "Dpc", LEAKY, "Unload", SchedulerLeakTest.class,
        "dpcLeftQueuedAtUnloadIsBugCheckC7WithP1OneAndNeverRuns");
    assertFalse(journal.contains(LEAKY + " dpc ran"), "the unloaded driver's DPC never runs");
  }

  // ---------------------------------------------------------------------------------------------
  // 0xCE

  @Test
  void workItemNotFreedAtUnloadIsBugCheckCE() {
    kernel = deterministic();
    TestDriver driver = TestDriver.legacyDevice(LEAKY, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + LEAKY, LINK, 0);
          self.values.put("item", self.k.ioAllocateWorkItem(self.device));
          return status;
        })
        .build(); // legacyDevice's Unload deletes the device and link, and forgets the work item
    kernel.loadDriver(driver);
    long item = address(value(journal.last(LEAKY), "item", IoWorkItem.class));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(LEAKY));

    assertBugCheck(check,
        BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, item, 0, 0, 0, LEAKY);
    assertEquals(1, check.objects().size(), check::render);
    assertObject(check.objects().get(0), "WorkItem", LEAKY, "Unload", SchedulerLeakTest.class,
        "workItemNotFreedAtUnloadIsBugCheckCE");
  }

  /** "Leaky" with a system thread that waits on an event nobody sets. */
  private TestDriver.Builder leakyWithThread() {
    return TestDriver.legacy(LEAKY, journal)
        .entry(self -> {
          KEvent never = self.k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
          Out<KThreadObject> thread = new Out<>();
          NtStatus status = self.k.psCreateSystemThread(thread, context -> {
            self.note("thread waits");
            waitForever(self.k, never);
            self.note("thread woke");
          }, null);
          self.values.put("thread", thread.get());
          return status;
        })
        .unload(self -> { });
  }

  @Test
  void systemThreadStillRunningAtUnloadIsBugCheckCE() {
    kernel = deterministic();
    kernel.loadDriver(leakyWithThread().build());
    KThreadObject thread = value(journal.last(LEAKY), "thread", KThreadObject.class);
    assertTrue(journal.contains(LEAKY + " thread waits"));

    BugCheck check = stops(kernel, () -> assertEquals(NtStatus.SUCCESS,
        kernel.unloadDriver(LEAKY), () -> "Unload should run, then find the thread; blockers: "
            + kernel.unloadBlockers(LEAKY)));

    assertBugCheck(check, BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
        address(thread), 0, 0, 0, LEAKY);
    assertObject(check.objects().get(0), "SystemThread", LEAKY, "Unload",
        SchedulerLeakTest.class, "leakyWithThread");
  }

  @Test
  void systemThreadLeftByAFailedDriverEntryIsBugCheckCE() {
    kernel = deterministic();
    TestDriver driver = leakyWithThread()
        .entry(self -> {
          Out<KThreadObject> thread = new Out<>();
          self.k.psCreateSystemThread(thread, context -> self.note("thread ran"), null);
          self.values.put("thread", thread.get());
          return NtStatus.UNSUCCESSFUL;
        })
        .build();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(driver));

    KThreadObject thread = value(journal.last(LEAKY), "thread", KThreadObject.class);
    assertBugCheck(check, BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
        address(thread), 0, 0, 0, LEAKY);
    assertObject(check.objects().get(0), "SystemThread", LEAKY, "DriverEntry failed",
        SchedulerLeakTest.class, "systemThreadLeftByAFailedDriverEntryIsBugCheckCE");
  }

  // ---------------------------------------------------------------------------------------------
  // Correct drivers

  /**
   * "Tidy": a legacy driver with a device, a periodic timer whose DPC queues a work item (when the
   * item is not queued already), and, if {@code withThread}, a system thread that sleeps until its
   * stop event is set. Unload undoes it all in DOMAIN §3's order: cancel the timer, remove and
   * flush DPCs, wait for the work item, stop the thread and wait on it, free the work item, delete
   * the device and link.
   */
  private TestDriver tidy(boolean withThread) {
    return TestDriver.legacyDevice("Tidy", journal)
        .entry(self -> {
          KernelServices k = self.k;
          NtStatus status = Routines.createDevice(self, "\\Device\\Tidy", "\\??\\Tidy", 0);
          if (!status.isSuccess()) {
            return status;
          }
          IoWorkItem item = k.ioAllocateWorkItem(self.device);
          KEvent idle = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, true);
          KDpc dpc = k.keInitializeDpc((d, c, a1, a2) -> {
            if (!item.isQueued()) {
              k.keClearEvent(idle);
              k.ioQueueWorkItem(item, (device, context) -> {
                self.note("work");
                k.keSetEvent(idle, 0, false);
              }, DELAYED_WORK_QUEUE, null);
            }
          }, null);
          KTimer timer = k.keInitializeTimer();
          k.keSetTimerEx(timer, RELATIVE_MILLISECONDS(5), 5, dpc);
          self.values.put("item", item);
          self.values.put("idle", idle);
          self.values.put("dpc", dpc);
          self.values.put("timer", timer);
          if (withThread) {
            KEvent stop = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
            Out<KThreadObject> thread = new Out<>();
            k.psCreateSystemThread(thread, context -> {
              while (waitForever(k, stop) != NtStatus.SUCCESS) {
                self.note("spurious wake");
              }
              self.note("thread ends");
            }, null);
            self.values.put("stop", stop);
            self.values.put("thread", thread.get());
          }
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          KernelServices k = self.k;
          k.keCancelTimer(value(self, "timer", KTimer.class));
          k.keRemoveQueueDpc(value(self, "dpc", KDpc.class));
          k.keFlushQueuedDpcs();
          waitForever(k, value(self, "idle", KEvent.class));
          if (self.values.containsKey("thread")) {
            k.keSetEvent(value(self, "stop", KEvent.class), 0, false);
            waitForever(k, value(self, "thread", KThreadObject.class));
          }
          k.ioFreeWorkItem(value(self, "item", IoWorkItem.class));
          Routines.deleteDeviceAndLink(self, "\\??\\Tidy");
        })
        .build();
  }

  @Test
  void correctDriverWithTimerDpcAndWorkItemUnloadsWithoutBugCheckOrLeak() {
    kernel = deterministic();
    kernel.loadDriver(tidy(false));
    kernel.advanceClock(Duration.ofMillis(50));
    assertEquals(10, journal.count("Tidy work"), "the timer drove ten work items: " + journal);

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Tidy"));

    assertFalse(kernel.isLoaded("Tidy"));
    assertCleanRun(kernel);
  }

  @Test
  void correctDriverUsingTimersDpcsWorkItemsAndASystemThreadUnloadsWithoutBugCheckOrLeak() {
    kernel = deterministic();
    kernel.loadDriver(tidy(true));
    kernel.advanceClock(Duration.ofMillis(50));
    assertEquals(10, journal.count("Tidy work"), "the timer drove ten work items: " + journal);

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Tidy"),
        () -> "blockers: " + kernel.unloadBlockers("Tidy"));

    assertTrue(journal.contains("Tidy thread ends"));
    assertFalse(kernel.isLoaded("Tidy"));
    assertCleanRun(kernel);
  }
}

package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.IOCTL_KICK;
import static io.jwdm.host.SchedulerTestSupport.deterministic;
import static io.jwdm.host.SchedulerTestSupport.nowMillis;
import static io.jwdm.host.SchedulerTestSupport.sleep;
import static io.jwdm.host.SchedulerTestSupport.waitForever;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.EventType;
import io.jwdm.kernel.KEvent;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * System threads under the deterministic scheduler: PsCreateSystemThread, KeWaitForSingleObject
 * and KeSetEvent between a thread and a dispatch routine, KeDelayExecutionThread on the virtual
 * clock, PsTerminateSystemThread, and the Unload that makes its thread end and waits on the thread
 * object (DOMAIN §3: "make its system threads terminate").
 */
class SchedulerSystemThreadTest {
  private static final String PUMP = "Pump";
  private static final String LINK = "\\??\\" + PUMP;

  private final Journal journal = new Journal();

  /**
   * "Pump": a legacy driver with a device and one system thread. The thread waits on a
   * synchronization event "wake"; each time it wakes it checks the notification event "stop" and
   * either notes that it woke or ends with PsTerminateSystemThread. DEVICE_CONTROL sets "wake".
   * Unload sets "stop" and "wake", waits on the thread object, then deletes its device.
   */
  private TestDriver pump() {
    return TestDriver.legacyDevice(PUMP, journal)
        .entry(self -> {
          KernelServices k = self.k;
          NtStatus status = Routines.createDevice(self, "\\Device\\" + PUMP, LINK, 0);
          if (!status.isSuccess()) {
            return status;
          }
          KEvent wake = k.keInitializeEvent(EventType.SYNCHRONIZATION_EVENT, false);
          KEvent stop = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
          self.values.put("wake", wake);
          self.values.put("stop", stop);
          Out<KThreadObject> thread = new Out<>();
          status = k.psCreateSystemThread(thread, context -> {
            self.note("thread starts at " + k.keGetCurrentIrql() + " with " + context + " on "
                + (Thread.currentThread().getName().startsWith("jwdm ") ? "a kernel thread"
                    : Thread.currentThread().getName()));
            while (true) {
              NtStatus woke = waitForever(k, wake);
              if (k.keReadStateEvent(stop) != 0) {
                self.note("thread stops");
                k.psTerminateSystemThread(NtStatus.SUCCESS);
                self.note("after PsTerminateSystemThread");
              }
              self.note("thread woken " + woke.name() + " at " + k.keGetCurrentIrql());
            }
          }, "pump context");
          if (!status.isSuccess()) {
            Routines.deleteDeviceAndLink(self, LINK);
            return status;
          }
          self.values.put("thread", thread.get());
          self.note("thread created");
          return NtStatus.SUCCESS;
        })
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          self.note("kick");
          self.k.keSetEvent((KEvent) self.values.get("wake"), 0, false);
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .unload(self -> {
          KernelServices k = self.k;
          k.keSetEvent((KEvent) self.values.get("stop"), 0, false);
          k.keSetEvent((KEvent) self.values.get("wake"), 0, false);
          KThreadObject thread = thread(self);
          NtStatus joined = waitForever(k, thread);
          self.note("thread joined " + joined.name() + ", terminated " + thread.isTerminated());
          Routines.deleteDeviceAndLink(self, LINK);
        })
        .build();
  }

  private static KThreadObject thread(TestDriver.Instance self) {
    return (KThreadObject) self.values.get("thread");
  }

  @Test
  void systemThreadRunsItsStartRoutineAtPassiveLevelOnAKernelThreadOnceDriverEntryReturned() {
    Kernel kernel = deterministic();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(pump()));

    assertEquals(List.of("DriverEntry", "thread created",
        "thread starts at PASSIVE_LEVEL with pump context on a kernel thread"),
        journal.eventsOf(PUMP));
    KThreadObject thread = thread(journal.last(PUMP));
    assertFalse(thread.isTerminated(), "it waits for work");
    assertFalse(thread.isSignaled(), "a thread object is signaled only when the thread ends");
  }

  @Test
  void threadWaitingOnAnEventIsWokenByKeSetEventFromADispatchRoutine() {
    Kernel kernel = deterministic();
    kernel.loadDriver(pump());

    try (Handle handle = kernel.open(LINK)) {
      handle.deviceIoControl(IOCTL_KICK, null, 0);
      handle.deviceIoControl(IOCTL_KICK, null, 0);
    }

    List<String> events = journal.eventsOf(PUMP);
    List<String> tail = events.subList(events.indexOf("IRP_MJ_DEVICE_CONTROL"), events.size());
    assertEquals(List.of("IRP_MJ_DEVICE_CONTROL", "kick",
        "thread woken SUCCESS at PASSIVE_LEVEL", "IRP_MJ_DEVICE_CONTROL", "kick",
        "thread woken SUCCESS at PASSIVE_LEVEL"), tail.stream().filter(e ->
            !e.startsWith("IRP_MJ_CLEANUP") && !e.startsWith("IRP_MJ_CLOSE")).toList(),
        "each KeSetEvent wakes the thread once (a synchronization event)");
    assertFalse(thread(journal.last(PUMP)).isTerminated());
  }

  @Test
  void unloadSignalsTheStopEventAndWaitsOnTheThreadObjectForACleanUnload() {
    Kernel kernel = deterministic();
    kernel.loadDriver(pump());
    KThreadObject thread = thread(journal.last(PUMP));

    NtStatus status = kernel.unloadDriver(PUMP);

    assertEquals(NtStatus.SUCCESS, status, () -> "the unload should run at once; blockers: "
        + kernel.unloadBlockers(PUMP) + "\njournal:\n" + journal + "\ntrace:\n" + kernel.trace());
    List<String> events = journal.eventsOf(PUMP);
    assertEquals(List.of("Unload", "thread stops", "thread joined SUCCESS, terminated true"),
        events.subList(events.indexOf("Unload"), events.size()));
    assertFalse(journal.contains(PUMP + " after PsTerminateSystemThread"),
        "PsTerminateSystemThread does not return");
    assertTrue(thread.isTerminated());
    assertTrue(thread.isSignaled());
    assertFalse(kernel.isLoaded(PUMP));
    assertCleanRun(kernel);
  }

  @Test
  void keDelayExecutionThreadSleepsOnTheVirtualClock() {
    Kernel kernel = deterministic();
    TestDriver sleeper = TestDriver.legacy("Sleeper", journal)
        .entry(self -> {
          KernelServices k = self.k;
          Out<KThreadObject> thread = new Out<>();
          NtStatus status = k.psCreateSystemThread(thread, context -> {
            for (int i = 0; i < 4; i++) {
              self.note("tick at " + nowMillis(k) + " ms");
              NtStatus slept = sleep(k, 10);
              self.note("slept " + slept.name());
            }
          }, null);
          self.values.put("thread", thread.get());
          return status;
        })
        .unload(self -> waitForever(self.k, thread(self)))
        .build();
    kernel.loadDriver(sleeper);
    KThreadObject thread = thread(journal.last("Sleeper"));

    kernel.advanceClock(Duration.ofMillis(35));

    assertEquals(List.of("tick at 0 ms", "tick at 10 ms", "tick at 20 ms", "tick at 30 ms"),
        journal.eventsOf("Sleeper").stream().filter(e -> e.startsWith("tick")).toList());
    assertEquals(Duration.ofMillis(35), kernel.clock(), "the sleeps did not move the clock");
    assertFalse(thread.isTerminated(), "its last sleep ends at 40 ms");

    kernel.advanceClock(Duration.ofMillis(5));
    assertTrue(thread.isTerminated(), "the start routine returned: the thread ended");
    assertEquals(4, journal.count("Sleeper slept SUCCESS"));
    SchedulerTestSupport.awaitThreadGone(thread);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Sleeper"));
    assertCleanRun(kernel);
  }

  @Test
  void psTerminateSystemThreadEndsTheCallingThreadAndIsRefusedOnOtherThreads() {
    Kernel kernel = deterministic();
    TestDriver quitter = TestDriver.legacy("Quitter", journal)
        .entry(self -> {
          Out<KThreadObject> thread = new Out<>();
          NtStatus status = self.k.psCreateSystemThread(thread, context -> {
            self.note("before");
            NtStatus returned = self.k.psTerminateSystemThread(NtStatus.SUCCESS);
            self.note("after PsTerminateSystemThread: " + returned);
          }, null);
          self.values.put("thread", thread.get());
          return status;
        })
        .unload(self -> waitForever(self.k, thread(self)))
        .build();

    kernel.loadDriver(quitter);
    TestDriver.Instance self = journal.last("Quitter");
    List<NtStatus> fromHost = new ArrayList<>();
    kernel.runAsKernelThread(() -> fromHost.add(self.k.psTerminateSystemThread(NtStatus.SUCCESS)));

    assertEquals(List.of("DriverEntry", "before"), journal.eventsOf("Quitter"));
    assertTrue(thread(self).isTerminated());
    assertTrue(thread(self).isSignaled(), "an ended thread's object is signaled");
    assertEquals(List.of(NtStatus.INVALID_PARAMETER), fromHost,
        "called from a thread that is not a system thread");
    SchedulerTestSupport.awaitThreadGone(thread(self));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Quitter"));
    assertCleanRun(kernel);
  }

  @Test
  void closeEndsSystemThreadsStillWaiting() {
    Kernel kernel = deterministic();
    kernel.loadDriver(pump());
    KThreadObject thread = thread(journal.last(PUMP));
    assertFalse(thread.isTerminated());

    kernel.close();

    assertTrue(SchedulerTestSupport.eventually(SchedulerTestSupport.REAL_TIME_BOUND,
        thread::isTerminated), "the waiting thread ended");
    assertFalse(journal.contains(PUMP + " thread stops"), "it was stopped, not woken");
    assertTrue(kernel.isLoaded(PUMP), "the kernel's state stays readable");
  }

  /**
   * A thread that has ended (its object signaled, isTerminated true) is no pending operation: an
   * unload right after must not report it still running. Repeated, because it is a race between
   * the ending thread and the host (Scheduler.threadBody untracks the thread only after it handed
   * the baton back).
   */
  @Test
  void threadThatEndedIsNeverReportedStillRunningAtUnload() {
    int spurious = 0;
    String first = null;
    for (int run = 0; run < 100; run++) {
      Journal own = new Journal();
      try (Kernel kernel = deterministic()) {
        kernel.loadDriver(TestDriver.legacy("OneShot", own)
            .entry(self -> {
              KEvent stop = self.k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
              Out<KThreadObject> thread = new Out<>();
              NtStatus status = self.k.psCreateSystemThread(thread,
                  context -> waitForever(self.k, stop), null);
              self.values.put("stop", stop);
              self.values.put("thread", thread.get());
              return status;
            })
            .unload(self -> { })
            .build());
        TestDriver.Instance self = own.last("OneShot");
        kernel.runAsKernelThread(() ->
            self.k.keSetEvent((KEvent) self.values.get("stop"), 0, false));
        assertTrue(thread(self).isTerminated(), "the thread ended inside the host call");
        try {
          assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("OneShot"));
        } catch (SystemStoppedException stopped) {
          spurious++;
          first = first != null ? first : "run " + run + ": " + stopped.bugCheck();
        }
      }
    }
    assertEquals(0, spurious, "unloads that found an ended thread still running, of 100; first: "
        + first);
  }
}

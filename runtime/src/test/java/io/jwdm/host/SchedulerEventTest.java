package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.deterministic;
import static io.jwdm.host.SchedulerTestSupport.nowMillis;
import static io.jwdm.host.SchedulerTestSupport.sleep;
import static io.jwdm.host.SchedulerTestSupport.waitFor;
import static io.jwdm.host.SchedulerTestSupport.waitForever;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.kernel.Wdm.RELATIVE_MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.EventType;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KEvent;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KTimer;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Events and waits under the deterministic scheduler: notification and synchronization events,
 * KeWaitForSingleObject with a zero, relative or no timeout, a host-side wait nothing can satisfy
 * (JWDM_HANG_DETECTED), and a service called from a Java thread the kernel does not own
 * (JWDM_FOREIGN_THREAD).
 */
class SchedulerEventTest {
  private static final String WAITERS = "Waiters";

  private final Journal journal = new Journal();
  private Kernel kernel;

  @AfterEach
  void stopKernelThreads() {
    if (kernel != null) {
      kernel.close();
    }
  }

  /** A driver with nothing but DriverEntry and Unload, to get a KernelServices from. */
  private KernelServices services() {
    kernel.loadDriver(TestDriver.legacy("Plain", journal).unload(self -> { }).build());
    return journal.last("Plain").k;
  }

  /**
   * "Waiters": DriverEntry creates an event of {@code type}, not signaled, and two system threads,
   * "A" and "B", that each wait on it once and end. Unload waits on both thread objects.
   */
  private TestDriver waiters(EventType type) {
    return TestDriver.legacy(WAITERS, journal)
        .entry(self -> {
          KernelServices k = self.k;
          KEvent event = k.keInitializeEvent(type, false);
          self.values.put("event", event);
          for (String name : List.of("A", "B")) {
            Out<KThreadObject> thread = new Out<>();
            k.psCreateSystemThread(thread, context -> {
              self.note(name + " waits");
              NtStatus status = waitForever(k, event);
              self.note(name + " woke " + status.name());
            }, null);
            self.values.put(name, thread.get());
          }
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          waitForever(self.k, (KThreadObject) self.values.get("A"));
          waitForever(self.k, (KThreadObject) self.values.get("B"));
        })
        .build();
  }

  private static void awaitThreadsGone(TestDriver.Instance self) {
    SchedulerTestSupport.awaitThreadGone((KThreadObject) self.values.get("A"));
    SchedulerTestSupport.awaitThreadGone((KThreadObject) self.values.get("B"));
  }

  private int woken() {
    return (int) journal.eventsOf(WAITERS).stream().filter(e -> e.contains(" woke ")).count();
  }

  // ---------------------------------------------------------------------------------------------
  // Notification and synchronization events

  @Test
  void synchronizationEventReleasesOneWaiterPerSetAndResetsItself() {
    kernel = deterministic();
    kernel.loadDriver(waiters(EventType.SYNCHRONIZATION_EVENT));
    TestDriver.Instance self = journal.last(WAITERS);
    KEvent event = (KEvent) self.values.get("event");
    assertEquals(2, journal.eventsOf(WAITERS).stream().filter(e -> e.endsWith(" waits")).count());
    List<Integer> states = new ArrayList<>();

    kernel.runAsKernelThread(() -> states.add(self.k.keSetEvent(event, 0, false)));
    assertEquals(1, woken(), "one waiter released: " + journal);
    kernel.runAsKernelThread(() -> states.add(self.k.keReadStateEvent(event)));

    kernel.runAsKernelThread(() -> states.add(self.k.keSetEvent(event, 0, false)));
    assertEquals(2, woken(), "the second set releases the other waiter: " + journal);
    kernel.runAsKernelThread(() -> states.add(self.k.keReadStateEvent(event)));

    assertEquals(List.of(0, 0, 0, 0), states,
        "KeSetEvent found it not signaled each time; released waiters reset it");
    awaitThreadsGone(self);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(WAITERS));
    assertCleanRun(kernel);
  }

  @Test
  void notificationEventReleasesEveryWaiterAndStaysSignaled() {
    kernel = deterministic();
    kernel.loadDriver(waiters(EventType.NOTIFICATION_EVENT));
    TestDriver.Instance self = journal.last(WAITERS);
    KEvent event = (KEvent) self.values.get("event");
    List<Integer> states = new ArrayList<>();

    kernel.runAsKernelThread(() -> states.add(self.k.keSetEvent(event, 0, false)));
    kernel.runAsKernelThread(() -> {
      states.add(self.k.keReadStateEvent(event));
      states.add(self.k.keSetEvent(event, 0, false));
    });

    assertEquals(2, woken(), "both waiters released by one set: " + journal);
    assertTrue(journal.contains(WAITERS + " A woke SUCCESS"));
    assertTrue(journal.contains(WAITERS + " B woke SUCCESS"));
    assertEquals(List.of(0, 1, 1), states, "still signaled after releasing them");
    awaitThreadsGone(self);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(WAITERS));
    assertCleanRun(kernel);
  }

  @Test
  void zeroTimeoutTestsTheStateWithoutWaitingEvenAtDispatchLevel() {
    kernel = deterministic();
    KernelServices k = services();
    List<String> seen = new ArrayList<>();

    kernel.runAsKernelThread(() -> {
      KEvent notification = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
      KEvent synchronization = k.keInitializeEvent(EventType.SYNCHRONIZATION_EVENT, true);
      Irql old = k.keRaiseIrql(Irql.DISPATCH_LEVEL);
      seen.add("notification " + waitFor(k, notification, 0L).name());
      k.keSetEvent(notification, 0, false);
      seen.add("notification " + waitFor(k, notification, 0L).name());
      seen.add("notification " + waitFor(k, notification, 0L).name());
      seen.add("synchronization " + waitFor(k, synchronization, 0L).name());
      seen.add("synchronization " + waitFor(k, synchronization, 0L).name());
      k.keLowerIrql(old);
    });

    assertEquals(List.of("notification TIMEOUT", "notification SUCCESS", "notification SUCCESS",
        "synchronization SUCCESS", "synchronization TIMEOUT"), seen,
        "a zero timeout tests the state; a satisfied test resets a synchronization event");
    assertEquals(Duration.ZERO, kernel.clock(), "testing takes no time");
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // Timeouts and virtual time

  @Test
  void relativeTimeoutReturnsTimeoutAndAdvancesVirtualTimeByExactlyThatMuch() {
    kernel = deterministic();
    KernelServices k = services();
    kernel.advanceClock(Duration.ofMillis(7));
    List<String> seen = new ArrayList<>();

    kernel.runAsKernelThread(() -> {
      KEvent never = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
      seen.add(nowMillis(k) + " ms");
      seen.add(waitFor(k, never, RELATIVE_MILLISECONDS(25)).name());
      seen.add(nowMillis(k) + " ms");
      seen.add(sleep(k, 3).name());
      seen.add(nowMillis(k) + " ms");
    });

    assertEquals(List.of("7 ms", "TIMEOUT", "32 ms", "SUCCESS", "35 ms"), seen);
    assertEquals(Duration.ofMillis(35), kernel.clock());
    assertCleanRun(kernel);
  }

  @Test
  void waitWithATimeoutIsSatisfiedEarlyByAnEventAndStopsTheClockThere() {
    kernel = deterministic();
    KernelServices k = services();
    List<String> seen = new ArrayList<>();

    kernel.runAsKernelThread(() -> {
      KEvent event = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
      KTimer timer = k.keInitializeTimer();
      k.keSetTimer(timer, RELATIVE_MILLISECONDS(10),
          k.keInitializeDpc((d, c, a1, a2) -> k.keSetEvent(event, 0, false), null));
      seen.add(waitFor(k, event, RELATIVE_MILLISECONDS(25)).name());
      seen.add(nowMillis(k) + " ms");
    });

    assertEquals(List.of("SUCCESS", "10 ms"), seen);
    assertEquals(Duration.ofMillis(10), kernel.clock());
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // Hangs

  @Test
  void hostSideWaitThatNothingCanSatisfyStopsTheSystemWithHangDetected() {
    kernel = deterministic();
    KernelServices k = services();
    List<NtStatus> returned = new ArrayList<>();

    SystemStoppedException stopped = assertThrows(SystemStoppedException.class,
        () -> kernel.runAsKernelThread(() -> {
          KEvent never = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
          returned.add(waitForever(k, never));
        }),
        () -> "a wait forever on an event nothing can set returned " + returned);

    BugCheck check = kernel.bugCheck().orElseThrow();
    assertSame(check, stopped.bugCheck());
    assertEquals(BugCheck.JWDM_HANG_DETECTED, check.code(), check::toString);
    assertTrue(check.message().contains("KeWaitForSingleObject"), check::toString);
    assertEquals(List.of(), returned, "the wait never returns to the driver");
  }

  @Test
  void hostSideWaitOnAThreadThatWaitsForeverStopsTheSystemWithHangDetected() {
    kernel = deterministic();
    KernelServices k = services();
    List<NtStatus> returned = new ArrayList<>();

    SystemStoppedException stopped = assertThrows(SystemStoppedException.class,
        () -> kernel.runAsKernelThread(() -> {
          KEvent never = k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
          Out<KThreadObject> thread = new Out<>();
          k.psCreateSystemThread(thread, context -> waitForever(k, never), null);
          returned.add(waitForever(k, thread.get()));
        }),
        () -> "a wait on a thread that can never end returned " + returned);

    assertEquals(BugCheck.JWDM_HANG_DETECTED, stopped.bugCheck().code(),
        stopped.bugCheck()::toString);
    assertEquals(List.of(), returned);
  }

  // ---------------------------------------------------------------------------------------------
  // Foreign threads

  @Test
  void serviceCalledFromARawJavaThreadStopsTheSystemWithForeignThreadNamingTheThread()
      throws InterruptedException {
    kernel = deterministic();
    AtomicReference<Throwable> rogueFailure = new AtomicReference<>();
    List<String> rogueReturned = new ArrayList<>();
    TestDriver rogue = TestDriver.legacy("Rogue", journal)
        .entry(self -> {
          // The mistake: a Java thread of the driver's own instead of PsCreateSystemThread.
          Thread thread = new Thread(() -> {
            self.k.keInitializeEvent(EventType.NOTIFICATION_EVENT, false);
            synchronized (rogueReturned) {
              rogueReturned.add("returned");
            }
          }, "rogue-driver-thread");
          thread.setUncaughtExceptionHandler((t, thrown) -> rogueFailure.set(thrown));
          self.values.put("thread", thread);
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(rogue));
    Thread thread = (Thread) journal.last("Rogue").values.get("thread");

    thread.start();
    thread.join(Duration.ofSeconds(2).toMillis());

    assertFalse(thread.isAlive());
    BugCheck check = kernel.bugCheck().orElseThrow(
        () -> new AssertionError("no bug check; the rogue thread's call " + rogueReturned));
    assertEquals(BugCheck.JWDM_FOREIGN_THREAD, check.code(), check::toString);
    assertEquals("JWDM_FOREIGN_THREAD", check.codeName());
    assertTrue(check.message().contains("'rogue-driver-thread'"), check::toString);
    assertTrue(check.message().contains("KeInitializeEvent"), check::toString);
    assertNotNull(rogueFailure.get(), "the call did not return to the rogue thread");
    synchronized (rogueReturned) {
      assertEquals(List.of(), rogueReturned);
    }
    SystemStoppedException later = assertThrows(SystemStoppedException.class,
        () -> kernel.unloadDriver("Rogue"), "the system stopped");
    assertSame(check, later.bugCheck());
  }
}

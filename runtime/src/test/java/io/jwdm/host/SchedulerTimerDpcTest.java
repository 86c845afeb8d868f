package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.deterministic;
import static io.jwdm.host.SchedulerTestSupport.nowMillis;
import static io.jwdm.host.SchedulerTestSupport.waitForever;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.kernel.Wdm.RELATIVE_MILLISECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.KTimer;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Kernel timers and DPCs under the deterministic scheduler: KeSetTimer, KeSetTimerEx, KeCancelTimer,
 * KeInsertQueueDpc, KeRemoveQueueDpc and KeFlushQueuedDpcs (issue 4, "Time and threads"). The
 * virtual clock moves only when the test advances it, so every due time is checked exactly.
 */
class SchedulerTimerDpcTest {
  private static final String TICK = "Tick";

  private final Journal journal = new Journal();

  /**
   * "Tick": DriverEntry initializes a timer and a DPC whose routine notes its IRQL, the kernel time
   * and its arguments, then lets {@code arm} set the timer (or not). Unload cancels the timer and
   * notes what KeCancelTimer returned.
   */
  private TestDriver tick(TimerArm arm) {
    return TestDriver.legacy(TICK, journal)
        .entry(self -> {
          KernelServices k = self.k;
          KTimer timer = k.keInitializeTimer();
          KDpc dpc = k.keInitializeDpc((d, context, a1, a2) -> self.note("dpc at "
              + k.keGetCurrentIrql() + " " + nowMillis(k) + " ms " + context + " " + a1 + " " + a2),
              "ctx");
          self.values.put("timer", timer);
          self.values.put("dpc", dpc);
          arm.arm(k, timer, dpc);
          return NtStatus.SUCCESS;
        })
        .unload(self -> self.note("cancel " + self.k.keCancelTimer(timer(self))))
        .build();
  }

  @FunctionalInterface
  private interface TimerArm {
    void arm(KernelServices k, KTimer timer, KDpc dpc);
  }

  private static KTimer timer(TestDriver.Instance self) {
    return (KTimer) self.values.get("timer");
  }

  private static KDpc dpc(TestDriver.Instance self) {
    return (KDpc) self.values.get("dpc");
  }

  private List<String> dpcRuns() {
    return journal.eventsOf(TICK).stream().filter(e -> e.startsWith("dpc at ")).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // KeSetTimer

  @Test
  void relativeOneShotTimerFiresOnceWhenTheClockPassesItsDueTimeAndItsDpcRunsAtDispatchLevel() {
    Kernel kernel = deterministic();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(tick((k, timer, dpc) ->
        journal.add("was set " + k.keSetTimer(timer, RELATIVE_MILLISECONDS(10), dpc)))));
    assertTrue(journal.contains("was set false"), "KeSetTimer on a new timer returns FALSE");
    KTimer timer = timer(journal.last(TICK));
    assertEquals(Duration.ZERO, kernel.clock(), "loading a driver does not move virtual time");
    assertTrue(timer.isSet());

    kernel.advanceClock(Duration.ofMillis(9));
    assertEquals(List.of(), dpcRuns(), "nothing fires before the due time");
    assertFalse(timer.isSignaled());
    assertTrue(timer.isSet());
    assertEquals(Duration.ofMillis(9), kernel.clock());

    kernel.advanceClock(Duration.ofMillis(1));
    assertEquals(List.of("dpc at DISPATCH_LEVEL 10 ms ctx null null"), dpcRuns());
    assertTrue(timer.isSignaled(), "an expired timer is signaled");
    assertFalse(timer.isSet(), "a one-shot timer leaves the timer queue when it expires");

    kernel.advanceClock(Duration.ofMillis(50));
    assertEquals(1, dpcRuns().size(), "a one-shot timer fires once: " + journal);
    assertEquals(Duration.ofMillis(60), kernel.clock());

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(TICK));
    assertTrue(journal.contains(TICK + " cancel false"), "an expired timer is no longer set");
    assertCleanRun(kernel);
  }

  @Test
  void absoluteDueTimeFiresAtThatKernelTime() {
    Kernel kernel = deterministic();
    kernel.loadDriver(tick((k, timer, dpc) -> { }));
    kernel.advanceClock(Duration.ofMillis(5));
    TestDriver.Instance self = journal.last(TICK);
    // A positive due time is absolute: 25 ms after boot, 20 ms from now.
    kernel.runAsKernelThread(() -> self.k.keSetTimer(timer(self), 25 * 10_000L, dpc(self)));

    kernel.advanceClock(Duration.ofMillis(19));
    assertEquals(List.of(), dpcRuns());
    kernel.advanceClock(Duration.ofMillis(1));
    assertEquals(List.of("dpc at DISPATCH_LEVEL 25 ms ctx null null"), dpcRuns());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(TICK));
    assertCleanRun(kernel);
  }

  @Test
  void settingASetTimerAgainReturnsTrueAndReplacesItsDueTime() {
    Kernel kernel = deterministic();
    kernel.loadDriver(tick((k, timer, dpc) -> k.keSetTimer(timer, RELATIVE_MILLISECONDS(10), dpc)));
    TestDriver.Instance self = journal.last(TICK);
    boolean[] wasSet = new boolean[1];

    kernel.runAsKernelThread(() ->
        wasSet[0] = self.k.keSetTimer(timer(self), RELATIVE_MILLISECONDS(30), dpc(self)));

    assertTrue(wasSet[0], "KeSetTimer returns TRUE for a timer already in the queue");
    kernel.advanceClock(Duration.ofMillis(29));
    assertEquals(List.of(), dpcRuns(), "the old due time (10 ms) is gone");
    kernel.advanceClock(Duration.ofMillis(1));
    assertEquals(List.of("dpc at DISPATCH_LEVEL 30 ms ctx null null"), dpcRuns());
    kernel.advanceClock(Duration.ofMillis(100));
    assertEquals(1, dpcRuns().size(), "reset, not duplicated: " + journal);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(TICK));
    assertCleanRun(kernel);
  }

  @Test
  void timerWithoutDpcIsSignaledAndAHostWaitOnItReturnsExactlyAtItsDueTime() {
    Kernel kernel = deterministic();
    kernel.loadDriver(tick((k, timer, dpc) ->
        k.keSetTimer(timer, RELATIVE_MILLISECONDS(40), null)));
    TestDriver.Instance self = journal.last(TICK);
    NtStatus[] status = new NtStatus[1];
    long[] wokeAt = new long[1];

    kernel.runAsKernelThread(() -> {
      status[0] = waitForever(self.k, timer(self));
      wokeAt[0] = nowMillis(self.k);
    });

    assertEquals(NtStatus.SUCCESS, status[0]);
    assertEquals(40, wokeAt[0], "the wait ends when the timer expires");
    assertEquals(Duration.ofMillis(40), kernel.clock());
    assertEquals(List.of(), dpcRuns(), "no DPC was given");
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(TICK));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // KeSetTimerEx and KeCancelTimer

  @Test
  void periodicTimerFiresEveryPeriodUntilCancelled() {
    Kernel kernel = deterministic();
    kernel.loadDriver(tick((k, timer, dpc) ->
        k.keSetTimerEx(timer, RELATIVE_MILLISECONDS(10), 10, dpc)));
    TestDriver.Instance self = journal.last(TICK);

    kernel.advanceClock(Duration.ofMillis(100));

    List<String> expected = new ArrayList<>();
    for (int ms = 10; ms <= 100; ms += 10) {
      expected.add("dpc at DISPATCH_LEVEL " + ms + " ms ctx null null");
    }
    assertEquals(expected, dpcRuns(), "ten periods, each DPC at its exact time");
    assertTrue(timer(self).isSet(), "a periodic timer stays in the queue");
    assertEquals(Duration.ofMillis(100), kernel.clock());

    boolean[] cancelled = new boolean[2];
    kernel.runAsKernelThread(() -> cancelled[0] = self.k.keCancelTimer(timer(self)));
    kernel.advanceClock(Duration.ofMillis(50));
    kernel.runAsKernelThread(() -> cancelled[1] = self.k.keCancelTimer(timer(self)));

    assertTrue(cancelled[0], "KeCancelTimer returns TRUE for a set timer");
    assertFalse(cancelled[1], "and FALSE once it is no longer set");
    assertEquals(10, dpcRuns().size(), "nothing fires after KeCancelTimer: " + journal);
    assertFalse(timer(self).isSet());
    assertEquals(Duration.ofMillis(150), kernel.clock());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(TICK));
    assertTrue(journal.contains(TICK + " cancel false"));
    assertCleanRun(kernel);
  }

  @Test
  void cancellingATimerBeforeItExpiresKeepsItsDpcFromRunning() {
    Kernel kernel = deterministic();
    kernel.loadDriver(tick((k, timer, dpc) -> k.keSetTimer(timer, RELATIVE_MILLISECONDS(10), dpc)));
    kernel.advanceClock(Duration.ofMillis(5));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(TICK));
    kernel.advanceClock(Duration.ofMillis(100));

    assertTrue(journal.contains(TICK + " cancel true"), journal::toString);
    assertEquals(List.of(), dpcRuns());
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // DPCs

  @Test
  void queuedDpcRunsWhenTheHostCallReturnsAtDispatchLevelWithItsArguments() {
    Kernel kernel = deterministic();
    kernel.loadDriver(tick((k, timer, dpc) -> { }));
    TestDriver.Instance self = journal.last(TICK);
    List<Object> seen = new ArrayList<>();

    kernel.runAsKernelThread(() -> {
      seen.add(self.k.keInsertQueueDpc(dpc(self), "first", 1));
      seen.add(self.k.keInsertQueueDpc(dpc(self), "second", 2));
      seen.add(dpc(self).isQueued());
      seen.add(dpcRuns().size());
    });

    assertEquals(List.of(true, false, true, 0), seen,
        "inserted once, refused while queued, not run inside the call");
    assertEquals(List.of("dpc at DISPATCH_LEVEL 0 ms ctx first 1"), dpcRuns(),
        "it ran once, with the arguments of the insert that queued it");
    assertFalse(dpc(self).isQueued());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(TICK));
    assertCleanRun(kernel);
  }

  @Test
  void removedDpcNeverRuns() {
    Kernel kernel = deterministic();
    kernel.loadDriver(tick((k, timer, dpc) -> { }));
    TestDriver.Instance self = journal.last(TICK);
    List<Boolean> seen = new ArrayList<>();

    kernel.runAsKernelThread(() -> {
      seen.add(self.k.keInsertQueueDpc(dpc(self), null, null));
      seen.add(self.k.keRemoveQueueDpc(dpc(self)));
      seen.add(self.k.keRemoveQueueDpc(dpc(self)));
      seen.add(dpc(self).isQueued());
    });
    kernel.advanceClock(Duration.ofMillis(10));

    assertEquals(List.of(true, true, false, false), seen,
        "KeRemoveQueueDpc: TRUE when it was queued, FALSE the second time");
    assertEquals(List.of(), dpcRuns());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(TICK));
    assertCleanRun(kernel);
  }

  @Test
  void flushQueuedDpcsReturnsAfterEveryQueuedDpcRan() {
    Kernel kernel = deterministic();
    kernel.loadDriver(tick((k, timer, dpc) -> { }));
    TestDriver.Instance self = journal.last(TICK);
    KDpc second = runAndReturn(kernel, () -> self.k.keInitializeDpc(
        (d, context, a1, a2) -> journal.add("second dpc at " + self.k.keGetCurrentIrql()), null));

    kernel.runAsKernelThread(() -> {
      self.k.keInsertQueueDpc(dpc(self), "a", "b");
      self.k.keInsertQueueDpc(second, null, null);
      journal.add("queued");
      self.k.keFlushQueuedDpcs();
      journal.add("flushed");
    });

    assertEquals(List.of("queued", "Tick dpc at DISPATCH_LEVEL 0 ms ctx a b",
        "second dpc at DISPATCH_LEVEL", "flushed"),
        journal.events().subList(journal.indexOf("queued"), journal.events().size()),
        "both DPCs ran, in queue order, before KeFlushQueuedDpcs returned");
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(TICK));
    assertCleanRun(kernel);
  }

  private static <T> T runAndReturn(Kernel kernel, java.util.function.Supplier<T> action) {
    List<T> out = new ArrayList<>();
    kernel.runAsKernelThread(() -> out.add(action.get()));
    return out.get(0);
  }
}

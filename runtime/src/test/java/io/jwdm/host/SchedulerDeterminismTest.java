package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.deterministic;
import static io.jwdm.host.SchedulerTestSupport.sleep;
import static io.jwdm.host.SchedulerTestSupport.traceText;
import static io.jwdm.host.SchedulerTestSupport.waitForever;
import static io.jwdm.kernel.Wdm.DELAYED_WORK_QUEUE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.IoWorkItem;
import io.jwdm.kernel.KThreadObject;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deterministic scheduler repeats a run exactly: with the same seed, a driver whose two system
 * threads and work items interleave produces the same journal and the same kernel trace; another
 * seed may interleave them differently (SchedulerMode#DETERMINISTIC, KernelOptions#seed).
 */
class SchedulerDeterminismTest {
  private static final String MIX = "Mix";
  private static final String LINK = "\\??\\" + MIX;
  private static final int ROUNDS = 4;

  /** What one run produced. */
  private record Run(List<String> journal, String trace) {}

  /**
   * "Mix": a legacy driver with a device and two system threads, "A" and "B". Each thread, for
   * {@link #ROUNDS} rounds, notes the round, queues a fresh work item that notes itself and frees
   * itself, then sleeps 1 ms. Unload waits on both threads and deletes the device.
   */
  private static TestDriver mix(Journal journal) {
    return TestDriver.legacyDevice(MIX, journal)
        .entry(self -> {
          KernelServices k = self.k;
          NtStatus status = Routines.createDevice(self, "\\Device\\" + MIX, LINK, 0);
          if (!status.isSuccess()) {
            return status;
          }
          for (String name : List.of("A", "B")) {
            Out<KThreadObject> thread = new Out<>();
            k.psCreateSystemThread(thread, context -> {
              for (int round = 0; round < ROUNDS; round++) {
                self.note(name + round);
                IoWorkItem item = k.ioAllocateWorkItem(self.device);
                String label = "w" + name + round;
                k.ioQueueWorkItem(item, (device, c) -> {
                  self.note(label);
                  k.ioFreeWorkItem((IoWorkItem) c);
                }, DELAYED_WORK_QUEUE, item);
                sleep(k, 1);
              }
            }, null);
            self.values.put(name, thread.get());
          }
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          waitForever(self.k, (KThreadObject) self.values.get("A"));
          waitForever(self.k, (KThreadObject) self.values.get("B"));
          Routines.deleteDeviceAndLink(self, LINK);
        })
        .build();
  }

  private static Run run(long seed) {
    Journal journal = new Journal();
    try (Kernel kernel = deterministic(seed)) {
      assertEquals(NtStatus.SUCCESS, kernel.loadDriver(mix(journal)));
      kernel.advanceClock(Duration.ofMillis(ROUNDS + 1));
      TestDriver.Instance self = journal.last(MIX);
      SchedulerTestSupport.awaitThreadGone((KThreadObject) self.values.get("A"));
      SchedulerTestSupport.awaitThreadGone((KThreadObject) self.values.get("B"));
      assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(MIX),
          () -> "seed " + seed + ": blockers " + kernel.unloadBlockers(MIX));
      assertEquals(java.util.Optional.empty(), kernel.bugCheck());
      assertEquals(List.of(), kernel.leaks());
      return new Run(journal.events(), traceText(kernel));
    }
  }

  @Test
  void sameSeedGivesTheSameInterleavingAndTheSameTrace() {
    Run first = run(42);
    Run second = run(42);

    assertEquals(2 + 4 * ROUNDS, first.journal().size(),
        "DriverEntry, 2 x ROUNDS thread rounds and work items, Unload:\n" + first.journal());
    assertEquals(first.journal(), second.journal());
    assertEquals(first.trace(), second.trace());
    assertTrue(first.trace().contains("PsCreateSystemThread"), first.trace());
  }

  @Test
  void differentSeedsCanInterleaveDifferently() {
    Run base = run(0);
    Long differing = null;
    for (long seed = 1; seed <= 20 && differing == null; seed++) {
      if (!run(seed).journal().equals(base.journal())) {
        differing = seed;
      }
    }

    assertTrue(differing != null, "seeds 1..20 all interleaved as seed 0 did:\n" + base.journal());
    Run other = run(differing);
    assertNotEquals(base.journal(), other.journal());
    assertEquals(run(differing).journal(), other.journal(), "and that seed repeats itself");
    assertEquals(sorted(base.journal()), sorted(other.journal()),
        "the same events, in another order");
  }

  private static List<String> sorted(List<String> events) {
    return events.stream().sorted().toList();
  }
}

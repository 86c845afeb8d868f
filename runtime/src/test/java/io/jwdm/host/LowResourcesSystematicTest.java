package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.failureText;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Driver Verifier's systematic low-resources simulation (0x40000): each distinct call stack fails
 * once, the first time it is reached (LowResources; issue 4: "Systematic mode fails each distinct
 * call stack once").
 */
class LowResourcesSystematicTest {
  private static final String SITES = "Sites";
  private static final int ROUNDS = 5;

  private final Journal journal = new Journal();

  private static Kernel systematic(LowResources settings) {
    return Kernel.boot(KernelOptions.builder()
        .waitTimeout(Duration.ofSeconds(2))
        .verifier(SITES, VerifierFlags.SYSTEMATIC_LOW_RESOURCES | VerifierFlags.POOL_TRACKING)
        .lowResources(settings)
        .build());
  }

  /** Allocates and frees one block tagged {@code tag}; notes "{@code label} null" on failure. */
  private static void allocate(TestDriver.Instance self, String label, String tag) {
    PoolMemory memory = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 8, tag);
    if (memory == null) {
      self.note(label + " null");
    } else {
      self.k.exFreePoolWithTag(memory, tag);
    }
  }

  @Test
  void loopOverOneSiteFailsOnlyTheFirstTimeAndTwoSitesFailOnceEach() {
    Kernel kernel = systematic(LowResources.defaults());
    TestDriver sites = TestDriver.legacy(SITES, journal)
        .entry(self -> {
          for (int round = 0; round < ROUNDS; round++) {
            PoolMemory a = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 8, "SitA");
            PoolMemory b = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 8, "SitB");
            self.note("round " + round + ": A " + (a == null ? "null" : "ok") + ", B "
                + (b == null ? "null" : "ok"));
            if (a != null) {
              self.k.exFreePoolWithTag(a, "SitA");
            }
            if (b != null) {
              self.k.exFreePoolWithTag(b, "SitB");
            }
          }
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build();

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(sites));

    assertEquals(List.of("DriverEntry", "round 0: A null, B null", "round 1: A ok, B ok",
        "round 2: A ok, B ok", "round 3: A ok, B ok", "round 4: A ok, B ok"),
        journal.eventsOf(SITES));
    List<InjectedFailure> failures = kernel.injectedFailures();
    assertEquals(List.of("SitA", "SitB"), failures.stream().map(InjectedFailure::tag).toList());
    assertEquals(List.of(1L, 2L), failures.stream().map(InjectedFailure::callIndex).toList());
    assertTrue(failures.stream().allMatch(InjectedFailure::systematic), failures::toString);
    assertTrue(failures.get(0).summary().contains("systematic"), failures.get(0).summary());
    assertNotEquals(failures.get(0).stack(), failures.get(1).stack(), "two distinct stacks");
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(SITES));
    assertCleanRun(kernel);
  }

  @Test
  void theSameSiteReachedThroughAnotherCallPathFailsOnceMore() {
    Kernel kernel = systematic(LowResources.defaults());
    TestDriver sites = TestDriver.legacy(SITES, journal)
        .entry(self -> {
          KDpc dpc = self.k.keInitializeDpc((d, c, a1, a2) -> {
            for (int round = 0; round < ROUNDS; round++) {
              allocate(self, "from dpc", "Path");
            }
          }, null);
          for (int round = 0; round < ROUNDS; round++) {
            allocate(self, "from entry", "Path");
          }
          self.k.keInsertQueueDpc(dpc, null, null);
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build();

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(sites));

    assertEquals(List.of("DriverEntry", "from entry null", "from dpc null"),
        journal.eventsOf(SITES), "one failure per distinct stack, however often it is reached");
    assertEquals(2, kernel.injectedFailures().size());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(SITES));
    assertCleanRun(kernel);
  }

  @Test
  void systematicRunsRepeatExactly() {
    String[] texts = new String[2];
    for (int run = 0; run < 2; run++) {
      Journal own = new Journal();
      try (Kernel kernel = systematic(LowResources.defaults())) {
        kernel.loadDriver(TestDriver.legacy(SITES, own)
            .entry(self -> {
              for (int round = 0; round < ROUNDS; round++) {
                allocate(self, "a", "RepA");
                allocate(self, "b", "RepB");
              }
              return NtStatus.SUCCESS;
            })
            .unload(self -> { })
            .build());
        texts[run] = failureText(kernel.injectedFailures()) + "\n" + kernel.report().renderText();
      }
    }

    assertTrue(texts[0].contains("RepA") && texts[0].contains("RepB"), texts[0]);
    assertEquals(texts[0], texts[1]);
  }

  @Test
  void serviceFilterAppliesToTheSystematicSimulationToo() {
    Kernel kernel = systematic(LowResources.builder().service("ExAllocatePoolWithTag").build());
    TestDriver sites = TestDriver.legacy(SITES, journal)
        .entry(self -> {
          allocate(self, "pool2", "Flt1");
          PoolMemory memory = self.k.exAllocatePoolWithTag(Wdm.NON_PAGED_POOL, 8, "Flt2");
          self.note("withTag " + (memory == null ? "null" : "ok"));
          if (memory != null) {
            self.k.exFreePoolWithTag(memory, "Flt2");
          }
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build();

    kernel.loadDriver(sites);

    assertEquals(List.of("DriverEntry", "withTag null"), journal.eventsOf(SITES));
    assertEquals(List.of("ExAllocatePoolWithTag"),
        kernel.injectedFailures().stream().map(InjectedFailure::service).toList());
  }
}

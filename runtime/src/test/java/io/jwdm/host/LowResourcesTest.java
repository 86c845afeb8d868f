package io.jwdm.host;

import static io.jwdm.host.SchedulerTestSupport.IOCTL_KICK;
import static io.jwdm.host.SchedulerTestSupport.failureText;
import static io.jwdm.host.SchedulerTestSupport.traceText;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.IoWorkItem;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Driver Verifier's randomized low-resources simulation (0x4) with {@link LowResources} settings:
 * the probability, the seed and call index that replay each failure, the tag and service filters
 * and the delay (issue 4, "Low-resources simulation"; DOMAIN §4).
 */
class LowResourcesTest {
  private static final String HUNGRY = "Hungry";
  private static final int CALLS = 40;

  private final Journal journal = new Journal();

  private static Kernel boot(long seed, int flags, LowResources settings) {
    return Kernel.boot(KernelOptions.builder()
        .waitTimeout(Duration.ofSeconds(2))
        .seed(seed)
        .verifier(HUNGRY, flags)
        .lowResources(settings)
        .build());
  }

  private static Kernel randomized(long seed, LowResources settings) {
    return boot(seed, VerifierFlags.RANDOMIZED_LOW_RESOURCES | VerifierFlags.POOL_TRACKING,
        settings);
  }

  private static LowResources half() {
    return LowResources.builder().probability(0.5).build();
  }

  /**
   * "Hungry": DriverEntry allocates {@link #CALLS} blocks of nonpaged pool tagged 'Hngr' in a loop,
   * noting "null i" for each that failed and freeing each that did not.
   */
  private static TestDriver hungry(Journal into) {
    return TestDriver.legacy(HUNGRY, into)
        .entry(self -> {
          for (int i = 0; i < CALLS; i++) {
            PoolMemory memory = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 16, "Hngr");
            if (memory == null) {
              self.note("null " + i);
            } else {
              self.k.exFreePoolWithTag(memory, "Hngr");
            }
          }
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build();
  }

  /** The 1-based call indices of the allocations that returned null. */
  private static List<Long> failedCalls(Journal from) {
    List<Long> calls = new ArrayList<>();
    for (String event : from.eventsOf(HUNGRY)) {
      if (event.startsWith("null ")) {
        calls.add(Long.parseLong(event.substring(5)) + 1);
      }
    }
    return calls;
  }

  private record Run(List<Long> failedCalls, String failures, String trace, String report) {}

  private static Run run(long seed, LowResources settings) {
    Journal journal = new Journal();
    try (Kernel kernel = randomized(seed, settings)) {
      assertEquals(NtStatus.SUCCESS, kernel.loadDriver(hungry(journal)));
      assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(HUNGRY));
      assertCleanRun(kernel);
      return new Run(failedCalls(journal), failureText(kernel.injectedFailures()),
          traceText(kernel), kernel.report().renderText());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Randomized

  @Test
  void randomizedFailuresAreNullsListedWithTheSeedAndCallIndex() {
    Kernel kernel = randomized(7, half());

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(hungry(journal)));

    List<Long> failed = failedCalls(journal);
    assertTrue(failed.size() > 0 && failed.size() < CALLS,
        "about half of the allocations fail, not none or all: " + failed);
    List<InjectedFailure> failures = kernel.injectedFailures();
    assertEquals(failed, failures.stream().map(InjectedFailure::callIndex).toList(),
        "one entry per null, in order, with the index of the call among the eligible calls");
    for (InjectedFailure failure : failures) {
      assertAll(failure.toString(),
          () -> assertEquals("ExAllocatePool2", failure.service()),
          () -> assertEquals(HUNGRY, failure.driverName()),
          () -> assertEquals("Hngr", failure.tag()),
          () -> assertEquals(7, failure.seed()),
          () -> assertFalse(failure.systematic()),
          () -> assertTrue(failure.summary().contains("seed 7"), failure.summary()),
          () -> assertTrue(failure.summary().contains("#" + failure.callIndex()),
              failure.summary()),
          () -> assertTrue(failure.stack().stream().anyMatch(frame ->
              frame.getClassName().equals(LowResourcesTest.class.getName())
                  && frame.getMethodName().startsWith("lambda$hungry$")),
              () -> "the stack names the driver code that allocated: " + failure.stack()));
    }
    assertEquals(failures.size(),
        kernel.trace().stream().filter(event -> event.kind().equals("LowResources")).count(),
        "each failure is traced");
    assertEquals(failures, kernel.report().injectedFailures());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(HUNGRY));
    assertCleanRun(kernel);
  }

  @Test
  void theSameSeedFailsTheSameCallsByteForByte() {
    Run first = run(7, half());
    Run second = run(7, half());

    assertFalse(first.failures().isEmpty());
    assertEquals(first.failedCalls(), second.failedCalls());
    assertEquals(first.failures(), second.failures());
    assertEquals(first.trace(), second.trace());
    assertEquals(first.report(), second.report());
    assertTrue(first.report().contains("seed 7"), first.report());
  }

  @Test
  void anotherSeedFailsOtherCalls() {
    Run seven = run(7, half());
    Run eight = run(8, half());

    assertNotEquals(seven.failedCalls(), eight.failedCalls());
    assertNotEquals(seven.failures(), eight.failures());
  }

  @Test
  void probabilityZeroFailsNothingAndOneFailsEverything() {
    assertEquals(List.of(), run(7, LowResources.builder().probability(0).build()).failedCalls());
    assertEquals(CALLS, run(7, LowResources.builder().probability(1).build()).failedCalls().size());
  }

  @Test
  void defaultSettingsFailAboutSixPercent() {
    LowResources defaults = LowResources.defaults();
    assertEquals(0.06, defaults.probability());
    int failed = 0;
    for (long seed = 0; seed < 25; seed++) {
      failed += run(seed, defaults).failedCalls().size();
    }
    // 1000 calls at 6%: 60 expected; 30..100 is far outside chance for a correct draw.
    assertTrue(failed >= 30 && failed <= 100, failed + " of " + 25 * CALLS + " calls failed");
  }

  // ---------------------------------------------------------------------------------------------
  // Filters and delay

  /**
   * "Hungry" with a device: DriverEntry creates it, then allocates one work item and, five times
   * each, ExAllocatePool2 with tag 'Keep', ExAllocatePool2 with tag 'Fail' and
   * ExAllocatePoolWithTag with tag 'Keep', noting which came back null. Unload frees everything.
   */
  private TestDriver mixed() {
    return TestDriver.legacyDevice(HUNGRY, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + HUNGRY, null, 0);
          if (!status.isSuccess()) {
            self.note("IoCreateDevice " + status.name());
            return status;
          }
          IoWorkItem item = self.k.ioAllocateWorkItem(self.device);
          self.note("IoAllocateWorkItem " + (item == null ? "null" : "ok"));
          if (item != null) {
            self.k.ioFreeWorkItem(item);
          }
          for (int i = 0; i < 5; i++) {
            keep(self, "ExAllocatePool2 Keep",
                self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 8, "Keep"));
            keep(self, "ExAllocatePool2 Fail",
                self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 8, "Fail"));
            keep(self, "ExAllocatePoolWithTag Keep",
                self.k.exAllocatePoolWithTag(Wdm.NON_PAGED_POOL, 8, "Keep"));
          }
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          freeKept(self);
          Routines.deleteDeviceAndLink(self, null);
        })
        .build();
  }

  /** Frees every block {@link #keep} kept. */
  private static void freeKept(TestDriver.Instance self) {
    for (Object value : List.copyOf(self.values.values())) {
      PoolMemory memory = (PoolMemory) value;
      self.k.exFreePoolWithTag(memory, memory.tag());
    }
  }

  private static void keep(TestDriver.Instance self, String what, PoolMemory memory) {
    if (memory == null) {
      self.note(what + " null");
    } else {
      self.values.put(what + " " + self.values.size(), memory);
    }
  }

  @Test
  void tagFilterFailsOnlyAllocationsWithThatTag() {
    Kernel kernel = randomized(1, LowResources.builder().probability(1).tag("Fail").build());
    TestDriver tagged = TestDriver.legacy(HUNGRY, journal)
        .entry(self -> {
          for (int i = 0; i < 5; i++) {
            keep(self, "ExAllocatePool2 Keep",
                self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 8, "Keep"));
            keep(self, "ExAllocatePool2 Fail",
                self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 8, "Fail"));
            keep(self, "ExAllocatePoolWithTag Keep",
                self.k.exAllocatePoolWithTag(Wdm.PAGED_POOL, 8, "Keep"));
          }
          return NtStatus.SUCCESS;
        })
        .unload(LowResourcesTest::freeKept)
        .build();

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(tagged));

    assertEquals(5, journal.count(HUNGRY + " ExAllocatePool2 Fail null"), journal::toString);
    assertEquals(0, journal.count(HUNGRY + " ExAllocatePool2 Keep null"), journal::toString);
    assertEquals(0, journal.count(HUNGRY + " ExAllocatePoolWithTag Keep null"), journal::toString);
    assertEquals(List.of("Fail"), kernel.injectedFailures().stream().map(InjectedFailure::tag)
        .distinct().toList());
    assertEquals(5, kernel.injectedFailures().size());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(HUNGRY));
    assertCleanRun(kernel);
  }

  /**
   * LowResources.Builder#tag: "Limits failures to allocations with this pool tag". IoCreateDevice
   * has no pool tag, so with a tag filter it must not fail.
   */
  @Test
  void tagFilterLeavesCallsWithoutThatTagAlone() {
    Kernel kernel = randomized(1, LowResources.builder().probability(1).tag("Fail").build());

    NtStatus status = kernel.loadDriver(mixed());

    assertEquals(NtStatus.SUCCESS, status, () -> "failed: " + kernel.injectedFailures());
    assertEquals(5, journal.count(HUNGRY + " ExAllocatePool2 Fail null"), journal::toString);
    assertTrue(journal.contains(HUNGRY + " IoAllocateWorkItem ok"), journal::toString);
    assertEquals(List.of("Fail"), kernel.injectedFailures().stream().map(InjectedFailure::tag)
        .distinct().toList());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(HUNGRY));
    assertCleanRun(kernel);
  }

  @Test
  void serviceFilterFailsOnlyCallsOfThatService() {
    Kernel kernel = randomized(1,
        LowResources.builder().probability(1).service("ExAllocatePoolWithTag").build());

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(mixed()));

    assertEquals(5, journal.count(HUNGRY + " ExAllocatePoolWithTag Keep null"), journal::toString);
    assertEquals(0, journal.count(HUNGRY + " ExAllocatePool2 Keep null"), journal::toString);
    assertEquals(0, journal.count(HUNGRY + " ExAllocatePool2 Fail null"), journal::toString);
    assertTrue(journal.contains(HUNGRY + " IoAllocateWorkItem ok"), journal::toString);
    assertEquals(List.of("ExAllocatePoolWithTag"), kernel.injectedFailures().stream()
        .map(InjectedFailure::service).distinct().toList());
    assertEquals(5, kernel.injectedFailures().size());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(HUNGRY));
    assertCleanRun(kernel);
  }

  @Test
  void serviceFilterOnIoAllocateWorkItemFailsTheWorkItemAndNoPool() {
    Kernel kernel = randomized(1,
        LowResources.builder().probability(1).service("IoAllocateWorkItem").build());

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(mixed()));

    assertTrue(journal.contains(HUNGRY + " IoAllocateWorkItem null"), journal::toString);
    assertFalse(journal.events().stream().anyMatch(e -> e.startsWith(HUNGRY + " ExAllocate")),
        journal::toString);
    assertEquals(List.of("IoAllocateWorkItem"), kernel.injectedFailures().stream()
        .map(InjectedFailure::service).toList());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(HUNGRY));
    assertCleanRun(kernel);
  }

  /**
   * "Hungry" with a device whose DEVICE_CONTROL allocates one block of pool and notes whether it
   * got it; DriverEntry allocates one too.
   */
  private TestDriver onDemand() {
    return TestDriver.legacyDevice(HUNGRY, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + HUNGRY,
              "\\??\\" + HUNGRY, 0);
          allocateOnce(self, "entry");
          return status;
        })
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          allocateOnce(self, "ioctl at " + SchedulerTestSupport.nowMillis(self.k) + " ms");
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .build();
  }

  private static void allocateOnce(TestDriver.Instance self, String when) {
    PoolMemory memory = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 8, "Dly ");
    self.note(when + (memory == null ? " null" : " ok"));
    if (memory != null) {
      self.k.exFreePoolWithTag(memory, "Dly ");
    }
  }

  private void ioctl(Kernel kernel) {
    try (Handle handle = kernel.open("\\??\\" + HUNGRY)) {
      handle.deviceIoControl(IOCTL_KICK, null, 0);
    }
  }

  @Test
  void delayPostponesFailuresUntilThatLongAfterTheDriverLoaded() {
    Kernel kernel = randomized(1,
        LowResources.builder().probability(1).delay(Duration.ofMillis(100)).build());
    kernel.advanceClock(Duration.ofMillis(500)); // the delay counts from the load, not from boot

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(onDemand()));
    ioctl(kernel);
    kernel.advanceClock(Duration.ofMillis(99));
    ioctl(kernel);
    assertEquals(List.of(), kernel.injectedFailures(), "nothing fails during the delay");
    kernel.advanceClock(Duration.ofMillis(1));
    ioctl(kernel);

    assertEquals(List.of("entry ok", "ioctl at 500 ms ok", "ioctl at 599 ms ok",
        "ioctl at 600 ms null"), journal.eventsOf(HUNGRY).stream()
            .filter(e -> e.endsWith(" ok") || e.endsWith(" null")).toList());
    assertEquals(1, kernel.injectedFailures().size());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(HUNGRY));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // Off

  @Test
  void withoutTheLowResourcesFlagsNothingFails() {
    LowResources always = LowResources.builder().probability(1).build();
    for (int flags : new int[] {0, VerifierFlags.STANDARD}) {
      Journal own = new Journal();
      try (Kernel kernel = boot(3, flags, always)) {
        assertEquals(NtStatus.SUCCESS, kernel.loadDriver(hungry(own)));
        assertEquals(List.of(), failedCalls(own), "flags 0x" + Integer.toHexString(flags));
        assertEquals(List.of(), kernel.injectedFailures());
        assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(HUNGRY));
        assertCleanRun(kernel);
      }
    }
  }

  @Test
  void onlyTheDriverWithTheFlagSeesFailures() {
    Kernel kernel = randomized(3, LowResources.builder().probability(1).build());
    Journal own = new Journal();
    TestDriver other = TestDriver.legacy("Other", own)
        .entry(self -> {
          PoolMemory memory = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 8, "Othr");
          self.note(memory == null ? "null" : "ok");
          if (memory != null) {
            self.k.exFreePoolWithTag(memory, "Othr");
          }
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build();

    kernel.loadDriver(other);
    kernel.loadDriver(hungry(journal));

    assertEquals(List.of("DriverEntry", "ok"), own.eventsOf("Other"));
    assertEquals(CALLS, failedCalls(journal).size());
    assertEquals(List.of(HUNGRY), kernel.injectedFailures().stream()
        .map(InjectedFailure::driverName).distinct().toList());
  }
}

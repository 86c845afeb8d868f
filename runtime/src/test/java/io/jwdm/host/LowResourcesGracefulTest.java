package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.IoWorkItem;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A well-written driver under low resources fails gracefully (issue 4: "a failed allocation is an
 * error status, never a crash or a leak"): DriverEntry returns INSUFFICIENT_RESOURCES when
 * IoCreateDevice, pool or a work item cannot be had, releases what it got first, and the kernel
 * finds no bug check and no leak, with Driver Verifier's standard checks on as well.
 */
class LowResourcesGracefulTest {
  private static final String CAREFUL = "Careful";
  private static final String LINK = "\\??\\" + CAREFUL;
  private static final int FLAGS = VerifierFlags.STANDARD | VerifierFlags.RANDOMIZED_LOW_RESOURCES;

  private final Journal journal = new Journal();

  private static Kernel boot(long seed, LowResources settings) {
    return Kernel.boot(KernelOptions.builder()
        .waitTimeout(Duration.ofSeconds(2))
        .seed(seed)
        .verifier(CAREFUL, FLAGS)
        .lowResources(settings)
        .build());
  }

  /**
   * "Careful": DriverEntry creates its device and link, a 64-byte context in nonpaged pool and a
   * work item, undoing what it got when a later step fails; Unload releases all three.
   */
  private static TestDriver careful(Journal journal) {
    return TestDriver.legacyDevice(CAREFUL, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + CAREFUL, LINK, 0);
          if (!status.isSuccess()) {
            self.note("no device: " + status.name());
            return status;
          }
          PoolMemory context = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 64, "CrfC");
          if (context == null) {
            self.note("no context");
            Routines.deleteDeviceAndLink(self, LINK);
            return NtStatus.INSUFFICIENT_RESOURCES;
          }
          IoWorkItem item = self.k.ioAllocateWorkItem(self.device);
          if (item == null) {
            self.note("no work item");
            self.k.exFreePoolWithTag(context, "CrfC");
            Routines.deleteDeviceAndLink(self, LINK);
            return NtStatus.INSUFFICIENT_RESOURCES;
          }
          self.values.put("context", context);
          self.values.put("item", item);
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          self.k.ioFreeWorkItem((IoWorkItem) self.values.get("item"));
          self.k.exFreePoolWithTag((PoolMemory) self.values.get("context"), "CrfC");
          Routines.deleteDeviceAndLink(self, LINK);
        })
        .build();
  }

  private void assertFailsGracefully(String service, String note) {
    Kernel kernel = boot(1, LowResources.builder().probability(1).service(service).build());

    NtStatus status = kernel.loadDriver(careful(journal));

    assertEquals(NtStatus.INSUFFICIENT_RESOURCES, status);
    assertTrue(journal.contains(CAREFUL + " " + note), journal::toString);
    assertFalse(kernel.isLoaded(CAREFUL));
    assertFalse(journal.contains(CAREFUL + " Unload"), "Unload is not called after a failed"
        + " DriverEntry");
    assertEquals(List.of(service), kernel.injectedFailures().stream()
        .map(InjectedFailure::service).toList());
    assertCleanRun(kernel);
    assertTrue(kernel.report().clean(), kernel.report()::renderText);
  }

  @Test
  void failedIoCreateDeviceMakesDriverEntryReturnInsufficientResources() {
    assertFailsGracefully("IoCreateDevice", "no device: INSUFFICIENT_RESOURCES");
  }

  @Test
  void failedPoolAllocationMakesDriverEntryUndoItsDeviceAndReturnInsufficientResources() {
    assertFailsGracefully("ExAllocatePool2", "no context");
  }

  @Test
  void failedWorkItemAllocationMakesDriverEntryUndoEverythingAndReturnInsufficientResources() {
    assertFailsGracefully("IoAllocateWorkItem", "no work item");
  }

  @Test
  void underRandomFailuresEveryLoadEitherSucceedsAndUnloadsCleanlyOrFailsWithoutLeaks() {
    List<NtStatus> outcomes = new ArrayList<>();
    for (long seed = 0; seed < 24; seed++) {
      Journal own = new Journal();
      try (Kernel kernel = boot(seed, LowResources.builder().probability(0.3).build())) {
        NtStatus status = kernel.loadDriver(careful(own));
        String context = "seed " + seed + ": " + kernel.injectedFailures() + "\n" + own;
        assertTrue(status.equals(NtStatus.SUCCESS)
            || status.equals(NtStatus.INSUFFICIENT_RESOURCES), context + " -> " + status);
        assertEquals(status.equals(NtStatus.SUCCESS), kernel.injectedFailures().isEmpty(), context);
        if (status.equals(NtStatus.SUCCESS)) {
          assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(CAREFUL), context);
        }
        assertFalse(kernel.isLoaded(CAREFUL), context);
        assertEquals(java.util.Optional.empty(), kernel.bugCheck(), context);
        assertEquals(List.of(), kernel.leaks(), context);
        outcomes.add(status);
      }
    }

    assertTrue(outcomes.contains(NtStatus.SUCCESS) && outcomes.contains(
        NtStatus.INSUFFICIENT_RESOURCES), "both outcomes occurred over the seeds: " + outcomes);
  }
}

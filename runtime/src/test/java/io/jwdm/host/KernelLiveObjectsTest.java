package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelLiveObjectsTest {
  private final Journal journal = new Journal();
  private final Kernel kernel = Kernel.boot();

  @Test
  void liveObjectsListsADriversPoolAndTimerWithOwnerTagAndCreationStackUntilReleased() {
    kernel.loadDriver(TestDriver.legacy("Holder", journal)
        .entry(self -> {
          self.values.put("pool", self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 24, "Hold"));
          var timer = self.k.keInitializeTimer();
          self.k.keSetTimer(timer, Wdm.RELATIVE_MILLISECONDS(50), null);
          self.values.put("timer", timer);
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          self.k.exFreePoolWithTag((PoolMemory) self.values.get("pool"), "Hold");
          self.k.keCancelTimer((io.jwdm.kernel.KTimer) self.values.get("timer"));
        })
        .build());

    List<KernelObject> live = kernel.liveObjects();

    KernelObject pool = live.stream().filter(o -> o.kind().equals("Pool")).findFirst()
        .orElseThrow(() -> new AssertionError(live.toString()));
    assertEquals("Holder", pool.driverName());
    assertEquals("Hold", pool.tag());
    assertEquals(24, pool.size());
    assertTrue(pool.creationStack().stream()
        .anyMatch(f -> f.getClassName().contains("KernelLiveObjectsTest")), pool::toString);
    assertTrue(live.stream().anyMatch(o -> o.kind().equals("Timer")
        && o.driverName().equals("Holder")), live::toString);

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Holder"));
    assertEquals(List.of(), kernel.liveObjects());
    assertTrue(kernel.report().clean(), kernel.report()::renderText);
  }
}

package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import org.junit.jupiter.api.Test;

/** Kernels share nothing: a JVM may boot many. */
class KernelIsolationTest {
  private final Journal journal = new Journal();

  @Test
  void manyKernelsCoexistInOneJvmAndLoadTheSameNamedDriverIndependently() {
    TestDriver glue = TestDriver.legacyDevice("Twin", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, Routines.complete(NtStatus.SUCCESS))
        .build();
    Kernel first = Kernel.boot();
    Kernel second = Kernel.boot();

    // The same glue, the same driver name and the same device name in both kernels.
    assertEquals(NtStatus.SUCCESS, first.loadDriver(glue));
    assertEquals(NtStatus.SUCCESS, second.loadDriver(glue));

    TestDriver.Instance inFirst = journal.instances("Twin").get(0);
    TestDriver.Instance inSecond = journal.instances("Twin").get(1);
    assertNotSame(inFirst, inSecond);
    assertNotSame(inFirst.driverObject, inSecond.driverObject);
    assertNotSame(inFirst.k, inSecond.k);
    assertEquals("\\Device\\Twin", inFirst.device.name());
    assertEquals("\\Device\\Twin", inSecond.device.name());

    // A handle in one kernel is not seen by the other, and unloading in one leaves the other alone.
    Handle handle = second.open("\\\\.\\Twin");
    assertEquals(1, second.openHandles().size());
    assertTrue(first.openHandles().isEmpty());
    assertEquals(NtStatus.SUCCESS, first.unloadDriver("Twin"));
    assertFalse(first.isLoaded("Twin"));
    assertTrue(second.isLoaded("Twin"));
    assertEquals(NtStatus.SUCCESS, handle.deviceIoControl(0x222000, null, 0).status());
    NtStatusException gone = assertThrows(NtStatusException.class, () -> first.open("\\\\.\\Twin"));
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, gone.status());

    // A bug check in one kernel does not stop the other.
    first.install(TestDriver.legacy("Crasher", journal)
        .entry(self -> {
          throw new IllegalStateException("crash in the first kernel only");
        })
        .build());
    assertThrows(SystemStoppedException.class, () -> first.loadDriver("Crasher"));
    assertTrue(first.bugCheck().isPresent());
    assertTrue(second.bugCheck().isEmpty());
    handle.close();
    assertEquals(NtStatus.SUCCESS, second.unloadDriver("Twin"));
  }
}

package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A routine that throws stops the system with bug check 0x1E KMODE_EXCEPTION_NOT_HANDLED. */
class KmodeExceptionTest {
  private static final int IOCTL_BOOM = 0x222004;
  private static final int IOCTL_HOLD = 0x222008;

  private final Journal journal = new Journal();
  private final Kernel kernel =
      Kernel.boot(KernelOptions.builder().waitTimeout(Duration.ofSeconds(2)).build());
  private final IllegalStateException boom = new IllegalStateException("boom");

  /** Loads "Crasher", whose DEVICE_CONTROL throws {@link #boom}, and opens it. */
  private Handle openCrasher() {
    kernel.loadDriver(TestDriver.legacyDevice("Crasher", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          throw boom;
        })
        .build());
    return kernel.open("\\\\.\\Crasher");
  }

  @Test
  void aRoutineThatThrowsStopsTheSystemWithBugCheck0x1eNamingTheDriverAndTheException() {
    Handle handle = openCrasher();

    SystemStoppedException stopped =
        assertThrows(SystemStoppedException.class, () -> handle.deviceIoControl(IOCTL_BOOM, null, 0));

    BugCheck check = stopped.bugCheck();
    assertEquals(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, check.code());
    assertEquals(0x1E, check.code());
    assertEquals("KMODE_EXCEPTION_NOT_HANDLED", check.codeName());
    assertEquals("Crasher", check.driverName());
    assertSame(boom, check.cause());
    assertSame(boom, stopped.getCause());
    assertEquals(check, kernel.bugCheck().orElseThrow());
  }

  @Test
  void everyCallAfterABugCheckFailsWithSystemStopped() {
    Handle handle = openCrasher();
    kernel.install(TestDriver.legacy("Other", journal).build());
    assertThrows(SystemStoppedException.class, () -> handle.deviceIoControl(IOCTL_BOOM, null, 0));

    List<Executable> laterCalls = List.of(
        () -> handle.deviceIoControl(IOCTL_BOOM, null, 0),
        () -> handle.read(4),
        () -> handle.submitWrite(new byte[1]),
        () -> kernel.open("\\\\.\\Crasher"),
        () -> kernel.loadDriver("Other"),
        () -> kernel.install(TestDriver.legacy("Late", journal).build()),
        () -> kernel.unloadDriver("Crasher"),
        () -> kernel.plugIn("ROOT\\ANYTHING"),
        handle::close);
    for (Executable call : laterCalls) {
      SystemStoppedException stopped = assertThrows(SystemStoppedException.class, call);
      assertEquals(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, stopped.bugCheck().code());
    }
    assertFalse(journal.contains("Other DriverEntry"));
    assertFalse(journal.contains("Crasher Unload"));
  }

  @Test
  void aCallerWaitingForAPendingIrpWhenTheSystemStopsGetsSystemStopped() throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    kernel.loadDriver(TestDriver.legacyDevice("Crasher", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          if (self.k.ioGetCurrentIrpStackLocation(irp).ioControlCode() == IOCTL_BOOM) {
            throw boom;
          }
          self.k.ioMarkIrpPending(irp);
          self.held.add(irp);
          holding.countDown();
          return NtStatus.PENDING;
        })
        .build());
    Handle handle = kernel.open("\\\\.\\Crasher");
    ExecutorService threads = Executors.newSingleThreadExecutor();
    try {
      Future<IoResult> waiter = threads.submit(() -> handle.deviceIoControl(IOCTL_HOLD, null, 0));
      IoRequest overlapped = handle.submitDeviceIoControl(IOCTL_HOLD, null, 0);
      assertTrue(holding.await(2, TimeUnit.SECONDS));

      assertThrows(SystemStoppedException.class, () -> handle.deviceIoControl(IOCTL_BOOM, null, 0));

      ExecutionException failed =
          assertThrows(ExecutionException.class, () -> waiter.get(2, TimeUnit.SECONDS));
      assertInstanceOf(SystemStoppedException.class, failed.getCause());
      assertThrows(SystemStoppedException.class, () -> overlapped.await(Duration.ofSeconds(2)));
      assertThrows(SystemStoppedException.class,
          () -> kernel.awaitUnloaded("Crasher", Duration.ofSeconds(2)));
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void stateQueriesStillAnswerAfterABugCheck() {
    Handle handle = openCrasher();
    assertThrows(SystemStoppedException.class, () -> handle.deviceIoControl(IOCTL_BOOM, null, 0));

    assertEquals(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, kernel.bugCheck().orElseThrow().code());
    assertTrue(kernel.trace().stream().anyMatch(event ->
        event.kind().equals("BugCheck") && event.subject().equals("Crasher")), () -> kernel.trace().toString());
    assertEquals(List.of("Crasher"), kernel.drivers().stream().map(DriverInfo::name).toList());
    assertTrue(kernel.leaks().isEmpty());
    assertTrue(kernel.isLoaded("Crasher"));
    assertEquals(1, kernel.openHandles().size());
    assertTrue(kernel.deviceTree().contains("\\Device\\Crasher"));
    assertTrue(kernel.bugCheck().orElseThrow().render().contains("boom"));
  }

  @Test
  void unloadIsNotCalledWhenDriverEntryThrew() {
    kernel.install(TestDriver.legacy("Fragile", journal)
        .entry(self -> {
          throw boom;
        })
        .unload(self -> { })
        .build());

    SystemStoppedException stopped =
        assertThrows(SystemStoppedException.class, () -> kernel.loadDriver("Fragile"));

    assertEquals(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, stopped.bugCheck().code());
    assertEquals("Fragile", stopped.bugCheck().driverName());
    assertSame(boom, stopped.bugCheck().cause());
    assertEquals(List.of("DriverEntry"), journal.eventsOf("Fragile"));
    assertThrows(SystemStoppedException.class, () -> kernel.unloadDriver("Fragile"));
    assertEquals(List.of("DriverEntry"), journal.eventsOf("Fragile"));
  }
}

package io.jwdm.host;

import static io.jwdm.kernel.Irql.DISPATCH_LEVEL;
import static io.jwdm.kernel.Irql.PASSIVE_LEVEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KDpc;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Routines run at their documented IRQL, and services refuse to run above theirs. */
class IrqlTest {
  private static final int IOCTL_QUEUE = Wdm.CTL_CODE(0x22, 0x800, Wdm.METHOD_BUFFERED, 0);
  private static final int IOCTL_NEXT = Wdm.CTL_CODE(0x22, 0x801, Wdm.METHOD_BUFFERED, 0);

  private final Journal journal = new Journal();
  private final Kernel kernel =
      Kernel.boot(KernelOptions.builder().waitTimeout(Duration.ofSeconds(2)).build());

  @Test
  void unloadRunsAtPassiveLevel() {
    List<Irql> seen = new CopyOnWriteArrayList<>();
    kernel.loadDriver(TestDriver.legacyDevice("Quiet", journal)
        .unload(self -> {
          seen.add(self.k.keGetCurrentIrql());
          Routines.deleteDeviceAndLink(self, "\\??\\Quiet");
        })
        .build());

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Quiet"));

    assertEquals(List.of(PASSIVE_LEVEL), seen);
  }

  /**
   * IOCTL_QUEUE hands the IRP to IoStartPacket; StartIo keeps it as the device's current IRP.
   * IOCTL_NEXT, as a DPC would, raises to DISPATCH_LEVEL, completes the current IRP and calls
   * IoStartNextPacket.
   */
  private TestDriver startIoDriver(List<Irql> startIoIrqls) {
    return TestDriver.legacyDevice("Serial", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          int code = self.k.ioGetCurrentIrpStackLocation(irp).ioControlCode();
          if (code == IOCTL_QUEUE) {
            self.k.ioMarkIrpPending(irp);
            self.k.ioStartPacket(device, irp, null);
            return NtStatus.PENDING;
          }
          Irql old = self.k.keRaiseIrql(DISPATCH_LEVEL);
          Irp current = device.currentIrp();
          Routines.complete(self, current, NtStatus.SUCCESS, 0);
          self.k.ioStartNextPacket(device, false);
          self.k.keLowerIrql(old);
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .startIo((self, device, irp) -> startIoIrqls.add(self.k.keGetCurrentIrql()))
        .build();
  }

  @Test
  void startIoRunsAtDispatchLevelFromIoStartPacketAndIoStartNextPacket() {
    List<Irql> startIoIrqls = new CopyOnWriteArrayList<>();
    kernel.loadDriver(startIoDriver(startIoIrqls));
    Handle handle = kernel.open("\\\\.\\Serial");

    IoRequest first = handle.submitDeviceIoControl(IOCTL_QUEUE, null, 0);
    IoRequest second = handle.submitDeviceIoControl(IOCTL_QUEUE, null, 0);
    // The device is busy with the first: the second waits in the device queue.
    assertEquals(List.of(DISPATCH_LEVEL), startIoIrqls);
    assertFalse(first.isDone());

    handle.deviceIoControl(IOCTL_NEXT, null, 0);
    assertTrue(first.isDone());
    assertFalse(second.isDone());
    assertEquals(List.of(DISPATCH_LEVEL, DISPATCH_LEVEL), startIoIrqls);

    handle.deviceIoControl(IOCTL_NEXT, null, 0);
    assertTrue(second.isDone());
    assertEquals(NtStatus.SUCCESS, second.result().status());
    assertEquals(2, journal.count("Serial StartIo"));
  }

  @Test
  void closeSentOnceTheLastIrpOfAClosedHandleCompletesAtDispatchLevelRunsAtPassiveLevel() {
    List<String> irqls = new CopyOnWriteArrayList<>();
    kernel.loadDriver(TestDriver.legacyDevice("Dpc", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, Routines.hold())
        .dispatch(MajorFunction.CLOSE, (self, device, irp) -> {
          irqls.add("CLOSE at " + self.k.keGetCurrentIrql());
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .build());
    Handle handle = kernel.open("\\\\.\\Dpc");
    IoRequest request = handle.submitDeviceIoControl(IOCTL_QUEUE, null, 0);
    handle.close(); // CLEANUP now; CLOSE waits for the IRP

    // The driver completes the IRP from its DPC, at DISPATCH_LEVEL.
    TestDriver.Instance dpc = journal.last("Dpc");
    kernel.runAsKernelThread(() -> {
      KDpc completion = dpc.k.keInitializeDpc((d, context, first, second) -> {
        irqls.add("DPC at " + dpc.k.keGetCurrentIrql());
        Routines.complete(dpc, dpc.held.remove(), NtStatus.SUCCESS, 0);
      }, null);
      dpc.k.keInsertQueueDpc(completion, null, null);
    });

    assertTrue(request.isDone());
    assertEquals(List.of("DPC at " + DISPATCH_LEVEL, "CLOSE at " + PASSIVE_LEVEL), irqls);
  }

  @Test
  void aServiceCalledAboveItsIrqlLimitIsBugCheck0xA() {
    kernel.loadDriver(TestDriver.legacyDevice("Eager", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          self.k.ioMarkIrpPending(irp);
          self.k.ioStartPacket(device, irp, null);
          return NtStatus.PENDING;
        })
        .startIo((self, device, irp) -> {
          // IoCreateDevice may be called at PASSIVE_LEVEL only.
          self.k.ioCreateDevice(self.driverObject, null, null, Wdm.FILE_DEVICE_UNKNOWN, 0, false,
              new Out<DeviceObject>());
          self.note("IoCreateDevice returned");
        })
        .build());
    Handle handle = kernel.open("\\\\.\\Eager");

    SystemStoppedException stopped =
        assertThrows(SystemStoppedException.class, () -> handle.deviceIoControl(IOCTL_QUEUE, null, 0));

    assertEquals(BugCheck.IRQL_NOT_LESS_OR_EQUAL, stopped.bugCheck().code());
    assertEquals(0xA, stopped.bugCheck().code());
    assertEquals("Eager", stopped.bugCheck().driverName());
    assertEquals(DISPATCH_LEVEL.level(), stopped.bugCheck().parameter2());
    assertFalse(journal.contains("Eager IoCreateDevice returned"));
  }

  @Test
  void raisingIrqlToALowerLevelIsBugCheck0x9() {
    kernel.loadDriver(TestDriver.legacyDevice("Confused", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          self.k.keRaiseIrql(DISPATCH_LEVEL);
          self.k.keRaiseIrql(PASSIVE_LEVEL);
          self.note("lowered by raising");
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .build());
    Handle handle = kernel.open("\\\\.\\Confused");

    SystemStoppedException stopped =
        assertThrows(SystemStoppedException.class, () -> handle.deviceIoControl(IOCTL_QUEUE, null, 0));

    assertEquals(BugCheck.IRQL_NOT_GREATER_OR_EQUAL, stopped.bugCheck().code());
    assertEquals(0x9, stopped.bugCheck().code());
    assertEquals("Confused", stopped.bugCheck().driverName());
    assertEquals(DISPATCH_LEVEL.level(), stopped.bugCheck().parameter1());
    assertEquals(PASSIVE_LEVEL.level(), stopped.bugCheck().parameter2());
    assertFalse(journal.contains("Confused lowered by raising"));
  }
}

package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Calls made in the wrong state, by a driver or by a caller: IoDeleteDevice twice, completing a
 * completed IRP, attaching to a deleted device, detaching twice, opening a device whose driver is
 * unloading, I/O on a closed handle, unloading, loading and removing twice. Each gets a clear
 * status, or the bug check Windows raises ("Verified" runs under Driver Verifier's I/O
 * verification, the other subjects without).
 */
@DisplayName("Bad input: calls in the wrong state")
class BadInputStateTest extends BadInputTest {

  @Override
  KernelOptions options() {
    return KernelOptions.builder().waitTimeout(Duration.ofSeconds(2))
        .verifier("Verified", VerifierFlags.IO_VERIFICATION).build();
  }

  /** A legacy device named {@code name} whose Unload deletes its device twice. */
  private TestDriver deletesTwice(String name) {
    return TestDriver.legacyDevice(name, journal)
        .unload(self -> {
          DeviceObject device = self.driverObject.deviceObject();
          self.k.ioDeleteSymbolicLink("\\??\\" + name);
          self.k.ioDeleteDevice(device);
          self.k.ioDeleteDevice(device);
        })
        .build();
  }

  @Test
  @DisplayName("IoDeleteDevice twice, without the verifier: the second call is ignored and traced")
  void deleteDeviceTwice() {
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(deletesTwice("Subject")));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Subject"));
    assertFalse(kernel.isLoaded("Subject"));
    assertTrue(kernel.trace().stream().anyMatch(e -> e.kind().equals("DoubleDelete")),
        "the second IoDeleteDevice is in the trace");
  }

  @Test
  @DisplayName("IoDeleteDevice twice, under I/O verification: bug check 0xC9 (0x240)")
  void deleteDeviceTwiceVerified() {
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(deletesTwice("Verified")));
    SystemStoppedException stopped =
        assertThrows(SystemStoppedException.class, () -> kernel.unloadDriver("Verified"));
    assertEquals(0x240, stopped.bugCheck().parameter1());
    expectBugCheck(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION);
  }

  @Test
  @DisplayName("completing a completed IRP: bug check 0x44")
  void completeTwice() {
    kernel.loadDriver(TestDriver.legacyDevice("Subject", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          Routines.complete(self, irp, NtStatus.SUCCESS, 0);
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .build());
    Handle handle = kernel.open("\\\\.\\Subject");
    SystemStoppedException stopped = assertThrows(SystemStoppedException.class,
        () -> handle.deviceIoControl(IOCTL_ECHO, null, 0));
    assertEquals(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, stopped.bugCheck().code());
    expectBugCheck(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS);
  }

  @Test
  @DisplayName("attaching to a deleted device: IoAttachDeviceToDeviceStack returns null")
  void attachToDeletedDevice() {
    List<Object> attached = new ArrayList<>();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(TestDriver.legacy("Subject", journal)
        .entry(self -> {
          Out<DeviceObject> target = new Out<>();
          Out<DeviceObject> source = new Out<>();
          self.k.ioCreateDevice(self.driverObject, null, "\\Device\\Target",
              Wdm.FILE_DEVICE_UNKNOWN, 0, false, target);
          self.k.ioDeleteDevice(target.get());
          self.k.ioCreateDevice(self.driverObject, null, "\\Device\\Source",
              Wdm.FILE_DEVICE_UNKNOWN, 0, false, source);
          attached.add(String.valueOf(self.k.ioAttachDeviceToDeviceStack(source.get(), target.get())));
          return NtStatus.SUCCESS;
        })
        .unload(self -> Routines.deleteDeviceAndLink(self, null))
        .dispatch(MajorFunction.CREATE, Routines.complete(NtStatus.SUCCESS))
        .build()));
    assertEquals(List.of("null"), attached);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Subject"));
  }

  @Test
  @DisplayName("IoDetachDevice on a device with nothing attached, without the verifier: ignored and traced")
  void detachTwice() {
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(detachesTwice("Subject")));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Subject"));
    assertTrue(kernel.trace().stream().anyMatch(e -> e.kind().equals("DoubleDetach")));
  }

  @Test
  @DisplayName("IoDetachDevice on a device with nothing attached, under I/O verification: bug check 0xC9 (0x202)")
  void detachTwiceVerified() {
    SystemStoppedException stopped = assertThrows(SystemStoppedException.class,
        () -> kernel.loadDriver(detachesTwice("Verified")));
    assertEquals(0x202, stopped.bugCheck().parameter1());
    expectBugCheck(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION);
  }

  /** A driver whose DriverEntry attaches one device to another, then detaches it twice. */
  private TestDriver detachesTwice(String name) {
    return TestDriver.legacy(name, journal)
        .entry(self -> {
          Out<DeviceObject> lower = new Out<>();
          Out<DeviceObject> upper = new Out<>();
          self.k.ioCreateDevice(self.driverObject, null, "\\Device\\" + name + "Lower",
              Wdm.FILE_DEVICE_UNKNOWN, 0, false, lower);
          self.k.ioCreateDevice(self.driverObject, null, null, Wdm.FILE_DEVICE_UNKNOWN, 0, false,
              upper);
          DeviceObject below = self.k.ioAttachDeviceToDeviceStack(upper.get(), lower.get());
          self.k.ioDetachDevice(below);
          self.k.ioDetachDevice(below);
          return NtStatus.SUCCESS;
        })
        .unload(self -> Routines.deleteDeviceAndLink(self, null))
        .dispatch(MajorFunction.CREATE, Routines.complete(NtStatus.SUCCESS))
        .build();
  }

  @Test
  @DisplayName("opening a device whose driver is unloading: DELETE_PENDING")
  void openDuringUnload() {
    kernel.loadDriver(TestDriver.legacyDevice("Subject", journal).build());
    Handle held = kernel.open("\\\\.\\Subject");
    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Subject"));
    NtStatusException refused =
        assertThrows(NtStatusException.class, () -> kernel.open("\\\\.\\Subject"));
    assertEquals(NtStatus.DELETE_PENDING, refused.status());
    held.close();
    assertFalse(kernel.isLoaded("Subject"), "the unload finished when the last handle closed");
  }

  @Test
  @DisplayName("unloading a driver whose unload is pending: PENDING again, Unload runs once")
  void unloadTwiceWhilePending() {
    kernel.loadDriver(TestDriver.legacyDevice("Subject", journal).build());
    Handle held = kernel.open("\\\\.\\Subject");
    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Subject"));
    assertEquals(NtStatus.PENDING, kernel.unloadDriver("Subject"));
    held.close();
    assertFalse(kernel.isLoaded("Subject"));
    assertEquals(1, journal.count("Subject Unload"));
  }

  @Test
  @DisplayName("unloading an unloaded driver: OBJECT_NAME_NOT_FOUND")
  void unloadUnloaded() {
    kernel.loadDriver(TestDriver.legacyDevice("Subject", journal).build());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Subject"));
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, kernel.unloadDriver("Subject"));
  }

  @Test
  @DisplayName("loading a loaded driver: IMAGE_ALREADY_LOADED, DriverEntry not run again")
  void loadTwice() {
    TestDriver subject = TestDriver.legacyDevice("Subject", journal).build();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(subject));
    assertEquals(NtStatus.IMAGE_ALREADY_LOADED, kernel.loadDriver(subject));
    assertEquals(1, journal.count("Subject DriverEntry"));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Subject"));
  }

  @Test
  @DisplayName("installing another driver under a taken name: IllegalStateException")
  void installTakenName() {
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> kernel.install(TestDriver.legacyDevice(BYSTANDER, journal).build()));
    assertTrue(refused.getMessage().contains(BYSTANDER), refused.getMessage());
  }

  @Test
  @DisplayName("I/O on a closed handle: INVALID_HANDLE for every request; closing again does nothing")
  void ioOnClosedHandle() {
    kernel.loadDriver(TestDriver.legacyDevice("Subject", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, Routines.complete(NtStatus.SUCCESS))
        .build());
    Handle handle = kernel.open("\\\\.\\Subject");
    handle.close();
    assertEquals(NtStatus.INVALID_HANDLE, handle.deviceIoControl(IOCTL_ECHO, null, 4).status());
    assertEquals(NtStatus.INVALID_HANDLE, handle.read(4).status());
    assertEquals(NtStatus.INVALID_HANDLE, handle.write(new byte[4]).status());
    assertEquals(NtStatus.INVALID_HANDLE,
        handle.submitDeviceIoControl(IOCTL_ECHO, null, 4).result().status());
    assertEquals(NtStatus.INVALID_HANDLE, handle.submitRead(4).result().status());
    assertEquals(NtStatus.INVALID_HANDLE, handle.submitWrite(null).result().status());
    handle.close();
    assertEquals(List.of("DriverEntry", "IRP_MJ_CREATE", "IRP_MJ_CLEANUP", "IRP_MJ_CLOSE"),
        journal.eventsOf("Subject"), "no IRP after the close");
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Subject"));
  }

  @Test
  @DisplayName("cancelling a request that completed: false, nothing happens")
  void cancelCompletedRequest() {
    kernel.loadDriver(TestDriver.legacyDevice("Subject", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, Routines.complete(NtStatus.SUCCESS))
        .build());
    try (Handle handle = kernel.open("\\\\.\\Subject")) {
      IoRequest request = handle.submitDeviceIoControl(IOCTL_ECHO, null, 0);
      assertTrue(request.isDone());
      assertFalse(request.cancel());
      assertFalse(request.cancel());
      assertEquals(NtStatus.SUCCESS, request.result().status());
    }
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Subject"));
  }

  @Test
  @DisplayName("removing, disabling, enabling and surprise-removing a removed device: clear statuses")
  void removedDevice() {
    kernel.install(TestDriver.wdm("Subject", journal, "ROOT\\SUBJECT").build());
    DeviceNode node = kernel.plugIn("ROOT\\SUBJECT");
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertEquals(NtStatus.NO_SUCH_DEVICE, kernel.remove(node));
    assertEquals(NtStatus.INVALID_DEVICE_STATE, kernel.enable(node));
    NtStatus disabled = kernel.disable(node);
    NtStatus surprised = kernel.surpriseRemove(node);
    assertFalse(disabled.isSuccess(), "disable of a removed device: " + disabled);
    assertFalse(surprised.isSuccess(), "surprise removal of a removed device: " + surprised);
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertFalse(kernel.isLoaded("Subject"));
  }

  @Test
  @DisplayName("a device node of another kernel: IllegalArgumentException, neither kernel touched")
  void foreignDeviceNode() {
    try (Kernel other = Kernel.boot(options())) {
      for (var call : List.<java.util.function.Function<DeviceNode, NtStatus>>of(
          other::remove, other::surpriseRemove, other::disable, other::enable)) {
        IllegalArgumentException refused =
            assertThrows(IllegalArgumentException.class, () -> call.apply(bystanderNode));
        assertTrue(refused.getMessage().contains("another kernel"), refused.getMessage());
      }
      assertEquals(java.util.Optional.empty(), other.bugCheck(), "the other kernel stopped");
    }
    assertEquals(DeviceNode.State.STARTED, bystanderNode.state());
  }
}

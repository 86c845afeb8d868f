package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.FileObject;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Handles, and the names they are opened by (DOMAIN §2.5). */
class HandleTest {
  private static final int IOCTL_ANY = Wdm.CTL_CODE(0x22, 0x800, Wdm.METHOD_BUFFERED, 0);

  private final Journal journal = new Journal();
  private final Kernel kernel = Kernel.boot();
  /** The file object each IRP of "Pipe" carried, in order, with the IRP's name. */
  private final List<String> fileEvents = new ArrayList<>();
  private final List<FileObject> files = new ArrayList<>();

  /** Records the IRP's file object, then completes it with SUCCESS. */
  private TestDriver.Dispatch recordFile() {
    return (self, device, irp) -> {
      FileObject file = self.k.ioGetCurrentIrpStackLocation(irp).fileObject();
      synchronized (fileEvents) {
        fileEvents.add(Routines.label(self.k, irp));
        files.add(file);
      }
      return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
    };
  }

  private void loadPipe() {
    kernel.loadDriver(TestDriver.legacyDevice("Pipe", journal)
        .dispatch(MajorFunction.CREATE, recordFile())
        .dispatch(MajorFunction.CLEANUP, recordFile())
        .dispatch(MajorFunction.CLOSE, recordFile())
        .dispatch(MajorFunction.DEVICE_CONTROL, recordFile())
        .build());
  }

  @Test
  void aHandleRecordsItsOwnerAndIsCountedInOpenHandles() {
    loadPipe();

    Handle byNotepad = kernel.open("\\\\.\\Pipe", "notepad.exe");
    Handle byHost = kernel.open("\\\\.\\Pipe");

    assertEquals("notepad.exe", byNotepad.owner());
    assertEquals("host", byHost.owner());
    assertEquals("\\\\.\\Pipe", byNotepad.path());
    assertTrue(byNotepad.id() != byHost.id());
    assertEquals(List.of(byNotepad, byHost), kernel.openHandles());
    byNotepad.close();
    assertEquals(List.of(byHost), kernel.openHandles());
    assertFalse(byNotepad.isOpen());
    assertTrue(byHost.isOpen());
  }

  @Test
  void closingAHandleSendsCleanupThenCloseForItsFileObject() {
    loadPipe();
    Handle handle = kernel.open("\\\\.\\Pipe");
    handle.deviceIoControl(IOCTL_ANY, null, 0);

    handle.close();

    assertEquals(List.of("IRP_MJ_CREATE", "IRP_MJ_DEVICE_CONTROL", "IRP_MJ_CLEANUP",
        "IRP_MJ_CLOSE"), fileEvents);
    for (FileObject file : files) {
      assertSame(files.get(0), file, "every IRP of one handle carries its file object");
    }
    assertSame(journal.last("Pipe").device, files.get(0).deviceObject());
  }

  @Test
  void closingAHandleTwiceIsHarmless() {
    loadPipe();
    Handle handle = kernel.open("\\\\.\\Pipe");
    handle.close();

    handle.close();

    assertEquals(1, journal.count("Pipe IRP_MJ_CLEANUP"));
    assertEquals(1, journal.count("Pipe IRP_MJ_CLOSE"));
    assertTrue(kernel.openHandles().isEmpty());
    assertTrue(kernel.bugCheck().isEmpty());
  }

  @Test
  void ioOnAClosedHandleFailsWithInvalidHandleWithoutReachingTheDriver() {
    loadPipe();
    Handle handle = kernel.open("\\\\.\\Pipe");
    handle.close();

    assertEquals(NtStatus.INVALID_HANDLE, handle.deviceIoControl(IOCTL_ANY, null, 0).status());
    assertEquals(NtStatus.INVALID_HANDLE, handle.read(1).status());
    assertEquals(NtStatus.INVALID_HANDLE, handle.write(new byte[1]).status());
    assertEquals(NtStatus.INVALID_HANDLE,
        handle.submitDeviceIoControl(IOCTL_ANY, null, 0).result().status());
    assertFalse(journal.contains("Pipe IRP_MJ_DEVICE_CONTROL"));
  }

  @Test
  void anExclusiveDeviceRefusesASecondOpenWithAccessDenied() {
    kernel.loadDriver(TestDriver.legacyDevice("Modem", journal)
        .entry(self -> {
          Out<DeviceObject> out = new Out<>();
          NtStatus status = self.k.ioCreateDevice(self.driverObject, null, "\\Device\\Modem",
              Wdm.FILE_DEVICE_SERIAL_PORT, 0, true, out);
          self.device = out.get();
          return status.isSuccess() ? self.k.ioCreateSymbolicLink("\\??\\Modem", "\\Device\\Modem")
              : status;
        })
        .build());
    Handle first = kernel.open("\\\\.\\Modem");
    assertTrue((journal.last("Modem").device.flags() & Wdm.DO_EXCLUSIVE) != 0);

    NtStatusException refused =
        assertThrows(NtStatusException.class, () -> kernel.open("\\\\.\\Modem"));

    assertEquals(NtStatus.ACCESS_DENIED, refused.status());
    assertEquals(1, journal.count("Modem IRP_MJ_CREATE"));
    first.close();
    kernel.open("\\\\.\\Modem").close();
  }

  // ---------------------------------------------------------------------------------------------
  // Names

  /** Loads "Namer", whose DriverEntry runs {@code attempts} and returns SUCCESS. */
  private void loadNamer(TestDriver.Entry attempts) {
    kernel.loadDriver(TestDriver.legacy("Namer", journal)
        .entry(attempts)
        .unload(self -> Routines.deleteDeviceAndLink(self, null))
        .build());
  }

  private static NtStatus createDevice(TestDriver.Instance self, String name) {
    return self.k.ioCreateDevice(self.driverObject, null, name, Wdm.FILE_DEVICE_UNKNOWN, 0, false,
        new Out<>());
  }

  @Test
  void malformedDeviceAndLinkNamesAreRefusedWithObjectNameInvalid() {
    String longest = "\\Device\\" + "x".repeat(32_767 - "\\Device\\".length());
    Map<String, NtStatus> statuses = new LinkedHashMap<>();
    loadNamer(self -> {
      statuses.put("empty", createDevice(self, ""));
      statuses.put("no leading backslash", createDevice(self, "Device\\Relative"));
      statuses.put("32,768 characters", createDevice(self, longest + "x"));
      statuses.put("32,767 characters", createDevice(self, longest));
      statuses.put("link: empty", self.k.ioCreateSymbolicLink("", "\\Device\\Any"));
      statuses.put("link: no leading backslash",
          self.k.ioCreateSymbolicLink("DosDevices\\Any", "\\Device\\Any"));
      statuses.put("link: 32,768 characters",
          self.k.ioCreateSymbolicLink("\\??\\" + "y".repeat(32_765), "\\Device\\Any"));
      return NtStatus.SUCCESS;
    });

    assertEquals(Map.of(
        "empty", NtStatus.OBJECT_NAME_INVALID,
        "no leading backslash", NtStatus.OBJECT_NAME_INVALID,
        "32,768 characters", NtStatus.OBJECT_NAME_INVALID,
        "32,767 characters", NtStatus.SUCCESS,
        "link: empty", NtStatus.OBJECT_NAME_INVALID,
        "link: no leading backslash", NtStatus.OBJECT_NAME_INVALID,
        "link: 32,768 characters", NtStatus.OBJECT_NAME_INVALID), statuses);
  }

  @Test
  void aNameThatExistsIsRefusedWithObjectNameCollisionWhateverItsCaseOrAlias() {
    Map<String, NtStatus> statuses = new LinkedHashMap<>();
    loadNamer(self -> {
      statuses.put("device", createDevice(self, "\\Device\\Named"));
      statuses.put("device again", createDevice(self, "\\Device\\Named"));
      statuses.put("device in upper case", createDevice(self, "\\DEVICE\\NAMED"));
      statuses.put("link", self.k.ioCreateSymbolicLink("\\??\\Named", "\\Device\\Named"));
      statuses.put("link as DosDevices",
          self.k.ioCreateSymbolicLink("\\DosDevices\\named", "\\Device\\Named"));
      statuses.put("device named like the link", createDevice(self, "\\??\\Named"));
      return NtStatus.SUCCESS;
    });

    assertEquals(Map.of(
        "device", NtStatus.SUCCESS,
        "device again", NtStatus.OBJECT_NAME_COLLISION,
        "device in upper case", NtStatus.OBJECT_NAME_COLLISION,
        "link", NtStatus.SUCCESS,
        "link as DosDevices", NtStatus.OBJECT_NAME_COLLISION,
        "device named like the link", NtStatus.OBJECT_NAME_COLLISION), statuses);
  }

  @Test
  void openingAMalformedPathFailsWithObjectNameInvalidAndAnUnknownOneWithNotFound() {
    loadPipe();

    assertEquals(NtStatus.OBJECT_NAME_INVALID, openFails(""));
    assertEquals(NtStatus.OBJECT_NAME_INVALID, openFails("Pipe"));
    assertEquals(NtStatus.OBJECT_NAME_INVALID, openFails("\\??\\" + "p".repeat(32_765)));
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, openFails("\\Device\\NoSuchDevice"));
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, openFails("\\\\.\\NoSuchLink"));
    assertFalse(journal.contains("Pipe IRP_MJ_CREATE"));
  }

  private NtStatus openFails(String path) {
    return assertThrows(NtStatusException.class, () -> kernel.open(path)).status();
  }

  @Test
  void dosDevicesQuestionMarksAndDotPrefixNameTheSameLinkCaseInsensitively() {
    loadPipe();
    List<String> paths = List.of("\\\\.\\Pipe", "\\??\\Pipe", "\\DosDevices\\Pipe",
        "\\\\.\\PIPE", "\\??\\pipe", "\\dosdevices\\PiPe", "\\Device\\Pipe", "\\DEVICE\\pipe");

    for (String path : paths) {
      kernel.open(path).close();
    }

    assertEquals(paths.size(), journal.count("Pipe IRP_MJ_CREATE"));
    DeviceObject pipe = journal.last("Pipe").device;
    for (int i = 0; i < files.size(); i++) {
      assertSame(pipe, files.get(i).deviceObject(), fileEvents.get(i));
    }
  }
}

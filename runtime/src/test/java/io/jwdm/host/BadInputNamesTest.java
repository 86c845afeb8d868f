package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad device and link names, from a driver (IoCreateDevice, IoCreateSymbolicLink,
 * IoDeleteSymbolicLink) and from a caller (open): empty, malformed (no leading backslash, an empty
 * component, a trailing backslash, control characters) and longer than a UNICODE_STRING's 32,767
 * characters. Each gets OBJECT_NAME_INVALID, a name taken gets OBJECT_NAME_COLLISION, and the
 * bystanders' names keep working.
 */
@DisplayName("Bad input: names")
class BadInputNamesTest extends BadInputTest {
  private static final int MAX_NAME = 32_767;

  static Stream<Named<String>> malformedNames() {
    return Stream.of(
        Named.of("empty", ""),
        Named.of("no leading backslash", "Device\\Subject"),
        Named.of("an empty component", "\\Device\\\\Subject"),
        Named.of("a trailing backslash", "\\Device\\Subject\\"),
        Named.of("a control character", "\\Device\\Sub\u0001ject"),
        Named.of("a NUL", "\\Device\\Sub\u0000ject"),
        Named.of("a newline", "\\Device\\Subject\n"),
        Named.of("longer than 32767 characters", "\\Device\\" + "x".repeat(MAX_NAME)));
  }

  /** Loads "Subject", whose DriverEntry creates a device named {@code name}; returns its status. */
  private NtStatus loadWithDeviceName(String name) {
    return kernel.loadDriver(TestDriver.legacy("Subject", journal)
        .entry(self -> Routines.createDevice(self, name, null, 0))
        .unload(self -> Routines.deleteDeviceAndLink(self, null))
        .dispatch(MajorFunction.CREATE, Routines.complete(NtStatus.SUCCESS))
        .dispatch(MajorFunction.CLOSE, Routines.complete(NtStatus.SUCCESS))
        .build());
  }

  /**
   * Loads "Subject", whose DriverEntry creates {@code \Device\Subject} and a link named
   * {@code link} to {@code target}, keeping the status of IoCreateSymbolicLink; returns it.
   */
  private NtStatus loadWithLink(String link, String target) {
    List<NtStatus> status = new ArrayList<>();
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(TestDriver.legacy("Subject", journal)
        .entry(self -> {
          NtStatus created = Routines.createDevice(self, "\\Device\\Subject", null, 0);
          status.add(self.k.ioCreateSymbolicLink(link, target));
          return created;
        })
        .unload(self -> Routines.deleteDeviceAndLink(self, null))
        .dispatch(MajorFunction.CREATE, Routines.complete(NtStatus.SUCCESS))
        .dispatch(MajorFunction.CLOSE, Routines.complete(NtStatus.SUCCESS))
        .build()));
    return status.get(0);
  }

  private void unloadSubject() {
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Subject"));
    assertFalse(kernel.isLoaded("Subject"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedNames")
  @DisplayName("IoCreateDevice with a malformed name: OBJECT_NAME_INVALID, nothing created")
  void createDeviceMalformedName(String name) {
    assertEquals(NtStatus.OBJECT_NAME_INVALID, loadWithDeviceName(name));
    assertFalse(kernel.isLoaded("Subject"));
  }

  @Test
  @DisplayName("IoCreateDevice with a name of exactly 32767 characters: created")
  void createDeviceLongestName() {
    String name = "\\Device\\" + "x".repeat(MAX_NAME - "\\Device\\".length());
    assertEquals(NtStatus.SUCCESS, loadWithDeviceName(name));
    kernel.open(name).close();
    unloadSubject();
  }

  @Test
  @DisplayName("IoCreateDevice with the bystander's device name, in other case: OBJECT_NAME_COLLISION")
  void createDeviceTakenName() {
    assertEquals(NtStatus.OBJECT_NAME_COLLISION, loadWithDeviceName("\\DEVICE\\bystander"));
    assertFalse(kernel.isLoaded("Subject"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedNames")
  @DisplayName("IoCreateSymbolicLink with a malformed link name: OBJECT_NAME_INVALID")
  void createLinkMalformedName(String name) {
    assertEquals(NtStatus.OBJECT_NAME_INVALID, loadWithLink(name, "\\Device\\Subject"));
    unloadSubject();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedNames")
  @DisplayName("IoCreateSymbolicLink to a malformed device name: OBJECT_NAME_INVALID")
  void createLinkMalformedTarget(String name) {
    assertEquals(NtStatus.OBJECT_NAME_INVALID, loadWithLink("\\??\\Subject", name));
    unloadSubject();
  }

  @Test
  @DisplayName("IoCreateSymbolicLink with the bystander's link name: OBJECT_NAME_COLLISION")
  void createLinkTakenName() {
    assertEquals(NtStatus.OBJECT_NAME_COLLISION,
        loadWithLink("\\DosDevices\\BYSTANDER", "\\Device\\Subject"));
    unloadSubject();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedNames")
  @DisplayName("IoDeleteSymbolicLink of a malformed name: OBJECT_NAME_INVALID")
  void deleteLinkMalformedName(String name) {
    List<NtStatus> status = new ArrayList<>();
    kernel.loadDriver(TestDriver.legacyDevice("Subject", journal)
        .entry(self -> {
          status.add(self.k.ioDeleteSymbolicLink(name));
          return Routines.createDevice(self, "\\Device\\Subject", "\\??\\Subject", 0);
        })
        .build());
    assertEquals(List.of(NtStatus.OBJECT_NAME_INVALID), status);
    unloadSubject();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedNames")
  @DisplayName("open of a malformed path: OBJECT_NAME_INVALID")
  void openMalformedPath(String name) {
    NtStatusException refused = assertThrows(NtStatusException.class, () -> kernel.open(name));
    assertEquals(NtStatus.OBJECT_NAME_INVALID, refused.status());
  }

  @Test
  @DisplayName("open of \\\\.\\ with no name after it: OBJECT_NAME_INVALID")
  void openEmptyDosName() {
    NtStatusException refused = assertThrows(NtStatusException.class, () -> kernel.open("\\\\.\\"));
    assertEquals(NtStatus.OBJECT_NAME_INVALID, refused.status());
  }

  @Test
  @DisplayName("open of a name nothing has: OBJECT_NAME_NOT_FOUND")
  void openUnknownName() {
    NtStatusException refused =
        assertThrows(NtStatusException.class, () -> kernel.open("\\\\.\\NoSuchDevice"));
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, refused.status());
  }

  @Test
  @DisplayName("open through symbolic links that point at each other: OBJECT_NAME_NOT_FOUND, no endless loop")
  void openLinkCycle() {
    List<NtStatus> status = new ArrayList<>();
    kernel.loadDriver(TestDriver.legacyDevice("Subject", journal)
        .entry(self -> {
          status.add(self.k.ioCreateSymbolicLink("\\??\\LoopA", "\\??\\LoopB"));
          status.add(self.k.ioCreateSymbolicLink("\\??\\LoopB", "\\??\\LoopA"));
          return Routines.createDevice(self, "\\Device\\Subject", "\\??\\Subject", 0);
        })
        .unload(self -> {
          self.k.ioDeleteSymbolicLink("\\??\\LoopA");
          self.k.ioDeleteSymbolicLink("\\??\\LoopB");
          Routines.deleteDeviceAndLink(self, "\\??\\Subject");
        })
        .build());
    assertEquals(List.of(NtStatus.SUCCESS, NtStatus.SUCCESS), status);
    NtStatusException refused =
        assertThrows(NtStatusException.class, () -> kernel.open("\\\\.\\LoopA"));
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, refused.status());
    unloadSubject();
  }

  @Test
  @DisplayName("a hardware ID of 100,000 characters or with a control character: a device with no driver")
  void plugInOddHardwareIds() {
    DeviceNode huge = kernel.plugIn("ROOT\\" + "x".repeat(100_000));
    DeviceNode control = kernel.plugIn("ROOT\\A\u0000B");
    assertEquals(DeviceNode.State.NO_DRIVER, huge.state());
    assertEquals(DeviceNode.State.NO_DRIVER, control.state());
    assertEquals(NtStatus.SUCCESS, kernel.remove(huge));
    assertEquals(NtStatus.SUCCESS, kernel.remove(control));
    assertTrue(kernel.deviceNodes().stream().allMatch(n -> n == bystanderNode));
  }
}

package io.jwdm.host;

import static io.jwdm.kernel.Wdm.CTL_CODE;
import static io.jwdm.kernel.Wdm.FILE_ANY_ACCESS;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN;
import static io.jwdm.kernel.Wdm.METHOD_BUFFERED;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every bad-input case shares: a kernel in which two well-behaved drivers, a legacy one and a
 * WDM one on a plugged-in device, already serve I/O before the case runs, and are checked after
 * it.
 *
 * <p>After each case, unless it declared the bug check it expects ({@link #expectBugCheck}), the
 * system is running, nothing leaked, and both bystanders serve I/O exactly as before: each received
 * exactly the IRPs the checks sent it, no more, so the case reached none of their state. Then they
 * unload cleanly. A case that stops the system is checked the way Windows would be after the same
 * bug check: the stopped kernel still answers queries, and a fresh kernel in the same JVM runs the
 * bystanders.
 */
abstract class BadInputTest {
  static final int IOCTL_ECHO = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS);

  static final String BYSTANDER = "Bystander";
  static final String BYSTANDER_LINK = "\\\\.\\Bystander";
  static final String WDM_BYSTANDER = "WdmBystander";
  static final String WDM_BYSTANDER_ID = "ROOT\\BYSTANDER";

  /** One round of I/O as each bystander's journal records it. */
  private static final List<String> IO_ROUND =
      List.of("IRP_MJ_CREATE", "IRP_MJ_DEVICE_CONTROL", "IRP_MJ_CLEANUP", "IRP_MJ_CLOSE");

  final Journal journal = new Journal();
  Kernel kernel;
  DeviceNode bystanderNode;
  private Integer expectedBugCheck;

  /** The options of the kernel the case runs in; a case class may need others. */
  KernelOptions options() {
    return KernelOptions.builder().waitTimeout(Duration.ofSeconds(2)).build();
  }

  @BeforeEach
  final void bootWithBystanders() {
    kernel = Kernel.boot(options());
    startBystanders(kernel);
    bystanderNode = kernel.deviceNodes().get(0);
    ioRound(kernel, bystanderNode, "before");
  }

  /** The case stops the system with bug check {@code code}, as Windows would. */
  final void expectBugCheck(int code) {
    expectedBugCheck = code;
  }

  @AfterEach
  final void bystandersUnharmed() {
    try {
      if (expectedBugCheck != null) {
        Optional<BugCheck> stopped = kernel.bugCheck();
        assertTrue(stopped.isPresent(), "expected bug check 0x" + Integer.toHexString(expectedBugCheck));
        assertEquals(expectedBugCheck.intValue(), stopped.get().code(), stopped.get().toString());
        // A stopped system still answers its state queries.
        kernel.trace();
        kernel.leaks();
        kernel.drivers();
        kernel.report();
        try (Kernel fresh = Kernel.boot(options())) {
          Journal freshJournal = new Journal();
          startBystanders(fresh, freshJournal);
          ioRound(fresh, fresh.deviceNodes().get(0), "in a fresh kernel after the bug check");
          stopBystanders(fresh, fresh.deviceNodes().get(0));
        }
        return;
      }
      assertEquals(Optional.empty(), kernel.bugCheck(), "the system stopped");
      List<Leak> leaks = kernel.leaks();
      assertTrue(leaks.isEmpty(), () -> "the case leaked:\n" + render(leaks));
      ioRound(kernel, bystanderNode, "after");
      assertEquals(twoRounds("DriverEntry"), journal.eventsOf(BYSTANDER),
          "the legacy bystander received IRPs it was not sent");
      List<String> wdm = journal.eventsOf(WDM_BYSTANDER);
      assertEquals(twoRounds("DriverEntry", "AddDevice", "IRP_MN_START_DEVICE", "started"), wdm,
          "the WDM bystander received IRPs it was not sent");
      stopBystanders(kernel, bystanderNode);
      assertTrue(kernel.leaks().isEmpty(), () -> "leaks after the bystanders unloaded:\n"
          + render(kernel.leaks()));
      assertEquals(Optional.empty(), kernel.bugCheck(), "the system stopped");
    } finally {
      kernel.close();
    }
  }

  private static List<String> twoRounds(String... start) {
    List<String> events = new ArrayList<>(List.of(start));
    events.addAll(IO_ROUND);
    events.addAll(IO_ROUND);
    return events;
  }

  private void startBystanders(Kernel k) {
    startBystanders(k, journal);
  }

  /**
   * The legacy bystander has a device and a link, and echoes its input reversed; the WDM one
   * serves {@value #WDM_BYSTANDER_ID} and echoes through its stack.
   */
  static void startBystanders(Kernel k, Journal journal) {
    assertEquals(NtStatus.SUCCESS, k.loadDriver(TestDriver.legacyDevice(BYSTANDER, journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, BadInputTest::reverse)
        .build()));
    k.install(TestDriver.wdm(WDM_BYSTANDER, journal, WDM_BYSTANDER_ID)
        .dispatch(MajorFunction.DEVICE_CONTROL, BadInputTest::reverse)
        .build());
    DeviceNode node = k.plugIn(WDM_BYSTANDER_ID);
    assertEquals(DeviceNode.State.STARTED, node.state(), k::deviceTree);
  }

  /** METHOD_BUFFERED: writes the input back reversed. */
  private static NtStatus reverse(TestDriver.Instance self, io.jwdm.kernel.DeviceObject device,
      Irp irp) {
    var location = self.k.ioGetCurrentIrpStackLocation(irp);
    if (location.ioControlCode() != IOCTL_ECHO) {
      return Routines.complete(self, irp, NtStatus.INVALID_DEVICE_REQUEST, 0);
    }
    int length = Math.min(location.inputBufferLength(), location.outputBufferLength());
    ByteBuffer buffer = irp.systemBuffer();
    byte[] data = new byte[length];
    buffer.get(0, data);
    for (int i = 0; i < length; i++) {
      buffer.put(i, data[length - 1 - i]);
    }
    return Routines.complete(self, irp, NtStatus.SUCCESS, length);
  }

  /** Opens each bystander, sends one echo, closes, and checks the answers. */
  private static void ioRound(Kernel k, DeviceNode node, String when) {
    byte[] expected = "olleh".getBytes(US_ASCII);
    try (Handle legacy = k.open(BYSTANDER_LINK, "bystander")) {
      IoResult result = legacy.deviceIoControl(IOCTL_ECHO, "hello".getBytes(US_ASCII), 5);
      assertEquals(NtStatus.SUCCESS, result.status(), "legacy bystander " + when);
      assertArrayEquals(expected, result.data(), "legacy bystander " + when);
    }
    assertEquals(DeviceNode.State.STARTED, node.state(), "WDM bystander's device " + when);
    try (Handle wdm = k.open(node.pdoName(), "bystander")) {
      IoResult result = wdm.deviceIoControl(IOCTL_ECHO, "hello".getBytes(US_ASCII), 5);
      assertEquals(NtStatus.SUCCESS, result.status(), "WDM bystander " + when);
      assertArrayEquals(expected, result.data(), "WDM bystander " + when);
    }
  }

  private static void stopBystanders(Kernel k, DeviceNode node) {
    assertEquals(NtStatus.SUCCESS, k.remove(node), k::deviceTree);
    assertEquals(NtStatus.SUCCESS, k.unloadDriver(BYSTANDER));
    assertTrue(!k.isLoaded(BYSTANDER) && !k.isLoaded(WDM_BYSTANDER), k::deviceTree);
  }

  static String render(List<Leak> leaks) {
    return leaks.stream().map(Leak::render).collect(Collectors.joining());
  }
}

package io.jwdm.host;

import static io.jwdm.kernel.Wdm.IRP_MN_QUERY_REMOVE_DEVICE;
import static io.jwdm.kernel.Wdm.IRP_MN_REMOVE_DEVICE;
import static io.jwdm.kernel.Wdm.IRP_MN_START_DEVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.NtStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The PnP manager: building and starting a device stack, removing it in order or by surprise, and
 * unloading WDM drivers whose last device is gone (DOMAIN §2.3–2.7).
 */
class PnpTest {
  private static final String TOASTER = "ROOT\\TOASTER";

  private final Journal journal = new Journal();
  private final Kernel kernel =
      Kernel.boot(KernelOptions.builder().waitTimeout(Duration.ofSeconds(2)).build());

  private TestDriver.Builder function() {
    return TestDriver.wdm("Func", journal, TOASTER);
  }

  private TestDriver.Builder filter() {
    return TestDriver.upperFilter("Filter", journal, TOASTER);
  }

  /** Installs Func and Filter for ROOT\TOASTER and plugs one in. */
  private DeviceNode plugInToasterWithFilter() {
    kernel.install(function().build());
    kernel.install(filter().build());
    DeviceNode node = kernel.plugIn(TOASTER);
    assertEquals(DeviceNode.State.STARTED, node.state(), journal::toString);
    return node;
  }

  /** Journal events of Func and Filter that are PnP IRPs, in order ("Filter IRP_MN_..."). */
  private List<String> pnpEvents() {
    return journal.events().stream().filter(e -> e.contains("IRP_MN_")).toList();
  }

  // ---------------------------------------------------------------------------------------------
  // Building and starting the stack

  @Test
  void plugInLoadsTheFunctionDriverThenUpperFiltersAndCallsAddDeviceWithThePdo() {
    List<String> addDeviceTargets = new CopyOnWriteArrayList<>();
    TestDriver.AddDevice attach = Routines.attachToStack();
    // Installed filter first: the stack order must not follow installation order.
    kernel.install(filter()
        .addDevice((self, pdo) -> {
          addDeviceTargets.add("Filter got " + pdo.name());
          return attach.addDevice(self, pdo);
        })
        .build());
    kernel.install(function()
        .addDevice((self, pdo) -> {
          addDeviceTargets.add("Func got " + pdo.name());
          return attach.addDevice(self, pdo);
        })
        .build());
    kernel.install(TestDriver.wdm("Unrelated", journal, "ROOT\\OTHER").build());

    DeviceNode node = kernel.plugIn(TOASTER);

    assertEquals(DeviceNode.State.STARTED, node.state());
    assertEquals(0, node.problemCode());
    assertEquals(List.of("Func", "Filter"), node.driverNames());
    assertEquals(List.of("Func got " + node.pdoName(), "Filter got " + node.pdoName()),
        addDeviceTargets);
    assertTrue(journal.indexOf("Func DriverEntry") < journal.indexOf("Func AddDevice"));
    assertTrue(journal.indexOf("Func DriverEntry") < journal.indexOf("Filter DriverEntry"));
    assertTrue(journal.indexOf("Filter DriverEntry") < journal.indexOf("Filter AddDevice"));
    assertTrue(journal.indexOf("Func AddDevice") < journal.indexOf("Filter AddDevice"));
    assertFalse(journal.contains("Unrelated DriverEntry"));
    assertFalse(kernel.isLoaded("Unrelated"));
  }

  @Test
  void startDeviceFlowsDownTheStackTopDownThenBackUp() {
    plugInToasterWithFilter();

    List<String> start = journal.events().stream()
        .filter(e -> e.contains("IRP_MN_START_DEVICE") || e.endsWith(" started")).toList();
    assertEquals(List.of("Filter IRP_MN_START_DEVICE", "Func IRP_MN_START_DEVICE",
        "Func started", "Filter started"), start);
    assertTrue(journal.indexOf("Filter AddDevice") < journal.indexOf("Filter IRP_MN_START_DEVICE"));
  }

  @Test
  void aDeviceWithoutAFunctionDriverGetsNoDriverProblemCode28() {
    kernel.install(filter().build());

    DeviceNode node = kernel.plugIn(TOASTER);

    assertEquals(DeviceNode.State.NO_DRIVER, node.state());
    assertEquals(DeviceNode.CODE_NO_DRIVER, node.problemCode());
    assertEquals(28, node.problemCode());
    assertFalse(journal.contains("Filter DriverEntry"));
  }

  @Test
  void aFunctionDriverWhoseDriverEntryFailsGivesProblemCode37() {
    kernel.install(function().entry(self -> NtStatus.UNSUCCESSFUL).build());

    DeviceNode node = kernel.plugIn(TOASTER);

    assertEquals(DeviceNode.State.FAILED, node.state());
    assertEquals(DeviceNode.CODE_DRIVER_ENTRY_FAILED, node.problemCode());
    assertEquals(37, node.problemCode());
    assertEquals(List.of("DriverEntry"), journal.eventsOf("Func"));
    assertFalse(kernel.isLoaded("Func"));
  }

  @Test
  void aFailedAddDeviceGivesProblemCode31AndTheDriverIsUnloaded() {
    kernel.install(function().addDevice((self, pdo) -> NtStatus.INSUFFICIENT_RESOURCES).build());

    DeviceNode node = kernel.plugIn(TOASTER);

    assertEquals(DeviceNode.State.FAILED, node.state());
    assertEquals(DeviceNode.CODE_ADD_DEVICE_FAILED, node.problemCode());
    assertEquals(31, node.problemCode());
    assertEquals(List.of("DriverEntry", "AddDevice", "Unload"), journal.eventsOf("Func"));
    assertFalse(kernel.isLoaded("Func"));
  }

  @Test
  void aFailedStartIsFollowedByRemoveDeviceAndGivesProblemCode10() {
    kernel.install(function()
        .onPnp(IRP_MN_START_DEVICE, (self, device, irp) -> {
          self.k.ioForwardIrpSynchronously(Routines.lower(device), irp);
          return Routines.complete(self, irp, NtStatus.UNSUCCESSFUL, 0);
        })
        .build());

    DeviceNode node = kernel.plugIn(TOASTER);

    assertEquals(DeviceNode.State.FAILED, node.state());
    assertEquals(DeviceNode.CODE_START_FAILED, node.problemCode());
    assertEquals(10, node.problemCode());
    assertEquals(List.of("DriverEntry", "AddDevice", "IRP_MN_START_DEVICE", "IRP_MN_REMOVE_DEVICE",
        "Unload"), journal.eventsOf("Func"));
    assertFalse(kernel.isLoaded("Func"));
    assertEquals(List.of(), kernel.leaks());
  }

  // ---------------------------------------------------------------------------------------------
  // Removal

  @Test
  void removeSendsQueryRemoveThenRemoveDeviceTopDown() {
    DeviceNode node = plugInToasterWithFilter();

    assertEquals(NtStatus.SUCCESS, kernel.remove(node));

    assertEquals(List.of(
        "Filter IRP_MN_START_DEVICE", "Func IRP_MN_START_DEVICE",
        "Filter IRP_MN_QUERY_REMOVE_DEVICE", "Func IRP_MN_QUERY_REMOVE_DEVICE",
        "Filter IRP_MN_REMOVE_DEVICE", "Func IRP_MN_REMOVE_DEVICE"), pnpEvents());
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertTrue(kernel.deviceNodes().isEmpty());
    assertEquals(List.of(), kernel.leaks());
    assertEquals(NtStatus.NO_SUCH_DEVICE, kernel.remove(node));
  }

  @Test
  void aFailedQueryRemoveVetoesTheRemovalWithCancelRemoveAndTheDeviceStaysStarted() {
    kernel.install(function()
        .onPnp(IRP_MN_QUERY_REMOVE_DEVICE, Routines.complete(NtStatus.UNSUCCESSFUL))
        .build());
    DeviceNode node = kernel.plugIn(TOASTER);

    assertEquals(NtStatus.UNSUCCESSFUL, kernel.remove(node));

    assertEquals(List.of("Func IRP_MN_START_DEVICE", "Func IRP_MN_QUERY_REMOVE_DEVICE",
        "Func IRP_MN_CANCEL_REMOVE_DEVICE"), pnpEvents());
    assertEquals(DeviceNode.State.STARTED, node.state());
    assertTrue(kernel.isLoaded("Func"));
    kernel.open(node.pdoName()).close();
  }

  @Test
  void removeWhileAHandleIsOpenIsRefusedWithDeviceBusy() {
    DeviceNode node = plugInToasterWithFilter();
    Handle handle = kernel.open(node.pdoName(), "explorer.exe");

    assertEquals(NtStatus.DEVICE_BUSY, kernel.remove(node));

    assertFalse(journal.contains("Func IRP_MN_QUERY_REMOVE_DEVICE"));
    assertEquals(DeviceNode.State.STARTED, node.state());
    handle.close();
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
  }

  @Test
  void surpriseRemovalSendsSurpriseRemovalNowAndRemoveDeviceOnlyAfterTheLastHandleCloses() {
    DeviceNode node = plugInToasterWithFilter();
    Handle first = kernel.open(node.pdoName());
    Handle second = kernel.open(node.pdoName());

    assertEquals(NtStatus.SUCCESS, kernel.surpriseRemove(node));

    assertEquals(DeviceNode.State.SURPRISE_REMOVED, node.state());
    assertTrue(journal.contains("Filter IRP_MN_SURPRISE_REMOVAL"));
    assertTrue(journal.contains("Func IRP_MN_SURPRISE_REMOVAL"));
    assertFalse(journal.contains("Func IRP_MN_QUERY_REMOVE_DEVICE"));
    first.close();
    assertFalse(journal.contains("Func IRP_MN_REMOVE_DEVICE"));

    second.close();

    assertEquals(List.of("IRP_MJ_CLEANUP", "IRP_MJ_CLOSE", "IRP_MN_REMOVE_DEVICE", "Unload"),
        tail(journal.eventsOf("Func"), 4));
    assertEquals(DeviceNode.State.REMOVED, node.state());
    assertFalse(kernel.isLoaded("Func"));
  }

  @Test
  void opensAreRefusedAfterSurpriseRemoval() {
    DeviceNode node = plugInToasterWithFilter();
    Handle handle = kernel.open(node.pdoName());
    kernel.surpriseRemove(node);

    NtStatusException refused =
        assertThrows(NtStatusException.class, () -> kernel.open(node.pdoName()));

    assertEquals(NtStatus.DELETE_PENDING, refused.status());
    assertEquals(1, journal.count("Func IRP_MJ_CREATE"));
    handle.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Unloading WDM drivers

  @Test
  void whenAWdmDriversLastDeviceIsGoneItIsUnloadedAndItsDriverObjectReleased() {
    DeviceNode node = plugInToasterWithFilter();
    TestDriver.Instance firstFunc = journal.last("Func");

    kernel.remove(node);

    assertTrue(journal.contains("Func Unload"));
    assertTrue(journal.contains("Filter Unload"));
    assertFalse(kernel.isLoaded("Func"));
    assertFalse(kernel.isLoaded("Filter"));
    assertTrue(kernel.drivers().isEmpty(), kernel.drivers()::toString);
    // Plugging in again loads a fresh instance on a new driver object.
    kernel.plugIn(TOASTER);
    TestDriver.Instance secondFunc = journal.last("Func");
    assertNotSame(firstFunc, secondFunc);
    assertNotSame(firstFunc.driverObject, secondFunc.driverObject);
    assertEquals(2, journal.count("Func DriverEntry"));
  }

  @Test
  void aWdmDriverServingTwoDevicesStaysLoadedUntilBothAreRemoved() {
    kernel.install(function().build());
    DeviceNode first = kernel.plugIn(TOASTER);
    DeviceNode second = kernel.plugIn(TOASTER);
    assertEquals(1, journal.count("Func DriverEntry"));
    assertEquals(2, journal.count("Func AddDevice"));
    assertNotSame(first.instanceId(), second.instanceId());

    kernel.remove(first);

    assertTrue(kernel.isLoaded("Func"));
    assertFalse(journal.contains("Func Unload"));
    assertEquals(DeviceNode.State.STARTED, second.state());

    kernel.remove(second);

    assertFalse(kernel.isLoaded("Func"));
    assertEquals(1, journal.count("Func Unload"));
  }

  @Test
  void aRemoveDeviceHandlerThatForgetsToDetachAndDeleteIsRecordedAsALeak() {
    kernel.install(function()
        .onPnp(IRP_MN_REMOVE_DEVICE, (self, device, irp) -> {
          irp.ioStatus().setStatus(NtStatus.SUCCESS);
          self.k.ioSkipCurrentIrpStackLocation(irp);
          return self.k.ioCallDriver(Routines.lower(device), irp);
        })
        .build());
    DeviceNode node = kernel.plugIn(TOASTER);

    assertEquals(NtStatus.SUCCESS, kernel.remove(node));

    Leak leak = Leaks.only(kernel.leaks(), "DeviceObject");
    assertEquals("Func", leak.driverName());
    assertTrue(leak.when().startsWith("REMOVE_DEVICE"), leak::render);
    assertTrue(leak.when().contains("not detached or deleted"), leak::render);
    // The kernel reclaimed the device, so the driver could still unload.
    assertFalse(kernel.isLoaded("Func"));
  }

  @Test
  void aRemoveDeviceHandlerThatDetachesButForgetsToDeleteIsRecordedAsALeak() {
    kernel.install(function()
        .onPnp(IRP_MN_REMOVE_DEVICE, (self, device, irp) -> {
          irp.ioStatus().setStatus(NtStatus.SUCCESS);
          self.k.ioSkipCurrentIrpStackLocation(irp);
          NtStatus status = self.k.ioCallDriver(Routines.lower(device), irp);
          self.k.ioDetachDevice(Routines.lower(device));
          return status;
        })
        .build());
    DeviceNode node = kernel.plugIn(TOASTER);

    kernel.remove(node);

    Leak leak = Leaks.only(kernel.leaks(), "DeviceObject");
    assertEquals("Func", leak.driverName());
    assertEquals("REMOVE_DEVICE (not deleted)", leak.when());
  }

  // ---------------------------------------------------------------------------------------------
  // The device tree

  @Test
  void deviceTreeShowsEachNodeWithItsStackBottomUpAndLegacyDevices() {
    DeviceNode node = plugInToasterWithFilter();
    kernel.loadDriver(TestDriver.legacyDevice("Beeper", journal).build());

    String tree = kernel.deviceTree();

    List<String> lines = tree.lines().toList();
    assertEquals("Root", lines.get(0));
    int nodeLine = indexOfLineContaining(lines, node.instanceId());
    assertTrue(lines.get(nodeLine).contains("STARTED"), tree);
    assertTrue(lines.get(nodeLine).contains(TOASTER), tree);
    assertTrue(lines.get(nodeLine + 1).contains(node.pdoName()), tree);
    assertTrue(lines.get(nodeLine + 1).contains("(PnpManager)"), tree);
    assertTrue(lines.get(nodeLine + 2).contains("(Func)"), tree);
    assertTrue(lines.get(nodeLine + 3).contains("(Filter)"), tree);
    assertTrue(tree.contains("\\Device\\Beeper (Beeper, legacy)"), tree);

    kernel.remove(node);
    assertFalse(kernel.deviceTree().contains(node.instanceId()), kernel.deviceTree());
  }

  @Test
  void deviceTreeShowsTheProblemCodeOfAFailedNode() {
    DeviceNode node = kernel.plugIn("ROOT\\UNKNOWN");

    String tree = kernel.deviceTree();

    String line = tree.lines().filter(l -> l.contains(node.instanceId())).findFirst().orElseThrow();
    assertTrue(line.contains("NO_DRIVER") && line.contains("code 28"), tree);
  }

  private static int indexOfLineContaining(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line contains " + text + ":\n" + String.join("\n", lines));
  }

  private static List<String> tail(List<String> list, int count) {
    return list.subList(Math.max(0, list.size() - count), list.size());
  }
}

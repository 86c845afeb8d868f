package io.jwdm.host;

import io.jwdm.annotation.DriverRole;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.DriverUnload;
import io.jwdm.kernel.IoCompletionRoutine;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Wdm;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The I/O manager: driver loading and unloading, device deletion, IRP routing and completion, and
 * the caller's side of I/O (open, read, write, device control, close).
 */
final class IoManager {
  /** The largest buffer a caller may pass: 64 MiB. */
  static final int MAX_BUFFER = 64 << 20;

  private final KernelCore core;
  private final Services services;
  private final ObjectNamespace namespace = new ObjectNamespace();
  /** Installed driver packages by upper-case name, in installation order. */
  private final Map<String, DriverGlue> installed = new LinkedHashMap<>();
  /**
   * Installed WDM packages by upper-case hardware ID, each list in installation order: what the PnP
   * manager matches a new device against, without looking at every installed package.
   */
  private final Map<String, List<DriverGlue>> byHardwareId = new java.util.HashMap<>();
  /** Loaded drivers (including those unloading) by upper-case name. */
  private final Map<String, DriverObjectImpl> drivers = new LinkedHashMap<>();
  /** Devices deleted while still referenced; they go when their last reference does. */
  private final Set<DeviceObjectImpl> zombies = new LinkedHashSet<>();
  /** Open handles, in the order they were opened. */
  private Set<Handle> handles = new LinkedHashSet<>();
  private PnpManager pnp;
  private long nextHandle = 4;

  IoManager(KernelCore core, Services services) {
    this.core = core;
    this.services = services;
  }

  void connect(PnpManager pnp) {
    this.pnp = pnp;
    core.onRoutineExit(this::routineReturned);
  }

  /** A routine of {@code driver} returned: if its unload waited only for that, it may run now. */
  private void routineReturned(DriverObjectImpl driver) {
    if (driver.state != DriverObjectImpl.State.UNLOAD_PENDING) {
      return; // the common case, read without the lock: no unload waits for this routine
    }
    boolean unload;
    synchronized (core.lock) {
      unload = driver.state == DriverObjectImpl.State.UNLOAD_PENDING && readyToUnload(driver);
    }
    if (unload) {
      core.defer(() -> tryUnload(driver));
      core.drainDeferredIfIdle();
    }
  }

  ObjectNamespace namespace() {
    return namespace;
  }

  Services services() {
    return services;
  }

  private static String key(String name) {
    return name.toUpperCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------------------------------------
  // Installation and loading

  void install(DriverGlue glue) {
    String name = glue.driverName();
    Set<String> ids = glue.model() == DriverModel.WDM ? hardwareIdKeys(glue) : Set.of();
    synchronized (core.lock) {
      DriverGlue existing = installed.get(key(name));
      if (existing != null && existing != glue) {
        throw new IllegalStateException("a driver named " + name + " is already installed ("
            + existing.driverClass().getName() + ")");
      }
      if (existing == glue) {
        return;
      }
      installed.put(key(name), glue);
      for (String id : ids) {
        byHardwareId.computeIfAbsent(id, unused -> new ArrayList<>(1)).add(glue);
      }
    }
  }

  private static Set<String> hardwareIdKeys(DriverGlue glue) {
    Set<String> keys = new LinkedHashSet<>();
    for (String id : glue.hardwareIds()) {
      keys.add(key(id));
    }
    return keys;
  }

  /** Removes an installed package; for replacing it. */
  void uninstall(String name) {
    synchronized (core.lock) {
      DriverGlue glue = installed.remove(key(name));
      if (glue != null) {
        byHardwareId.values().removeIf(serving -> serving.remove(glue) && serving.isEmpty());
      }
    }
  }

  /** The installed WDM packages that serve {@code hardwareId}, in installation order. */
  List<DriverGlue> installedFor(String hardwareId) {
    synchronized (core.lock) {
      List<DriverGlue> serving = byHardwareId.get(key(hardwareId));
      return serving == null ? List.of() : List.copyOf(serving);
    }
  }

  DriverGlue installed(String name) {
    synchronized (core.lock) {
      return installed.get(key(name));
    }
  }

  List<DriverGlue> installedGlue() {
    synchronized (core.lock) {
      return new ArrayList<>(installed.values());
    }
  }

  DriverObjectImpl loaded(String name) {
    synchronized (core.lock) {
      return drivers.get(key(name));
    }
  }

  List<DriverObjectImpl> loadedDrivers() {
    synchronized (core.lock) {
      return new ArrayList<>(drivers.values());
    }
  }

  /**
   * Loads an installed driver: creates its driver object and runs DriverEntry. Returns the loaded
   * driver object, or the failure status in {@code status[0]}.
   */
  DriverObjectImpl load(DriverGlue glue, NtStatus[] status) {
    String name = glue.driverName();
    if (glue.spiVersion() != DriverGlue.SPI_VERSION) {
      status[0] = NtStatus.INVALID_IMAGE_FORMAT;
      core.trace("LoadRefused", name, "glue was generated for SPI version " + glue.spiVersion()
          + "; this kernel implements version " + DriverGlue.SPI_VERSION);
      return null;
    }
    if (glue.permanent() && services.verifier().enabledFor(glue)) {
      status[0] = NtStatus.DRIVER_UNABLE_TO_LOAD;
      core.trace("LoadRefused", name, "Driver Verifier fails a driver with no Unload routine"
          + " (@LegacyDriver(permanent = true))");
      return null;
    }
    DriverObjectImpl driver;
    synchronized (core.lock) {
      if (drivers.containsKey(key(name))) {
        status[0] = NtStatus.IMAGE_ALREADY_LOADED;
        return null;
      }
      DriverRole role = glue.model() == DriverModel.WDM ? glue.role() : DriverRole.FUNCTION;
      driver = new DriverObjectImpl(core, services, glue, name, glue.model(), role,
          glue.hardwareIds());
      drivers.put(key(name), driver);
    }
    String registryPath = "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\" + name;
    core.trace("DriverEntry", name, "calling");
    NtStatus result = core.callRoutine(driver, Irql.PASSIVE_LEVEL, "DriverEntry",
        () -> glue.driverEntry(driver, registryPath));
    if (result == null) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, driver.address(), 0,
          0, driver, name + " returned null from DriverEntry", null);
    }
    if (!result.isSuccess()) {
      core.trace("DriverEntry", name, "failed: " + result + "; Unload is not called");
      reclaim(driver, "DriverEntry failed");
      synchronized (core.lock) {
        driver.state = DriverObjectImpl.State.UNLOADED;
        drivers.remove(key(name));
        driver.release();
        core.wakeAllLocked();
      }
      status[0] = result;
      return null;
    }
    if (driver.model() == DriverModel.WDM
        && services.verifier().enabled(driver, VerifierFlags.IO_VERIFICATION)) {
      for (MajorFunction required : new MajorFunction[] {MajorFunction.PNP, MajorFunction.POWER}) {
        if (driver.isDefaultDispatch(required)) {
          throw core.bugCheck(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x21F,
              driver.address(), required.code(), 0, driver, name + " has no dispatch routine for "
                  + required.wdkName() + ", which every WDM driver must handle", null);
        }
      }
    }
    synchronized (core.lock) {
      for (DeviceObjectImpl device : driver.devices) {
        device.setFlags(device.flags() & ~Wdm.DO_DEVICE_INITIALIZING);
      }
      driver.state = DriverObjectImpl.State.LOADED;
      core.wakeAllLocked();
    }
    core.trace("DriverEntry", name, "returned " + result);
    status[0] = result;
    return driver;
  }

  /** ZwUnloadDriver: refuses PnP drivers and drivers without Unload; may leave the unload pending. */
  NtStatus requestUnload(String name) {
    DriverObjectImpl driver;
    synchronized (core.lock) {
      driver = drivers.get(key(name));
      if (driver == null) {
        return NtStatus.OBJECT_NAME_NOT_FOUND;
      }
      if (driver.model() == DriverModel.WDM) {
        core.trace("UnloadRefused", driver.name(),
            "a PnP driver is unloaded by the PnP manager after its last device is removed");
        return NtStatus.INVALID_DEVICE_REQUEST;
      }
      if (driver.driverUnload() == null) {
        core.trace("UnloadRefused", driver.name(), "the driver has no Unload routine");
        return NtStatus.INVALID_DEVICE_REQUEST;
      }
      if (driver.state != DriverObjectImpl.State.LOADED) {
        return driver.state == DriverObjectImpl.State.UNLOAD_PENDING
            ? NtStatus.PENDING : NtStatus.DELETE_PENDING;
      }
      driver.state = DriverObjectImpl.State.UNLOAD_PENDING;
    }
    core.trace("UnloadRequested", driver.name(), "unload pending");
    if (tryUnload(driver)) {
      return NtStatus.SUCCESS;
    }
    core.trace("UnloadWaiting", driver.name(), "waiting for references: " + referenceSummary(driver));
    return NtStatus.PENDING;
  }

  /** Marks a PnP driver whose last device is gone for unloading. */
  void unloadIfNoDevices(DriverObjectImpl driver) {
    synchronized (core.lock) {
      if (driver.model() != DriverModel.WDM || driver.state != DriverObjectImpl.State.LOADED
          || driver.stacksBuilding > 0 || !driver.devices.isEmpty() || zombiesOf(driver) > 0) {
        return;
      }
      driver.state = DriverObjectImpl.State.UNLOAD_PENDING;
    }
    core.trace("LastDeviceGone", driver.name(), "the PnP manager unloads the driver");
    core.defer(() -> tryUnload(driver));
  }

  private int zombiesOf(DriverObjectImpl driver) {
    int count = 0;
    for (DeviceObjectImpl zombie : zombies) {
      if (zombie.driver() == driver) {
        count++;
      }
    }
    return count;
  }

  private boolean readyToUnload(DriverObjectImpl driver) {
    if (driver.state != DriverObjectImpl.State.UNLOAD_PENDING || driver.activeRoutines() > 0) {
      return false;
    }
    for (DeviceObjectImpl device : driver.devices) {
      if (device.referenceCount > 0 || device.attachedDevice != null) {
        return false;
      }
    }
    return zombiesOf(driver) == 0;
  }

  String referenceSummary(DriverObjectImpl driver) {
    synchronized (core.lock) {
      StringBuilder out = new StringBuilder();
      for (DeviceObjectImpl device : driver.devices) {
        if (device.referenceCount > 0 || device.attachedDevice != null) {
          out.append(device.describe()).append(": ").append(device.referenceCount)
              .append(" reference(s)");
          if (device.attachedDevice != null) {
            out.append(", ").append(device.attachedDevice.driver().name()).append(" attached");
          }
          out.append("; ");
        }
      }
      for (Handle handle : handles) {
        if (handle.file().device.driver() == driver) {
          out.append("handle ").append(handle.id()).append(" held by ").append(handle.owner())
              .append("; ");
        }
      }
      return out.length() == 0 ? "none" : out.substring(0, out.length() - 2);
    }
  }

  /**
   * Runs the Unload routine if the driver is ready: unload pending, no routine running, no
   * references. Unload runs at PASSIVE_LEVEL on the calling kernel thread, never inside another
   * routine.
   */
  boolean tryUnload(DriverObjectImpl driver) {
    if (core.thread().routineDepth > 0) {
      core.defer(() -> tryUnload(driver));
      return false;
    }
    DriverUnload unload;
    synchronized (core.lock) {
      if (!readyToUnload(driver)) {
        return false;
      }
      driver.state = DriverObjectImpl.State.UNLOADING;
      unload = driver.driverUnload();
    }
    if (unload != null) {
      core.trace("Unload", driver.name(), "calling");
      core.callRoutine(driver, Irql.PASSIVE_LEVEL, "Unload", () -> {
        unload.unload(driver);
        return null;
      });
    }
    reclaim(driver, "Unload");
    synchronized (core.lock) {
      driver.state = DriverObjectImpl.State.UNLOADED;
      drivers.remove(key(driver.name()));
      driver.release();
      core.wakeAllLocked();
    }
    core.trace("Unloaded", driver.name(), "driver object released");
    return true;
  }

  /**
   * Records and reclaims what a driver left behind: device objects and the symbolic links it
   * created.
   */
  void reclaim(DriverObjectImpl driver, String when) {
    List<DeviceObjectImpl> leftDevices;
    List<ObjectNamespace.SymbolicLink> leftLinks = new ArrayList<>();
    synchronized (core.lock) {
      leftDevices = new ArrayList<>(driver.devices);
      for (ObjectNamespace.SymbolicLink link : namespace.links()) {
        if (link.creator() == driver) {
          leftLinks.add(link);
        }
      }
    }
    for (ObjectNamespace.SymbolicLink link : leftLinks) {
      core.addLeak(new Leak("SymbolicLink", driver.name(), link.name() + " -> " + link.target(),
          when, link.creationStack()));
      synchronized (core.lock) {
        namespace.removeLink(link.name());
      }
    }
    for (DeviceObjectImpl device : leftDevices) {
      core.addLeak(new Leak("DeviceObject", driver.name(), device.describe(), when,
          device.creationStack));
      forceDelete(device);
    }
    List<Tracked> leftObjects = core.trackedBy(driver);
    List<Leak> timerLeaks = new ArrayList<>();
    List<Leak> operationLeaks = new ArrayList<>();
    long firstTimer = 0;
    long firstOperation = 0;
    for (Tracked object : leftObjects) {
      Leak leak = object.leak(when);
      core.addLeak(leak);
      if (object.category == Tracked.Category.TIMER_OR_DPC) {
        timerLeaks.add(leak);
        firstTimer = firstTimer == 0 ? object.address : firstTimer;
      } else {
        operationLeaks.add(leak);
        firstOperation = firstOperation == 0 ? object.address : firstOperation;
      }
      core.untrack(object.address);
      object.reclaim.run();
    }
    List<PoolBlock> leftPool = services.pool().liveBlocks(driver);
    List<Leak> poolLeaks = new ArrayList<>();
    for (PoolBlock block : leftPool) {
      Leak leak = block.leak(when);
      poolLeaks.add(leak);
      core.addLeak(leak);
    }
    services.pool().reclaim(leftPool);
    Verifier verifier = services.verifier();
    if (!timerLeaks.isEmpty()) {
      boolean timer = timerLeaks.get(0).kind().equals("Timer");
      throw core.bugCheck(BugCheck.TIMER_OR_DPC_INVALID, timer ? 0 : 1, firstTimer, 0, 0, driver,
          driver.name() + " left " + timerLeaks.size() + " timer(s) or DPC(s) queued at " + when
              + ": they would run code that is no longer loaded", null, timerLeaks);
    }
    if (!operationLeaks.isEmpty()) {
      throw core.bugCheck(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
          firstOperation, 0, 0, 0, driver, driver.name() + " left " + operationLeaks.size()
              + " pending operation(s) at " + when + ": work items, threads, callbacks,"
              + " interrupts or lookaside lists that would call code that is no longer loaded",
          null, operationLeaks);
    }
    if (!poolLeaks.isEmpty() && verifier.enabled(driver, VerifierFlags.POOL_TRACKING)) {
      throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x62, driver.address(), 0,
          poolLeaks.size(), driver, driver.name() + " left " + poolLeaks.size()
              + " pool allocation(s) at " + when, null, poolLeaks);
    }
    if ((!leftDevices.isEmpty() || !leftLinks.isEmpty())
        && verifier.enabled(driver, VerifierFlags.IO_VERIFICATION)) {
      List<Leak> objects = new ArrayList<>();
      long first = 0;
      for (ObjectNamespace.SymbolicLink link : leftLinks) {
        objects.add(new Leak("SymbolicLink", driver.name(), link.name() + " -> " + link.target(),
            when, link.creationStack()));
      }
      for (DeviceObjectImpl device : leftDevices) {
        objects.add(new Leak("DeviceObject", driver.name(), device.describe(), when,
            device.creationStack));
        first = first == 0 ? device.address() : first;
      }
      throw core.bugCheck(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, first, 0,
          0, 0, driver, driver.name() + " left " + leftDevices.size() + " device object(s) and "
              + leftLinks.size() + " symbolic link(s) at " + when, null, objects);
    }
  }

  /** Detaches and deletes a device without asking its driver: for reclaiming leaks. */
  void forceDelete(DeviceObjectImpl device) {
    synchronized (core.lock) {
      if (device.attachedTo != null) {
        device.attachedTo.attachedDevice = null;
        device.attachedTo = null;
      }
      if (device.attachedDevice != null) {
        device.attachedDevice.attachedTo = null;
        device.attachedDevice = null;
      }
      if (!device.deleted) {
        device.deleted = true;
        if (device.name() != null) {
          namespace.removeDevice(device.name());
        }
        device.driver().devices.remove(device);
      }
      zombies.remove(device);
      if (device.deviceExtension() != null) {
        device.driver().deletedDevices.add(device);
      }
    }
    services.interrupts().deviceDeleted(device);
  }

  // ---------------------------------------------------------------------------------------------
  // Device deletion and detaching

  void deleteDevice(DeviceObjectImpl device, String service) {
    synchronized (core.lock) {
      if (device.deleted) {
        if (services.verifier().enabled(device.driver(), VerifierFlags.IO_VERIFICATION)) {
          throw core.bugCheck(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x240,
              device.address(), 0, 0, device.driver(), service + " was called twice on "
                  + device.describe(), null);
        }
        core.trace("DoubleDelete", device.driver().name(), service + " twice on "
            + device.describe());
        return;
      }
      if (device.node != null && device.node.inSurpriseRemoval
          && services.verifier().enabled(device.driver(), VerifierFlags.IO_VERIFICATION)) {
        throw core.bugCheck(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x242, device.address(),
            0, 0, device.driver(), device.driver().name() + " deleted " + device.describe()
                + " while handling IRP_MN_SURPRISE_REMOVAL; delete it at REMOVE_DEVICE", null);
      }
      device.deleted = true;
      if (device.name() != null) {
        namespace.removeDevice(device.name());
      }
      device.driver().devices.remove(device);
      if (device.referenceCount > 0) {
        zombies.add(device);
      }
      if (device.deviceExtension() != null) {
        device.driver().deletedDevices.add(device);
      }
    }
    services.interrupts().deviceDeleted(device);
    core.trace("IoDeleteDevice", device.driver().name(), device.describe());
  }

  void detach(DeviceObjectImpl target, String service) {
    DeviceObjectImpl source;
    synchronized (core.lock) {
      source = target.attachedDevice;
      DriverObjectImpl caller = core.thread().currentDriver;
      if (source == null) {
        if (services.verifier().enabled(caller, VerifierFlags.IO_VERIFICATION)) {
          throw core.bugCheck(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x202,
              target.address(), 0, 0, caller, service + " on " + target.describe()
                  + ", which has nothing attached: the device was detached already", null);
        }
        core.trace("DoubleDetach", target.driver().name(), service + " on " + target.describe()
            + ", which has nothing attached");
        return;
      }
      if (target.node != null && target.node.inSurpriseRemoval
          && services.verifier().enabled(source.driver(), VerifierFlags.IO_VERIFICATION)) {
        throw core.bugCheck(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x241, source.address(),
            0, 0, source.driver(), source.driver().name() + " detached " + source.describe()
                + " while handling IRP_MN_SURPRISE_REMOVAL; detach it at REMOVE_DEVICE", null);
      }
      target.attachedDevice = null;
      source.attachedTo = null;
    }
    core.trace("IoDetachDevice", source.driver().name(),
        source.describe() + " from " + target.describe());
    afterRelease(target);
  }

  /** Re-checks what may wait on a device's references: deletion, unload, surprise removal. */
  void afterRelease(DeviceObjectImpl device) {
    int released;
    synchronized (core.lock) {
      released = releasedLocked(device);
    }
    afterReleased(device, released);
  }

  /** {@link #releasedLocked}: the driver may unload now. */
  private static final int RELEASED_UNLOAD = 1;
  /** {@link #releasedLocked}: the surprise-removed device node may be removed now. */
  private static final int RELEASED_REMOVE = 2;

  /**
   * Under the lock, after a reference on {@code device} was dropped: forgets the device if it was
   * deleted and is now unreferenced, and says what may go now ({@code RELEASED_*} bits).
   */
  private int releasedLocked(DeviceObjectImpl device) {
    if (device.deleted && device.referenceCount == 0) {
      zombies.remove(device);
    }
    DriverObjectImpl driver = device.driver();
    int released = 0;
    if (driver.state == DriverObjectImpl.State.UNLOAD_PENDING && readyToUnload(driver)) {
      released |= RELEASED_UNLOAD;
    }
    if (device.node != null && pnp.claimSurpriseRemovalLocked(device.node)) {
      released |= RELEASED_REMOVE;
    }
    return released;
  }

  /** Outside the lock: queues what {@link #releasedLocked} found may go, and runs it if idle. */
  private void afterReleased(DeviceObjectImpl device, int released) {
    if ((released & RELEASED_UNLOAD) != 0) {
      DriverObjectImpl driver = device.driver();
      core.defer(() -> tryUnload(driver));
    }
    if ((released & RELEASED_REMOVE) != 0) {
      pnp.removeSurpriseRemovedLater(device.node);
    }
    core.drainDeferredIfIdle();
  }

  // ---------------------------------------------------------------------------------------------
  // IRP routing and completion

  /** What a dispatch routine is called in reports, by major function code. */
  private static final String[] DISPATCH_WHAT = new String[MajorFunction.MAXIMUM_FUNCTION + 1];

  static {
    for (MajorFunction major : MajorFunction.values()) {
      DISPATCH_WHAT[major.code()] = "dispatch " + major.wdkName();
    }
  }

  NtStatus callDriver(DeviceObjectImpl device, IrpImpl irp) {
    irp.current++;
    if (irp.current >= irp.locations.length) {
      throw core.bugCheck(BugCheck.NO_MORE_IRP_STACK_LOCATIONS, irp.address, 0, 0, 0,
          core.thread().currentDriver, "IoCallDriver sent " + irp + " past its last stack location"
              + " (StackCount " + irp.locations.length + ")", null);
    }
    IrpImpl.StackLocation location = irp.locations[irp.current];
    location.deviceObject = device;
    DriverObjectImpl driver = device.driver();
    if (driver.state == DriverObjectImpl.State.UNLOADED) {
      throw core.bugCheck(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
          device.address(), 0, 0, 0, driver,
          "an IRP was sent to a device of the unloaded driver " + driver.name(), null);
    }
    MajorFunction major = location.majorFunction;
    DriverDispatch routine = driver.majorFunction(major);
    int actionsBefore = ++irp.actions;
    int passesBefore = ++irp.passes;
    NtStatus status = core.callRoutine(driver, core.thread().irql, DISPATCH_WHAT[major.code()],
        () -> routine.dispatch(device, irp));
    if (status == null) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, device.address(), 0,
          0, driver, driver.name() + " returned null from its " + major.wdkName()
              + " dispatch routine", null);
    }
    if (services.verifier().enabled(driver, VerifierFlags.IO_VERIFICATION)) {
      verifyDispatchResult(driver, device, irp, location, major, status,
          irp.actions != actionsBefore, irp.passes != passesBefore);
    }
    return status;
  }

  /** I/O verification of what a dispatch routine did with its IRP (0xC9 / 0x226, 0x23D, 0x23E). */
  private void verifyDispatchResult(DriverObjectImpl driver, DeviceObjectImpl device, IrpImpl irp,
      IrpImpl.StackLocation location, MajorFunction major, NtStatus status, boolean acted,
      boolean passedDown) {
    boolean pendingReturned = NtStatus.PENDING.equals(status);
    String routine = driver.name() + "'s " + major.wdkName() + " dispatch routine";
    if (pendingReturned && !location.pending && !passedDown) {
      throw core.bugCheck(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x23D, irp.address,
          device.address(), 0, driver, routine + " returned STATUS_PENDING without calling"
              + " IoMarkIrpPending on " + irp, null);
    }
    if (!pendingReturned && location.pending) {
      throw core.bugCheck(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x23E, irp.address,
          device.address(), status.value() & 0xFFFFFFFFL, driver, routine + " called"
              + " IoMarkIrpPending on " + irp + " but returned " + status, null);
    }
    if (!pendingReturned && !acted) {
      throw core.bugCheck(BugCheck.DRIVER_VERIFIER_IOMANAGER_VIOLATION, 0x226, irp.address,
          device.address(), status.value() & 0xFFFFFFFFL, driver, routine + " returned " + status
              + " but neither completed " + irp + ", passed it down, nor marked it pending", null);
    }
  }

  void completeRequest(IrpImpl irp) {
    irp.actions++;
    if (!irp.changeState(IrpImpl.State.ACTIVE, IrpImpl.State.COMPLETING)) {
      throw core.bugCheck(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, irp.address, 0, 0, 0,
          core.thread().currentDriver, "IoCompleteRequest on " + irp
              + ", which is already completed", null);
    }
    irp.exchangeCancelRoutine(null);
    continueCompletion(irp);
  }

  private void continueCompletion(IrpImpl irp) {
    while (irp.current >= 0) {
      IrpImpl.StackLocation location = irp.locations[irp.current];
      boolean pending = location.pending;
      IoCompletionRoutine routine = location.completionRoutine;
      Object context = location.completionContext;
      boolean invoke = routine != null && shouldInvoke(irp, location);
      location.completionRoutine = null;
      location.completionContext = null;
      irp.pendingReturned = pending;
      irp.current--;
      DeviceObjectImpl upper = irp.current >= 0 ? irp.locations[irp.current].deviceObject : null;
      if (invoke) {
        DriverObjectImpl owner = upper == null ? null : upper.driver();
        // While its completion routine runs, the IRP is the routine's driver's again: the routine
        // may signal another thread that completes or resends it, and then return
        // STATUS_MORE_PROCESSING_REQUIRED, after which the I/O manager no longer touches it.
        irp.setState(IrpImpl.State.ACTIVE);
        NtStatus result = core.callRoutine(owner, core.thread().irql, "completion routine",
            () -> routine.complete(upper, irp, context));
        if (NtStatus.MORE_PROCESSING_REQUIRED.equals(result)) {
          return;
        }
        if (!irp.changeState(IrpImpl.State.ACTIVE, IrpImpl.State.COMPLETING)) {
          throw core.bugCheck(BugCheck.MULTIPLE_IRP_COMPLETE_REQUESTS, irp.address, 0, 0, 0,
              owner, irp + " was completed while its completion routine ran, and the routine"
                  + " returned " + result + " instead of STATUS_MORE_PROCESSING_REQUIRED", null);
        }
      } else if (pending && irp.current >= 0) {
        irp.locations[irp.current].pending = true;
      }
    }
    irp.setState(IrpImpl.State.DONE);
    finish(irp);
  }

  private static boolean shouldInvoke(IrpImpl irp, IrpImpl.StackLocation location) {
    boolean success = irp.ioStatus().status().isSuccess();
    return success && location.invokeOnSuccess || !success && location.invokeOnError
        || irp.cancelled && location.invokeOnCancel;
  }

  /**
   * Final completion at the top: copy back, wake the caller, release the IRP's references (on the
   * device and on the caller's file, whose deferred CLOSE may now go).
   */
  private void finish(IrpImpl irp) {
    IrpImpl.Completion completion = irp.completion;
    if (completion != null) {
      completion.completed(irp);
    }
    DeviceObjectImpl device = irp.referencedDevice;
    FileObjectImpl file = irp.callerFile;
    boolean close = false;
    int released = 0;
    synchronized (core.lock) {
      if (file != null) {
        file.outstanding--;
        close = file.closePending && file.outstanding == 0 && !file.closed;
        if (close) {
          file.closed = true;
        }
      }
      if (device != null) {
        device.referenceCount--;
        released = releasedLocked(device);
      }
      core.wakeAllLocked();
    }
    if (close) {
      core.defer(() -> sendClose(file));
    }
    if (device != null) {
      afterReleased(device, released);
    }
  }

  boolean cancelIrp(IrpImpl irp) {
    irp.cancelled = true;
    io.jwdm.kernel.DriverCancel routine = irp.exchangeCancelRoutine(null);
    if (routine == null) {
      return false;
    }
    IrpImpl.StackLocation location = irp.currentLocation0();
    DeviceObjectImpl device = location == null ? null : location.deviceObject;
    if (device != null) {
      synchronized (core.lock) {
        device.deviceQueue.remove(irp);
      }
    }
    DriverObjectImpl owner = device == null ? null : device.driver();
    core.callRoutine(owner, Irql.DISPATCH_LEVEL, "cancel routine", () -> {
      routine.cancel(device, irp);
      return null;
    });
    return true;
  }

  /**
   * Waits, as a kernel thread, until {@code condition} holds: runs deferred work first, then waits
   * for other threads up to the kernel's wait timeout, then stops the system as hung.
   */
  void waitUntil(BooleanSupplier condition, long object, String what) {
    if (!waitFor(condition)) {
      DriverObjectImpl driver = core.thread().currentDriver;
      throw core.bugCheck(BugCheck.JWDM_HANG_DETECTED, object, 0, 0, 0, driver,
          what + " waited " + core.options.waitTimeout().toMillis()
              + " ms and nothing could satisfy the wait: the system would hang", null);
    }
  }

  /**
   * Waits, as a kernel thread, until {@code condition} holds: runs deferred work first, then waits
   * for other threads up to the kernel's wait timeout.
   *
   * @return false on timeout or interruption
   */
  boolean waitFor(BooleanSupplier condition) {
    synchronized (core.lock) {
      if (condition.getAsBoolean()) {
        return true;
      }
    }
    core.drainDeferredIfIdle();
    if (services.scheduler().waitForCondition(condition, "a kernel wait")) {
      return true;
    }
    long deadline = System.nanoTime() + core.options.waitTimeout().toNanos();
    synchronized (core.lock) {
      while (!condition.getAsBoolean()) {
        core.checkRunning();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          core.waitLocked(Math.max(1, left / 1_000_000));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The caller's side

  /** An IRP for the caller's request on an open file, referencing the top of its stack. */
  IrpImpl newIrp(DeviceObjectImpl top, MajorFunction major, FileObjectImpl file) {
    IrpImpl irp = new IrpImpl(core.allocateAddress(), top.stackSize);
    IrpImpl.StackLocation first = irp.locations[0];
    first.majorFunction = major;
    first.fileObject = file;
    synchronized (core.lock) {
      top.referenceCount++;
      if (file != null) {
        file.outstanding++;
      }
    }
    irp.referencedDevice = top;
    irp.callerFile = file;
    return irp;
  }

  Handle open(String path, String owner) {
    ObjectNamespace.Resolved resolved;
    FileObjectImpl file;
    DeviceObjectImpl top;
    synchronized (core.lock) {
      resolved = namespace.resolve(path);
      if (!resolved.status().isSuccess()) {
        throw new NtStatusException(resolved.status(), "open " + path);
      }
      DeviceObjectImpl device = resolved.device();
      top = device.top();
      List<DeviceObjectImpl> stack = new ArrayList<>();
      for (DeviceObjectImpl d = device; d != null; d = d.attachedDevice) {
        stack.add(d);
        if (d.driver().state != DriverObjectImpl.State.LOADED) {
          throw new NtStatusException(NtStatus.DELETE_PENDING,
              "open " + path + " (driver " + d.driver().name() + " is unloading)");
        }
      }
      if (device.node != null && !device.node.acceptsOpens()) {
        throw new NtStatusException(NtStatus.DELETE_PENDING,
            "open " + path + " (device " + device.node.instanceId() + " is being removed)");
      }
      if ((top.flags() & Wdm.DO_DEVICE_INITIALIZING) != 0) {
        throw new NtStatusException(NtStatus.NO_SUCH_DEVICE,
            "open " + path + " (the device is still initializing)");
      }
      if (device.exclusive && device.openCount > 0) {
        throw new NtStatusException(NtStatus.ACCESS_DENIED,
            "open " + path + " (exclusive device already open)");
      }
      file = new FileObjectImpl(device, List.copyOf(stack), resolved.remainder());
      for (DeviceObjectImpl d : stack) {
        d.referenceCount++;
      }
      device.openCount++;
    }
    IrpImpl irp = newIrp(top, MajorFunction.CREATE, file);
    IoResult result = send(top, irp, new byte[0], Copy.NONE);
    if (!result.status().isSuccess()) {
      releaseFile(file);
      throw new NtStatusException(result.status(), "open " + path);
    }
    Handle handle;
    synchronized (core.lock) {
      handle = new Handle(this, core, file, path, owner, nextHandle);
      nextHandle += 4;
      handles.add(handle);
    }
    core.trace("Open", top.driver().name(), path + " by " + owner);
    return handle;
  }

  List<Handle> handles() {
    synchronized (core.lock) {
      return new ArrayList<>(handles);
    }
  }

  /** How output reaches the caller's buffer at completion. */
  enum Copy {
    /** Nothing to copy. */
    NONE,
    /** Copy IoStatus.Information bytes from the system buffer. */
    SYSTEM_BUFFER,
    /** The driver wrote the caller's buffer directly (MDL or neither I/O). */
    DIRECT
  }

  /** Builds the IRP for a read, write or device control on {@code file}. */
  IrpImpl buildTransfer(FileObjectImpl file, MajorFunction major, int ioControlCode,
      byte[] input, byte[] output, Copy[] copy) {
    DeviceObjectImpl top = file.device.top();
    IrpImpl irp = newIrp(top, major, file);
    IrpImpl.StackLocation location = irp.locations[0];
    int flags = top.flags();
    switch (major) {
      case READ:
        location.length = output.length;
        if ((flags & Wdm.DO_BUFFERED_IO) != 0) {
          irp.systemBuffer = buffer(output.length);
          copy[0] = Copy.SYSTEM_BUFFER;
        } else if ((flags & Wdm.DO_DIRECT_IO) != 0) {
          irp.mdl = new MdlImpl(wrap(output));
          copy[0] = Copy.DIRECT;
        } else {
          irp.userBuffer = wrap(output);
          copy[0] = Copy.DIRECT;
        }
        break;
      case WRITE:
        location.length = input.length;
        if ((flags & Wdm.DO_BUFFERED_IO) != 0) {
          irp.systemBuffer = buffer(input.length);
          irp.systemBuffer.put(0, input);
        } else if ((flags & Wdm.DO_DIRECT_IO) != 0) {
          irp.mdl = new MdlImpl(wrap(input.clone()));
        } else {
          irp.userBuffer = wrap(input.clone());
        }
        copy[0] = Copy.NONE;
        break;
      default:
        location.ioControlCode = ioControlCode;
        location.inputBufferLength = input.length;
        location.outputBufferLength = output.length;
        switch (Wdm.METHOD_FROM_CTL_CODE(ioControlCode)) {
          case Wdm.METHOD_BUFFERED:
            irp.systemBuffer = buffer(Math.max(input.length, output.length));
            irp.systemBuffer.put(0, input);
            copy[0] = Copy.SYSTEM_BUFFER;
            break;
          case Wdm.METHOD_IN_DIRECT:
          case Wdm.METHOD_OUT_DIRECT:
            if (input.length > 0) {
              irp.systemBuffer = buffer(input.length);
              irp.systemBuffer.put(0, input);
            }
            if (output.length > 0) {
              irp.mdl = new MdlImpl(wrap(output));
            }
            copy[0] = Copy.DIRECT;
            break;
          default:
            location.type3InputBuffer = wrap(input.clone());
            irp.userBuffer = output.length > 0 ? wrap(output) : null;
            copy[0] = Copy.DIRECT;
            break;
        }
    }
    return irp;
  }

  private static ByteBuffer buffer(int length) {
    return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuffer wrap(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Installs the caller's completion on {@code irp}: copies output back and records the result. */
  IoRequest prepare(IrpImpl irp, byte[] output, Copy copy) {
    IoRequest request = new IoRequest(this, core, irp);
    irp.completion = done -> {
      long information = done.ioStatus().information();
      if (copy == Copy.SYSTEM_BUFFER && done.systemBuffer != null) {
        int count = (int) Math.max(0, Math.min(information,
            Math.min(output.length, done.systemBuffer.capacity())));
        done.systemBuffer.get(0, output, 0, count);
      }
      request.complete(new IoResult(done.ioStatus().status(), information, output));
    };
    return request;
  }

  /** Sends a caller's IRP to the top of the stack and returns at once: for overlapped I/O. */
  IoRequest submit(DeviceObjectImpl top, IrpImpl irp, byte[] output, Copy copy) {
    IoRequest request = prepare(irp, output, copy);
    services.ioCallDriver(top, irp);
    return request;
  }

  /** Sends a caller's IRP and waits for its completion. */
  IoResult send(DeviceObjectImpl top, IrpImpl irp, byte[] output, Copy copy) {
    IoRequest request = submit(top, irp, output, copy);
    return request.awaitInKernel();
  }

  void close(Handle handle) {
    FileObjectImpl file = handle.file();
    synchronized (core.lock) {
      if (!handles.remove(handle)) {
        return;
      }
      if (handles.isEmpty()) {
        handles = new LinkedHashSet<>(); // a hash table never shrinks: let the peak's go
      }
    }
    DeviceObjectImpl top = file.device.top();
    send(top, newIrp(top, MajorFunction.CLEANUP, file), new byte[0], Copy.NONE);
    boolean close;
    synchronized (core.lock) {
      file.closePending = true;
      close = file.outstanding == 0 && !file.closed;
      if (close) {
        file.closed = true;
      }
    }
    core.trace("Cleanup", top.driver().name(), handle.path() + " by " + handle.owner());
    if (close) {
      sendClose(file);
    }
  }

  private void sendClose(FileObjectImpl file) {
    DeviceObjectImpl top = file.device.top();
    IrpImpl irp = newIrp(top, MajorFunction.CLOSE, null);
    irp.locations[0].fileObject = file;
    send(top, irp, new byte[0], Copy.NONE);
    core.trace("Close", top.driver().name(), file.device.describe());
    file.setFsContext(null);
    releaseFile(file);
  }

  private void releaseFile(FileObjectImpl file) {
    synchronized (core.lock) {
      for (DeviceObjectImpl device : file.referenced) {
        device.referenceCount--;
      }
      file.device.openCount--;
    }
    for (DeviceObjectImpl device : file.referenced) {
      afterRelease(device);
    }
  }

  /** Every device object of this kernel, for the device tree and diagnostics. */
  List<DeviceObjectImpl> allDevices() {
    synchronized (core.lock) {
      List<DeviceObjectImpl> all = new ArrayList<>();
      for (DriverObjectImpl driver : drivers.values()) {
        all.addAll(driver.devices);
      }
      return all;
    }
  }
}

package io.jwdm.host;

import io.jwdm.kernel.BugCheckCallback;
import io.jwdm.kernel.CreateProcessNotifyRoutine;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KBugCheckCallbackRecord;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.PlugPlayNotificationCallback;
import io.jwdm.kernel.PsCreateNotifyInfo;
import io.jwdm.kernel.RegistryCallback;
import io.jwdm.kernel.Wdm;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel's notification callbacks: process creation, registry, shutdown, PnP and bug check.
 *
 * <p>Every registration is tracked as a pending operation of the driver that made it, from
 * registration until its unregister call: one still registered when the driver unloads is bug
 * check 0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, naming the registration and the
 * stack that made it. The kernel then drops the registration, so it never calls unloaded code.
 *
 * <p>What the simulated system does with the registrations:
 * <ul>
 *   <li>{@link Kernel#createProcess} calls the process notify routines, in registration order, at
 *       PASSIVE_LEVEL. A routine blocks the creation by setting an error CreationStatus; the first
 *       error set is the creation's status. {@link Kernel#exitProcess} calls them with no create
 *       information. A blocked process never started, so it has no exit notification.
 *   <li>{@link Kernel#registryOperation} calls the registry callbacks from the highest altitude to
 *       the lowest, stopping at the first that returns a status that is not NT_SUCCESS: that
 *       status blocks the operation.
 *   <li>{@link Kernel#shutdown} sends IRP_MJ_SHUTDOWN to each registered device that is not
 *       deleted, in registration order. It does not call Unload routines, as Windows does not.
 *   <li>PnP notifications: a device node that starts is a device interface arrival, and one that
 *       is removed, surprise-removed or disabled is a removal. The callbacks registered for
 *       {@code EventCategoryDeviceInterfaceChange} get them at PASSIVE_LEVEL once the PnP operation
 *       is over, never inside another driver's routine. jwdm's devices do not declare interface
 *       classes, so {@code EventCategoryData} is recorded but not matched: every callback hears
 *       of every device. With {@code PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES} the
 *       arrivals of the devices started already are delivered before registration returns.
 *   <li>Bug check callbacks run when the system stops, the most recently registered first, at
 *       HIGH_LEVEL; each run, and anything a callback throws, is recorded in the trace and never
 *       disturbs the bug check.
 * </ul>
 *
 * <p>Routines are registered and removed as objects: removing one takes the same object that was
 * registered. A method reference such as {@code this::onProcess} evaluated twice is two objects,
 * so a driver keeps the routine it registered in a field, as a C driver keeps the function
 * pointer.
 */
final class CallbackManager {
  /** How many process notify routines Windows accepts. */
  static final int MAX_PROCESS_NOTIFY_ROUTINES = 64;
  /** {@code STATUS_FLT_INSTANCE_ALTITUDE_COLLISION}: a registry callback has that altitude. */
  static final NtStatus FLT_INSTANCE_ALTITUDE_COLLISION = NtStatus.of(0xC01C0011);
  /** The PnP event a callback gets when a device node starts. */
  static final String ARRIVAL = "GUID_DEVICE_INTERFACE_ARRIVAL";
  /** The PnP event a callback gets when a device node is removed. */
  static final String REMOVAL = "GUID_DEVICE_INTERFACE_REMOVAL";

  private final KernelCore core;
  private final Services services;

  // Guarded by the kernel lock.
  private final List<ProcessNotify> processRoutines = new ArrayList<>();
  private final Map<Long, String> processes = new LinkedHashMap<>();
  private long nextProcessId = 4;
  private final Map<Long, RegistryRegistration> registryCallbacks = new LinkedHashMap<>();
  private final List<ShutdownRegistration> shutdownDevices = new ArrayList<>();
  private final List<PnpRegistration> pnpCallbacks = new ArrayList<>();
  /** The device nodes whose arrival was announced and whose removal was not. */
  private Set<DeviceNode> arrived = new LinkedHashSet<>();
  /** Registered bug check callbacks, the most recent first. */
  private final List<BugCheckRecord> bugCheckCallbacks = new ArrayList<>();

  CallbackManager(KernelCore core, Services services) {
    this.core = core;
    this.services = services;
    core.onBugCheck(this::runBugCheckCallbacks);
  }

  /** What every registration has: its owner, its address and where it was made. */
  private abstract class Registration {
    final DriverObjectImpl owner;
    final long address = core.allocateAddress();
    final List<StackTraceElement> creationStack = KernelCore.creationStack();
    /** Guarded by the kernel lock. */
    boolean active = true;

    Registration(DriverObjectImpl owner) {
      this.owner = owner;
    }

    /** Starts tracking it as a pending operation of its owner. */
    void track(String kind, String description) {
      core.track(new Tracked(kind, owner, address, description,
          Tracked.Category.PENDING_OPERATION, creationStack, this::drop));
    }

    /** Removes it from its list; for unregistering and for reclaiming a leak. */
    abstract void drop();
  }

  private static String name(DriverObjectImpl driver) {
    return driver == null ? "system" : driver.name();
  }

  private DriverObjectImpl driverObject(DriverObject driver, String service) {
    if (driver instanceof DriverObjectImpl
        && ((DriverObjectImpl) driver).kernelServices() == services) {
      return (DriverObjectImpl) driver;
    }
    throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
        core.thread().currentDriver, service + " was given " + (driver instanceof DriverObjectImpl
            ? "a driver object of another kernel" : "a foreign object")
            + " instead of a driver object of this kernel", null);
  }

  // ---------------------------------------------------------------------------------------------
  // Process creation

  private final class ProcessNotify extends Registration {
    final CreateProcessNotifyRoutine routine;

    ProcessNotify(DriverObjectImpl owner, CreateProcessNotifyRoutine routine) {
      super(owner);
      this.routine = routine;
    }

    @Override
    void drop() {
      synchronized (core.lock) {
        active = false;
        processRoutines.remove(this);
      }
    }

    @Override
    public String toString() {
      return String.format("process notify routine %016x", address);
    }
  }

  /** The {@code PS_CREATE_NOTIFY_INFO} of one process creation. */
  private static final class CreateInfo implements PsCreateNotifyInfo {
    private final String imageFileName;
    private NtStatus firstError;

    CreateInfo(String imageFileName) {
      this.imageFileName = imageFileName;
    }

    @Override
    public String imageFileName() {
      return imageFileName;
    }

    @Override
    public synchronized void setCreationStatus(NtStatus status) {
      if (status != null && !status.isSuccess() && firstError == null) {
        firstError = status;
      }
    }

    synchronized NtStatus firstError() {
      return firstError;
    }
  }

  NtStatus setCreateProcessNotifyRoutine(CreateProcessNotifyRoutine routine, boolean remove) {
    DriverObjectImpl caller = core.thread().currentDriver;
    if (routine == null) {
      return NtStatus.INVALID_PARAMETER;
    }
    ProcessNotify registration = null;
    synchronized (core.lock) {
      for (ProcessNotify candidate : processRoutines) {
        if (candidate.routine == routine) {
          registration = candidate;
        }
      }
      if (!remove && registration == null
          && processRoutines.size() >= MAX_PROCESS_NOTIFY_ROUTINES) {
        return NtStatus.INSUFFICIENT_RESOURCES;
      }
    }
    if (remove) {
      if (registration == null) {
        core.trace("PsSetCreateProcessNotifyRoutineEx", name(caller), "remove refused: the"
            + " routine is not registered (remove the very object that was registered: a method"
            + " reference evaluated again is a new object)");
        return NtStatus.INVALID_PARAMETER;
      }
      registration.drop();
      core.untrack(registration.address);
      core.trace("PsSetCreateProcessNotifyRoutineEx", name(registration.owner),
          registration + " removed");
      return NtStatus.SUCCESS;
    }
    if (registration != null) {
      core.trace("PsSetCreateProcessNotifyRoutineEx", name(caller), "refused: " + registration
          + " is that routine, registered already");
      return NtStatus.INVALID_PARAMETER;
    }
    ProcessNotify added = new ProcessNotify(caller, routine);
    synchronized (core.lock) {
      processRoutines.add(added);
    }
    added.track("ProcessNotifyRoutine", added + " not removed");
    core.trace("PsSetCreateProcessNotifyRoutineEx", name(caller), added + " registered");
    return NtStatus.SUCCESS;
  }

  /**
   * A process starts: calls the notify routines with its create information.
   *
   * @return the new process ID
   * @throws NtStatusException with the status a routine set to block the creation
   */
  long createProcess(String imageFileName) {
    long processId;
    List<ProcessNotify> routines;
    synchronized (core.lock) {
      processId = nextProcessId;
      nextProcessId += 4;
      routines = new ArrayList<>(processRoutines);
    }
    CreateInfo info = new CreateInfo(imageFileName);
    notifyProcess(routines, processId, info);
    NtStatus blocked = info.firstError();
    if (blocked != null) {
      core.trace("ProcessBlocked", imageFileName, "process " + processId + ": " + blocked);
      throw new NtStatusException(blocked, "create process " + imageFileName);
    }
    synchronized (core.lock) {
      processes.put(processId, imageFileName);
    }
    core.trace("ProcessCreated", imageFileName, "process " + processId);
    return processId;
  }

  /** A process exits: calls the notify routines with no create information. */
  void exitProcess(long processId) {
    String image;
    List<ProcessNotify> routines;
    synchronized (core.lock) {
      image = processes.remove(processId);
      routines = new ArrayList<>(processRoutines);
    }
    if (image == null) {
      throw new IllegalArgumentException("no process " + processId + " is running");
    }
    notifyProcess(routines, processId, null);
    core.trace("ProcessExited", image, "process " + processId);
  }

  private void notifyProcess(List<ProcessNotify> routines, long processId, CreateInfo info) {
    for (ProcessNotify registration : routines) {
      synchronized (core.lock) {
        if (!registration.active) {
          continue;
        }
      }
      core.callRoutine(registration.owner, Irql.PASSIVE_LEVEL, "process notify routine", () -> {
        registration.routine.notify(processId, info);
        return null;
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Registry

  private final class RegistryRegistration extends Registration {
    final RegistryCallback function;
    final String altitude;
    final BigDecimal altitudeValue;
    final Object context;

    RegistryRegistration(DriverObjectImpl owner, RegistryCallback function, String altitude,
        BigDecimal altitudeValue, Object context) {
      super(owner);
      this.function = function;
      this.altitude = altitude;
      this.altitudeValue = altitudeValue;
      this.context = context;
    }

    @Override
    void drop() {
      synchronized (core.lock) {
        active = false;
        registryCallbacks.remove(address);
      }
    }

    @Override
    public String toString() {
      return String.format("registry callback %016x (altitude %s)", address, altitude);
    }
  }

  NtStatus registerRegistryCallback(RegistryCallback function, String altitude,
      DriverObject driver, Object context, Out<Long> cookie) {
    if (function == null || driver == null || cookie == null || altitude == null) {
      return NtStatus.INVALID_PARAMETER;
    }
    DriverObjectImpl owner = driverObject(driver, "CmRegisterCallbackEx");
    BigDecimal value;
    try {
      value = new BigDecimal(altitude.trim());
    } catch (NumberFormatException notANumber) {
      core.trace("CmRegisterCallbackEx", owner.name(), "refused: altitude '" + altitude
          + "' is not a decimal number");
      return NtStatus.INVALID_PARAMETER;
    }
    RegistryRegistration registration;
    synchronized (core.lock) {
      for (RegistryRegistration other : registryCallbacks.values()) {
        if (other.altitudeValue.compareTo(value) == 0) {
          core.trace("CmRegisterCallbackEx", owner.name(), "refused: " + other + " of "
              + name(other.owner) + " has that altitude");
          return FLT_INSTANCE_ALTITUDE_COLLISION;
        }
      }
      registration = new RegistryRegistration(owner, function, altitude, value, context);
      registryCallbacks.put(registration.address, registration);
    }
    registration.track("RegistryCallback", registration + " not unregistered");
    cookie.set(registration.address);
    core.trace("CmRegisterCallbackEx", owner.name(), registration + " registered");
    return NtStatus.SUCCESS;
  }

  NtStatus unregisterRegistryCallback(long cookie) {
    RegistryRegistration registration;
    synchronized (core.lock) {
      registration = registryCallbacks.get(cookie);
    }
    if (registration == null) {
      core.trace("CmUnRegisterCallback", name(core.thread().currentDriver),
          String.format("refused: no registry callback has cookie %x", cookie));
      return NtStatus.INVALID_PARAMETER;
    }
    registration.drop();
    core.untrack(registration.address);
    core.trace("CmUnRegisterCallback", name(registration.owner), registration + " unregistered");
    return NtStatus.SUCCESS;
  }

  /**
   * A registry operation: calls the registry callbacks from the highest altitude down.
   *
   * @return SUCCESS, or the first status that is not NT_SUCCESS, which blocks the operation
   */
  NtStatus registryOperation(int notifyClass, String keyPath) {
    List<RegistryRegistration> callbacks;
    synchronized (core.lock) {
      callbacks = new ArrayList<>(registryCallbacks.values());
    }
    callbacks.sort(Comparator.comparing((RegistryRegistration r) -> r.altitudeValue).reversed());
    for (RegistryRegistration registration : callbacks) {
      synchronized (core.lock) {
        if (!registration.active) {
          continue;
        }
      }
      NtStatus status = core.callRoutine(registration.owner, Irql.PASSIVE_LEVEL,
          "registry callback", () -> registration.function.callback(registration.context,
              notifyClass, keyPath));
      if (status == null) {
        throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L,
            registration.owner.address(), 0, 0, registration.owner, registration.owner.name()
                + " returned null from its " + registration, null);
      }
      if (!status.isSuccess()) {
        core.trace("RegistryBlocked", keyPath, "class " + notifyClass + ": " + status + " from "
            + registration + " of " + registration.owner.name());
        return status;
      }
    }
    core.trace("RegistryOperation", keyPath, "class " + notifyClass + ": allowed");
    return NtStatus.SUCCESS;
  }

  // ---------------------------------------------------------------------------------------------
  // Shutdown

  private final class ShutdownRegistration extends Registration {
    final DeviceObjectImpl device;

    ShutdownRegistration(DeviceObjectImpl device) {
      super(device.driver());
      this.device = device;
    }

    @Override
    void drop() {
      synchronized (core.lock) {
        active = false;
        shutdownDevices.remove(this);
      }
    }

    @Override
    public String toString() {
      return "shutdown notification of " + device.describe();
    }
  }

  NtStatus registerShutdown(DeviceObject deviceObject) {
    DeviceObjectImpl device = services.device(deviceObject, "IoRegisterShutdownNotification");
    ShutdownRegistration registration;
    synchronized (core.lock) {
      for (ShutdownRegistration other : shutdownDevices) {
        if (other.device == device) {
          return NtStatus.SUCCESS;
        }
      }
      registration = new ShutdownRegistration(device);
      shutdownDevices.add(registration);
    }
    registration.track("ShutdownNotification", registration + " not unregistered");
    core.trace("IoRegisterShutdownNotification", name(registration.owner), device.describe());
    return NtStatus.SUCCESS;
  }

  void unregisterShutdown(DeviceObject deviceObject) {
    DeviceObjectImpl device = services.device(deviceObject, "IoUnregisterShutdownNotification");
    List<ShutdownRegistration> removed = new ArrayList<>();
    synchronized (core.lock) {
      for (ShutdownRegistration registration : shutdownDevices) {
        if (registration.device == device) {
          removed.add(registration);
        }
      }
    }
    for (ShutdownRegistration registration : removed) {
      registration.drop();
      core.untrack(registration.address);
    }
    core.trace("IoUnregisterShutdownNotification", name(device.driver()), device.describe()
        + (removed.isEmpty() ? ": was not registered" : ""));
  }

  /** The system shuts down: IRP_MJ_SHUTDOWN to every registered device. */
  void shutdown() {
    List<ShutdownRegistration> registrations;
    synchronized (core.lock) {
      registrations = new ArrayList<>(shutdownDevices);
    }
    core.trace("Shutdown", "system", registrations.size() + " device(s) registered");
    IoManager io = services.io();
    for (ShutdownRegistration registration : registrations) {
      DeviceObjectImpl device = registration.device;
      boolean skip;
      synchronized (core.lock) {
        skip = !registration.active || device.deleted;
      }
      if (skip) {
        core.trace("IRP_MJ_SHUTDOWN", name(registration.owner), device.describe()
            + ": not sent, the device is deleted");
        continue;
      }
      IrpImpl irp = io.newIrp(device, MajorFunction.SHUTDOWN, null);
      IoResult result = io.send(device, irp, new byte[0], IoManager.Copy.NONE);
      core.trace("IRP_MJ_SHUTDOWN", name(registration.owner), device.describe() + ": "
          + result.status());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // PnP notifications

  private final class PnpRegistration extends Registration {
    final String category;
    final PlugPlayNotificationCallback callback;
    final Object context;

    PnpRegistration(DriverObjectImpl owner, String category,
        PlugPlayNotificationCallback callback, Object context) {
      super(owner);
      this.category = category;
      this.callback = callback;
      this.context = context;
    }

    @Override
    void drop() {
      synchronized (core.lock) {
        active = false;
        pnpCallbacks.remove(this);
      }
    }

    @Override
    public String toString() {
      return String.format("PnP notification %016x (%s)", address, category);
    }
  }

  NtStatus registerPlugPlay(int eventCategory, int eventCategoryFlags, String eventCategoryData,
      DriverObject driver, PlugPlayNotificationCallback callback, Object context,
      Out<Object> notificationEntry) {
    if (driver == null || callback == null || notificationEntry == null) {
      return NtStatus.INVALID_PARAMETER;
    }
    DriverObjectImpl owner = driverObject(driver, "IoRegisterPlugPlayNotification");
    if (eventCategory != Wdm.EVENT_CATEGORY_DEVICE_INTERFACE_CHANGE) {
      core.trace("IoRegisterPlugPlayNotification", owner.name(), "refused: category "
          + eventCategory + "; jwdm simulates EventCategoryDeviceInterfaceChange only");
      return NtStatus.NOT_SUPPORTED;
    }
    if (eventCategoryData == null) {
      return NtStatus.INVALID_PARAMETER;
    }
    PnpRegistration registration = new PnpRegistration(owner, eventCategoryData, callback,
        context);
    List<DeviceNode> existing = new ArrayList<>();
    synchronized (core.lock) {
      pnpCallbacks.add(registration);
      if ((eventCategoryFlags
          & Wdm.PNPNOTIFY_DEVICE_INTERFACE_INCLUDE_EXISTING_INTERFACES) != 0) {
        existing.addAll(arrived);
      }
    }
    registration.track("PlugPlayNotification", registration + " not unregistered");
    notificationEntry.set(registration);
    core.trace("IoRegisterPlugPlayNotification", owner.name(), registration + " registered");
    for (DeviceNode node : existing) {
      deliver(registration, ARRIVAL, node.instanceId());
    }
    return NtStatus.SUCCESS;
  }

  NtStatus unregisterPlugPlay(Object notificationEntry) {
    PnpRegistration registration = null;
    synchronized (core.lock) {
      for (PnpRegistration candidate : pnpCallbacks) {
        if (candidate == notificationEntry) {
          registration = candidate;
        }
      }
    }
    if (registration == null) {
      core.trace("IoUnregisterPlugPlayNotificationEx", name(core.thread().currentDriver),
          "refused: " + (notificationEntry instanceof PnpRegistration ? notificationEntry
              + " is unregistered already" : "not a registered notification entry"));
      return NtStatus.INVALID_PARAMETER;
    }
    registration.drop();
    core.untrack(registration.address);
    core.trace("IoUnregisterPlugPlayNotificationEx", name(registration.owner),
        registration + " unregistered");
    return NtStatus.SUCCESS;
  }

  /** A device node started: its interface arrival goes to the callbacks after the operation. */
  void deviceStarted(DeviceNode node) {
    announce(node, true);
  }

  /** A device node is being removed or disabled: its interface removal, if it arrived. */
  void deviceRemoved(DeviceNode node) {
    announce(node, false);
  }

  private void announce(DeviceNode node, boolean arrival) {
    List<PnpRegistration> registrations;
    synchronized (core.lock) {
      if (arrival ? !arrived.add(node) : !arrived.remove(node)) {
        return;
      }
      if (arrived.isEmpty()) {
        arrived = new LinkedHashSet<>(); // a hash table never shrinks: let the peak's go
      }
      if (pnpCallbacks.isEmpty()) {
        return;
      }
      registrations = new ArrayList<>(pnpCallbacks);
    }
    String event = arrival ? ARRIVAL : REMOVAL;
    core.defer(() -> {
      for (PnpRegistration registration : registrations) {
        deliver(registration, event, node.instanceId());
      }
    });
  }

  private void deliver(PnpRegistration registration, String event, String instanceId) {
    synchronized (core.lock) {
      if (!registration.active) {
        return;
      }
    }
    core.trace("PnpNotification", name(registration.owner), event + " " + instanceId);
    core.callRoutine(registration.owner, Irql.PASSIVE_LEVEL, "PnP notification callback",
        () -> registration.callback.notify(event, instanceId, registration.context));
  }

  // ---------------------------------------------------------------------------------------------
  // Bug check callbacks

  /** A {@code KBUGCHECK_CALLBACK_RECORD}. Its fields are guarded by the kernel lock. */
  private final class BugCheckRecord implements KBugCheckCallbackRecord {
    final long address = core.allocateAddress();
    boolean registered;
    DriverObjectImpl owner;
    List<StackTraceElement> creationStack = List.of();
    BugCheckCallback routine;
    Object buffer;
    int length;
    String component;

    @Override
    public boolean isRegistered() {
      synchronized (core.lock) {
        return registered;
      }
    }

    CallbackManager manager() {
      return CallbackManager.this;
    }

    @Override
    public String toString() {
      return String.format("bug check callback %016x (%s)", address, component);
    }
  }

  KBugCheckCallbackRecord initializeCallbackRecord() {
    return new BugCheckRecord();
  }

  private BugCheckRecord record(KBugCheckCallbackRecord record, String service) {
    if (record instanceof BugCheckRecord && ((BugCheckRecord) record).manager() == this) {
      return (BugCheckRecord) record;
    }
    throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, 0, 0, 0,
        core.thread().currentDriver, service + " was given " + (record == null ? "null"
            : record instanceof BugCheckRecord ? "a callback record of another kernel"
            : "a foreign object") + " instead of a callback record from"
            + " KeInitializeCallbackRecord of this kernel", null);
  }

  boolean registerBugCheckCallback(KBugCheckCallbackRecord callbackRecord,
      BugCheckCallback routine, Object buffer, int length, String component) {
    BugCheckRecord record = record(callbackRecord, "KeRegisterBugCheckCallback");
    DriverObjectImpl owner = core.thread().currentDriver;
    if (routine == null) {
      return false;
    }
    List<StackTraceElement> stack = KernelCore.creationStack();
    synchronized (core.lock) {
      if (record.registered) {
        return false;
      }
      record.registered = true;
      record.owner = owner;
      record.creationStack = stack;
      record.routine = routine;
      record.buffer = buffer;
      record.length = length;
      record.component = component;
      bugCheckCallbacks.add(0, record);
    }
    core.track(new Tracked("BugCheckCallback", owner, record.address, record
        + " not deregistered", Tracked.Category.PENDING_OPERATION, stack, () -> {
          synchronized (core.lock) {
            record.registered = false;
            bugCheckCallbacks.remove(record);
          }
        }));
    core.trace("KeRegisterBugCheckCallback", name(owner), record + " registered");
    return true;
  }

  boolean deregisterBugCheckCallback(KBugCheckCallbackRecord callbackRecord) {
    BugCheckRecord record = record(callbackRecord, "KeDeregisterBugCheckCallback");
    synchronized (core.lock) {
      if (!record.registered) {
        return false;
      }
      record.registered = false;
      bugCheckCallbacks.remove(record);
    }
    core.untrack(record.address);
    core.trace("KeDeregisterBugCheckCallback", name(record.owner), record + " deregistered");
    return true;
  }

  /**
   * Runs the registered bug check callbacks; called by the kernel as the system stops, holding
   * the kernel lock. Whatever a callback throws is recorded and swallowed.
   */
  private void runBugCheckCallbacks() {
    List<BugCheckRecord> records;
    synchronized (core.lock) {
      records = new ArrayList<>(bugCheckCallbacks);
    }
    KernelCore.KThread thread = core.thread();
    Irql savedIrql = thread.irql;
    DriverObjectImpl savedDriver = thread.currentDriver;
    try {
      for (BugCheckRecord record : records) {
        thread.irql = Irql.HIGH_LEVEL;
        thread.currentDriver = record.owner;
        String outcome;
        try {
          record.routine.callback(record.buffer, record.length);
          outcome = "ran";
        } catch (Throwable thrown) {
          outcome = "threw " + describe(thrown);
        }
        core.trace("BugCheckCallback", name(record.owner), record + " " + outcome);
      }
    } finally {
      thread.irql = savedIrql;
      thread.currentDriver = savedDriver;
    }
  }

  /** What a callback threw, even if its own toString throws. */
  private static String describe(Throwable thrown) {
    try {
      return String.valueOf(thrown);
    } catch (Throwable broken) {
      return thrown.getClass().getName();
    }
  }
}

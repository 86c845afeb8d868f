package io.jwdm.host;

import java.util.ArrayList;
import java.util.List;

/**
 * A device in the PnP manager's device tree: a simulated device plugged in on the root bus, with
 * its hardware IDs, its device stack and its state (as Device Manager shows it).
 */
public final class DeviceNode {
  /** A device node's state. */
  public enum State {
    /** The stack is being built or started. */
    STARTING,
    /** Started: the device serves I/O. */
    STARTED,
    /** No function driver is installed for its hardware IDs (Device Manager code 28). */
    NO_DRIVER,
    /** Its drivers failed to load, add or start it; see {@link #problemCode()}. */
    FAILED,
    /** Disabled: the PDO is present, its drivers' stack was removed. */
    DISABLED,
    /** Surprise-removed: REMOVE_DEVICE follows when the last handle closes. */
    SURPRISE_REMOVED,
    /** Removed: the stack is gone. */
    REMOVED
  }

  /** Problem code 10: the device cannot start (START_DEVICE failed). */
  public static final int CODE_START_FAILED = 10;
  /** Problem code 28: no driver is installed. */
  public static final int CODE_NO_DRIVER = 28;
  /** Problem code 31: AddDevice failed. */
  public static final int CODE_ADD_DEVICE_FAILED = 31;
  /** Problem code 37: DriverEntry returned a failure. */
  public static final int CODE_DRIVER_ENTRY_FAILED = 37;
  /** Problem code 38: a previous instance of the driver is still in memory (unloading). */
  public static final int CODE_PREVIOUS_INSTANCE = 38;

  private final KernelCore core;
  private final String instanceId;
  private final List<String> hardwareIds;
  final DeviceObjectImpl pdo;
  /** The drivers with a device in this stack, bottom-up, without the bus driver. */
  final List<DriverObjectImpl> drivers = new ArrayList<>();
  /**
   * The device objects above the PDO that belonged to this stack (attached to it, or added by
   * AddDevice), including those since detached: where REMOVE_DEVICE looks for leftovers. Guarded by
   * the kernel lock.
   */
  final List<DeviceObjectImpl> members = new ArrayList<>();
  State state = State.STARTING;
  int problemCode;
  /** REMOVE_DEVICE was (or is being) sent. */
  boolean removing;
  /** IRP_MN_SURPRISE_REMOVAL is being handled: detaching or deleting now is a violation. */
  volatile boolean inSurpriseRemoval;

  DeviceNode(KernelCore core, String instanceId, List<String> hardwareIds, DeviceObjectImpl pdo) {
    this.core = core;
    this.instanceId = instanceId;
    this.hardwareIds = List.copyOf(hardwareIds);
    this.pdo = pdo;
  }

  /** The device instance ID, such as {@code ROOT\TOASTER\0000}. */
  public String instanceId() {
    return instanceId;
  }

  /** The device's hardware IDs, most specific first. */
  public List<String> hardwareIds() {
    return hardwareIds;
  }

  /** The node's state. */
  public State state() {
    synchronized (core.lock) {
      return state;
    }
  }

  /** The Device Manager problem code, or 0 if none. */
  public int problemCode() {
    synchronized (core.lock) {
      return problemCode;
    }
  }

  /** The names of the drivers in the device stack, bottom-up, without the bus driver. */
  public List<String> driverNames() {
    synchronized (core.lock) {
      List<String> names = new ArrayList<>();
      for (DriverObjectImpl driver : drivers) {
        names.add(driver.name());
      }
      return names;
    }
  }

  /** The name of the physical device object the root bus created. */
  public String pdoName() {
    return pdo.name();
  }

  boolean belongsTo(KernelCore other) {
    return core == other;
  }

  boolean acceptsOpens() {
    return state == State.STARTED && !removing;
  }

  boolean isRemoving() {
    return removing || state == State.SURPRISE_REMOVED || state == State.REMOVED;
  }

  @Override
  public String toString() {
    return "DeviceNode[" + instanceId + ", " + state() + "]";
  }

  /** Makes {@code device} a member of this stack; the caller holds the kernel lock. */
  void adopt(DeviceObjectImpl device) {
    if (device.node != this) {
      device.node = this;
      members.add(device);
    }
  }
}

package io.jwdm.host;

import io.jwdm.kernel.Irql;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A simulated Windows kernel, booted in-process: the I/O manager, the PnP manager and the object
 * namespace, with drivers loaded from their generated glue.
 *
 * <pre>{@code
 * Kernel kernel = Kernel.boot();
 * kernel.install(new Sioctl_DriverGlue());
 * kernel.loadDriver("Sioctl");                       // DriverEntry
 * try (Handle h = kernel.open("\\\\.\\IoctlTest")) {  // CREATE
 *   IoResult r = h.deviceIoControl(IOCTL_SIOCTL_METHOD_BUFFERED, input, 64);
 * }                                                  // CLEANUP, CLOSE
 * kernel.unloadDriver("Sioctl");                     // Unload
 * assertTrue(kernel.leaks().isEmpty());
 * }</pre>
 *
 * <p>Kernels share nothing: a JVM may boot many. A kernel is thread-safe; the thread that calls into
 * it runs the driver routines the call causes, as a kernel thread at PASSIVE_LEVEL.
 *
 * <p>When a routine throws or a service detects a fatal misuse, the system stops with a
 * {@link BugCheck}: the call that caused it and every later call throw
 * {@link SystemStoppedException}, while the state queries ({@link #bugCheck()}, {@link #trace()},
 * {@link #leaks()}, {@link #drivers()}) still answer.
 */
public final class Kernel implements AutoCloseable {
  private final KernelCore core;
  private final Services services;
  private final IoManager io;
  private final PnpManager pnp;

  private Kernel(KernelOptions options) {
    this.core = new KernelCore(options);
    Verifier verifier = new Verifier(options);
    verifier.connect(core);
    this.services = new Services(core, verifier);
    this.io = new IoManager(core, services);
    this.pnp = new PnpManager(core, io, services);
    services.connect(io);
    io.connect(pnp);
  }

  /** Boots a kernel with the default options. */
  public static Kernel boot() {
    return new Kernel(KernelOptions.defaults());
  }

  /** Boots a kernel with {@code options}. */
  public static Kernel boot(KernelOptions options) {
    return new Kernel(Objects.requireNonNull(options, "options"));
  }

  /** The options this kernel was booted with. */
  public KernelOptions options() {
    return core.options;
  }

  // ---------------------------------------------------------------------------------------------
  // Installing and loading drivers

  /**
   * Installs a driver package, as an INF does: the driver becomes loadable by name, and a WDM
   * driver is loaded by the PnP manager when a device with one of its hardware IDs appears.
   *
   * @throws IllegalStateException if another driver of that name is installed
   */
  public void install(DriverGlue glue) {
    Objects.requireNonNull(glue, "glue");
    checkGlue(glue);
    core.hostRun(() -> io.install(glue));
  }

  /** Refuses glue whose description of its driver is unusable, before anything is installed. */
  private static void checkGlue(DriverGlue glue) {
    String type = glue.getClass().getName();
    String name = glue.driverName();
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(type + " names no driver (driverName() is "
          + (name == null ? "null" : "blank") + ")");
    }
    if (glue.model() == null) {
      throw new IllegalArgumentException(type + " (driver " + name + ") has no driver model");
    }
    if (glue.role() == null) {
      throw new IllegalArgumentException(type + " (driver " + name + ") has no role");
    }
    List<String> ids = glue.hardwareIds();
    if (ids == null || ids.stream().anyMatch(id -> id == null || id.isBlank())) {
      throw new IllegalArgumentException(type + " (driver " + name
          + ") has a null or blank hardware ID list entry: " + ids);
    }
  }

  /**
   * Installs every driver whose glue {@link ServiceLoader} finds on {@code loader}, in the order of
   * their names.
   *
   * @return the names installed
   */
  public List<String> installAll(ClassLoader loader) {
    Objects.requireNonNull(loader, "loader");
    List<DriverGlue> found = new ArrayList<>();
    for (DriverGlue glue : ServiceLoader.load(DriverGlue.class, loader)) {
      found.add(glue);
    }
    found.sort((a, b) -> a.driverName().compareTo(b.driverName()));
    List<String> names = new ArrayList<>();
    for (DriverGlue glue : found) {
      install(glue);
      names.add(glue.driverName());
    }
    return names;
  }

  /**
   * Loads an installed driver, as {@code ZwLoadDriver}: creates its driver object and runs
   * DriverEntry.
   *
   * @return DriverEntry's status if it ran; OBJECT_NAME_NOT_FOUND if no such driver is installed;
   *     IMAGE_ALREADY_LOADED if it is loaded; INVALID_IMAGE_FORMAT if its glue was generated for
   *     another jwdm SPI version
   */
  public NtStatus loadDriver(String name) {
    Objects.requireNonNull(name, "name");
    return core.hostCall(() -> {
      DriverGlue glue = io.installed(name);
      if (glue == null) {
        return NtStatus.OBJECT_NAME_NOT_FOUND;
      }
      NtStatus[] status = new NtStatus[1];
      io.load(glue, status);
      return status[0];
    });
  }

  /**
   * Installs {@code glue} if it is not installed yet, then loads it: {@link #loadDriver(String)}.
   *
   * @throws IllegalStateException if another driver of that name is installed
   */
  public NtStatus loadDriver(DriverGlue glue) {
    Objects.requireNonNull(glue, "glue");
    install(glue);
    return loadDriver(glue.driverName());
  }

  /**
   * Unloads a legacy driver, as {@code ZwUnloadDriver}. The driver becomes "unload pending" at once:
   * new opens and attachments are refused, while IRPs already in flight complete normally. Its
   * Unload routine runs, at PASSIVE_LEVEL and never at the same time as one of its other routines,
   * when no handle to its devices is open and no IRP is outstanding.
   *
   * @return SUCCESS if the driver was unloaded now; PENDING if the unload waits for references
   *     (see {@link #awaitUnloaded}); INVALID_DEVICE_REQUEST for a PnP driver (the PnP manager
   *     unloads it when its last device is removed) or a driver without an Unload routine;
   *     OBJECT_NAME_NOT_FOUND if it is not loaded
   */
  public NtStatus unloadDriver(String name) {
    Objects.requireNonNull(name, "name");
    return core.hostCall(() -> io.requestUnload(name));
  }

  /**
   * Waits up to {@code timeout} for a pending unload to finish.
   *
   * @return true if the driver is no longer loaded
   */
  public boolean awaitUnloaded(String name, Duration timeout) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (core.lock) {
      while (io.loaded(name) != null) {
        if (core.bugCheck() != null) {
          throw new SystemStoppedException(core.bugCheck());
        }
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

  /** True if a driver of that name is loaded (including while its unload is pending). */
  public boolean isLoaded(String name) {
    Objects.requireNonNull(name, "name");
    return io.loaded(name) != null;
  }

  /**
   * Why a pending unload of {@code name} waits: its referenced devices and who holds handles.
   */
  public String unloadBlockers(String name) {
    Objects.requireNonNull(name, "name");
    DriverObjectImpl driver = io.loaded(name);
    return driver == null ? "not loaded" : io.referenceSummary(driver);
  }

  // ---------------------------------------------------------------------------------------------
  // Plug and Play

  /**
   * Plugs in a simulated device on the root bus: creates its PDO, loads the matching WDM drivers
   * (lower filters, function driver, upper filters), calls their AddDevice routines, and sends
   * IRP_MN_START_DEVICE down the stack.
   *
   * @param hardwareIds the device's hardware IDs, most specific first, such as
   *     {@code "ROOT\\TOASTER"}
   * @return the device node; its state tells whether the device started
   */
  public DeviceNode plugIn(String... hardwareIds) {
    Objects.requireNonNull(hardwareIds, "hardwareIds");
    List<String> ids = Arrays.asList(hardwareIds.clone());
    if (ids.isEmpty()) {
      throw new IllegalArgumentException("a device needs at least one hardware ID");
    }
    for (String id : ids) {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("a hardware ID is empty: " + ids);
      }
    }
    return core.hostCall(() -> pnp.plugIn(ids));
  }

  /**
   * Removes a device in an orderly way: IRP_MN_QUERY_REMOVE_DEVICE, then IRP_MN_REMOVE_DEVICE.
   * Drivers whose last device is gone are unloaded.
   *
   * @return SUCCESS; DEVICE_BUSY if handles to the device are open (the removal is vetoed); the
   *     QUERY_REMOVE status if a driver vetoed it; NO_SUCH_DEVICE if it was removed already;
   *     DELETE_PENDING if it was surprise-removed and waits for its last handle to close
   */
  public NtStatus remove(DeviceNode node) {
    Objects.requireNonNull(node, "node");
    ownNode(node);
    return core.hostCall(() -> pnp.remove(node));
  }

  /**
   * Surprise-removes a device, as unplugging it does: IRP_MN_SURPRISE_REMOVAL now, and
   * IRP_MN_REMOVE_DEVICE when the last handle to it closes.
   */
  public NtStatus surpriseRemove(DeviceNode node) {
    Objects.requireNonNull(node, "node");
    ownNode(node);
    return core.hostCall(() -> pnp.surpriseRemove(node));
  }

  /**
   * Disables a device, as Device Manager does: QUERY_REMOVE and REMOVE_DEVICE to its drivers while
   * the PDO stays. Drivers whose last device is gone are unloaded.
   *
   * @return SUCCESS; DEVICE_BUSY if handles are open; the QUERY_REMOVE status if a driver vetoed it
   */
  public NtStatus disable(DeviceNode node) {
    Objects.requireNonNull(node, "node");
    ownNode(node);
    return core.hostCall(() -> pnp.disable(node));
  }

  /**
   * Enables a disabled or failed device: loads its drivers as needed, calls AddDevice and sends
   * START_DEVICE again.
   *
   * @return SUCCESS if it started; PLUGPLAY_NO_DEVICE if not (see the node's problem code);
   *     INVALID_DEVICE_STATE if it is removed or still has a stack
   */
  public NtStatus enable(DeviceNode node) {
    Objects.requireNonNull(node, "node");
    ownNode(node);
    return core.hostCall(() -> pnp.enable(node));
  }

  private void ownNode(DeviceNode node) {
    if (!node.belongsTo(core)) {
      throw new IllegalArgumentException(node + " belongs to another kernel");
    }
  }

  /** The plugged-in devices that are not removed yet, in plug-in order. */
  public List<DeviceNode> deviceNodes() {
    return pnp.nodes();
  }

  // ---------------------------------------------------------------------------------------------
  // The caller's side

  /** Opens a device, owned by {@code "host"}: {@link #open(String, String)}. */
  public Handle open(String path) {
    return open(path, "host");
  }

  /**
   * Opens a device by a symbolic link ({@code \\.\Name}, {@code \??\Name}, {@code \DosDevices\Name})
   * or a device name ({@code \Device\Name}), as {@code CreateFile}: sends IRP_MJ_CREATE to the top
   * of the device's stack.
   *
   * @param owner who holds the handle, such as a process name
   * @throws NtStatusException with OBJECT_NAME_INVALID, OBJECT_NAME_NOT_FOUND, DELETE_PENDING (the
   *     driver is unloading or the device is being removed), ACCESS_DENIED (an exclusive device is
   *     open), or the status the driver's CREATE routine returned
   */
  public Handle open(String path, String owner) {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(owner, "owner");
    return core.hostCall(() -> io.open(path, owner));
  }

  /** The open handles, in the order they were opened. */
  public List<Handle> openHandles() {
    return io.handles();
  }

  /**
   * Runs {@code action} on the calling thread as a kernel thread at PASSIVE_LEVEL, as if a device
   * or another driver did it: for a host that plays the part of hardware, such as completing an
   * IRP a driver holds. Kernel services may be called only from kernel threads; a driver's own code
   * never needs this.
   */
  public void runAsKernelThread(Runnable action) {
    Objects.requireNonNull(action, "action");
    core.hostRun(() -> core.callRoutine(null, Irql.PASSIVE_LEVEL, "host action",
        () -> {
          action.run();
          return null;
        }));
  }

  // ---------------------------------------------------------------------------------------------
  // Simulated hardware and system events

  /**
   * The simulated hardware raises interrupt {@code vector}: the ISRs connected to it with
   * IoConnectInterrupt run in connection order, each at its interrupt's IRQL holding its interrupt
   * spin lock, until one returns true. DPCs the ISR requests (IoRequestDpc) run when this call
   * returns under the deterministic scheduler, and on the DPC thread under the real-time one.
   *
   * @return true if an ISR claimed the interrupt; false if none did or nothing is connected
   */
  public boolean raiseInterrupt(int vector) {
    return core.hostCall(() -> services.interrupts().raise(vector));
  }

  /**
   * A process starts: the process notify routines (PsSetCreateProcessNotifyRoutineEx) are called
   * at PASSIVE_LEVEL with its create information, and any of them may block it. Process IDs are
   * deterministic: 4, 8, 12 and so on, one per call.
   *
   * @return the new process's ID
   * @throws NtStatusException with the error CreationStatus a notify routine set to block it
   */
  public long createProcess(String imageFileName) {
    Objects.requireNonNull(imageFileName, "imageFileName");
    return core.hostCall(() -> services.callbacks().createProcess(imageFileName));
  }

  /**
   * A process that {@link #createProcess} started exits: the process notify routines are called
   * with no create information.
   *
   * @throws IllegalArgumentException if no such process is running
   */
  public void exitProcess(long processId) {
    core.hostRun(() -> services.callbacks().exitProcess(processId));
  }

  /**
   * A registry operation, such as setting a value under {@code keyPath}: the registry callbacks
   * (CmRegisterCallbackEx) are called from the highest altitude to the lowest, and the first that
   * returns a status that is not NT_SUCCESS blocks the operation.
   *
   * @param notifyClass the {@code REG_NOTIFY_CLASS}, such as {@link
   *     io.jwdm.kernel.Wdm#REG_NT_PRE_SET_VALUE_KEY}
   * @return SUCCESS if the operation may proceed; otherwise the blocking status
   */
  public NtStatus registryOperation(int notifyClass, String keyPath) {
    Objects.requireNonNull(keyPath, "keyPath");
    return core.hostCall(() -> services.callbacks().registryOperation(notifyClass, keyPath));
  }

  /**
   * The system shuts down: every device registered with IoRegisterShutdownNotification (and not
   * deleted) receives IRP_MJ_SHUTDOWN, and this returns when each IRP is completed. No Unload
   * routine runs, as none does at a Windows shutdown; the kernel stays usable, so a test may still
   * unload its drivers to check their cleanup.
   */
  public void shutdown() {
    core.hostRun(() -> services.callbacks().shutdown());
  }

  // ---------------------------------------------------------------------------------------------
  // Time

  /** The kernel's clock: time since boot (virtual under the deterministic scheduler). */
  public Duration clock() {
    return Duration.ofNanos(services.scheduler().now() * 100);
  }

  /**
   * Moves the deterministic scheduler's virtual clock forward: timers that fall due fire in order,
   * and the DPCs, work items and system threads they release run.
   *
   * @throws IllegalStateException under the real-time scheduler
   */
  public void advanceClock(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("the clock does not go back: " + duration);
    }
    core.hostRun(() -> services.scheduler().advance(duration.toNanos() / 100));
  }

  /**
   * Stops the kernel's own threads: under the real-time scheduler the DPC and worker threads, and
   * under either scheduler the system threads still waiting. The kernel's state stays readable.
   */
  @Override
  public void close() {
    services.scheduler().close();
  }

  // ---------------------------------------------------------------------------------------------
  // State

  /** The loaded drivers, in load order. */
  public List<DriverInfo> drivers() {
    List<DriverInfo> infos = new ArrayList<>();
    synchronized (core.lock) {
      for (DriverObjectImpl driver : io.loadedDrivers()) {
        if (driver.state == DriverObjectImpl.State.UNLOADED) {
          continue;
        }
        List<String> devices = new ArrayList<>();
        for (DeviceObjectImpl device : driver.devices) {
          devices.add(device.describe());
        }
        infos.add(new DriverInfo(driver.name(), driver.model(), driver.role(),
            DriverInfo.State.valueOf(driver.state.name()), devices));
      }
    }
    return infos;
  }

  /**
   * The calls the low-resources simulation failed, in order, each with the seed and call index that
   * replay it.
   */
  public List<InjectedFailure> injectedFailures() {
    return services.verifier().failures();
  }

  /**
   * A report of the run so far: the bug check, the leaks, the injected failures, the drivers still
   * loaded and the trace.
   */
  public KernelReport report() {
    return new KernelReport(core.options.seed(), core.bugCheck(), leaks(), injectedFailures(),
        drivers(), trace());
  }

  /**
   * The live driver-owned objects the verifier watches, owner by owner: pool blocks, set timers,
   * queued DPCs, work items, system threads, callbacks, interrupts and lookaside lists. (Drivers,
   * devices, device nodes and handles have their own queries.)
   */
  public List<KernelObject> liveObjects() {
    List<KernelObject> objects = new ArrayList<>();
    List<DriverObjectImpl> owners = new ArrayList<>(io.loadedDrivers());
    owners.add(null);
    for (DriverObjectImpl owner : owners) {
      String name = owner == null ? "system" : owner.name();
      if (owner != null) {
        for (PoolBlock block : services.pool().liveBlocks(owner)) {
          Leak leak = block.leak("live");
          objects.add(new KernelObject("Pool", name, leak.description(), leak.tag(), leak.size(),
              leak.creationStack()));
        }
      }
      for (Tracked object : core.trackedBy(owner)) {
        objects.add(new KernelObject(object.kind, name, object.description, null, -1,
            object.creationStack));
      }
    }
    return objects;
  }

  /** The bug check that stopped the system, if it stopped. */
  public Optional<BugCheck> bugCheck() {
    return Optional.ofNullable(core.bugCheck());
  }

  /** The lifecycle trace, oldest first. */
  public List<TraceEvent> trace() {
    return core.traceSnapshot();
  }

  /**
   * Every kernel object a driver left behind so far, with the stack that created it: devices and
   * links a legacy driver did not delete in Unload, objects left by a failed DriverEntry, devices
   * not detached or deleted at REMOVE_DEVICE. The kernel reclaims them after recording them.
   */
  public List<Leak> leaks() {
    return core.leaksSnapshot();
  }

  /**
   * The device tree as text: each device node with its stack, bottom-up, and each legacy driver's
   * devices.
   */
  public String deviceTree() {
    StringBuilder out = new StringBuilder("Root\n");
    synchronized (core.lock) {
      for (DeviceNode node : pnp.nodes()) {
        out.append("  ").append(node.instanceId()).append(" [").append(node.state);
        if (node.problemCode != 0) {
          out.append(", code ").append(node.problemCode);
        }
        out.append("] ").append(String.join(", ", node.hardwareIds())).append('\n');
        for (DeviceObjectImpl device = node.pdo; device != null; device = device.attachedDevice) {
          out.append("    ").append(device.describe()).append(" (").append(device.driver().name())
              .append(")\n");
        }
      }
      for (DriverObjectImpl driver : io.loadedDrivers()) {
        for (DeviceObjectImpl device : driver.devices) {
          if (device.node == null) {
            out.append("  ").append(device.describe()).append(" (").append(driver.name())
                .append(", legacy)\n");
          }
        }
      }
    }
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Driver images
  //
  // A driver image is a jar (or, in test-signing mode, a classes directory) compiled with the jwdm
  // processor. Each loads into its own class loader, whose parent exposes only the jwdm runtime API
  // and the JDK's platform classes; its glue is found with ServiceLoader on that loader. Signature
  // enforcement follows KernelOptions (trust store, test-signing).

  /**
   * Loads a driver image, as installing a driver package and starting its services does: reads it
   * into memory, enforces driver signing ({@link KernelOptions.Builder#trustStore},
   * {@link KernelOptions.Builder#testSigning}), defines and links all its classes in a class loader
   * of its own, finds its glue with {@link ServiceLoader}, installs its drivers, and runs
   * DriverEntry for its legacy drivers. Its WDM drivers are installed only: the PnP manager loads
   * them when a device with one of their hardware IDs is plugged in or enabled, as
   * {@link #plugIn} and {@link #enable} do (a device plugged in before, shown with code 28, starts
   * with {@code enable(node)}).
   *
   * <p>A bad image is refused with an {@link ImageLoadException} that names it and the cause, and
   * the kernel stays exactly as it was: no driver object, no installed driver, no reference to the
   * image's class loader. A DriverEntry that returns a failure status refuses the image (legacy
   * drivers of it loaded before are unloaded again). A DriverEntry that <em>throws</em> is a bug
   * check 0x1E (KMODE_EXCEPTION_NOT_HANDLED) like any routine that throws: the system stops, this
   * call throws {@link SystemStoppedException}, and the stopped kernel keeps the image.
   *
   * @param image the jar, or a classes directory
   * @return the loaded image
   * @throws ImageLoadException if the image is refused
   * @throws SystemStoppedException if the system stopped, before or during the load
   */
  public DriverImage loadImage(java.nio.file.Path image) {
    Objects.requireNonNull(image, "image");
    return new ImageManager(core, io, pnp).load(image);
  }

  /** The loaded driver images, in load order. */
  public List<DriverImage> images() {
    return new ImageManager(core, io, pnp).images();
  }

  /** The image an installed driver was loaded from; empty for a driver installed from glue. */
  public Optional<DriverImage> imageOf(String driverName) {
    Objects.requireNonNull(driverName, "driverName");
    return Optional.ofNullable(new ImageManager(core, io, pnp).imageOf(driverName));
  }

  /**
   * Unloads an image, waiting up to the kernel's {@link KernelOptions#waitTimeout()} for handles:
   * {@link #unloadImage(DriverImage, Duration)}.
   */
  public ImageUnloadResult unloadImage(DriverImage image) {
    return unloadImage(image, core.options.waitTimeout());
  }

  /**
   * Unloads every driver of an image and proves the image is gone. Device nodes whose stacks use
   * one of its WDM drivers are disabled (QUERY_REMOVE, REMOVE_DEVICE, keeping the PDO) so the PnP
   * manager unloads the driver; its legacy drivers are unloaded as {@link #unloadDriver} does. A
   * node with open handles, or a legacy driver with handles or IRPs outstanding, is waited for up
   * to {@code timeout}; then nothing is uninstalled, the disabled nodes are enabled again, and the
   * result says who holds the handles. Once every driver is out, they are uninstalled, the kernel
   * drops its references to the image, and the disabled nodes are enabled again without it
   * (started with their remaining drivers, or code 28).
   *
   * <p>Then the kernel waits, a bounded number of full collections, for the image's class loader to
   * be collected; if it survives, {@link ImageUnloadResult#release()} holds an {@link ImageLeak}
   * naming what the kernel can find holding it.
   */
  public ImageUnloadResult unloadImage(DriverImage image, Duration timeout) {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(timeout, "timeout");
    return new ImageManager(core, io, pnp).unload(image, timeout);
  }

  /**
   * Replaces a driver while the system runs, waiting up to the kernel's
   * {@link KernelOptions#waitTimeout()} for handles: {@link #replace(String, java.nio.file.Path,
   * Duration)}.
   */
  public ImageReplaceResult replace(String driverName, java.nio.file.Path newImage) {
    return replace(driverName, newImage, core.options.waitTimeout());
  }

  /**
   * Replaces a driver, and the rest of the image it came from, by a new image while the system
   * runs. The new image is read, verified and linked first: if it is refused, nothing changes and
   * the old driver keeps running. Then the old image goes as {@link #unloadImage} takes it out: for
   * a WDM driver its device nodes are disabled (REMOVE_DEVICE, keeping the PDO) so the PnP manager
   * unloads it; a legacy driver is unloaded. Open handles are waited for up to {@code timeout};
   * past it, the result is {@link ImageReplaceResult.Outcome#TIMED_OUT} with who holds them, and
   * the old driver keeps its devices. Then the new image is installed, its legacy drivers loaded,
   * and every disabled node, and every node without a working driver that the new image's hardware
   * IDs match, is enabled: AddDevice and START_DEVICE with fresh driver instances.
   *
   * <p>If a DriverEntry of the new image fails, the new image is taken out again and the result is
   * {@link ImageReplaceResult.Outcome#NEW_IMAGE_FAILED}: its devices stay without a driver, with
   * problem code 37, and nothing is half-loaded. A driver without an Unload routine cannot be
   * replaced. Finally, the old image's class loader must be collected, as for
   * {@link #unloadImage}.
   *
   * @param driverName a driver of the image to replace; a driver installed from glue on the class
   *     path is replaced alone
   * @param newImage the new image; it must contain a driver of that name
   */
  public ImageReplaceResult replace(String driverName, java.nio.file.Path newImage,
      Duration timeout) {
    Objects.requireNonNull(driverName, "driverName");
    Objects.requireNonNull(newImage, "newImage");
    Objects.requireNonNull(timeout, "timeout");
    return new ImageManager(core, io, pnp).replace(driverName, newImage, timeout);
  }
}

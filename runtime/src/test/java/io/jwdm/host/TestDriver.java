package io.jwdm.host;

import io.jwdm.annotation.DriverRole;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingDeque;

/**
 * Driver glue written by hand, as the processor would generate it: {@link #driverEntry} creates a
 * fresh {@link Instance}, stores the routines in the driver object, then runs the entry body.
 * Routines are lambdas that receive their driver instance. Every routine call is written to the
 * test's {@link Journal} as {@code "<driver> <routine>"} before the routine runs.
 *
 * <pre>{@code
 * TestDriver driver = TestDriver.legacyDevice("Held", journal)
 *     .dispatch(DEVICE_CONTROL, Routines.complete(NtStatus.SUCCESS))
 *     .build();
 * }</pre>
 *
 * <p>The glue is immutable; all driver state lives in the instance DriverEntry creates.
 */
final class TestDriver implements DriverGlue {

  /** DriverEntry's own part, after the glue stored the routines. */
  @FunctionalInterface
  interface Entry {
    NtStatus run(Instance self);
  }

  @FunctionalInterface
  interface Dispatch {
    NtStatus dispatch(Instance self, DeviceObject device, Irp irp);
  }

  @FunctionalInterface
  interface AddDevice {
    NtStatus addDevice(Instance self, DeviceObject pdo);
  }

  @FunctionalInterface
  interface StartIo {
    void startIo(Instance self, DeviceObject device, Irp irp);
  }

  @FunctionalInterface
  interface Unload {
    void unload(Instance self);
  }

  private final String name;
  private final Journal journal;
  private final DriverModel model;
  private final DriverRole role;
  private final List<String> hardwareIds;
  private final int spiVersion;
  private final boolean permanent;
  private final Entry entry;
  private final Map<MajorFunction, Dispatch> dispatch;
  private final Map<Integer, Dispatch> pnp;
  private final AddDevice addDevice;
  private final StartIo startIo;
  private final Unload unload;

  private TestDriver(Builder b) {
    this.name = b.name;
    this.journal = b.journal;
    this.model = b.model;
    this.role = b.role;
    this.hardwareIds = List.copyOf(b.hardwareIds);
    this.spiVersion = b.spiVersion;
    this.permanent = b.unload == null;
    this.entry = b.entry;
    this.dispatch = new EnumMap<>(b.dispatch);
    this.pnp = Map.copyOf(b.pnp);
    this.addDevice = b.addDevice;
    this.startIo = b.startIo;
    this.unload = b.unload;
  }

  /** A legacy driver with nothing but an empty DriverEntry. */
  static Builder legacy(String name, Journal journal) {
    return new Builder(name, journal, DriverModel.LEGACY, List.of());
  }

  /**
   * A legacy driver with one device, {@code \Device\<name>}, and its link {@code \??\<name>},
   * created in DriverEntry and deleted in Unload; CREATE, CLEANUP and CLOSE succeed.
   */
  static Builder legacyDevice(String name, Journal journal) {
    String link = "\\??\\" + name;
    return legacy(name, journal)
        .entry(self -> Routines.createDevice(self, "\\Device\\" + name, link, 0))
        .unload(self -> Routines.deleteDeviceAndLink(self, link))
        .dispatch(MajorFunction.CREATE, Routines.complete(NtStatus.SUCCESS))
        .dispatch(MajorFunction.CLEANUP, Routines.complete(NtStatus.SUCCESS))
        .dispatch(MajorFunction.CLOSE, Routines.complete(NtStatus.SUCCESS));
  }

  /**
   * A WDM function driver for {@code hardwareIds}: AddDevice attaches an unnamed device to the
   * stack, PnP IRPs get {@link Routines#standardPnp} (START forwarded synchronously, REMOVE passed
   * down then detach and delete), CREATE, CLEANUP and CLOSE succeed, Unload does nothing.
   */
  static Builder wdm(String name, Journal journal, String... hardwareIds) {
    return new Builder(name, journal, DriverModel.WDM, List.of(hardwareIds))
        .addDevice(Routines.attachToStack())
        .unload(self -> { })
        .dispatch(MajorFunction.CREATE, Routines.complete(NtStatus.SUCCESS))
        .dispatch(MajorFunction.CLEANUP, Routines.complete(NtStatus.SUCCESS))
        .dispatch(MajorFunction.CLOSE, Routines.complete(NtStatus.SUCCESS));
  }

  /** A WDM upper filter: like {@link #wdm}, but passing CREATE, CLEANUP and CLOSE down. */
  static Builder upperFilter(String name, Journal journal, String... hardwareIds) {
    return wdm(name, journal, hardwareIds)
        .role(DriverRole.UPPER_FILTER)
        .dispatch(MajorFunction.CREATE, Routines.passDown())
        .dispatch(MajorFunction.CLEANUP, Routines.passDown())
        .dispatch(MajorFunction.CLOSE, Routines.passDown());
  }

  // ---------------------------------------------------------------------------------------------
  // DriverGlue

  @Override
  public int spiVersion() {
    return spiVersion;
  }

  @Override
  public String driverName() {
    return name;
  }

  @Override
  public DriverModel model() {
    return model;
  }

  @Override
  public List<String> hardwareIds() {
    return hardwareIds;
  }

  @Override
  public DriverRole role() {
    return role;
  }

  @Override
  public boolean permanent() {
    return permanent;
  }

  @Override
  public Class<?> driverClass() {
    return TestDriver.class;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    Instance self = new Instance(name, journal, driverObject, registryPath);
    journal.register(self);
    self.note("DriverEntry");
    KernelServices k = driverObject.kernel();
    for (Map.Entry<MajorFunction, Dispatch> e : dispatch.entrySet()) {
      Dispatch routine = e.getValue();
      driverObject.setMajorFunction(e.getKey(), (device, irp) -> {
        self.note(Routines.label(k, irp));
        return routine.dispatch(self, device, irp);
      });
    }
    if (model == DriverModel.WDM && !dispatch.containsKey(MajorFunction.PNP)) {
      driverObject.setMajorFunction(MajorFunction.PNP, (device, irp) -> {
        String label = Routines.label(k, irp);
        self.note(label);
        Dispatch special = pnp.get(k.ioGetCurrentIrpStackLocation(irp).minorFunction());
        return special != null ? special.dispatch(self, device, irp)
            : Routines.standardPnp(self, device, irp);
      });
    }
    if (addDevice != null) {
      driverObject.setAddDevice((driver, pdo) -> {
        self.note("AddDevice");
        return addDevice.addDevice(self, pdo);
      });
    }
    if (startIo != null) {
      driverObject.setDriverStartIo((device, irp) -> {
        self.note("StartIo");
        startIo.startIo(self, device, irp);
      });
    }
    if (unload != null) {
      driverObject.setDriverUnload(driver -> {
        self.note("Unload");
        unload.unload(self);
      });
    }
    return entry.run(self);
  }

  @Override
  public String toString() {
    return "TestDriver[" + name + "]";
  }

  // ---------------------------------------------------------------------------------------------
  // The driver instance

  /** One loaded instance of a test driver: the state a driver class's fields would hold. */
  static final class Instance {
    private final String name;
    private final Journal journal;
    final DriverObject driverObject;
    final String registryPath;
    final KernelServices k;
    /** The device DriverEntry created, if any. */
    volatile DeviceObject device;
    /** IRPs the driver marked pending and keeps, oldest first. */
    final LinkedBlockingDeque<Irp> held = new LinkedBlockingDeque<>();
    /** Anything else a test's routines want to keep. */
    final Map<String, Object> values = java.util.Collections.synchronizedMap(new LinkedHashMap<>());

    Instance(String name, Journal journal, DriverObject driverObject, String registryPath) {
      this.name = name;
      this.journal = journal;
      this.driverObject = driverObject;
      this.registryPath = registryPath;
      this.k = driverObject.kernel();
    }

    String name() {
      return name;
    }

    /** Writes {@code "<driver> <event>"} to the journal. */
    void note(String event) {
      journal.add(name + " " + event);
    }

    @Override
    public String toString() {
      return "Instance[" + name + "@" + Integer.toHexString(System.identityHashCode(this)) + "]";
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Builder

  static final class Builder {
    private final String name;
    private final Journal journal;
    private final DriverModel model;
    private final List<String> hardwareIds;
    private DriverRole role = DriverRole.FUNCTION;
    private int spiVersion = DriverGlue.SPI_VERSION;
    private Entry entry = self -> NtStatus.SUCCESS;
    private final Map<MajorFunction, Dispatch> dispatch = new EnumMap<>(MajorFunction.class);
    private final Map<Integer, Dispatch> pnp = new LinkedHashMap<>();
    private AddDevice addDevice;
    private StartIo startIo;
    private Unload unload;

    private Builder(String name, Journal journal, DriverModel model, List<String> hardwareIds) {
      this.name = Objects.requireNonNull(name);
      this.journal = Objects.requireNonNull(journal);
      this.model = model;
      this.hardwareIds = hardwareIds;
    }

    Builder role(DriverRole role) {
      this.role = role;
      return this;
    }

    Builder spiVersion(int version) {
      this.spiVersion = version;
      return this;
    }

    /** Replaces DriverEntry's own part. */
    Builder entry(Entry entry) {
      this.entry = Objects.requireNonNull(entry);
      return this;
    }

    /** Sets (or with null removes) the routine for {@code function}. */
    Builder dispatch(MajorFunction function, Dispatch routine) {
      if (routine == null) {
        dispatch.remove(function);
      } else {
        dispatch.put(function, routine);
      }
      return this;
    }

    /** A WDM driver's handling of one PnP minor function, instead of the standard one. */
    Builder onPnp(int minorFunction, Dispatch routine) {
      pnp.put(minorFunction, routine);
      return this;
    }

    Builder addDevice(AddDevice routine) {
      this.addDevice = routine;
      return this;
    }

    Builder startIo(StartIo routine) {
      this.startIo = routine;
      return this;
    }

    /** Sets the Unload routine; null makes a driver without one ({@code permanent}). */
    Builder unload(Unload routine) {
      this.unload = routine;
      return this;
    }

    TestDriver build() {
      return new TestDriver(this);
    }
  }
}

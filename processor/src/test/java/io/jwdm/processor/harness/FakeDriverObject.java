package io.jwdm.processor.harness;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverAddDevice;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.DriverStartIo;
import io.jwdm.kernel.DriverUnload;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A driver object for glue tests. It keeps the entry points the glue stores, logs every call made
 * on it in order, and records the calls that test drivers report through {@link #record}.
 */
public final class FakeDriverObject implements DriverObject {
  /** The I/O manager's default dispatch routine, returned for a major function with no routine. */
  public static final DriverDispatch DEFAULT_DISPATCH =
      (device, irp) -> NtStatus.INVALID_DEVICE_REQUEST;

  private final String driverName;
  private final Map<MajorFunction, DriverDispatch> majorFunctions = new EnumMap<>(MajorFunction.class);
  private final List<String> log = new ArrayList<>();
  private final List<RoutineCall> calls = new ArrayList<>();
  private DriverAddDevice addDevice;
  private DriverStartIo startIo;
  private DriverUnload unload;

  public FakeDriverObject(String driverName) {
    this.driverName = driverName;
  }

  /**
   * Called by a test driver's routine to report that it ran: {@code driverObject} is the driver
   * object the routine received (or its device's), {@code driver} is {@code this} of the routine.
   */
  public static void record(DriverObject driverObject, Object driver, String routine, Object... args) {
    FakeDriverObject fake = (FakeDriverObject) driverObject;
    fake.calls.add(new RoutineCall(driver, routine, List.of(args)));
    fake.log.add("called " + routine);
  }

  @Override
  public String driverName() {
    return driverName;
  }

  @Override
  public void setMajorFunction(MajorFunction function, DriverDispatch routine) {
    log.add("setMajorFunction(" + function + ")");
    if (routine == null) {
      majorFunctions.remove(function);
    } else {
      majorFunctions.put(function, routine);
    }
  }

  @Override
  public DriverDispatch majorFunction(MajorFunction function) {
    return majorFunctions.getOrDefault(function, DEFAULT_DISPATCH);
  }

  @Override
  public void setAddDevice(DriverAddDevice routine) {
    log.add("setAddDevice");
    addDevice = routine;
  }

  @Override
  public void setDriverStartIo(DriverStartIo routine) {
    log.add("setDriverStartIo");
    startIo = routine;
  }

  @Override
  public void setDriverUnload(DriverUnload routine) {
    log.add("setDriverUnload");
    unload = routine;
  }

  @Override
  public DriverUnload driverUnload() {
    return unload;
  }

  /** No device objects: glue tests never create any. */
  @Override
  public DeviceObject deviceObject() {
    return null;
  }

  /** Glue never calls kernel services; a test driver that does is wrong. */
  @Override
  public KernelServices kernel() {
    throw new UnsupportedOperationException("glue tests have no kernel");
  }

  /** The dispatch routines stored, by major function; the defaults are not in it. */
  public Map<MajorFunction, DriverDispatch> majorFunctions() {
    return Collections.unmodifiableMap(majorFunctions);
  }

  /** The stored AddDevice routine, or null. */
  public DriverAddDevice addDevice() {
    return addDevice;
  }

  /** The stored StartIo routine, or null. */
  public DriverStartIo startIo() {
    return startIo;
  }

  /** The stored Unload routine, or null. */
  public DriverUnload unload() {
    return unload;
  }

  /** Every call made on this driver object and every routine recorded, in order. */
  public List<String> log() {
    return List.copyOf(log);
  }

  /** The routine calls recorded through {@link #record}, in order. */
  public List<RoutineCall> calls() {
    return List.copyOf(calls);
  }

  /** The one recorded call, failing when there is not exactly one. */
  public RoutineCall onlyCall() {
    if (calls.size() != 1) {
      throw new AssertionError("expected exactly one routine call, got " + calls);
    }
    return calls.get(0);
  }

  /** A routine of a test driver that ran: which driver instance, which method, which arguments. */
  public record RoutineCall(Object driver, String routine, List<Object> args) {
    @Override
    public String toString() {
      return routine + Arrays.toString(args.toArray()) + " on " + driver;
    }
  }
}

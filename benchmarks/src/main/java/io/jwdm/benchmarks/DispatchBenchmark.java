package io.jwdm.benchmarks;

import io.jwdm.examples.sioctl.Sioctl;
import io.jwdm.examples.sioctl.SioctlAccess;
import io.jwdm.examples.sioctl.Sioctl_DriverGlue;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row 1, the call layer: one IRP dispatched to Sioctl's CREATE/CLOSE routine
 * ({@code sioctlCreateClose}: sets the status block and calls IoCompleteRequest) through the
 * routine object its generated glue stored in the driver object, against a direct call of the same
 * method on the same driver instance, {@link Method#invoke} (what a reflective loader does), and a
 * {@link MethodHandle} held in a field (a loader's table) and in a static final (the JIT's best
 * case). The driver object, the IRP and the kernel services are stand-ins ({@link Fakes}): this
 * measures the call, not the I/O manager.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class DispatchBenchmark {
  private static final MethodHandle CONSTANT_HANDLE;

  static {
    try {
      CONSTANT_HANDLE = MethodHandles.privateLookupIn(Sioctl.class, MethodHandles.lookup())
          .findVirtual(Sioctl.class, "sioctlCreateClose",
              MethodType.methodType(NtStatus.class, DeviceObject.class, Irp.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Sioctl driver;
  private DriverDispatch glueRoutine;
  private Method method;
  private MethodHandle handle;
  private final DeviceObject device = null;
  private Irp irp;
  private Fakes.FakeIrp fakeIrp;

  @Setup(Level.Trial)
  public void setUp() throws ReflectiveOperationException {
    Fakes.FakeDriverObject driverObject = new Fakes.FakeDriverObject(Fakes.services());
    // The real glue: it creates the driver instance and stores its routine objects. Sioctl's own
    // DriverEntry then fails cleanly (the stand-in pool returns nothing); the routines and the
    // driver's kernel services are in place all the same.
    new Sioctl_DriverGlue().driverEntry(driverObject,
        "\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Sioctl");
    glueRoutine = driverObject.majorFunction(MajorFunction.CREATE);
    if (glueRoutine == null) {
      throw new IllegalStateException("the glue stored no CREATE routine");
    }
    // The same driver instance the glue's routine object calls.
    Field field = glueRoutine.getClass().getDeclaredField("driver");
    field.setAccessible(true);
    driver = (Sioctl) field.get(glueRoutine);
    method = Sioctl.class.getDeclaredMethod("sioctlCreateClose", DeviceObject.class, Irp.class);
    method.setAccessible(true);
    handle = CONSTANT_HANDLE;
    fakeIrp = new Fakes.FakeIrp();
    irp = fakeIrp;
  }

  @TearDown(Level.Trial)
  public void check() {
    if (fakeIrp.completions == 0 || fakeIrp.status != NtStatus.SUCCESS) {
      throw new IllegalStateException("the routine did not complete the IRP");
    }
  }

  /** Through the routine object the generated glue stored: {@code DriverDispatch.dispatch}. */
  @Benchmark
  public NtStatus glue() {
    return glueRoutine.dispatch(device, irp);
  }

  /** The baseline: {@code driver.sioctlCreateClose(device, irp)}. */
  @Benchmark
  public NtStatus direct() {
    return SioctlAccess.createClose(driver, device, irp);
  }

  /** {@code Method.invoke}, as a reflective loader calls an annotated method. */
  @Benchmark
  public Object reflection() throws ReflectiveOperationException {
    return method.invoke(driver, device, irp);
  }

  /** {@code MethodHandle.invokeExact} on a handle held in a field, as a loader's table holds it. */
  @Benchmark
  public NtStatus methodHandle() throws Throwable {
    return (NtStatus) handle.invokeExact(driver, device, irp);
  }

  /** {@code MethodHandle.invokeExact} on a static final handle: the JIT's best case. */
  @Benchmark
  public NtStatus methodHandleConstant() throws Throwable {
    return (NtStatus) CONSTANT_HANDLE.invokeExact(driver, device, irp);
  }
}

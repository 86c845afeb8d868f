package io.jwdm.benchmarks;

import io.jwdm.benchmarks.drivers.BenchLink;
import io.jwdm.benchmarks.drivers.BenchLink_DriverGlue;
import io.jwdm.examples.sioctl.Sioctl;
import io.jwdm.examples.sioctl.Sioctl_DriverGlue;
import io.jwdm.examples.toaster.Toaster;
import io.jwdm.host.DeviceNode;
import io.jwdm.host.Handle;
import io.jwdm.host.IoRequest;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.VerifierFlags;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row 2, the I/O round trip through the I/O manager on one thread: {@code Handle.deviceIoControl}
 * builds the IRP and its system buffer, the I/O manager sends it to the top of the stack, the
 * driver completes it in its dispatch routine, and the result is copied back to the caller.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class IoRoundTripBenchmark {
  static final byte[] INPUT = "jwdm".getBytes(StandardCharsets.US_ASCII);

  /**
   * Synchronous DEVICE_CONTROL, METHOD_BUFFERED, 4 bytes in, 64 out: to Sioctl (the WDK sample,
   * which also builds three DbgPrint lines per request) or to BenchLink (completes at once: the
   * kernel's own cost), with Driver Verifier off or {@code /standard} for that driver.
   */
  @State(Scope.Thread)
  public static class Sync {
    @Param({"Sioctl", "BenchLink"})
    public String driver;

    @Param({"off", "standard"})
    public String verifier;

    Kernel kernel;
    Handle handle;
    int code;

    @Setup(Level.Trial)
    public void setUp() {
      DriverGlue glue = driver.equals("Sioctl") ? new Sioctl_DriverGlue() : new BenchLink_DriverGlue();
      KernelOptions.Builder options = KernelOptions.builder();
      if (verifier.equals("standard")) {
        options.verifier(glue.driverName(), VerifierFlags.STANDARD);
      }
      kernel = Kernel.boot(options.build());
      NtStatus status = kernel.loadDriver(glue);
      if (!status.isSuccess()) {
        throw new IllegalStateException("DriverEntry: " + status);
      }
      handle = kernel.open(driver.equals("Sioctl") ? "\\\\.\\IoctlTest" : BenchLink.OPEN_PATH);
      // BenchLink completes any code; the same METHOD_BUFFERED code gives both the same buffers.
      code = Sioctl.IOCTL_SIOCTL_METHOD_BUFFERED;
      IoResult first = handle.deviceIoControl(code, INPUT, 64);
      if (!first.status().isSuccess()) {
        throw new IllegalStateException("IOCTL: " + first.status());
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      handle.close();
      kernel.unloadDriver(driver);
      Checks.clean(kernel);
      kernel.close();
    }
  }

  /** One synchronous METHOD_BUFFERED round trip. */
  @Benchmark
  public IoResult deviceIoControl(Sync state) {
    return state.handle.deviceIoControl(state.code, INPUT, 64);
  }

  /**
   * A pending-then-completed round trip on the Toaster WDM driver (its upper filter not
   * installed): an overlapped READ finds no toast, so Toaster marks it pending and queues it,
   * cancelable; a WRITE then puts toast in, which completes the waiting read. One operation is
   * that pair: two IRPs, one of them pending.
   */
  @State(Scope.Thread)
  public static class Pending {
    Kernel kernel;
    DeviceNode node;
    Handle handle;
    final byte[] toast = "rye!".getBytes(StandardCharsets.US_ASCII);

    @Setup(Level.Trial)
    public void setUp() {
      kernel = Kernel.boot();
      kernel.install(new io.jwdm.examples.toaster.Toaster_DriverGlue());
      node = kernel.plugIn("ROOT\\TOASTER");
      if (node.state() != DeviceNode.State.STARTED) {
        throw new IllegalStateException("the toaster did not start: " + node.state());
      }
      handle = kernel.open("\\\\.\\" + Toaster.DOS_DEVICE_NAME_PREFIX.substring(
          "\\DosDevices\\".length()) + "0");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      handle.close();
      kernel.remove(node);
      Checks.clean(kernel);
      kernel.close();
    }
  }

  /** Overlapped READ (pends), then a WRITE that completes it. */
  @Benchmark
  public IoResult pendingReadCompletedByWrite(Pending state) {
    IoRequest read = state.handle.submitRead(state.toast.length);
    if (read.isDone()) {
      throw new IllegalStateException("the read did not pend: " + read.result().status());
    }
    IoResult write = state.handle.write(state.toast);
    if (!write.status().isSuccess() || !read.isDone()) {
      throw new IllegalStateException("the write did not complete the read: " + write.status());
    }
    return read.result();
  }
}

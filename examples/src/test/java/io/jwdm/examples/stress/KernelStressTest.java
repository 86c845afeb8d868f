package io.jwdm.examples.stress;

import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_GET_COUNTERS;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_METHOD_BUFFERED;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_METHOD_NEITHER;
import static io.jwdm.examples.sioctl.Sioctl.IOCTL_SIOCTL_REVERSE;
import static io.jwdm.examples.sioctl.Sioctl.REPLY;
import static io.jwdm.examples.sioctl.Sioctl.SIOCTL_COUNTERS_SIZE;
import static io.jwdm.examples.toaster.Toaster.IOCTL_TOASTER_GET_STATISTICS;
import static io.jwdm.examples.toaster.Toaster.IOCTL_TOASTER_REHEAT;
import static io.jwdm.examples.toaster.Toaster.IOCTL_TOASTER_TOAST;
import static io.jwdm.examples.toaster.Toaster.TOASTER_STATISTICS_SIZE;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwdm.examples.sioctl.Sioctl;
import io.jwdm.examples.sioctl.Sioctl_DriverGlue;
import io.jwdm.examples.toaster.Toaster;
import io.jwdm.examples.toaster.Toaster_DriverGlue;
import io.jwdm.examples.toasterfilter.ToasterFilter_DriverGlue;
import io.jwdm.host.DeviceNode;
import io.jwdm.host.DriverImage;
import io.jwdm.host.Handle;
import io.jwdm.host.ImageReplaceResult;
import io.jwdm.host.ImageUnloadResult;
import io.jwdm.host.IoRequest;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.Leak;
import io.jwdm.host.NtStatusException;
import io.jwdm.host.SchedulerMode;
import io.jwdm.host.SystemStoppedException;
import io.jwdm.kernel.NtStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example drivers under load on the real-time scheduler. Four threads open, send IOCTLs (and
 * reads and writes) and close, against the legacy Sioctl and the WDM Toaster with its filter,
 * while a fifth unloads and reloads Sioctl, removes (or surprise-removes) and re-plugs the
 * toaster, and now and then replaces each driver by a driver image of itself with
 * {@link Kernel#replace}, then takes the image out again.
 *
 * <p>Checked and counted: every request gets exactly one result and every IRP is completed
 * exactly once ({@link IrpProbeFilter} on the toaster's stack; Sioctl's dispatch routines, which
 * complete every IRP, checked as they return); no dispatch routine starts after its driver's
 * Unload began, and Unload never overlaps a dispatch routine ({@link InstrumentedGlue}); a request
 * or open on an unloading driver or a removed device gets a status, never an exception; nothing is
 * left behind; and no thread stops making progress: a stall prints every thread's stack and fails.
 *
 * <p>The build runs it for {@value #DEFAULT_SECONDS} seconds. The full run is
 *
 * <pre>
 * mvn -B -o -pl examples test -Dtest=KernelStressTest -Djwdm.stress.irps=1000000
 * </pre>
 *
 * <p>and prints the totals; see {@code docs/reliability.md}.
 */
@DisplayName("Kernel stress: the example drivers on the real-time scheduler")
class KernelStressTest {
  static final int DEFAULT_SECONDS = 4;
  private static final int WORKERS = 4;
  private static final String TOASTER_ID = "ROOT\\TOASTER";
  private static final String SIOCTL_LINK = "\\\\.\\IoctlTest";
  /** Every how many lifecycle cycles a driver is replaced by an image of itself. */
  private static final int REPLACE_EVERY = 8;
  /** How long a result, an unload or a removal may take before the run counts it as stuck. */
  private static final Duration BOUND = Duration.ofSeconds(20);
  /** How long the run may go without any progress before it is declared deadlocked. */
  private static final Duration STALL = Duration.ofSeconds(60);

  @TempDir Path images;

  private final StressCounters counters = new StressCounters();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicReference<DeviceNode> toaster = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicInteger threadNumber =
      new java.util.concurrent.atomic.AtomicInteger();
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "jwdm-stress-" + threadNumber.incrementAndGet());
    thread.setDaemon(true);
    return thread;
  });
  private Kernel kernel;

  @AfterEach
  void stopEverything() {
    stop.set(true);
    threads.shutdownNow();
    if (kernel != null) {
      kernel.close();
    }
  }

  private InstrumentedGlue sioctl() {
    return new InstrumentedGlue(new Sioctl_DriverGlue(), counters, true);
  }

  private InstrumentedGlue toasterGlue() {
    return new InstrumentedGlue(new Toaster_DriverGlue(), counters, false);
  }

  @Test
  @DisplayName("I/O from four threads while a fifth unloads, removes and replaces the drivers")
  void examplesUnderLoadWhileUnloadedRemovedAndReplaced() throws Exception {
    long irpTarget = Long.getLong("jwdm.stress.irps", 0);
    int seconds = Integer.getInteger("jwdm.stress.seconds", irpTarget > 0 ? 0 : DEFAULT_SECONDS);
    long seed = Long.getLong("jwdm.stress.seed", 8);

    Path sioctlImage = image("sioctl", Sioctl.class, "io.jwdm.examples.sioctl.Sioctl_DriverGlue");
    Path toasterImage = image("toaster", Toaster.class, "io.jwdm.examples.toaster.Toaster_DriverGlue");
    kernel = Kernel.boot(KernelOptions.builder()
        .schedulerMode(SchedulerMode.REAL_TIME)
        .waitTimeout(Duration.ofSeconds(5))
        .testSigning(true)
        .traceCapacity(2_000)
        .seed(seed)
        .build());
    kernel.install(sioctl());
    kernel.install(toasterGlue());
    kernel.install(new InstrumentedGlue(new ToasterFilter_DriverGlue(), counters, false));
    kernel.install(new IrpProbeFilter(TOASTER_ID, counters));
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Sioctl"));
    toaster.set(plugInToaster());

    long started = System.nanoTime();
    long deadline = seconds > 0 ? started + TimeUnit.SECONDS.toNanos(seconds) : Long.MAX_VALUE;
    List<Future<?>> running = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      Random random = new Random(seed * 31 + i);
      running.add(threads.submit(() -> worker(random, irpTarget)));
    }
    Future<?> lifecycle = threads.submit(() -> lifecycle(sioctlImage, toasterImage));

    watch(running, lifecycle, deadline, irpTarget);
    double elapsed = (System.nanoTime() - started) / 1e9;

    try {
      finish();
    } finally {
      report(elapsed);
    }
    check();
  }

  // -----------------------------------------------------------------------------------------------
  // The four I/O threads

  private void worker(Random random, long irpTarget) {
    while (!stop.get() && (irpTarget == 0 || counters.irps.sum() < irpTarget)) {
      try {
        if (random.nextBoolean()) {
          sioctlSession(random);
        } else {
          toasterSession(random);
        }
      } catch (SystemStoppedException stopped) {
        counters.problem(counters.exceptions, "the system stopped: " + stopped.bugCheck());
        stop.set(true);
      } catch (RuntimeException | AssertionError e) {
        counters.problem(counters.exceptions, "a host call threw " + e);
      }
    }
  }

  /** Opens a path; null if the kernel refused with a status, which it counts. */
  private Handle open(String path, String what) {
    try {
      Handle handle = kernel.open(path, Thread.currentThread().getName());
      counters.opens.increment();
      return handle;
    } catch (NtStatusException refused) {
      counters.refusedOpens.increment();
      counters.status("open " + what + " refused", refused.status());
      return null;
    }
  }

  private IoResult sent(String what, IoResult result) {
    counters.results.increment();
    counters.status(what, result.status());
    return result;
  }

  /** Waits, bounded, for an overlapped request; counts it lost if it does not complete. */
  private Optional<IoResult> awaited(String what, IoRequest request) {
    if (!request.isDone() && !request.await(BOUND)) {
      counters.problem(counters.lost, what + " did not complete within " + BOUND);
      return Optional.empty();
    }
    return Optional.of(sent(what, request.result()));
  }

  /** Sioctl completes every request at once; on an open handle each must succeed, with its data. */
  private void sioctlSession(Random random) {
    Handle handle = open(SIOCTL_LINK, "Sioctl");
    if (handle == null) {
      Thread.yield();
      return;
    }
    try (handle) {
      int requests = 1 + random.nextInt(8);
      for (int i = 0; i < requests; i++) {
        counters.irps.increment();
        switch (random.nextInt(5)) {
          case 0: {
            IoResult r = sent("Sioctl METHOD_BUFFERED",
                handle.deviceIoControl(IOCTL_SIOCTL_METHOD_BUFFERED, bytes("hello"), 64));
            expect(r, NtStatus.SUCCESS, REPLY + "\0");
            break;
          }
          case 1: {
            IoResult r = sent("Sioctl METHOD_NEITHER",
                handle.deviceIoControl(IOCTL_SIOCTL_METHOD_NEITHER, bytes("hi"), 8));
            expect(r, NtStatus.SUCCESS, REPLY.substring(0, 8));
            break;
          }
          case 2: {
            IoResult r = sent("Sioctl GET_COUNTERS",
                handle.deviceIoControl(IOCTL_SIOCTL_GET_COUNTERS, null, SIOCTL_COUNTERS_SIZE));
            expect(r, NtStatus.SUCCESS, null);
            break;
          }
          case 3: {
            IoResult r = sent("Sioctl REVERSE",
                handle.deviceIoControl(IOCTL_SIOCTL_REVERSE, bytes("stressed"), 8));
            expect(r, NtStatus.SUCCESS, "desserts");
            break;
          }
          default: {
            IoRequest request = handle.submitDeviceIoControl(IOCTL_SIOCTL_REVERSE, bytes("live"), 4);
            awaited("Sioctl REVERSE overlapped", request)
                .ifPresent(r -> expect(r, NtStatus.SUCCESS, "evil"));
            break;
          }
        }
      }
    }
  }

  private void expect(IoResult result, NtStatus status, String data) {
    if (!result.status().equals(status)) {
      counters.problem(counters.exceptions, "Sioctl answered " + result + " on an open handle");
    } else if (data != null && !new String(result.data(), US_ASCII).equals(data)) {
      counters.problem(counters.exceptions, "Sioctl returned '" + new String(result.data(), US_ASCII)
          + "', expected '" + data + "'");
    }
  }

  /**
   * The toaster: statistics, writes and reheats (completed by a work item), reads that wait for
   * toast and are cancelled or left for CLEANUP, now and then a slice to toast (pending 200 ms).
   * Whatever the device's state, each request gets a status.
   */
  private void toasterSession(Random random) {
    DeviceNode node = toaster.get();
    if (node == null) {
      Thread.yield();
      return;
    }
    Handle handle = open(node.pdoName(), "Toaster");
    if (handle == null) {
      Thread.yield();
      return;
    }
    List<IoRequest> leftPending = new ArrayList<>();
    try (handle) {
      int requests = 1 + random.nextInt(8);
      for (int i = 0; i < requests; i++) {
        counters.irps.increment();
        boolean removed = node.state() != DeviceNode.State.STARTED;
        switch (random.nextInt(6)) {
          case 0:
            sent("Toaster GET_STATISTICS",
                handle.deviceIoControl(IOCTL_TOASTER_GET_STATISTICS, null, TOASTER_STATISTICS_SIZE));
            break;
          case 1:
            sent("Toaster WRITE", handle.write(bytes("rye")));
            break;
          case 2:
            awaited("Toaster REHEAT", handle.submitDeviceIoControl(IOCTL_TOASTER_REHEAT, bytes("crumb"), 0));
            break;
          case 3: {
            IoRequest read = handle.submitRead(4);
            if (!read.isDone() && random.nextBoolean()) {
              read.cancel();
            }
            if (read.isDone() || random.nextBoolean()) {
              awaited("Toaster READ", read);
            } else {
              leftPending.add(read);
            }
            break;
          }
          case 4:
            if (random.nextInt(8) == 0) {
              leftPending.add(handle.submitDeviceIoControl(IOCTL_TOASTER_TOAST, bytes("bread"), 0));
            } else {
              sent("Toaster unknown IOCTL", handle.deviceIoControl(0x0022_3FFC, null, 0));
            }
            break;
          default:
            sent("Toaster WRITE of nothing", handle.write(new byte[0]));
            break;
        }
        if (removed) {
          counters.onRemovedDevice.increment();
        }
      }
    }
    // CLEANUP failed the reads still waiting; a slice finishes toasting or fails with its device.
    for (IoRequest request : leftPending) {
      awaited("Toaster left pending at close", request);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(US_ASCII);
  }

  // -----------------------------------------------------------------------------------------------
  // The fifth thread

  private void lifecycle(Path sioctlImage, Path toasterImage) {
    int cycle = 0;
    while (!stop.get()) {
      cycle++;
      try {
        if (cycle % REPLACE_EVERY == 0) {
          replaceSioctl(sioctlImage);
        } else {
          unloadAndReloadSioctl();
        }
        pause(10);
        if (cycle % REPLACE_EVERY == REPLACE_EVERY / 2) {
          replaceToaster(toasterImage);
        } else {
          removeAndReplugToaster(cycle);
        }
        pause(10);
      } catch (SystemStoppedException stopped) {
        counters.problem(counters.exceptions, "the system stopped: " + stopped.bugCheck());
        stop.set(true);
      } catch (RuntimeException | AssertionError e) {
        counters.problem(counters.exceptions, "lifecycle cycle " + cycle + " threw " + e);
        stop.set(true);
      }
    }
  }

  private void unloadAndReloadSioctl() {
    NtStatus unload = kernel.unloadDriver("Sioctl");
    counters.outcome("unloadDriver(Sioctl) " + unload.name());
    if (unload.equals(NtStatus.PENDING) && !kernel.awaitUnloaded("Sioctl", BOUND)) {
      throw new AssertionError("Sioctl's pending unload did not finish within " + BOUND + ": "
          + kernel.unloadBlockers("Sioctl"));
    }
    if (!unload.equals(NtStatus.SUCCESS) && !unload.equals(NtStatus.PENDING)) {
      throw new AssertionError("unloadDriver(Sioctl) returned " + unload);
    }
    pause(2);
    NtStatus load = kernel.loadDriver("Sioctl");
    counters.outcome("loadDriver(Sioctl) " + load.name());
    if (!load.isSuccess()) {
      throw new AssertionError("loadDriver(Sioctl) returned " + load);
    }
    counters.legacyCycles.incrementAndGet();
  }

  /**
   * An orderly removal when no handle is open, else a surprise removal (the device is gone, the
   * handles get statuses, REMOVE_DEVICE comes when the last one closes); then a new device. Every
   * other cycle waits for the old device to go first, so that the toaster's drivers unload.
   */
  private void removeAndReplugToaster(int cycle) {
    DeviceNode node = toaster.get();
    NtStatus removed = kernel.remove(node);
    if (cycle % 3 == 0) {
      // Turn new sessions away and give the open handles a moment to close: an orderly removal.
      toaster.set(null);
      for (int tries = 0; removed.equals(NtStatus.DEVICE_BUSY) && tries < 100; tries++) {
        pause(2);
        removed = kernel.remove(node);
      }
    }
    counters.outcome("remove(toaster) " + removed.name());
    if (removed.equals(NtStatus.DEVICE_BUSY)) {
      NtStatus surprise = kernel.surpriseRemove(node);
      counters.outcome("surpriseRemove(toaster) " + surprise.name());
    } else if (!removed.isSuccess()) {
      throw new AssertionError("remove(toaster) returned " + removed);
    }
    if (cycle % 2 == 0) {
      awaitRemoved(node);
    }
    toaster.set(plugInToaster());
    counters.wdmCycles.incrementAndGet();
  }

  private void awaitRemoved(DeviceNode node) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (node.state() != DeviceNode.State.REMOVED) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(node + " was not removed within " + BOUND + ":\n"
            + kernel.deviceTree());
      }
      pause(1);
    }
  }

  /**
   * Plugs in a toaster. If the drivers' previous instance is still unloading (the last device just
   * went), the device fails with code 38, as on Windows; it is enabled once that instance is gone.
   */
  private DeviceNode plugInToaster() {
    DeviceNode node = kernel.plugIn(TOASTER_ID);
    startAfterKnownFailures(node, "plugIn");
    return node;
  }

  /**
   * Enables {@code node} again if it failed because the previous driver instance was still
   * unloading (code 38, as Windows reports it), once that instance is gone; then it must have
   * started. Any other failure fails the run.
   */
  private void startAfterKnownFailures(DeviceNode node, String what) {
    if (node.state() == DeviceNode.State.FAILED
        && node.problemCode() == DeviceNode.CODE_PREVIOUS_INSTANCE) {
      counters.outcome(what + "(toaster) code 38, enabled after the previous instance unloaded");
      for (String driver : List.of("Toaster", "ToasterFilter", IrpProbeFilter.NAME)) {
        if (kernel.drivers().stream().anyMatch(d -> d.name().equals(driver)
            && d.state() != io.jwdm.host.DriverInfo.State.LOADED)) {
          kernel.awaitUnloaded(driver, BOUND);
        }
      }
      kernel.enable(node);
    }
    if (node.state() != DeviceNode.State.STARTED) {
      throw new AssertionError("a toaster did not start after " + what + ": " + node + "\n"
          + kernel.deviceTree() + "the end of the trace:\n" + traceTail());
    }
  }

  /**
   * Replaces the instrumented Sioctl by an image of itself while I/O runs, then takes the image
   * out and installs the instrumented glue again. A replacement that times out waiting for
   * handles leaves the old driver running, as documented.
   */
  private void replaceSioctl(Path image) {
    ImageReplaceResult result = kernel.replace("Sioctl", image, Duration.ofSeconds(2));
    counters.outcome("replace(Sioctl) " + result.outcome());
    if (result.outcome() == ImageReplaceResult.Outcome.REPLACED) {
      counters.replaces.incrementAndGet();
      takeOutImage("Sioctl");
      kernel.install(sioctl());
      NtStatus load = kernel.loadDriver("Sioctl");
      counters.outcome("loadDriver(Sioctl) " + load.name());
      if (!load.isSuccess()) {
        throw new AssertionError("loadDriver(Sioctl) after the image returned " + load);
      }
    } else if (result.outcome() != ImageReplaceResult.Outcome.TIMED_OUT) {
      throw new AssertionError("replace(Sioctl): " + result.render());
    }
  }

  /**
   * The same for the toaster's function driver: its device restarts on each driver in turn. While
   * the replacement and the image's unload wait for the device's handles, the I/O threads open no
   * new session on it, so that the handles drain.
   */
  private void replaceToaster(Path image) {
    DeviceNode node = toaster.getAndSet(null);
    try {
      replaceToaster(image, node);
    } finally {
      toaster.set(node);
    }
  }

  private void replaceToaster(Path image, DeviceNode node) {
    ImageReplaceResult result = kernel.replace("Toaster", image, Duration.ofSeconds(2));
    counters.outcome("replace(Toaster) " + result.outcome());
    if (result.outcome() == ImageReplaceResult.Outcome.REPLACED) {
      counters.replaces.incrementAndGet();
      takeOutImage("Toaster");
      kernel.install(toasterGlue());
      NtStatus enabled = kernel.enable(node);
      counters.outcome("enable(toaster) " + enabled.name());
      startAfterKnownFailures(node, "enable");
    } else if (result.outcome() != ImageReplaceResult.Outcome.TIMED_OUT) {
      throw new AssertionError("replace(Toaster): " + result.render());
    }
  }

  /** Unloads the image {@code driver} now comes from, retrying while handles hold it. */
  private void takeOutImage(String driver) {
    DriverImage image = kernel.imageOf(driver).orElseThrow(
        () -> new AssertionError(driver + " was replaced but comes from no image"));
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (true) {
      ImageUnloadResult unloaded = kernel.unloadImage(image, Duration.ofSeconds(2));
      counters.outcome("unloadImage(" + driver + ") " + unloaded.outcome());
      if (unloaded.outcome() == ImageUnloadResult.Outcome.UNLOADED) {
        boolean collected = unloaded.release().map(r -> r.collected()).orElse(false);
        counters.outcome("image class loader of " + driver + (collected ? " collected" : " kept"));
        if (!collected) {
          counters.problem(counters.exceptions, "the image of " + driver + " stayed in memory: "
              + unloaded.release().map(Object::toString).orElse("no release"));
        }
        return;
      }
      if (unloaded.outcome() != ImageUnloadResult.Outcome.TIMED_OUT || System.nanoTime() > deadline) {
        throw new AssertionError("unloadImage(" + driver + "): " + unloaded);
      }
    }
  }

  /** The kernel's last 60 trace events, one a line. */
  private String traceTail() {
    List<io.jwdm.host.TraceEvent> trace = kernel.trace();
    return trace.subList(Math.max(0, trace.size() - 60), trace.size()).stream()
        .map(String::valueOf).collect(Collectors.joining("\n"));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Watching, finishing, reporting

  /**
   * Waits for the run's end: the deadline, or the IRP target reached by the workers. Fails with
   * every thread's stack if nothing progresses for {@link #STALL}.
   */
  private void watch(List<Future<?>> workers, Future<?> lifecycle, long deadline, long irpTarget)
      throws Exception {
    long lastProgress = System.nanoTime();
    long lastCount = -1;
    while (true) {
      boolean workersDone = workers.stream().allMatch(Future::isDone);
      if (System.nanoTime() >= deadline || workersDone || stop.get()) {
        break;
      }
      long count = counters.results.sum() + counters.refusedOpens.sum()
          + counters.legacyCycles.get() + counters.wdmCycles.get();
      if (count != lastCount) {
        lastCount = count;
        lastProgress = System.nanoTime();
      } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
        stall("no request, open or lifecycle step finished for " + STALL);
      }
      if (irpTarget > 0) {
        progress(irpTarget);
      }
      Thread.sleep(200);
    }
    stop.set(true);
    for (Future<?> future : concat(workers, lifecycle)) {
      try {
        future.get(BOUND.toMillis() + STALL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException stuck) {
        stall("a stress thread did not stop within " + (BOUND.plus(STALL)));
      }
    }
  }

  private long lastPrinted;

  private void progress(long irpTarget) {
    long irps = counters.irps.sum();
    if (irps - lastPrinted >= irpTarget / 10) {
      lastPrinted = irps;
      System.out.printf("jwdm stress: %,d of %,d IRPs%n", irps, irpTarget);
    }
  }

  private static List<Future<?>> concat(List<Future<?>> workers, Future<?> lifecycle) {
    return Stream.concat(workers.stream(), Stream.of(lifecycle)).collect(Collectors.toList());
  }

  private void stall(String why) {
    StringBuilder dump = new StringBuilder();
    for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
      dump.append(info);
      if (info.getStackTrace().length > 8) {
        // ThreadInfo.toString shows eight frames; a deadlock needs them all.
        for (StackTraceElement frame : Arrays.copyOfRange(info.getStackTrace(), 8,
            info.getStackTrace().length)) {
          dump.append("\tat ").append(frame).append('\n');
        }
      }
    }
    long[] deadlocked = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
    String message = "deadlock or stall: " + why
        + (deadlocked == null ? "" : "; JVM-level deadlock among threads " + Arrays.toString(deadlocked))
        + "\n" + kernel.deviceTree() + "\n" + dump;
    System.out.println(message);
    fail(message);
  }

  /** Stops the traffic, removes every device and unloads Sioctl: every IRP must be done then. */
  private void finish() {
    toaster.set(null);
    for (DeviceNode node : kernel.deviceNodes()) {
      if (node.state() != DeviceNode.State.REMOVED) {
        NtStatus removed = kernel.remove(node);
        assertTrue(removed.isSuccess() || removed.equals(NtStatus.DELETE_PENDING)
            || removed.equals(NtStatus.NO_SUCH_DEVICE), "final remove of " + node + ": " + removed);
        awaitRemoved(node);
      }
    }
    NtStatus unload = kernel.unloadDriver("Sioctl");
    assertTrue(unload.equals(NtStatus.SUCCESS) || unload.equals(NtStatus.PENDING)
        || unload.equals(NtStatus.OBJECT_NAME_NOT_FOUND), unload::toString);
    assertTrue(kernel.awaitUnloaded("Sioctl", BOUND), () -> kernel.unloadBlockers("Sioctl"));
    for (String driver : List.of("Toaster", "ToasterFilter", IrpProbeFilter.NAME)) {
      assertTrue(kernel.awaitUnloaded(driver, BOUND), () -> driver + " still loaded:\n"
          + kernel.deviceTree());
    }
  }

  private void report(double elapsed) {
    long irps = counters.irps.sum();
    System.out.printf("jwdm kernel stress: %d I/O threads and 1 lifecycle thread, real-time"
        + " scheduler, %.1f s, %,.0f IRPs/s%n", WORKERS, elapsed, irps / Math.max(elapsed, 1e-9));
    System.out.printf("  IRPs %,d   results %,d   lost %,d   doubled %,d   after-unload %,d"
        + "   overlaps %,d   exceptions %,d%n", irps, counters.results.sum(),
        counters.lost.sum() + counters.inFlight.size() + counters.notCompletedByDispatch.sum(),
        counters.doubled.sum(), counters.afterUnload.sum(), counters.overlaps.sum(),
        counters.exceptions.sum());
    System.out.printf("  dispatch routines %,d   Unload routines %,d   probe: %,d IRPs passed"
        + " down, %,d completions, %,d in flight%n", counters.dispatches.sum(),
        counters.unloads.sum(), counters.probed.sum(), counters.probeCompletions.sum(),
        counters.inFlight.size());
    System.out.printf("  opens %,d   refused %,d   requests on a removed device %,d%n",
        counters.opens.sum(), counters.refusedOpens.sum(), counters.onRemovedDevice.sum());
    System.out.printf("  Sioctl unload/reload cycles %,d   toaster remove/re-plug cycles %,d"
        + "   replacements %,d%n", counters.legacyCycles.get(), counters.wdmCycles.get(),
        counters.replaces.get());
    System.out.print("  lifecycle outcomes:\n" + StressCounters.render(counters.outcomes));
    System.out.print("  statuses:\n" + StressCounters.render(counters.statuses));
    if (!counters.problems.isEmpty()) {
      System.out.println("  problems:\n    " + String.join("\n    ", counters.problems));
    }
  }

  private void check() {
    String problems = String.join("\n", counters.problems);
    assertEquals(Optional.empty(), kernel.bugCheck(), "the system stopped");
    assertEquals(0, counters.exceptions.sum(), "exceptions and wrong answers:\n" + problems);
    assertEquals(0, counters.lost.sum(), "requests that never completed:\n" + problems);
    assertEquals(counters.irps.sum(), counters.results.sum(), "requests without exactly one result");
    assertEquals(List.of(), List.copyOf(counters.inFlight.keySet()).stream().map(String::valueOf)
        .collect(Collectors.toList()), "IRPs the probe passed down that never completed");
    assertEquals(counters.probed.sum(), counters.probeCompletions.sum(), "probe completions");
    assertEquals(0, counters.doubled.sum(), "IRPs completed twice:\n" + problems);
    assertEquals(0, counters.notCompletedByDispatch.sum(), problems);
    assertEquals(0, counters.afterUnload.sum(), "dispatch after Unload began:\n" + problems);
    assertEquals(0, counters.overlaps.sum(), "Unload overlapping a dispatch routine:\n" + problems);
    List<Leak> leaks = kernel.leaks();
    assertEquals(List.of(), leaks.stream().map(Leak::render).collect(Collectors.toList()), "leaks");
    assertEquals(List.of(), kernel.openHandles(), "handles left open");
    assertEquals(List.of(), kernel.drivers(), "drivers left loaded");
    assertTrue(counters.legacyCycles.get() > 0 && counters.wdmCycles.get() > 0,
        "the run unloaded and removed nothing: " + counters.legacyCycles + " legacy, "
            + counters.wdmCycles + " WDM cycles");
    assertTrue(counters.dispatches.sum() > 0 && counters.probed.sum() > 0, "no I/O reached the drivers");
  }

  // -----------------------------------------------------------------------------------------------
  // Driver images of the examples

  /**
   * A classes directory holding one example driver's package and a services file naming its glue:
   * an image of just that driver, for a kernel in test-signing mode.
   */
  private Path image(String name, Class<?> driverClass, String glueClass) throws IOException {
    Path classes = classesRoot(driverClass);
    String packagePath = driverClass.getPackageName().replace('.', '/');
    Path source = classes.resolve(packagePath);
    Path target = Files.createDirectories(images.resolve(name).resolve(packagePath));
    try (Stream<Path> files = Files.list(source)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
        Files.copy(file, target.resolve(file.getFileName().toString()));
      }
    }
    Path services = images.resolve(name).resolve("META-INF/services/io.jwdm.spi.DriverGlue");
    Files.createDirectories(services.getParent());
    Files.writeString(services, glueClass + "\n", StandardCharsets.UTF_8);
    return images.resolve(name);
  }

  private static Path classesRoot(Class<?> type) {
    try {
      Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!Files.isDirectory(root)) {
        throw new IllegalStateException(type + " was not loaded from a classes directory: " + root);
      }
      return root;
    } catch (URISyntaxException e) {
      throw new UncheckedIOException(new IOException(e));
    }
  }
}

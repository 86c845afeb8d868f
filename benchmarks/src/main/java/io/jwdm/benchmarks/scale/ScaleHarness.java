package io.jwdm.benchmarks.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jwdm.host.DeviceNode;
import io.jwdm.host.Handle;
import io.jwdm.host.Kernel;
import io.jwdm.kernel.NtStatus;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Row 5, scale: one kernel, {@value #DRIVERS} WDM drivers (hand-written {@link ScaleGlue}, one per
 * name) and {@value #DEVICES} plugged devices. Each phase runs in {@value #STEPS} equal steps, so
 * the table shows whether time and heap per object stay flat as the kernel fills up:
 *
 * <ol>
 *   <li>plug in {@value #DEVICES} devices ({@value #DEVICES_PER_DRIVER} per driver; the first
 *       loads the driver): PDO, FDO, device node, START_DEVICE;
 *   <li>open one handle on each device's FDO (by its device name);
 *   <li>close every handle (CLEANUP, CLOSE);
 *   <li>remove every device (QUERY_REMOVE, REMOVE_DEVICE; each driver unloads with its last
 *       device).
 * </ol>
 *
 * <p>Heap is measured after full collections; the baseline is taken after a warm-up round (one
 * device per driver, plugged, opened, closed and removed), which also fills the kernel's bounded
 * trace, so the heap after the last unload must be back at that baseline.
 *
 * <p>Usage: {@code ScaleHarness [--out results.json] [--devices N]}.
 */
public final class ScaleHarness {
  static final int DRIVERS = 1_000;
  static final int DEVICES = 100_000;
  static final int DEVICES_PER_DRIVER = DEVICES / DRIVERS;
  static final int STEPS = 4;
  static final int WARM_UP_ROUNDS = 10;

  private ScaleHarness() {}

  public static void main(String[] args) throws IOException {
    Path out = null;
    int devices = DEVICES;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--out" -> out = Paths.get(args[++i]);
        case "--devices" -> devices = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    Map<String, Object> result = run(devices);
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    if (out != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
      json.writeValue(out.toFile(), result);
    }
  }

  /** One phase step: how many objects, how long, and the heap after it. */
  record Step(String phase, int step, int objects, long nanos, long heapAfter) {
    double microsPerObject() {
      return nanos / 1_000.0 / objects;
    }
  }

  static Map<String, Object> run(int devices) {
    int perDriver = devices / DRIVERS;
    int perStep = perDriver / STEPS;
    if (perDriver * DRIVERS != devices || perStep * STEPS != perDriver) {
      throw new IllegalArgumentException("devices must be a multiple of " + (DRIVERS * STEPS));
    }
    Kernel kernel = Kernel.boot();
    List<ScaleGlue> glue = new ArrayList<>();
    for (int d = 0; d < DRIVERS; d++) {
      ScaleGlue each = new ScaleGlue(String.format("Scale%04d", d));
      kernel.install(each);
      glue.add(each);
    }

    // Warm-up: WARM_UP_ROUNDS rounds of one device per driver, plugged, opened, closed and
    // removed; the drivers load and unload each round, the code is compiled, and the bounded
    // trace is full.
    long warmStart = System.nanoTime();
    for (int round = 0; round < WARM_UP_ROUNDS; round++) {
      for (ScaleGlue each : glue) {
        DeviceNode node = kernel.plugIn(each.hardwareId());
        expectStarted(node);
        kernel.open(each.deviceName(0)).close();
        expect(kernel.remove(node), "remove");
      }
    }
    long warmNanos = System.nanoTime() - warmStart;
    check(kernel);
    if (!kernel.drivers().isEmpty()) {
      throw new IllegalStateException("drivers still loaded after the warm-up: " + kernel.drivers());
    }
    long baseline = usedHeap();
    String baselineHistogram = Histogram.take();
    System.out.printf("warm-up: %d rounds of %d drivers loaded and unloaded in %.0f ms; baseline"
        + " heap %.1f MiB%n", WARM_UP_ROUNDS, DRIVERS, warmNanos / 1e6, baseline / 1048576.0);

    List<Step> steps = new ArrayList<>();
    List<DeviceNode> nodes = new ArrayList<>(devices);
    List<String> names = new ArrayList<>(devices);
    long before = baseline;
    for (int s = 0; s < STEPS; s++) {
      long start = System.nanoTime();
      for (int i = 0; i < perStep; i++) {
        for (ScaleGlue each : glue) {
          DeviceNode node = kernel.plugIn(each.hardwareId());
          nodes.add(node);
          // The driver loaded with the first device of this round; its instances count from 0.
          names.add(each.deviceName(s * perStep + i));
        }
      }
      long nanos = System.nanoTime() - start;
      steps.add(new Step("plug in", s + 1, perStep * DRIVERS, nanos, usedHeap()));
    }
    for (DeviceNode node : nodes) {
      expectStarted(node);
    }
    if (kernel.drivers().size() != DRIVERS) {
      throw new IllegalStateException(kernel.drivers().size() + " drivers loaded, expected "
          + DRIVERS);
    }
    long plugged = usedHeap();

    List<Handle> handles = new ArrayList<>(devices);
    int handlesPerStep = devices / STEPS;
    for (int s = 0; s < STEPS; s++) {
      long start = System.nanoTime();
      for (int i = s * handlesPerStep; i < (s + 1) * handlesPerStep; i++) {
        handles.add(kernel.open(names.get(i)));
      }
      long nanos = System.nanoTime() - start;
      steps.add(new Step("open handle", s + 1, handlesPerStep, nanos, usedHeap()));
    }
    long opened = usedHeap();

    for (int s = 0; s < STEPS; s++) {
      long start = System.nanoTime();
      for (int i = s * handlesPerStep; i < (s + 1) * handlesPerStep; i++) {
        handles.get(i).close();
      }
      long nanos = System.nanoTime() - start;
      steps.add(new Step("close handle", s + 1, handlesPerStep, nanos, usedHeap()));
    }
    handles = null;

    for (int s = 0; s < STEPS; s++) {
      long start = System.nanoTime();
      for (int i = s * handlesPerStep; i < (s + 1) * handlesPerStep; i++) {
        expect(kernel.remove(nodes.get(i)), "remove");
      }
      long nanos = System.nanoTime() - start;
      steps.add(new Step("remove", s + 1, handlesPerStep, nanos, usedHeap()));
    }
    nodes = null;
    names = null;
    check(kernel);
    if (!kernel.drivers().isEmpty()) {
      throw new IllegalStateException("drivers still loaded after the last removal");
    }
    long after = usedHeap();
    List<Map<String, Object>> retained = Histogram.grown(baselineHistogram, Histogram.take(), 8);

    Map<String, Object> result = new LinkedHashMap<>();
    result.put("drivers", DRIVERS);
    result.put("devices", devices);
    result.put("steps", STEPS);
    result.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    result.put("baselineHeapBytes", baseline);
    result.put("pluggedHeapBytes", plugged);
    result.put("openedHeapBytes", opened);
    result.put("afterHeapBytes", after);
    result.put("bytesPerDevice", (plugged - baseline) / (double) devices);
    result.put("bytesPerHandle", (opened - plugged) / (double) devices);
    List<Map<String, Object>> rows = new ArrayList<>();
    System.out.printf("%-13s %4s %8s %10s %12s %14s%n", "phase", "step", "objects", "ms",
        "us/object", "heap MiB");
    for (Step step : steps) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("phase", step.phase());
      row.put("step", step.step());
      row.put("objects", step.objects());
      row.put("nanos", step.nanos());
      row.put("heapAfterBytes", step.heapAfter());
      rows.add(row);
      System.out.printf("%-13s %4d %8d %10.1f %12.2f %14.1f%n", step.phase(), step.step(),
          step.objects(), step.nanos() / 1e6, step.microsPerObject(),
          step.heapAfter() / 1048576.0);
    }
    result.put("table", rows);
    result.put("retainedAfterUnload", retained);
    System.out.println("classes whose heap grew from the baseline to after the last unload:");
    for (Map<String, Object> each : retained) {
      System.out.printf("  %+,12d B %+,9d instances  %s%n", each.get("bytes"),
          each.get("instances"), each.get("class"));
    }
    System.out.printf("heap per device %.0f B, per open handle %.0f B; heap after the last unload"
            + " %.1f MiB (baseline %.1f MiB, %+d bytes)%n",
        (plugged - baseline) / (double) devices, (opened - plugged) / (double) devices,
        after / 1048576.0, baseline / 1048576.0, after - baseline);
    kernel.close();
    return result;
  }

  private static void expectStarted(DeviceNode node) {
    if (node.state() != DeviceNode.State.STARTED) {
      throw new IllegalStateException(node.instanceId() + " did not start: " + node.state()
          + " code " + node.problemCode());
    }
  }

  private static void expect(NtStatus status, String what) {
    if (!status.isSuccess()) {
      throw new IllegalStateException(what + ": " + status);
    }
  }

  private static void check(Kernel kernel) {
    kernel.bugCheck().ifPresent(check -> {
      throw new IllegalStateException("bug check: " + check);
    });
    if (!kernel.leaks().isEmpty()) {
      throw new IllegalStateException("leaks: " + kernel.leaks().size() + ", first "
          + kernel.leaks().get(0));
    }
  }

  /** Heap in use after full collections, once it stops shrinking. */
  static long usedHeap() {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      System.gc();
      long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      if (now >= used - 64 * 1024) {
        return Math.min(now, used);
      }
      used = now;
    }
    return used;
  }
}

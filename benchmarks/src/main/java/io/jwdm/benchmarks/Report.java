package io.jwdm.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Turns a run's results into {@code benchmarks/RESULTS.md}: JMH's JSON ({@code jmh.json}), the
 * scale harness's JSON ({@code scale.json}) and, for each missed goal, a JFR recording
 * ({@code profile-<id>.jfr}) summarised into its top frames.
 *
 * <pre>
 * Report missed  RESULTS_DIR            prints "id&lt;TAB&gt;JMH arguments" for each missed goal
 * Report write   RESULTS_DIR OUT.md     writes the report
 * </pre>
 */
public final class Report {
  private final Path dir;
  private final JsonNode jmh;
  private final JsonNode scale;
  private final List<Goal> goals = new ArrayList<>();
  private final List<String[]> rows = new ArrayList<>();

  private Report(Path dir) throws IOException {
    this.dir = dir;
    ObjectMapper json = new ObjectMapper();
    Path jmhFile = dir.resolve("jmh.json");
    this.jmh = Files.exists(jmhFile) ? json.readTree(jmhFile.toFile()) : json.createArrayNode();
    Path scaleFile = dir.resolve("scale.json");
    this.scale = Files.exists(scaleFile) ? json.readTree(scaleFile.toFile()) : null;
    evaluate();
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("usage: Report missed DIR | Report write DIR OUT.md");
    }
    Report report = new Report(Paths.get(args[1]));
    switch (args[0]) {
      case "missed" -> {
        Set<String> seen = new HashSet<>();
        for (Goal goal : report.goals) {
          if (goal.met == Boolean.FALSE && goal.profile != null && seen.add(goal.profileId)) {
            System.out.println(goal.profileId + "\t" + goal.profile);
          }
        }
      }
      case "write" -> Files.writeString(Paths.get(args[2]), report.render());
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  /** A goal: what it says, whether it was met, and what to profile if not. */
  static final class Goal {
    final String row;
    final String text;
    final Boolean met;
    final String profileId;
    final String profile;

    Goal(String row, String text, Boolean met, String profileId, String profile) {
      this.row = row;
      this.text = text;
      this.met = met;
      this.profileId = profileId;
      this.profile = profile;
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Reading JMH's results

  /** A JMH result: the primary metric of one benchmark with one set of parameters. */
  record Result(String benchmark, Map<String, String> params, double score, double error,
      String unit, double[] iterationMedians, double median) {
    String errorText() {
      return Double.isNaN(error) ? "n/a" : "± " + fmt(error);
    }

    /** min–max of the per-iteration medians. */
    String medianSpread() {
      double min = Arrays.stream(iterationMedians).min().orElse(Double.NaN);
      double max = Arrays.stream(iterationMedians).max().orElse(Double.NaN);
      return fmt(min) + "–" + fmt(max);
    }
  }

  private Result find(String method, String... params) {
    for (JsonNode each : jmh) {
      String name = each.get("benchmark").asText();
      if (!name.endsWith("." + method)) {
        continue;
      }
      Map<String, String> actual = new HashMap<>();
      each.path("params").fields().forEachRemaining(e -> actual.put(e.getKey(), e.getValue().asText()));
      boolean match = true;
      for (int i = 0; i < params.length; i += 2) {
        match &= params[i + 1].equals(actual.get(params[i]));
      }
      if (match) {
        return toResult(name, actual, each);
      }
    }
    return null;
  }

  private static Result toResult(String name, Map<String, String> params, JsonNode each) {
    JsonNode metric = each.get("primaryMetric");
    double score = metric.get("score").asDouble();
    double error = metric.path("scoreError").asText().equals("NaN") ? Double.NaN
        : metric.path("scoreError").asDouble();
    List<Double> medians = new ArrayList<>();
    List<Double> all = new ArrayList<>();
    if (metric.has("rawDataHistogram")) {
      for (JsonNode fork : metric.get("rawDataHistogram")) {
        for (JsonNode iteration : fork) {
          List<double[]> buckets = new ArrayList<>();
          for (JsonNode bucket : iteration) {
            buckets.add(new double[] {bucket.get(0).asDouble(), bucket.get(1).asDouble()});
          }
          medians.add(histogramMedian(buckets));
        }
      }
      double median = metric.path("scorePercentiles").path("50.0").asDouble(Double.NaN);
      return new Result(name, params, score, error, metric.get("scoreUnit").asText(),
          medians.stream().mapToDouble(Double::doubleValue).toArray(), median);
    }
    for (JsonNode fork : metric.path("rawData")) {
      for (JsonNode value : fork) {
        medians.add(value.asDouble());
        all.add(value.asDouble());
      }
    }
    double[] values = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Result(name, params, score, error, metric.get("scoreUnit").asText(),
        medians.stream().mapToDouble(Double::doubleValue).toArray(), median(values));
  }

  private static double histogramMedian(List<double[]> buckets) {
    buckets.sort((a, b) -> Double.compare(a[0], b[0]));
    double total = 0;
    for (double[] bucket : buckets) {
      total += bucket[1];
    }
    double seen = 0;
    for (double[] bucket : buckets) {
      seen += bucket[1];
      if (seen >= total / 2) {
        return bucket[0];
      }
    }
    return Double.NaN;
  }

  static double median(double[] sorted) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  // -----------------------------------------------------------------------------------------------
  // Goals and rows

  private void row(String id, String figure, String value, String error, String goal,
      Boolean met) {
    rows.add(new String[] {id, figure, value, error, goal,
        met == null ? "—" : met ? "**met**" : "**missed**"});
  }

  /**
   * A ratio goal on two averages, {@code a / b ≤ limit}: met, missed, or, when the ratio misses
   * but the confidence intervals reach the limit ({@code (a - ea) / (b + eb) ≤ limit}),
   * inconclusive: the machine was too noisy to tell.
   */
  private static String ratioStatus(Result a, Result b, double limit) {
    double ratio = a.score / b.score;
    if (ratio <= limit) {
      return "met";
    }
    double ea = Double.isNaN(a.error) ? 0 : a.error;
    double eb = Double.isNaN(b.error) ? 0 : b.error;
    return (a.score - ea) / (b.score + eb) <= limit ? "inconclusive" : "missed";
  }

  private void ratioRow(String id, String figure, String value, String error, String goal,
      String status) {
    rows.add(new String[] {id, figure, value, error, goal, status.equals("inconclusive")
        ? "**inconclusive** (within error)" : "**" + status + "**"});
  }

  /** met → true, missed → false, inconclusive → null (not profiled). */
  private static Boolean verdict(String status) {
    return status.equals("met") ? Boolean.TRUE : status.equals("missed") ? Boolean.FALSE : null;
  }

  private void goal(String row, String text, Boolean met, String profileId, String profile) {
    goals.add(new Goal(row, text, met, profileId, profile));
  }

  private void evaluate() {
    // Row 1: dispatch.
    Result direct = find("DispatchBenchmark.direct");
    Result glue = find("DispatchBenchmark.glue");
    Result reflection = find("DispatchBenchmark.reflection");
    Result handle = find("DispatchBenchmark.methodHandle");
    Result constant = find("DispatchBenchmark.methodHandleConstant");
    if (direct != null && glue != null) {
      double ratio = glue.score / direct.score;
      String status = ratioStatus(glue, direct, 1.1);
      row("1", "dispatch, direct call", fmt(direct.score) + " ns", direct.errorText(), "baseline",
          null);
      ratioRow("1", "dispatch through the glue's routine object", fmt(glue.score) + " ns ("
          + fmt(ratio) + "× direct)", glue.errorText(), "≤ 1.1× direct", status);
      goal("1", "glue within 1.1× of the direct call", verdict(status), "dispatch-glue",
          "DispatchBenchmark\\.glue$");
    }
    if (reflection != null && direct != null) {
      row("1", "dispatch, Method.invoke", fmt(reflection.score) + " ns ("
          + fmt(reflection.score / direct.score) + "× direct)", reflection.errorText(), "—", null);
    }
    if (handle != null && direct != null) {
      row("1", "dispatch, MethodHandle in a field", fmt(handle.score) + " ns ("
          + fmt(handle.score / direct.score) + "× direct)", handle.errorText(), "—", null);
    }
    if (constant != null && direct != null) {
      row("1", "dispatch, static final MethodHandle", fmt(constant.score) + " ns ("
          + fmt(constant.score / direct.score) + "× direct)", constant.errorText(), "—", null);
    }

    // Row 2: I/O round trips.
    Result off = find("IoRoundTripBenchmark.deviceIoControl", "driver", "Sioctl", "verifier", "off");
    Result standard = find("IoRoundTripBenchmark.deviceIoControl", "driver", "Sioctl", "verifier",
        "standard");
    if (off != null) {
      double perSecond = 1e3 / off.score;
      boolean met = perSecond >= 5.0;
      row("2", "Sioctl DEVICE_CONTROL round trip, verifier off", fmt(off.score) + " ns = "
          + fmt(perSecond) + " M/s on one core", off.errorText() + " ns", "≥ 5 M/s per core", met);
      goal("2", "≥ 5 M round trips/s/core with the verifier off", met, "io-sioctl-off",
          "IoRoundTripBenchmark\\.deviceIoControl$ -p driver=Sioctl -p verifier=off");
    }
    if (off != null && standard != null) {
      double ratio = standard.score / off.score;
      String status = ratioStatus(standard, off, 2.0);
      ratioRow("2", "Sioctl round trip, verifier /standard", fmt(standard.score) + " ns ("
          + fmt(ratio) + "× off)", standard.errorText() + " ns", "≤ 2× off", status);
      goal("2", "/standard ≤ 2× the cost of verifier off", verdict(status), "io-sioctl-standard",
          "IoRoundTripBenchmark\\.deviceIoControl$ -p driver=Sioctl -p verifier=standard");
    }
    Result benchOff = find("IoRoundTripBenchmark.deviceIoControl", "driver", "BenchLink",
        "verifier", "off");
    Result benchStandard = find("IoRoundTripBenchmark.deviceIoControl", "driver", "BenchLink",
        "verifier", "standard");
    if (benchOff != null) {
      double perSecond = 1e3 / benchOff.score;
      boolean met = perSecond >= 5.0;
      row("2", "BenchLink round trip (completes at once: the kernel alone), verifier off",
          fmt(benchOff.score) + " ns = " + fmt(perSecond) + " M/s", benchOff.errorText() + " ns",
          "≥ 5 M/s per core", met);
      goal("2", "kernel alone (BenchLink): ≥ 5 M round trips/s/core", met, "io-benchlink-off",
          "IoRoundTripBenchmark\\.deviceIoControl$ -p driver=BenchLink -p verifier=off");
    }
    if (benchOff != null && benchStandard != null) {
      double ratio = benchStandard.score / benchOff.score;
      String status = ratioStatus(benchStandard, benchOff, 2.0);
      ratioRow("2", "BenchLink round trip, verifier /standard", fmt(benchStandard.score) + " ns ("
          + fmt(ratio) + "× off)", benchStandard.errorText() + " ns", "≤ 2× off", status);
      goal("2", "kernel alone (BenchLink): /standard ≤ 2×", verdict(status),
          "io-benchlink-standard",
          "IoRoundTripBenchmark\\.deviceIoControl$ -p driver=BenchLink -p verifier=standard");
    }
    Result pending = find("IoRoundTripBenchmark.pendingReadCompletedByWrite");
    if (pending != null) {
      row("2", "Toaster: READ pends, a WRITE completes it (2 IRPs)", fmt(pending.score)
          + " ns per pair", pending.errorText() + " ns", "—", null);
    }

    // Row 3: load/unload.
    Result felix = find("FelixBenchmark.bundleCycle");
    for (String driver : List.of("BenchLink", "Sioctl")) {
      Result cycle = find("LoadUnloadBenchmark.classPathCycle", "driver", driver);
      if (cycle != null) {
        boolean met = cycle.median <= 100.0;
        row("3", "class-path cycle, " + driver + " (median)", fmt(cycle.median) + " µs",
            "iterations " + cycle.medianSpread() + " µs", "≤ 100 µs median", met);
        goal("3", "class-path cycle (" + driver + ") ≤ 0.1 ms median", met,
            "cycle-classpath-" + driver, "LoadUnloadBenchmark\\.classPathCycle$ -p driver="
                + driver);
      }
    }
    // The goal compares like with like: a one-driver image against Felix's one-activator bundle,
    // signed if that row ran (Felix verifies no signature). The examples jar is reported beside.
    Result signedSmall = find("LoadUnloadBenchmark.imageCycleOneDriverSigned");
    Result small = find("LoadUnloadBenchmark.imageCycleOneDriver");
    Result image = find("LoadUnloadBenchmark.imageCycle");
    if (signedSmall != null && felix != null) {
      double ratio = felix.median / signedSmall.median;
      boolean met = ratio >= 2.0;
      row("3", "jar image cycle, one-driver image (BenchLink + glue, test-signed; median; GC"
              + " proof after the iteration)",
          fmt(signedSmall.median) + " µs (Felix / image = " + fmt(ratio) + "×)",
          "iterations " + signedSmall.medianSpread() + " µs", "≥ 2× faster than Felix", met);
      goal("3", "jar image cycle ≥ 2× faster than Felix (one-driver image, signed)", met,
          "cycle-image-signed", "LoadUnloadBenchmark\\.imageCycleOneDriverSigned$");
    }
    if (small != null && felix != null) {
      double ratio = felix.median / small.median;
      boolean met = ratio >= 2.0;
      boolean judged = signedSmall == null;
      row("3", "jar image cycle, one-driver image (BenchLink + glue, unsigned; median)",
          fmt(small.median) + " µs (Felix / image = " + fmt(ratio) + "×)",
          "iterations " + small.medianSpread() + " µs",
          judged ? "≥ 2× faster than Felix" : "—", judged ? met : null);
      if (judged) {
        goal("3", "jar image cycle ≥ 2× faster than Felix (one-driver image)", met,
            "cycle-image-small", "LoadUnloadBenchmark\\.imageCycleOneDriver$");
      }
    }
    if (image != null && felix != null) {
      row("3", "jar image cycle, examples jar: 3 drivers, 30 classes, signed (median)",
          fmt(image.median) + " µs (Felix / image = " + fmt(felix.median / image.median) + "×)",
          "iterations " + image.medianSpread() + " µs", "— (ten times Felix's bundle)", null);
    }
    Result imageUnload = find("LoadUnloadBenchmark.imageCycleWithUnloadImage");
    if (imageUnload != null) {
      row("3", "jar image cycle with Kernel.unloadImage (its GC proof timed inside)",
          fmt(imageUnload.median) + " µs", "iterations " + imageUnload.medianSpread() + " µs", "—",
          null);
    }
    if (felix != null) {
      row("3", "peer: Felix 7.0.5 install → start → stop → uninstall → refresh (median)",
          fmt(felix.median) + " µs", "iterations " + felix.medianSpread() + " µs", "—", null);
    }

    // Row 4: the processor.
    Map<String, Result> compile = new LinkedHashMap<>();
    for (String n : List.of("10", "100", "1000")) {
      for (String mode : List.of("none", "noop", "jwdm")) {
        Result r = find("ProcessorBenchmark.compile", "drivers", n, "processing", mode);
        if (r != null) {
          compile.put(n + "/" + mode, r);
        }
      }
    }
    for (String n : List.of("10", "100", "1000")) {
      Result none = compile.get(n + "/none");
      Result noop = compile.get(n + "/noop");
      Result jwdm = compile.get(n + "/jwdm");
      if (none == null || noop == null || jwdm == null) {
        continue;
      }
      int drivers = Integer.parseInt(n);
      String value = String.format(Locale.ROOT,
          "-proc:none %s ms, no-op %s ms (%s×), jwdm %s ms (%s×); jwdm %s ms/driver",
          fmt(none.median), fmt(noop.median), fmt(noop.median / none.median), fmt(jwdm.median),
          fmt(jwdm.median / none.median), fmt(jwdm.median / drivers));
      String error = "runs " + none.medianSpread() + " / " + noop.medianSpread() + " / "
          + jwdm.medianSpread() + " ms";
      if (n.equals("1000")) {
        boolean met = jwdm.median / none.median <= 1.5;
        row("4", "compile " + n + " drivers (medians)", value, error, "jwdm ≤ 1.5× -proc:none",
            met);
        goal("4", "jwdm processor ≤ 1.5× of -proc:none at 1000 drivers", met, "processor-1000",
            "ProcessorBenchmark\\.compile$ -p drivers=1000 -p processing=jwdm");
      } else {
        row("4", "compile " + n + " drivers (medians)", value, error, "—", null);
      }
    }
    Result j10 = compile.get("10/jwdm");
    Result j100 = compile.get("100/jwdm");
    Result j1000 = compile.get("1000/jwdm");
    if (j10 != null && j100 != null && j1000 != null) {
      double low = (j100.median - j10.median) / 90;
      double high = (j1000.median - j100.median) / 900;
      boolean met = high <= 1.5 * low;
      row("4", "jwdm: marginal ms/driver, 10→100 vs 100→1000", fmt(low) + " → " + fmt(high)
          + " ms/driver (" + fmt(high / low) + "×)", "—", "linear: ≤ 1.5×", met);
      goal("4", "jwdm processor cost linear in N", met, "processor-1000",
          "ProcessorBenchmark\\.compile$ -p drivers=1000 -p processing=jwdm");
    }

    // Row 5: scale.
    if (scale != null) {
      long devices = scale.get("devices").asLong();
      row("5", "heap per plugged device (PDO + FDO + device node)",
          fmt(scale.get("bytesPerDevice").asDouble()) + " B", "—", "linear", null);
      row("5", "heap per open handle", fmt(scale.get("bytesPerHandle").asDouble()) + " B", "—",
          "linear", null);
      Map<String, List<JsonNode>> phases = new LinkedHashMap<>();
      for (JsonNode step : scale.get("table")) {
        phases.computeIfAbsent(step.get("phase").asText(), k -> new ArrayList<>()).add(step);
      }
      boolean allLinear = true;
      for (Map.Entry<String, List<JsonNode>> phase : phases.entrySet()) {
        double total = 0;
        double min = Double.MAX_VALUE;
        double max = 0;
        for (JsonNode step : phase.getValue()) {
          double perObject = step.get("nanos").asDouble() / 1e3 / step.get("objects").asDouble();
          total += step.get("nanos").asDouble();
          if (step.get("step").asInt() > 1) {
            min = Math.min(min, perObject);
            max = Math.max(max, perObject);
          }
        }
        boolean linear = max <= 2.0 * min;
        allLinear &= linear;
        row("5", phase.getKey() + ": all " + devices + String.format(Locale.ROOT,
            " (µs per object, per step of %d)", phase.getValue().get(0).get("objects").asInt()),
            fmt(total / 1e6) + " ms (" + phase.getValue().stream()
                .map(s -> fmt(s.get("nanos").asDouble() / 1e3 / s.get("objects").asDouble()))
                .collect(Collectors.joining(", ")) + ")", "—", "linear: steps 2–4 within 2×", linear);
      }
      List<Long> pluggedHeap = new ArrayList<>();
      for (JsonNode step : phases.getOrDefault("plug in", List.of())) {
        pluggedHeap.add(step.get("heapAfterBytes").asLong());
      }
      boolean heapLinear = true;
      long previous = scale.get("baselineHeapBytes").asLong();
      List<Long> growth = new ArrayList<>();
      for (long heap : pluggedHeap) {
        growth.add(heap - previous);
        previous = heap;
      }
      long minGrowth = growth.stream().skip(1).mapToLong(Long::longValue).min().orElse(0);
      long maxGrowth = growth.stream().skip(1).mapToLong(Long::longValue).max().orElse(0);
      heapLinear = maxGrowth <= 1.25 * minGrowth;
      row("5", "heap growth per plug-in step", growth.stream().map(g -> fmt(g / 1048576.0))
          .collect(Collectors.joining(", ")) + " MiB", "—", "linear: steps 2–4 within 1.25×",
          heapLinear);
      goal("5", "time and heap grow linearly", allLinear && heapLinear, "scale", null);
      long baseline = scale.get("baselineHeapBytes").asLong();
      long after = scale.get("afterHeapBytes").asLong();
      long peak = scale.get("openedHeapBytes").asLong() - baseline;
      boolean back = after - baseline <= 0.01 * peak;
      row("5", "heap after the last unload vs baseline", String.format(Locale.ROOT,
          "%+,d B (baseline %s MiB, peak +%s MiB)", after - baseline, fmt(baseline / 1048576.0),
          fmt(peak / 1048576.0)), "—", "back to baseline (within 1% of the peak)", back);
      goal("5", "heap back to baseline after the last unload", back, "scale", null);
    }
  }

  // -----------------------------------------------------------------------------------------------
  // Rendering

  private String render() throws IOException {
    StringBuilder out = new StringBuilder();
    out.append("# jwdm benchmark results\n\n");
    out.append("Written by `bash benchmarks/run.sh` (JMH 1.37 and the scale harness; see")
        .append(" [`benchmarks/`](.) for the code), ")
        .append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_LOCAL_DATE))
        .append(". Every figure below comes from that one run.\n\n");
    out.append("## Machine\n\n");
    for (String line : machine()) {
      out.append("- ").append(line).append('\n');
    }
    out.append("\n## Results\n\n");
    out.append("| row | figure | result | error | goal | status |\n");
    out.append("|---|---|---|---|---|---|\n");
    for (String[] row : rows) {
      out.append("| ").append(String.join(" | ", row)).append(" |\n");
    }
    if (scale != null && scale.has("retainedAfterUnload")) {
      out.append("\nRow 5, what the heap held after the last unload beyond the baseline (class")
          .append(" histograms of the live heap):\n\n| bytes | instances | class |\n|---:|---:|---|\n");
      for (JsonNode each : scale.get("retainedAfterUnload")) {
        out.append(String.format(Locale.ROOT, "| %,d | %,d | `%s` |%n", each.get("bytes").asLong(),
            each.get("instances").asLong(), each.get("class").asText()));
      }
    }
    out.append("\nErrors: for averages, JMH's 99.9% confidence interval of the mean; for medians,")
        .append(" the lowest and highest per-iteration median (row 3) or single run (row 4).\n");

    out.append("\n## Goals\n\n");
    for (Goal goal : goals) {
      out.append("- Row ").append(goal.row).append(": ").append(goal.text).append(": ")
          .append(goal.met == null ? "inconclusive (the difference is within the error)"
              : goal.met ? "met" : "**missed**")
          .append('\n');
    }

    List<Goal> missed = goals.stream().filter(g -> g.met == Boolean.FALSE)
        .collect(Collectors.toList());
    if (!missed.isEmpty()) {
      out.append("\n## Where the time goes (missed goals)\n\n");
      out.append("JFR execution samples (`settings=profile`, about one per 10 ms) of the measuring")
          .append(" thread: for a JMH row, a separate short run of the benchmark with JMH's JFR")
          .append(" profiler (measurement iterations only); for row 5, the whole scale harness.")
          .append(" *Self* counts a sample for the frame on top of the stack; *inclusive* counts")
          .append(" it once for every method on the stack (thread, JMH and reflection frames")
          .append(" left out). Under each profile: why, as read from it and from the code.\n");
      Set<String> done = new HashSet<>();
      Set<String> explained = new HashSet<>();
      for (Goal goal : missed) {
        if (!done.add(goal.profileId)) {
          continue;
        }
        Path recording = recording(goal.profileId);
        out.append("\n### ").append(goal.text).append("\n\n");
        if (recording == null) {
          out.append("No recording.\n");
          continue;
        }
        Predicate<String> thread = goal.profileId.equals("scale") ? name -> name.equals("main")
            : name -> name.contains("jmh-worker");
        out.append(summarise(recording, thread));
        if (goal.profileId.equals("scale") && explained.add("scale-leak")) {
          out.append(retainedKernelObjects());
        }
        String whyKey = goal.profileId.startsWith("io-") ? "io" : goal.profileId;
        String why = WHY.get(whyKey);
        if (why != null && explained.add(whyKey)) {
          out.append('\n').append(why);
        } else if (why != null) {
          out.append("\n**Why.** As for the first round-trip profile above.\n");
        }
      }
    }
    out.append("\n## How each row is measured\n\n").append(HOW);
    return out.toString();
  }

  private List<String> machine() throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("cores (nproc): " + Runtime.getRuntime().availableProcessors());
    Path cpuinfo = Paths.get("/proc/cpuinfo");
    if (Files.isReadable(cpuinfo)) {
      Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name")).findFirst()
          .ifPresent(l -> lines.add("CPU: " + l.substring(l.indexOf(':') + 1).trim()));
    }
    Path meminfo = Paths.get("/proc/meminfo");
    if (Files.isReadable(meminfo)) {
      Files.readAllLines(meminfo).stream().filter(l -> l.startsWith("MemTotal")).findFirst()
          .ifPresent(l -> {
            long kib = Long.parseLong(l.replaceAll("[^0-9]", ""));
            lines.add(String.format(Locale.ROOT, "memory: %.1f GiB", kib / 1048576.0));
          });
    }
    Path load = dir.resolve("loadavg.log");
    if (Files.isReadable(load)) {
      double[] ones = Files.readAllLines(load).stream().filter(l -> !l.isBlank())
          .mapToDouble(l -> Double.parseDouble(l.trim().split("\\s+")[0])).toArray();
      if (ones.length > 0) {
        double max = Arrays.stream(ones).max().orElse(0);
        double mean = Arrays.stream(ones).average().orElse(0);
        int cores = Runtime.getRuntime().availableProcessors();
        lines.add(String.format(Locale.ROOT, "load average (1 min) during the run, sampled every"
            + " 10 s: mean %.1f, max %.1f%s", mean, max, max > cores + 0.5
            ? " — above the core count: other processes competed for the cores, so these"
                + " figures are pessimistic and noisy" : ""));
      }
    }
    lines.add("OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    if (jmh.size() > 0) {
      JsonNode first = jmh.get(0);
      lines.add("JDK: " + first.path("vmName").asText() + " " + first.path("vmVersion").asText()
          + " (Java " + first.path("jdkVersion").asText() + ")");
      lines.add("JMH " + first.path("jmhVersion").asText() + ": 1 fork (2 for rows 1 and 2), 1 thread per benchmark"
          + " (the second core is left to the JIT and GC threads); warm-up and measurement per"
          + " row below");
    } else {
      lines.add("JDK: " + System.getProperty("java.vm.name") + " "
          + System.getProperty("java.runtime.version"));
    }
    return lines;
  }

  /** A note naming the kernel objects still live after the last unload, if any. */
  private String retainedKernelObjects() {
    if (scale == null || !scale.has("retainedAfterUnload")) {
      return "";
    }
    List<String> kernel = new ArrayList<>();
    for (JsonNode each : scale.get("retainedAfterUnload")) {
      String name = each.get("class").asText();
      if (name.startsWith("io.jwdm.") && each.get("instances").asLong() >= 1000) {
        kernel.add(String.format(Locale.ROOT, "%,d `%s`", each.get("instances").asLong(),
            name.replaceFirst(" .*", "")));
      }
    }
    if (kernel.isEmpty()) {
      return "";
    }
    return "\n**Leak.** After every device was removed and every driver unloaded, the heap still"
        + " holds " + String.join(", ", kernel) + ": deleted device objects (and the device nodes"
        + " their PDOs point to) that the kernel still reaches, so the heap grows with every"
        + " plug-in/removal for the kernel's lifetime.\n";
  }

  /** The JFR recording of a profile: {@code profile-ID.jfr}, or one under {@code profile-ID/}. */
  private Path recording(String id) throws IOException {
    Path file = dir.resolve("profile-" + id + ".jfr");
    if (Files.exists(file)) {
      return file;
    }
    Path folder = dir.resolve("profile-" + id);
    if (!Files.isDirectory(folder)) {
      return null;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
      return files.filter(p -> p.toString().endsWith(".jfr")).findFirst().orElse(null);
    }
  }

  /** Frames that are on every stack and say nothing: threads, JMH, reflection, the harness. */
  private static boolean boring(String frame) {
    return frame.startsWith("java.lang.Thread.") || frame.startsWith("org.openjdk.jmh.")
        || frame.startsWith("java.util.concurrent.") || frame.startsWith("jdk.internal.reflect.")
        || frame.startsWith("java.lang.reflect.") || frame.startsWith("io.jwdm.benchmarks.")
        || frame.contains("$$Lambda$") || frame.contains(".lambda$");
  }

  /** The top frames of a JFR recording's execution samples, as markdown. */
  static String summarise(Path recording, Predicate<String> thread) throws IOException {
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> inclusive = new HashMap<>();
    int samples = 0;
    for (RecordedEvent event : RecordingFile.readAllEvents(recording)) {
      if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      String threadName = event.getThread("sampledThread") == null ? ""
          : String.valueOf(event.getThread("sampledThread").getJavaName());
      if (!thread.test(threadName)) {
        continue;
      }
      RecordedStackTrace stack = event.getStackTrace();
      if (stack == null || stack.getFrames().isEmpty()) {
        continue;
      }
      samples++;
      List<RecordedFrame> frames = stack.getFrames();
      self.merge(frameName(frames.get(0)), 1, Integer::sum);
      Set<String> seen = new HashSet<>();
      for (RecordedFrame frame : frames) {
        String name = frameName(frame);
        if (!boring(name) && seen.add(name)) {
          inclusive.merge(name, 1, Integer::sum);
        }
      }
    }
    StringBuilder out = new StringBuilder();
    out.append(samples).append(" samples.\n\n");
    out.append("| self | top frame | | inclusive | method on the stack |\n|---:|---|---|---:|---|\n");
    List<Map.Entry<String, Integer>> topSelf = top(self, 10);
    List<Map.Entry<String, Integer>> topInclusive = top(inclusive, 16);
    for (int i = 0; i < Math.max(topSelf.size(), topInclusive.size()); i++) {
      out.append("| ");
      if (i < topSelf.size()) {
        out.append(percent(topSelf.get(i).getValue(), samples)).append(" | `")
            .append(topSelf.get(i).getKey()).append('`');
      } else {
        out.append(" | ");
      }
      out.append(" | | ");
      if (i < topInclusive.size()) {
        out.append(percent(topInclusive.get(i).getValue(), samples)).append(" | `")
            .append(topInclusive.get(i).getKey()).append('`');
      } else {
        out.append(" | ");
      }
      out.append(" |\n");
    }
    return out.toString();
  }

  private static String frameName(RecordedFrame frame) {
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  private static List<Map.Entry<String, Integer>> top(Map<String, Integer> counts, int limit) {
    return counts.entrySet().stream()
        .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue())).limit(limit)
        .collect(Collectors.toList());
  }

  private static String percent(int count, int total) {
    return String.format(Locale.ROOT, "%.0f%%", 100.0 * count / Math.max(1, total));
  }

  static String fmt(double value) {
    if (Double.isNaN(value)) {
      return "n/a";
    }
    double abs = Math.abs(value);
    if (abs >= 1000) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (abs >= 100) {
      return String.format(Locale.ROOT, "%.0f", value);
    }
    if (abs >= 10) {
      return String.format(Locale.ROOT, "%.1f", value);
    }
    if (abs >= 1) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    return String.format(Locale.ROOT, "%.3f", value);
  }

  /** Why a goal is missed, from the profiles and the code of the kernel as it stands. */
  private static final Map<String, String> WHY = Map.of(
      "io", """
          **Why.** The kernel's own part of a round trip is the BenchLink row, whose driver
          completes each IRP at once. Per round trip the kernel now takes its lock twice (the
          IRP's reference on the device in `IoManager.newIrp`, its release in
          `IoManager.finish`; nothing at the end of the host call when no work is queued), keeps
          no string building on the path, and allocates about a dozen small objects: the IRP with
          its stack location and status block, the system buffer, the caller's copies of its input
          and output, the request and its result. Sioctl's row adds the WDK sample's own work:
          three DbgPrint lines per request, built with string concatenation and `printChars`, each
          appended to the kernel's trace as a record under the kernel lock; the difference between
          the two rows is that work (the sample prints them in checked builds only; jwdm keeps
          them, because the trace is where a user reads them). On this 2-core machine the JIT
          needs about 6 s before the path runs at its steady speed, and a single iteration can
          still be slowed by the JIT or by the other processes of the machine: see the error.
          """,
      "cycle-classpath-Sioctl", """
          **Why.** Sioctl's DriverEntry creates seven kernel objects (device, link, pool block,
          spin lock, process notify routine, timer, DPC), and the kernel records the creation
          stack of each with a `StackWalker` walk, so that a leak names where it was made.
          """,
      "cycle-image-signed", """
          **Why.** A signed image is read and verified entry by entry (`JarFile`'s verifier: each
          entry's digest, then the signature block against the trusted certificate), then its
          classes are checked against the runtime API, defined in a new class loader and verified
          by the JVM, and the glue is instantiated; Felix's bundle is not signed.
          """,
      "cycle-image-small", """
          **Why.** The cycle is reading the jar, checking its classes against the runtime API,
          defining them in a new class loader (the JVM verifies their bytecode) and running
          DriverEntry, open/close and Unload.
          """,
      "scale", """
          **Why.** No kernel structure is searched per device any more: plugging in matches
          drivers through a hardware-ID index, and removing a device or closing a handle takes
          constant time (device lists linked through the devices themselves, hash sets for
          handles, nodes and zombies; REMOVE_DEVICE looks only at its own stack), and the profile
          above has no kernel method whose share grows with the number of devices. Most of a
          step's time is the garbage collector's: the same harness with a 6 GiB young generation
          (`-Xmn6g`, so that few collections run) plugs in at about 30 µs a device instead of
          50, and removes at 3.5–8 µs. What is left of the fall in the removal's time per
          device from step to step is the collector's work on an old generation that empties
          (each young collection scans the old objects that point at new ones) and a working set
          that shrinks, as far as the profile and this experiment tell.
          """,
      "processor-1000", """
          **Why.** Most of the cost is javac's, and any processor that generates one source file
          per driver pays it. Generating files starts another annotation-processing round, and
          javac enters every source tree of the compilation again at each round change, mostly
          resolving imports (about a quarter of the compile in the profile); even the no-op
          processor, which generates nothing, pays one such change. For every file created,
          javac's `Filer` looks the new name up in every module of the JDK (10–15%). Then javac
          parses, attributes and generates the N glue classes. The processor's own share is now
          about a fifth of the compile: the glue has one nested routine class per driver instead
          of one per routine (Sioctl's glue: 2 class files, 3.5 KB, instead of 4 and 5.3 KB),
          parts every glue shares are built once, and each file is formatted once. Below this
          needs a different design: glue written as class files instead of sources (no second
          parse and attribution), or one source file per compilation instead of one per driver.
          The three settings also run in different forks at different moments, so the ratios
          move with the machine's load: see the spread of the runs, where the same compilation
          can take three times as long from one run to the next. The marginal cost per driver
          between 100 and 1000 drivers is within that spread; the processor does the same work
          for each driver (one model, the rules, one glue file).
          """,
      "dispatch-glue", """
          **Why.** The glue adds one interface call (`DriverDispatch.dispatch` on the glue's final
          nested `Routines` class, monomorphic at this call site) and, where one role has several
          methods, a `switch` on a final field, in front of the direct call, which the JIT
          normally inlines.
          """);

  private static final String HOW = """
      1. **Dispatch** (`DispatchBenchmark`, average time, 2 forks of 3 × 1 s warm-up and 5 × 1 s
         measured):
         Sioctl's CREATE/CLOSE routine (`sioctlCreateClose`: two status-block stores and
         IoCompleteRequest) called through the `DriverDispatch` object its generated glue stored in
         the driver object, against a direct call of the same method on the same driver instance,
         `Method.invoke`, and `MethodHandle.invokeExact` (held in a field, and static final). The
         driver object, IRP and kernel services are stand-ins (the services are a plain class
         generated from the `KernelServices` interface at setup, whose IoCompleteRequest counts):
         this is the call layer alone.
      2. **I/O round trip** (`IoRoundTripBenchmark`, average time, 2 forks of 8 × 1 s warm-up and
         5 × 1 s measured; on 2 cores the JIT needs about 6 s before this path runs at its steady
         speed): one thread
         calls `Handle.deviceIoControl(IOCTL_SIOCTL_METHOD_BUFFERED, 4 bytes, 64)` on an open
         handle: IRP and system buffer built, sent through the I/O manager, completed by the
         driver's dispatch routine, copied back. Sioctl is the WDK sample (which also formats three
         DbgPrint lines into the kernel's trace per request); BenchLink
         (`io.jwdm.benchmarks.drivers`, compiled through the processor) completes at once, so its
         figure is the kernel's own cost. The verifier is off, or `/standard` for that driver. The
         pending round trip: Toaster, an overlapped READ that pends (queued, cancelable) and a WRITE
         that completes it.
      3. **Load/unload cycle** (`LoadUnloadBenchmark`, `FelixBenchmark`, sample time, warm-up
         3 × 2 s for the class path and 5 × 2 s for images and Felix, 5 × 2 s measured; medians):
         each cycle boots a kernel (deterministic scheduler). Class path:
         `loadDriver(glue)` (install, DriverEntry: a device and a link; Sioctl also allocates pool,
         registers a process notify routine and starts a timer), open and close a handle,
         `unloadDriver` (Unload). Jar image: `loadImage` of the examples jar (read, signature
         verified against the examples build's test-signing certificate as the only trusted root,
         all classes defined and linked in a new class loader, glue found with ServiceLoader,
         Sioctl's DriverEntry), open/close, `unloadDriver`, then the kernel is closed and dropped.
         The GC proof runs after each iteration, outside the timed part: full collections until the
         JVM has unloaded at least (cycles × classes in the jar) classes, or the run fails. For
         reference, the same cycle through `Kernel.unloadImage`, whose own GC proof is inside the
         timed part. Felix 7.0.5: install (from bytes) → start → stop → uninstall →
         `FrameworkWiring.refreshBundles` (waited for) of a bundle whose one activator is compiled
         at setup.
         The one-driver image is BenchLink's class and glue written into a jar at setup, the size
         of the Felix bundle: once unsigned (that kernel boots in test-signing mode), and once
         signed with the examples build's test-signing key and verified against its certificate.
         The goal compares the signed one-driver image with Felix's one-activator bundle, like
         with like; the examples jar (3 drivers, 30 classes) is reported beside it.
      4. **Processor** (`ProcessorBenchmark`, single shot; each fork first compiles a 200-driver
         set with all three settings for 5 s, then 2 warm-up and 5 measured compilations; medians):
         javac in-process (`javax.tools`, outputs in memory) compiles N generated legacy drivers
         (DriverEntry with a device and a link, CREATE/CLOSE, DEVICE_CONTROL, Unload) with
         `-proc:none`, with a no-op processor claiming jwdm's annotations, and with the jwdm
         processor, which also generates N glue classes that javac compiles in a second round.
      5. **Scale** (`scale.ScaleHarness`, one JVM, `-Xmx8g`): 1,000 WDM drivers (hand-written
         `ScaleGlue`, one per name) and 100,000 devices, 100 per driver; each phase (plug in, open a
         handle on every FDO, close them, remove every device) in 4 equal steps. Growth is
         linear when the time and heap per object stay flat from step to step; steps 2–4 are
         compared, since step 1 also loads the 1,000 drivers and finishes warming the JIT. Heap
         after full collections; the baseline follows a warm-up (ten rounds of one device per
         driver plugged, opened, closed and removed: every driver loaded and unloaded, the
         kernel's bounded trace filled).
      """;
}

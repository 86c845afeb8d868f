package io.jwdm.benchmarks.scale;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/** Class histograms of the live heap (jcmd GC.class_histogram), and what grew between two. */
final class Histogram {
  private Histogram() {}

  /** The live-object histogram as jcmd prints it (it runs a full collection first). */
  static String take() {
    try {
      return (String) ManagementFactory.getPlatformMBeanServer().invoke(
          new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
          new Object[] {new String[0]}, new String[] {String[].class.getName()});
    } catch (Exception unavailable) {
      return "";
    }
  }

  /** The {@code limit} classes whose bytes grew most from {@code before} to {@code after}. */
  static List<Map<String, Object>> grown(String before, String after, int limit) {
    Map<String, long[]> old = parse(before);
    Map<String, long[]> now = parse(after);
    List<Map<String, Object>> grown = new ArrayList<>();
    for (Map.Entry<String, long[]> entry : now.entrySet()) {
      long[] was = old.getOrDefault(entry.getKey(), new long[2]);
      long bytes = entry.getValue()[1] - was[1];
      if (bytes > 0) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("class", entry.getKey());
        row.put("instances", entry.getValue()[0] - was[0]);
        row.put("bytes", bytes);
        grown.add(row);
      }
    }
    grown.sort((a, b) -> Long.compare((Long) b.get("bytes"), (Long) a.get("bytes")));
    return grown.subList(0, Math.min(limit, grown.size()));
  }

  private static Map<String, long[]> parse(String histogram) {
    Map<String, long[]> classes = new HashMap<>();
    for (String line : histogram.split("\n")) {
      String[] parts = line.trim().split("\\s+");
      if (parts.length >= 4 && parts[0].endsWith(":")) {
        try {
          String name = parts[3] + (parts.length > 4 ? " " + parts[4] : "");
          classes.put(name, new long[] {Long.parseLong(parts[1]), Long.parseLong(parts[2])});
        } catch (NumberFormatException header) {
          // not a row
        }
      }
    }
    return classes;
  }
}

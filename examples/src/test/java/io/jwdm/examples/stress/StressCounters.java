package io.jwdm.examples.stress;

import io.jwdm.kernel.NtStatus;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Everything one stress run counts, shared by its threads and by the instrumented drivers of its
 * kernel. Each invariant's violations are counted, with the first few described in {@link
 * #problems}, so that a failing run says what broke and how often.
 */
final class StressCounters {
  /** Requests the host sent: each is one IRP, or a refusal the I/O manager completes at once. */
  final LongAdder irps = new LongAdder();
  /** Requests whose result came back: a synchronous call returned, an overlapped one completed. */
  final LongAdder results = new LongAdder();
  /** Overlapped requests that did not complete within the bound. */
  final LongAdder lost = new LongAdder();
  /** Opens the kernel refused with a status (the driver unloading, the device gone). */
  final LongAdder refusedOpens = new LongAdder();
  final LongAdder opens = new LongAdder();
  /** Requests on a handle whose device was surprise-removed, answered with a status. */
  final LongAdder onRemovedDevice = new LongAdder();
  /** Host calls that threw anything but a refusal status. */
  final LongAdder exceptions = new LongAdder();

  /** Dispatch routines that started, in the instrumented drivers. */
  final LongAdder dispatches = new LongAdder();
  /** Dispatch routines that started after their driver's Unload routine had begun. */
  final LongAdder afterUnload = new LongAdder();
  /** Times an Unload routine and a dispatch routine of the same driver ran at once. */
  final LongAdder overlaps = new LongAdder();
  /** Unload routines that ran. */
  final LongAdder unloads = new LongAdder();

  /** IRPs the probe filter passed down, and the completions its completion routine saw. */
  final LongAdder probed = new LongAdder();
  final LongAdder probeCompletions = new LongAdder();
  /** Completions of an IRP the probe had already seen complete. */
  final LongAdder doubled = new LongAdder();
  /** IRPs the probe passed down that are not completed yet; lost if any remain at the end. */
  final Map<Object, Boolean> inFlight = new ConcurrentHashMap<>();

  /** Synchronous dispatches of Sioctl that returned without completing their IRP. */
  final LongAdder notCompletedByDispatch = new LongAdder();

  final AtomicLong legacyCycles = new AtomicLong();
  final AtomicLong wdmCycles = new AtomicLong();
  final AtomicLong replaces = new AtomicLong();
  final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
  final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

  void status(String what, NtStatus status) {
    statuses.computeIfAbsent(what + " " + status.name(), k -> new LongAdder()).increment();
  }

  void outcome(String what) {
    outcomes.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  /** Records a violation; keeps the first 20 descriptions. */
  void problem(LongAdder counter, String description) {
    counter.increment();
    if (problems.size() < 20) {
      problems.add(description);
    }
  }

  static String render(Map<String, LongAdder> counts) {
    Map<String, Long> sorted = new TreeMap<>();
    counts.forEach((k, v) -> sorted.put(k, v.sum()));
    StringBuilder out = new StringBuilder();
    sorted.forEach((k, v) -> out.append(String.format("    %-46s %,12d%n", k, v)));
    return out.toString();
  }
}

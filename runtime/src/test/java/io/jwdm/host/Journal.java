package io.jwdm.host;

import java.util.ArrayList;
import java.util.List;

/**
 * What the test drivers of one test did, in order: every routine call ("Filter IRP_MN_START_DEVICE",
 * "Held Unload") plus what a routine chose to note, and every driver instance DriverEntry created.
 * One journal per test, shared by the drivers of that test; thread-safe.
 */
final class Journal {
  private final List<String> events = new ArrayList<>();
  private final List<TestDriver.Instance> instances = new ArrayList<>();

  synchronized void add(String event) {
    events.add(event);
  }

  /** Every event so far, oldest first. */
  synchronized List<String> events() {
    return List.copyOf(events);
  }

  /** The events of one driver, without the driver's name: "DriverEntry", "IRP_MJ_CREATE", ... */
  synchronized List<String> eventsOf(String driver) {
    List<String> out = new ArrayList<>();
    for (String event : events) {
      if (event.startsWith(driver + " ")) {
        out.add(event.substring(driver.length() + 1));
      }
    }
    return out;
  }

  synchronized int count(String event) {
    int count = 0;
    for (String e : events) {
      if (e.equals(event)) {
        count++;
      }
    }
    return count;
  }

  synchronized boolean contains(String event) {
    return events.contains(event);
  }

  /** Index of the first occurrence of {@code event}, or -1. */
  synchronized int indexOf(String event) {
    return events.indexOf(event);
  }

  synchronized void register(TestDriver.Instance instance) {
    instances.add(instance);
  }

  /** The instances DriverEntry created for {@code driver}, oldest first. */
  synchronized List<TestDriver.Instance> instances(String driver) {
    List<TestDriver.Instance> out = new ArrayList<>();
    for (TestDriver.Instance instance : instances) {
      if (instance.name().equals(driver)) {
        out.add(instance);
      }
    }
    return out;
  }

  /** The newest instance of {@code driver}. */
  synchronized TestDriver.Instance last(String driver) {
    List<TestDriver.Instance> all = instances(driver);
    if (all.isEmpty()) {
      throw new AssertionError("DriverEntry of " + driver + " never ran; journal: " + events);
    }
    return all.get(all.size() - 1);
  }

  @Override
  public synchronized String toString() {
    return String.join("\n", events);
  }
}

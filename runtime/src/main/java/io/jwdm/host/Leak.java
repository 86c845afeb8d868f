package io.jwdm.host;

import java.util.List;

/**
 * A kernel object a driver left behind: still alive when it should have been released (at Unload,
 * after a failed DriverEntry, or after REMOVE_DEVICE).
 *
 * @param kind the object's kind, such as {@code DeviceObject}, {@code SymbolicLink} or
 *     {@code Pool}
 * @param driverName the driver that created it
 * @param description the object, such as its name or address
 * @param when when the leak was found, such as {@code Unload} or {@code DriverEntry failed}
 * @param tag the pool tag, or null where none applies
 * @param size the size in bytes, or -1 where none applies
 * @param creationStack the stack of the call that created the object, innermost first
 */
public record Leak(String kind, String driverName, String description, String when, String tag,
    long size, List<StackTraceElement> creationStack) {
  /** Compact constructor: copies the stack. */
  public Leak {
    creationStack = List.copyOf(creationStack);
  }

  /** A leak of an object with no tag and no size. */
  public Leak(String kind, String driverName, String description, String when,
      List<StackTraceElement> creationStack) {
    this(kind, driverName, description, when, null, -1, creationStack);
  }

  /** A multi-line description with the creation stack. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(kind).append(' ').append(description);
    if (tag != null) {
      out.append(" tag '").append(tag).append('\'');
    }
    if (size >= 0) {
      out.append(", ").append(size).append(" bytes");
    }
    out.append(" of ").append(driverName).append(", left at ").append(when)
        .append(System.lineSeparator());
    out.append("  created at:").append(System.lineSeparator());
    for (StackTraceElement frame : creationStack) {
      out.append("    ").append(frame).append(System.lineSeparator());
    }
    return out.toString();
  }
}

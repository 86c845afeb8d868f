package io.jwdm.host;

import java.util.List;

/**
 * A kernel object a driver left behind: still alive when it should have been released (at Unload,
 * after a failed DriverEntry, or after REMOVE_DEVICE).
 *
 * @param kind the object's kind, such as {@code DeviceObject} or {@code SymbolicLink}
 * @param driverName the driver that created it
 * @param description the object, such as its name
 * @param when when the leak was found, such as {@code Unload} or {@code DriverEntry failed}
 * @param creationStack the stack of the call that created the object, innermost first
 */
public record Leak(String kind, String driverName, String description, String when,
    List<StackTraceElement> creationStack) {
  /** Compact constructor: copies the stack. */
  public Leak {
    creationStack = List.copyOf(creationStack);
  }

  /** A multi-line description with the creation stack. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(kind).append(' ').append(description).append(" of ").append(driverName)
        .append(", left at ").append(when).append(System.lineSeparator());
    out.append("  created at:").append(System.lineSeparator());
    for (StackTraceElement frame : creationStack) {
      out.append("    ").append(frame).append(System.lineSeparator());
    }
    return out.toString();
  }
}

package io.jwdm.host;

import java.util.List;

/**
 * A live driver-owned kernel object, as {@link Kernel#liveObjects()} lists it: a pool block, a set
 * timer, a queued DPC, a work item, a system thread, a registered callback, a connected interrupt
 * or a lookaside list.
 *
 * @param kind the object's kind, such as {@code Pool} or {@code Timer}
 * @param driverName the driver that owns it, or {@code system}
 * @param description the object, such as its address
 * @param tag the pool tag, or null where none applies
 * @param size the size in bytes, or -1 where none applies
 * @param creationStack the stack of the call that created it, innermost first
 */
public record KernelObject(String kind, String driverName, String description, String tag,
    long size, List<StackTraceElement> creationStack) {
  /** Compact constructor: copies the stack. */
  public KernelObject {
    creationStack = List.copyOf(creationStack);
  }
}

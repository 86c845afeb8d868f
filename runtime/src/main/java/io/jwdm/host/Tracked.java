package io.jwdm.host;

import java.util.List;

/**
 * A driver-owned kernel object the verifier watches: a set timer, a queued DPC, a work item, a
 * system thread, a registered callback, a connected interrupt, a lookaside list. An object is
 * tracked from when it becomes live (set, queued, started, registered) until it is released; one
 * still tracked when its driver unloads is a leak.
 */
final class Tracked {
  /** What a leak of the object means at unload. */
  enum Category {
    /** A timer or DPC still queued: bug check 0xC7 TIMER_OR_DPC_INVALID. */
    TIMER_OR_DPC,
    /**
     * A work item, thread, callback, interrupt or lookaside list still live: bug check 0xCE
     * DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS.
     */
    PENDING_OPERATION
  }

  final String kind;
  final DriverObjectImpl owner;
  final long address;
  final String description;
  final Category category;
  final List<StackTraceElement> creationStack;
  /** Releases the object when its leak is reclaimed (cancels, unregisters, stops). */
  final Runnable reclaim;

  Tracked(String kind, DriverObjectImpl owner, long address, String description,
      Category category, List<StackTraceElement> creationStack, Runnable reclaim) {
    this.kind = kind;
    this.owner = owner;
    this.address = address;
    this.description = description;
    this.category = category;
    this.creationStack = creationStack;
    this.reclaim = reclaim;
  }

  Leak leak(String when) {
    return new Leak(kind, owner == null ? "system" : owner.name(), description, when,
        creationStack);
  }
}

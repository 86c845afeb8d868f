package io.jwdm.host;

import java.util.List;

/**
 * A call the low-resources simulation failed. With the kernel's seed and the call index, the same
 * settings fail the same call again.
 *
 * @param service the service that failed, such as {@code ExAllocatePool2}
 * @param driverName the driver that called it
 * @param tag the pool tag, or null
 * @param seed the kernel's seed
 * @param callIndex the index of the call among the eligible calls of this kernel, from 1
 * @param systematic true if the systematic simulation failed it (its first time at this stack)
 * @param stack the caller's stack, innermost first
 */
public record InjectedFailure(String service, String driverName, String tag, long seed,
    long callIndex, boolean systematic, List<StackTraceElement> stack) {
  /** Compact constructor: copies the stack. */
  public InjectedFailure {
    stack = List.copyOf(stack);
  }

  /** One line: what failed, for which driver, and how to replay it. */
  public String summary() {
    return String.format("%s failed for %s%s: %s call #%d, seed %d", service, driverName,
        tag == null ? "" : " (tag '" + tag + "')", systematic ? "systematic" : "randomized",
        callIndex, seed);
  }
}

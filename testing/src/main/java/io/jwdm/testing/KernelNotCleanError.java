package io.jwdm.testing;

import io.jwdm.host.KernelReport;
import java.util.List;
import org.opentest4j.AssertionFailedError;

/**
 * The failure of a {@link KernelTest} whose kernel was not left clean: the system stopped with a
 * bug check, a driver left an object behind, a handle was left open, a driver stayed loaded, the
 * kernel traced a violation, or an unloaded image stayed in memory.
 *
 * <p>The message lists each {@link #problems() problem}, names the {@link #seed() seed} that
 * replays the test, and ends with the kernel's full report ({@link KernelReport#renderText()}):
 * the bug check with its parameters, and each leaked object with the stack that created it.
 */
public final class KernelNotCleanError extends AssertionFailedError {
  private static final long serialVersionUID = 1L;

  private final long seed;
  private final List<String> problems;
  private final transient KernelReport report;

  KernelNotCleanError(String message, long seed, List<String> problems, KernelReport report) {
    super(message);
    this.seed = seed;
    this.problems = List.copyOf(problems);
    this.report = report;
  }

  /** The kernel's seed: {@code -Djwdm.seed=<seed>} replays the test. */
  public long seed() {
    return seed;
  }

  /** What was not clean, one line each, such as {@code "2 objects left behind"}; never empty. */
  public List<String> problems() {
    return problems;
  }

  /**
   * The kernel's report after the teardown; null only in a copy of this error that was serialized
   * (the report is not serializable, its text is in the message).
   */
  public KernelReport report() {
    return report;
  }
}

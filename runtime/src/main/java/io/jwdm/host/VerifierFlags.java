package io.jwdm.host;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Driver Verifier's option flags, with the WDK's values. Enable them per driver with
 * {@link KernelOptions.Builder#verifier(String, int)}.
 *
 * <p>What jwdm checks under each flag:
 * <ul>
 *   <li>{@link #SPECIAL_POOL}: a pool access beyond the end of a block (0xD6) or after it was freed
 *       (0xD5) is caught.
 *   <li>{@link #POOL_TRACKING}: pool left allocated at Unload, or after a failed DriverEntry, is bug
 *       check 0xC4 / 0x62; pool allocated while the driver is unloading is 0xC4 / 0x61.
 *   <li>{@link #IO_VERIFICATION}: the 0xC9 checks of dispatch results, REMOVE_DEVICE handling,
 *       deleting and detaching; devices and links a legacy driver leaves at Unload are 0xCE.
 *   <li>{@link #DEADLOCK_DETECTION}: a lock-order graph over spin locks and fast mutexes; a cycle
 *       is 0xC4 / 0x1001, and recursive acquisition or a release by a non-owner the 0xC4 / 0x1000s.
 *   <li>{@link #FORCE_IRQL_CHECKING}: pool allocated or freed above its IRQL limit is 0xC4 / 0x01,
 *       0x02, 0x11, 0x12 instead of 0xA.
 *   <li>{@link #RANDOMIZED_LOW_RESOURCES}, {@link #SYSTEMATIC_LOW_RESOURCES}: pool, work item,
 *       device and MDL-mapping calls fail as {@link LowResources} says.
 *   <li>Any flag: a driver with no Unload routine is refused, as Driver Verifier fails it.
 * </ul>
 * Timers and DPCs left queued (0xC7), and work items, threads, callbacks, interrupts and lookaside
 * lists left live (0xCE) at unload stop the system whether or not the verifier is on: they would
 * run code that is no longer loaded.
 */
public final class VerifierFlags {
  private VerifierFlags() {}

  /** Special pool (0x1). */
  public static final int SPECIAL_POOL = 0x1;
  /** Force IRQL checking (0x2). */
  public static final int FORCE_IRQL_CHECKING = 0x2;
  /** Randomized low resources simulation (0x4). */
  public static final int RANDOMIZED_LOW_RESOURCES = 0x4;
  /** Pool tracking (0x8). */
  public static final int POOL_TRACKING = 0x8;
  /** I/O verification (0x10). */
  public static final int IO_VERIFICATION = 0x10;
  /** Deadlock detection (0x20). */
  public static final int DEADLOCK_DETECTION = 0x20;
  /** Miscellaneous checks (0x800). */
  public static final int MISCELLANEOUS = 0x800;
  /** Systematic low resources simulation (0x40000). */
  public static final int SYSTEMATIC_LOW_RESOURCES = 0x40000;
  /** {@code /standard}: every flag above except the two low-resources simulations. */
  public static final int STANDARD = SPECIAL_POOL | FORCE_IRQL_CHECKING | POOL_TRACKING
      | IO_VERIFICATION | DEADLOCK_DETECTION | MISCELLANEOUS;

  private static final int[] VALUES = {SPECIAL_POOL, FORCE_IRQL_CHECKING, RANDOMIZED_LOW_RESOURCES,
      POOL_TRACKING, IO_VERIFICATION, DEADLOCK_DETECTION, MISCELLANEOUS, SYSTEMATIC_LOW_RESOURCES};
  private static final String[] NAMES = {"special pool", "force IRQL checking",
      "randomized low resources", "pool tracking", "I/O verification", "deadlock detection",
      "miscellaneous", "systematic low resources"};

  /**
   * Parses {@code standard} (or {@code /standard}), a hex value such as {@code 0x8} or a decimal
   * value.
   *
   * @throws IllegalArgumentException if the text is none of these, or names an unknown flag
   */
  public static int parse(String text) {
    java.util.Objects.requireNonNull(text, "text");
    String trimmed = text.trim().toLowerCase(Locale.ROOT);
    if (trimmed.equals("standard") || trimmed.equals("/standard")) {
      return STANDARD;
    }
    int flags;
    try {
      flags = trimmed.startsWith("0x") ? Integer.parseUnsignedInt(trimmed.substring(2), 16)
          : Integer.parseInt(trimmed);
    } catch (NumberFormatException notANumber) {
      throw new IllegalArgumentException("not verifier flags: '" + text
          + "' (expected 'standard', a hex value such as 0x8, or a decimal value)");
    }
    int known = 0;
    for (int value : VALUES) {
      known |= value;
    }
    if ((flags & ~known) != 0) {
      throw new IllegalArgumentException(String.format(
          "unknown verifier flag(s) 0x%X in '%s'; known: 0x%X", flags & ~known, text, known));
    }
    return flags;
  }

  /** The names of the flags set in {@code flags}, such as {@code [pool tracking]}. */
  public static List<String> describe(int flags) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < VALUES.length; i++) {
      if ((flags & VALUES[i]) != 0) {
        names.add(NAMES[i]);
      }
    }
    return names;
  }
}

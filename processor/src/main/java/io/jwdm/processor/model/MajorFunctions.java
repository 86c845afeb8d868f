package io.jwdm.processor.model;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The IRP major functions in the order of their {@code IRP_MJ_*} codes, as {@code
 * io.jwdm.kernel.MajorFunction} declares them. The processor orders dispatch slots by this table
 * rather than by reading the enum's members, whose order a compiler need not keep for a class file.
 */
public final class MajorFunctions {
  /** {@code IRP_MJ_PNP}. */
  public static final String PNP = "PNP";

  /** {@code IRP_MJ_POWER}. */
  public static final String POWER = "POWER";

  /** {@code IRP_MJ_CREATE}. */
  public static final String CREATE = "CREATE";

  /** {@code IRP_MJ_CLOSE}. */
  public static final String CLOSE = "CLOSE";

  /** {@code IRP_MJ_SYSTEM_CONTROL}. */
  public static final String SYSTEM_CONTROL = "SYSTEM_CONTROL";

  private static final List<String> BY_CODE =
      List.of(
          "CREATE",
          "CREATE_NAMED_PIPE",
          "CLOSE",
          "READ",
          "WRITE",
          "QUERY_INFORMATION",
          "SET_INFORMATION",
          "QUERY_EA",
          "SET_EA",
          "FLUSH_BUFFERS",
          "QUERY_VOLUME_INFORMATION",
          "SET_VOLUME_INFORMATION",
          "DIRECTORY_CONTROL",
          "FILE_SYSTEM_CONTROL",
          "DEVICE_CONTROL",
          "INTERNAL_DEVICE_CONTROL",
          "SHUTDOWN",
          "LOCK_CONTROL",
          "CLEANUP",
          "CREATE_MAILSLOT",
          "QUERY_SECURITY",
          "SET_SECURITY",
          "POWER",
          "SYSTEM_CONTROL",
          "DEVICE_CHANGE",
          "QUERY_QUOTA",
          "SET_QUOTA",
          "PNP");

  /**
   * Orders major function names by code. A name this table does not know (a constant added to a
   * newer runtime) sorts after the known ones, by name.
   */
  public static final Comparator<String> BY_CODE_ORDER =
      Comparator.comparingInt(MajorFunctions::rank).thenComparing(Comparator.naturalOrder());

  private MajorFunctions() {}

  private static int rank(String name) {
    int index = BY_CODE.indexOf(name);
    return index >= 0 ? index : BY_CODE.size();
  }

  /**
   * The method name a fix suggests for a dispatch routine of the given major functions, such as
   * {@code dispatchCreateClose} for CREATE and CLOSE.
   */
  public static String suggestedMethodName(List<String> functions) {
    StringBuilder name = new StringBuilder("dispatch");
    for (String function : functions) {
      for (String word : function.split("_")) {
        if (!word.isEmpty()) {
          name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
      }
    }
    return name.toString();
  }
}

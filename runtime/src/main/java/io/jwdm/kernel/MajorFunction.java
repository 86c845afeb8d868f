package io.jwdm.kernel;

/**
 * The IRP major function codes ({@code IRP_MJ_*} in wdm.h), with their numeric values. Names drop
 * the {@code IRP_MJ_} prefix.
 */
public enum MajorFunction {
  CREATE(0x00),
  CREATE_NAMED_PIPE(0x01),
  CLOSE(0x02),
  READ(0x03),
  WRITE(0x04),
  QUERY_INFORMATION(0x05),
  SET_INFORMATION(0x06),
  QUERY_EA(0x07),
  SET_EA(0x08),
  FLUSH_BUFFERS(0x09),
  QUERY_VOLUME_INFORMATION(0x0a),
  SET_VOLUME_INFORMATION(0x0b),
  DIRECTORY_CONTROL(0x0c),
  FILE_SYSTEM_CONTROL(0x0d),
  DEVICE_CONTROL(0x0e),
  INTERNAL_DEVICE_CONTROL(0x0f),
  SHUTDOWN(0x10),
  LOCK_CONTROL(0x11),
  CLEANUP(0x12),
  CREATE_MAILSLOT(0x13),
  QUERY_SECURITY(0x14),
  SET_SECURITY(0x15),
  POWER(0x16),
  SYSTEM_CONTROL(0x17),
  DEVICE_CHANGE(0x18),
  QUERY_QUOTA(0x19),
  SET_QUOTA(0x1a),
  PNP(0x1b);

  /** {@code IRP_MJ_MAXIMUM_FUNCTION}: the highest major function code. */
  public static final int MAXIMUM_FUNCTION = 0x1b;

  private static final MajorFunction[] BY_CODE = values();

  private final int code;

  MajorFunction(int code) {
    this.code = code;
  }

  /** The numeric {@code IRP_MJ_*} value, 0x00 to 0x1B; also the index into the dispatch table. */
  public int code() {
    return code;
  }

  /** The WDK name of this code, such as {@code IRP_MJ_DEVICE_CONTROL}. */
  public String wdkName() {
    return "IRP_MJ_" + name();
  }

  /**
   * The major function with the given code.
   *
   * @throws IllegalArgumentException if {@code code} is not between 0x00 and 0x1B
   */
  public static MajorFunction ofCode(int code) {
    if (code < 0 || code > MAXIMUM_FUNCTION) {
      throw new IllegalArgumentException(
          "not an IRP_MJ_ code: 0x" + Integer.toHexString(code) + " (expected 0x00 to 0x1b)");
    }
    return BY_CODE[code];
  }
}

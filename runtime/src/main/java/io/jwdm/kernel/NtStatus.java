package io.jwdm.kernel;

/**
 * An {@code NTSTATUS} value: what every kernel routine and service returns.
 *
 * <p>The 32-bit value has the layout of ntstatus.h. Its top two bits give the severity: success
 * (0), informational (1), warning (2), error (3). {@link #isSuccess()} is {@code NT_SUCCESS}: true
 * for success and informational values. Constants carry the real values and are named without the
 * {@code STATUS_} prefix.
 *
 * <p>Instances are immutable values: compare them with {@link #equals(Object)}, or compare
 * {@link #value()}s. {@link #of(int)} returns the constant for a known value and a new instance for
 * any other, so a driver may return any status a real driver could.
 */
public final class NtStatus {
  /** {@code STATUS_SUCCESS} (0x00000000): The operation completed successfully. */
  public static final NtStatus SUCCESS = new NtStatus(0x00000000, "SUCCESS");

  /**
   * {@code STATUS_CONTINUE_COMPLETION} (0x00000000): what a completion routine returns to let
   * completion go on up the stack (the same value as SUCCESS).
   */
  public static final NtStatus CONTINUE_COMPLETION = new NtStatus(0x00000000, "CONTINUE_COMPLETION");
  /** {@code STATUS_WAIT_0} (0x00000000): A wait was satisfied by the first object (same value as SUCCESS). */
  public static final NtStatus WAIT_0 = new NtStatus(0x00000000, "WAIT_0");

  /** {@code STATUS_TIMEOUT} (0x00000102): A wait timed out. */
  public static final NtStatus TIMEOUT = new NtStatus(0x00000102, "TIMEOUT");

  /** {@code STATUS_PENDING} (0x00000103): The operation will complete later; the IRP was marked pending. */
  public static final NtStatus PENDING = new NtStatus(0x00000103, "PENDING");

  /** {@code STATUS_REPARSE} (0x00000104): The object name must be reparsed. */
  public static final NtStatus REPARSE = new NtStatus(0x00000104, "REPARSE");

  /** {@code STATUS_MORE_ENTRIES} (0x00000105): More entries are available. */
  public static final NtStatus MORE_ENTRIES = new NtStatus(0x00000105, "MORE_ENTRIES");

  /** {@code STATUS_BUFFER_OVERFLOW} (0x80000005): The data was too large for the buffer; what fitted was returned (a warning). */
  public static final NtStatus BUFFER_OVERFLOW = new NtStatus(0x80000005, "BUFFER_OVERFLOW");

  /** {@code STATUS_NO_MORE_ENTRIES} (0x8000001A): No more entries are available (a warning). */
  public static final NtStatus NO_MORE_ENTRIES = new NtStatus(0x8000001A, "NO_MORE_ENTRIES");

  /** {@code STATUS_DEVICE_BUSY} (0x80000011): The device is busy (a warning). */
  public static final NtStatus DEVICE_BUSY = new NtStatus(0x80000011, "DEVICE_BUSY");

  /** {@code STATUS_UNSUCCESSFUL} (0xC0000001): The requested operation was unsuccessful. */
  public static final NtStatus UNSUCCESSFUL = new NtStatus(0xC0000001, "UNSUCCESSFUL");

  /** {@code STATUS_NOT_IMPLEMENTED} (0xC0000002): The requested operation is not implemented. */
  public static final NtStatus NOT_IMPLEMENTED = new NtStatus(0xC0000002, "NOT_IMPLEMENTED");

  /** {@code STATUS_INVALID_INFO_CLASS} (0xC0000003): The information class is not valid. */
  public static final NtStatus INVALID_INFO_CLASS = new NtStatus(0xC0000003, "INVALID_INFO_CLASS");

  /** {@code STATUS_INFO_LENGTH_MISMATCH} (0xC0000004): The length does not match what the information class requires. */
  public static final NtStatus INFO_LENGTH_MISMATCH = new NtStatus(0xC0000004, "INFO_LENGTH_MISMATCH");

  /** {@code STATUS_ACCESS_VIOLATION} (0xC0000005): An access violation occurred. */
  public static final NtStatus ACCESS_VIOLATION = new NtStatus(0xC0000005, "ACCESS_VIOLATION");

  /** {@code STATUS_INVALID_HANDLE} (0xC0000008): The handle is not valid. */
  public static final NtStatus INVALID_HANDLE = new NtStatus(0xC0000008, "INVALID_HANDLE");

  /** {@code STATUS_INVALID_PARAMETER} (0xC000000D): A parameter is not valid. */
  public static final NtStatus INVALID_PARAMETER = new NtStatus(0xC000000D, "INVALID_PARAMETER");

  /** {@code STATUS_NO_SUCH_DEVICE} (0xC000000E): The device does not exist. */
  public static final NtStatus NO_SUCH_DEVICE = new NtStatus(0xC000000E, "NO_SUCH_DEVICE");

  /** {@code STATUS_INVALID_DEVICE_REQUEST} (0xC0000010): The request is not valid for this device; the default for a major function with no dispatch routine. */
  public static final NtStatus INVALID_DEVICE_REQUEST = new NtStatus(0xC0000010, "INVALID_DEVICE_REQUEST");

  /** {@code STATUS_MORE_PROCESSING_REQUIRED} (0xC0000016): Returned by a completion routine to stop completion and keep the IRP. */
  public static final NtStatus MORE_PROCESSING_REQUIRED = new NtStatus(0xC0000016, "MORE_PROCESSING_REQUIRED");

  /** {@code STATUS_NO_MEMORY} (0xC0000017): Not enough virtual memory or paging file quota. */
  public static final NtStatus NO_MEMORY = new NtStatus(0xC0000017, "NO_MEMORY");

  /** {@code STATUS_ACCESS_DENIED} (0xC0000022): Access was denied. */
  public static final NtStatus ACCESS_DENIED = new NtStatus(0xC0000022, "ACCESS_DENIED");

  /** {@code STATUS_BUFFER_TOO_SMALL} (0xC0000023): The buffer is too small to hold the data. */
  public static final NtStatus BUFFER_TOO_SMALL = new NtStatus(0xC0000023, "BUFFER_TOO_SMALL");

  /** {@code STATUS_OBJECT_TYPE_MISMATCH} (0xC0000024): The object is not of the expected type. */
  public static final NtStatus OBJECT_TYPE_MISMATCH = new NtStatus(0xC0000024, "OBJECT_TYPE_MISMATCH");

  /** {@code STATUS_OBJECT_NAME_INVALID} (0xC0000033): The object name is malformed. */
  public static final NtStatus OBJECT_NAME_INVALID = new NtStatus(0xC0000033, "OBJECT_NAME_INVALID");

  /** {@code STATUS_OBJECT_NAME_NOT_FOUND} (0xC0000034): No object has that name. */
  public static final NtStatus OBJECT_NAME_NOT_FOUND = new NtStatus(0xC0000034, "OBJECT_NAME_NOT_FOUND");

  /** {@code STATUS_OBJECT_NAME_COLLISION} (0xC0000035): An object with that name already exists. */
  public static final NtStatus OBJECT_NAME_COLLISION = new NtStatus(0xC0000035, "OBJECT_NAME_COLLISION");

  /** {@code STATUS_OBJECT_PATH_SYNTAX_BAD} (0xC000003B): The object path is malformed. */
  public static final NtStatus OBJECT_PATH_SYNTAX_BAD = new NtStatus(0xC000003B, "OBJECT_PATH_SYNTAX_BAD");

  /** {@code STATUS_DELETE_PENDING} (0xC0000056): The object is being deleted; no new references are accepted. */
  public static final NtStatus DELETE_PENDING = new NtStatus(0xC0000056, "DELETE_PENDING");

  /** {@code STATUS_INVALID_IMAGE_FORMAT} (0xC000007B): The image is not a valid driver image. */
  public static final NtStatus INVALID_IMAGE_FORMAT = new NtStatus(0xC000007B, "INVALID_IMAGE_FORMAT");

  /** {@code STATUS_INSUFFICIENT_RESOURCES} (0xC000009A): Not enough system resources to complete the request. */
  public static final NtStatus INSUFFICIENT_RESOURCES = new NtStatus(0xC000009A, "INSUFFICIENT_RESOURCES");

  /** {@code STATUS_DEVICE_NOT_CONNECTED} (0xC000009D): The device is not connected. */
  public static final NtStatus DEVICE_NOT_CONNECTED = new NtStatus(0xC000009D, "DEVICE_NOT_CONNECTED");

  /** {@code STATUS_NOT_SUPPORTED} (0xC00000BB): The request is not supported. */
  public static final NtStatus NOT_SUPPORTED = new NtStatus(0xC00000BB, "NOT_SUPPORTED");

  /** {@code STATUS_INTERNAL_ERROR} (0xC00000E5): An internal error occurred. */
  public static final NtStatus INTERNAL_ERROR = new NtStatus(0xC00000E5, "INTERNAL_ERROR");

  /** {@code STATUS_IMAGE_ALREADY_LOADED} (0xC000010E): A driver of that name is already loaded. */
  public static final NtStatus IMAGE_ALREADY_LOADED = new NtStatus(0xC000010E, "IMAGE_ALREADY_LOADED");

  /** {@code STATUS_CANCELLED} (0xC0000120): The I/O request was cancelled. */
  public static final NtStatus CANCELLED = new NtStatus(0xC0000120, "CANCELLED");

  /** {@code STATUS_FILE_CLOSED} (0xC0000128): The handle was closed or its device is gone. */
  public static final NtStatus FILE_CLOSED = new NtStatus(0xC0000128, "FILE_CLOSED");

  /** {@code STATUS_INVALID_DEVICE_STATE} (0xC0000184): The device is not in a state that allows the request. */
  public static final NtStatus INVALID_DEVICE_STATE = new NtStatus(0xC0000184, "INVALID_DEVICE_STATE");

  /** {@code STATUS_PLUGPLAY_NO_DEVICE} (0xC000025E): The device is not present, or has no driver. */
  public static final NtStatus PLUGPLAY_NO_DEVICE = new NtStatus(0xC000025E, "PLUGPLAY_NO_DEVICE");

  /** {@code STATUS_DRIVER_UNABLE_TO_LOAD} (0xC000026C): The driver could not be loaded. */
  public static final NtStatus DRIVER_UNABLE_TO_LOAD = new NtStatus(0xC000026C, "DRIVER_UNABLE_TO_LOAD");

  /** {@code STATUS_DEVICE_REMOVED} (0xC00002B6): The device has been removed. */
  public static final NtStatus DEVICE_REMOVED = new NtStatus(0xC00002B6, "DEVICE_REMOVED");

  /** {@code STATUS_INVALID_IMAGE_HASH} (0xC0000428): The image's signature is missing, invalid or not trusted. */
  public static final NtStatus INVALID_IMAGE_HASH = new NtStatus(0xC0000428, "INVALID_IMAGE_HASH");

  /** {@code STATUS_SYSTEM_SHUTDOWN} (0xC00002EB): The system is shutting down, or has stopped with a bug check. */
  public static final NtStatus SYSTEM_SHUTDOWN = new NtStatus(0xC00002EB, "SYSTEM_SHUTDOWN");

  private final int value;
  private final String name;
  /** {@link #toString()}, built once: traces and reports print statuses often. */
  private final String text;

  private NtStatus(int value, String name) {
    this.value = value;
    this.name = name;
    String hex = String.format("0x%08X", value);
    this.text = name != null ? "STATUS_" + name + " (" + hex + ")" : hex;
  }

  /**
   * The status with the given 32-bit value: a named constant when one has that value, otherwise
   * an unnamed status.
   */
  public static NtStatus of(int value) {
    switch (value) {
      case 0x00000000: return SUCCESS;
      case 0x00000102: return TIMEOUT;
      case 0x00000103: return PENDING;
      case 0x00000104: return REPARSE;
      case 0x00000105: return MORE_ENTRIES;
      case 0x80000005: return BUFFER_OVERFLOW;
      case 0x8000001A: return NO_MORE_ENTRIES;
      case 0x80000011: return DEVICE_BUSY;
      case 0xC0000001: return UNSUCCESSFUL;
      case 0xC0000002: return NOT_IMPLEMENTED;
      case 0xC0000003: return INVALID_INFO_CLASS;
      case 0xC0000004: return INFO_LENGTH_MISMATCH;
      case 0xC0000005: return ACCESS_VIOLATION;
      case 0xC0000008: return INVALID_HANDLE;
      case 0xC000000D: return INVALID_PARAMETER;
      case 0xC000000E: return NO_SUCH_DEVICE;
      case 0xC0000010: return INVALID_DEVICE_REQUEST;
      case 0xC0000016: return MORE_PROCESSING_REQUIRED;
      case 0xC0000017: return NO_MEMORY;
      case 0xC0000022: return ACCESS_DENIED;
      case 0xC0000023: return BUFFER_TOO_SMALL;
      case 0xC0000024: return OBJECT_TYPE_MISMATCH;
      case 0xC0000033: return OBJECT_NAME_INVALID;
      case 0xC0000034: return OBJECT_NAME_NOT_FOUND;
      case 0xC0000035: return OBJECT_NAME_COLLISION;
      case 0xC000003B: return OBJECT_PATH_SYNTAX_BAD;
      case 0xC0000056: return DELETE_PENDING;
      case 0xC000007B: return INVALID_IMAGE_FORMAT;
      case 0xC000009A: return INSUFFICIENT_RESOURCES;
      case 0xC000009D: return DEVICE_NOT_CONNECTED;
      case 0xC00000BB: return NOT_SUPPORTED;
      case 0xC00000E5: return INTERNAL_ERROR;
      case 0xC000010E: return IMAGE_ALREADY_LOADED;
      case 0xC0000120: return CANCELLED;
      case 0xC0000128: return FILE_CLOSED;
      case 0xC0000184: return INVALID_DEVICE_STATE;
      case 0xC000025E: return PLUGPLAY_NO_DEVICE;
      case 0xC000026C: return DRIVER_UNABLE_TO_LOAD;
      case 0xC00002B6: return DEVICE_REMOVED;
      case 0xC0000428: return INVALID_IMAGE_HASH;
      case 0xC00002EB: return SYSTEM_SHUTDOWN;
      default: return new NtStatus(value, null);
    }
  }

  /** The 32-bit {@code NTSTATUS} value. */
  public int value() {
    return value;
  }

  /** The severity, the value's top two bits: 0 success, 1 informational, 2 warning, 3 error. */
  public int severity() {
    return value >>> 30;
  }

  /** {@code NT_SUCCESS}: true for a success or informational status. */
  public boolean isSuccess() {
    return value >= 0;
  }

  /** {@code NT_INFORMATION}: true for an informational status (severity 1). */
  public boolean isInformational() {
    return severity() == 1;
  }

  /** {@code NT_WARNING}: true for a warning status (severity 2). */
  public boolean isWarning() {
    return severity() == 2;
  }

  /** {@code NT_ERROR}: true for an error status (severity 3). */
  public boolean isError() {
    return severity() == 3;
  }

  /**
   * The WDK name without the {@code STATUS_} prefix, such as {@code "SUCCESS"}, or the value in hex
   * for a status jwdm has no name for.
   */
  public String name() {
    return name != null ? name : String.format("0x%08X", value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof NtStatus && ((NtStatus) other).value == value;
  }

  @Override
  public int hashCode() {
    return value;
  }

  /** For example {@code STATUS_SUCCESS (0x00000000)}, or {@code 0xE0000001} for an unnamed value. */
  @Override
  public String toString() {
    return text;
  }
}

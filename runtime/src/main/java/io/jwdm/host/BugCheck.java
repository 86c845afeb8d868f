package io.jwdm.host;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A bug check: why the simulated system stopped. It carries what Windows gives (the code and four
 * parameters) and what jwdm adds: the driver at fault and, for a routine that threw, the exception.
 *
 * @param code the bug check code, such as {@link #KMODE_EXCEPTION_NOT_HANDLED}
 * @param parameter1 the first parameter, as Windows defines it for {@code code}
 * @param parameter2 the second parameter
 * @param parameter3 the third parameter
 * @param parameter4 the fourth parameter
 * @param driverName the name of the driver at fault, or null if none is known
 * @param message what happened, in words
 * @param cause the exception a routine threw, or null
 * @param objects the objects the bug check is about, such as the pool a driver leaked, each with
 *     the stack that created it; empty when none
 */
public record BugCheck(
    int code,
    long parameter1,
    long parameter2,
    long parameter3,
    long parameter4,
    String driverName,
    String message,
    Throwable cause,
    List<Leak> objects) {

  /** 0x9 IRQL_NOT_GREATER_OR_EQUAL: KeRaiseIrql to a lower level. */
  public static final int IRQL_NOT_GREATER_OR_EQUAL = 0x9;
  /** 0xA IRQL_NOT_LESS_OR_EQUAL: a service was called above its IRQL limit. */
  public static final int IRQL_NOT_LESS_OR_EQUAL = 0xA;
  /** 0xF SPIN_LOCK_ALREADY_OWNED: a thread acquired a spin lock it holds. */
  public static final int SPIN_LOCK_ALREADY_OWNED = 0xF;
  /** 0x10 SPIN_LOCK_NOT_OWNED: a spin lock was released by a thread that does not hold it. */
  public static final int SPIN_LOCK_NOT_OWNED = 0x10;
  /** 0xBF MUTEX_ALREADY_OWNED: a thread acquired a fast mutex it holds. */
  public static final int MUTEX_ALREADY_OWNED = 0xBF;
  /** 0x1E KMODE_EXCEPTION_NOT_HANDLED: a driver routine threw. */
  public static final int KMODE_EXCEPTION_NOT_HANDLED = 0x1E;
  /** 0x35 NO_MORE_IRP_STACK_LOCATIONS: IoCallDriver past the last stack location. */
  public static final int NO_MORE_IRP_STACK_LOCATIONS = 0x35;
  /** 0x44 MULTIPLE_IRP_COMPLETE_REQUESTS: an IRP was completed twice. */
  public static final int MULTIPLE_IRP_COMPLETE_REQUESTS = 0x44;
  /** 0xC2 BAD_POOL_CALLER: a bad pool request, such as freeing a block twice. */
  public static final int BAD_POOL_CALLER = 0xC2;
  /** 0xD5 DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL: special pool caught a use after free. */
  public static final int DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL = 0xD5;
  /** 0xD6 DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION: special pool caught an overrun. */
  public static final int DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION = 0xD6;
  /** 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION. */
  public static final int DRIVER_VERIFIER_DETECTED_VIOLATION = 0xC4;
  /** 0xC7 TIMER_OR_DPC_INVALID. */
  public static final int TIMER_OR_DPC_INVALID = 0xC7;
  /** 0xC9 DRIVER_VERIFIER_IOMANAGER_VIOLATION. */
  public static final int DRIVER_VERIFIER_IOMANAGER_VIOLATION = 0xC9;
  /** 0xCE DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS. */
  public static final int DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS = 0xCE;
  /**
   * jwdm's own stop code for a kernel wait that can never be satisfied within the kernel's hang
   * timeout (a real system would hang). P1 is the object waited on.
   */
  public static final int JWDM_HANG_DETECTED = 0xE0000001;
  /**
   * jwdm's own stop code for a service called from a Java thread the kernel does not own, such as
   * a raw {@code new Thread()} a driver started.
   */
  public static final int JWDM_FOREIGN_THREAD = 0xE0000002;

  /** Compact constructor: checks the message and copies the objects. */
  public BugCheck {
    Objects.requireNonNull(message, "message");
    objects = List.copyOf(objects);
  }

  /** A bug check about no particular objects. */
  public BugCheck(int code, long parameter1, long parameter2, long parameter3, long parameter4,
      String driverName, String message, Throwable cause) {
    this(code, parameter1, parameter2, parameter3, parameter4, driverName, message, cause,
        List.of());
  }

  /** The driver at fault, if known. */
  public Optional<String> driver() {
    return Optional.ofNullable(driverName);
  }

  /** The symbolic name of {@link #code()}, such as {@code KMODE_EXCEPTION_NOT_HANDLED}. */
  public String codeName() {
    switch (code) {
      case IRQL_NOT_GREATER_OR_EQUAL: return "IRQL_NOT_GREATER_OR_EQUAL";
      case IRQL_NOT_LESS_OR_EQUAL: return "IRQL_NOT_LESS_OR_EQUAL";
      case SPIN_LOCK_ALREADY_OWNED: return "SPIN_LOCK_ALREADY_OWNED";
      case SPIN_LOCK_NOT_OWNED: return "SPIN_LOCK_NOT_OWNED";
      case MUTEX_ALREADY_OWNED: return "MUTEX_ALREADY_OWNED";
      case KMODE_EXCEPTION_NOT_HANDLED: return "KMODE_EXCEPTION_NOT_HANDLED";
      case NO_MORE_IRP_STACK_LOCATIONS: return "NO_MORE_IRP_STACK_LOCATIONS";
      case MULTIPLE_IRP_COMPLETE_REQUESTS: return "MULTIPLE_IRP_COMPLETE_REQUESTS";
      case DRIVER_VERIFIER_DETECTED_VIOLATION: return "DRIVER_VERIFIER_DETECTED_VIOLATION";
      case BAD_POOL_CALLER: return "BAD_POOL_CALLER";
      case DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL: return "DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL";
      case DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION:
        return "DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION";
      case TIMER_OR_DPC_INVALID: return "TIMER_OR_DPC_INVALID";
      case DRIVER_VERIFIER_IOMANAGER_VIOLATION: return "DRIVER_VERIFIER_IOMANAGER_VIOLATION";
      case DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS:
        return "DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS";
      case JWDM_HANG_DETECTED: return "JWDM_HANG_DETECTED";
      case JWDM_FOREIGN_THREAD: return "JWDM_FOREIGN_THREAD";
      default: return "BUGCHECK";
    }
  }

  /**
   * A report in the spirit of {@code !analyze -v}: the code, its name, the parameters, the driver,
   * the message and the exception's stack.
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(String.format("%s (%x)%n", codeName(), code));
    out.append(message).append(System.lineSeparator());
    out.append("Arguments:").append(System.lineSeparator());
    long[] parameters = {parameter1, parameter2, parameter3, parameter4};
    for (int i = 0; i < 4; i++) {
      out.append(String.format("Arg%d: %016x%n", i + 1, parameters[i]));
    }
    if (driverName != null) {
      out.append("Driver: ").append(driverName).append(System.lineSeparator());
    }
    for (Leak object : objects) {
      out.append(object.render());
    }
    if (cause != null) {
      out.append("Exception: ").append(cause).append(System.lineSeparator());
      for (StackTraceElement frame : cause.getStackTrace()) {
        out.append("    at ").append(frame).append(System.lineSeparator());
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return String.format("BugCheck[0x%X %s (%x, %x, %x, %x)%s: %s]", code, codeName(), parameter1,
        parameter2, parameter3, parameter4, driverName == null ? "" : " in " + driverName, message);
  }
}

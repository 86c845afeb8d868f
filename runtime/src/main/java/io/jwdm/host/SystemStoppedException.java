package io.jwdm.host;

/**
 * Thrown by every call into a kernel whose simulated system has stopped with a bug check, including
 * the call during which it stopped. The kernel's state stays readable for a report.
 */
public final class SystemStoppedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient BugCheck bugCheck;

  /** Creates the exception for {@code bugCheck}. */
  public SystemStoppedException(BugCheck bugCheck) {
    super("the system stopped: " + bugCheck, bugCheck.cause());
    this.bugCheck = bugCheck;
  }

  /** Why the system stopped. */
  public BugCheck bugCheck() {
    return bugCheck;
  }
}

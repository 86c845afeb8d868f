package io.jwdm.cli;

/**
 * Bad usage or a bad image: exit status 2. The message says what was wrong; the hint, what to try.
 */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String hint;

  UsageException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  UsageException(String message) {
    this(message, null);
  }

  /** What to try, or null. */
  String hint() {
    return hint;
  }

  /** The same problem, located at {@code where} (such as {@code file:12}). */
  UsageException at(String where) {
    UsageException located = new UsageException(where + ": " + getMessage(), hint);
    located.setStackTrace(getStackTrace());
    return located;
  }
}

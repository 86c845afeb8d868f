package io.jwdm.host;

/**
 * Copies of throwables that come out of an image, for the host. A throwable keeps the classes of
 * the frames it was thrown through (its JVM backtrace), and one of the image's own exception
 * classes is an image class: either keeps the image's class loader alive for as long as the host
 * keeps the exception. The copy has the original's text and stack, and none of its references.
 */
final class ImageThrowables {
  private ImageThrowables() {}

  /** A copy of {@code original} and its causes, or null for null. */
  static Throwable detach(Throwable original) {
    if (original == null) {
      return null;
    }
    return new Detached(original, 0);
  }

  /** A throwable that reads as the one it was copied from. */
  static final class Detached extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int MAX_CAUSES = 16;

    /** What {@link #toString()} returns: the original's class name and message. */
    private final String text;

    private Detached(Throwable original, int depth) {
      super(safeMessage(original), copyOfCause(original, depth), false, true);
      this.text = safeText(original);
      setStackTrace(original.getStackTrace());
    }

    private static Throwable copyOfCause(Throwable original, int depth) {
      Throwable cause = original.getCause();
      return cause != null && cause != original && depth < MAX_CAUSES
          ? new Detached(cause, depth + 1) : null;
    }

    @Override
    public String toString() {
      return text;
    }

    /** An image's exception may override getMessage or toString: they may throw. */
    private static String safeMessage(Throwable original) {
      try {
        return original.getMessage();
      } catch (RuntimeException | LinkageError broken) {
        return null;
      }
    }

    private static String safeText(Throwable original) {
      try {
        return String.valueOf(original);
      } catch (RuntimeException | LinkageError broken) {
        String message = safeMessage(original);
        return original.getClass().getName() + (message == null ? "" : ": " + message);
      }
    }
  }
}

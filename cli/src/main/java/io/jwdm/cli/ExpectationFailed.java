package io.jwdm.cli;

/** A scenario's {@code expect} did not hold: exit status 1. */
final class ExpectationFailed extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ExpectationFailed(String message) {
    super(message);
  }

  /** The same failure, located at {@code where} (such as {@code file:12}). */
  ExpectationFailed at(String where) {
    return new ExpectationFailed(where + ": " + getMessage());
  }
}

package io.jwdm.cli;

/** The exit statuses of every {@code jwdm} command. */
final class ExitStatus {
  private ExitStatus() {}

  /** Clean: no bug check, nothing left behind, every expectation met. */
  static final int CLEAN = 0;
  /** A bug check or a violation: leaks, a driver that failed or stayed loaded, an unmet expect. */
  static final int FAILED = 1;
  /** Bad usage or a bad image. */
  static final int USAGE = 2;
  /** jwdm itself failed: a bug in jwdm. */
  static final int INTERNAL = 3;
}

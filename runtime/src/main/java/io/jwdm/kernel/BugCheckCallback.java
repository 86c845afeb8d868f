package io.jwdm.kernel;

/** A bug check callback ({@code KBUGCHECK_CALLBACK_ROUTINE}), called when the system stops. */
@FunctionalInterface
public interface BugCheckCallback {
  /** Called with the buffer given at registration; must not call other services. */
  void callback(Object buffer, int length);
}

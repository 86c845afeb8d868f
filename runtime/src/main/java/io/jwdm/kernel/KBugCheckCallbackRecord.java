package io.jwdm.kernel;

/** A bug check callback record ({@code KBUGCHECK_CALLBACK_RECORD}). */
public interface KBugCheckCallbackRecord {
  /** True while registered. */
  boolean isRegistered();
}

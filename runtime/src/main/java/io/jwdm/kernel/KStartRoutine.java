package io.jwdm.kernel;

/** A system thread's start routine ({@code KSTART_ROUTINE}), run at PASSIVE_LEVEL. */
@FunctionalInterface
public interface KStartRoutine {
  /** The thread's body; the thread ends when it returns or calls PsTerminateSystemThread. */
  void run(Object startContext);
}

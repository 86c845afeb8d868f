package io.jwdm.kernel;

/** A DPC routine ({@code KDEFERRED_ROUTINE}), run at DISPATCH_LEVEL. */
@FunctionalInterface
public interface KDeferredRoutine {
  /** Runs the deferred procedure call. */
  void run(KDpc dpc, Object deferredContext, Object systemArgument1, Object systemArgument2);
}

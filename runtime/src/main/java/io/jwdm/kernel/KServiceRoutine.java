package io.jwdm.kernel;

/** An interrupt service routine ({@code KSERVICE_ROUTINE}), run at the interrupt's DIRQL. */
@FunctionalInterface
public interface KServiceRoutine {
  /** Returns true if the interrupt was from this driver's device and it handled it. */
  boolean service(KInterrupt interrupt, Object serviceContext);
}

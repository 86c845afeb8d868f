package io.jwdm.kernel;

/** A kernel event ({@code KEVENT}), from {@link KernelServices#keInitializeEvent}. */
public interface KEvent extends DispatcherObject {
  /** The event type it was initialized with. */
  EventType type();
}

package io.jwdm.kernel;

/** The two kinds of kernel event ({@code EVENT_TYPE}). */
public enum EventType {
  /** {@code NotificationEvent}: stays signaled, releasing every waiter, until cleared. */
  NOTIFICATION_EVENT,
  /** {@code SynchronizationEvent}: releases one waiter and resets itself. */
  SYNCHRONIZATION_EVENT
}

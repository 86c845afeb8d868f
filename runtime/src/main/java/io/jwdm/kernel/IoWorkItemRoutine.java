package io.jwdm.kernel;

/** A work item routine ({@code IO_WORKITEM_ROUTINE}), run at PASSIVE_LEVEL in a system worker thread. */
@FunctionalInterface
public interface IoWorkItemRoutine {
  /** Runs the work item. */
  void run(DeviceObject device, Object context);
}

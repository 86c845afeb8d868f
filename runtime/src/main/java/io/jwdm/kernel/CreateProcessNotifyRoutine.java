package io.jwdm.kernel;

/** A process notify routine ({@code PCREATE_PROCESS_NOTIFY_ROUTINE_EX}), at PASSIVE_LEVEL. */
@FunctionalInterface
public interface CreateProcessNotifyRoutine {
  /** Called when a process is created ({@code createInfo} non-null) or exits (null). */
  void notify(long processId, PsCreateNotifyInfo createInfo);
}

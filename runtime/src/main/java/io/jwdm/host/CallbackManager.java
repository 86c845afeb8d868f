package io.jwdm.host;

import io.jwdm.kernel.BugCheckCallback;
import io.jwdm.kernel.CreateProcessNotifyRoutine;
import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.KBugCheckCallbackRecord;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.PlugPlayNotificationCallback;
import io.jwdm.kernel.RegistryCallback;

/** The kernel's notification callbacks: process creation, registry, shutdown, PnP and bug check. */
final class CallbackManager {
  private final KernelCore core;
  private final Services services;

  CallbackManager(KernelCore core, Services services) {
    this.core = core;
    this.services = services;
  }

  NtStatus setCreateProcessNotifyRoutine(CreateProcessNotifyRoutine routine, boolean remove) {
    throw new UnsupportedOperationException("PsSetCreateProcessNotifyRoutineEx");
  }

  NtStatus registerRegistryCallback(RegistryCallback function, String altitude,
      DriverObject driver, Object context, Out<Long> cookie) {
    throw new UnsupportedOperationException("CmRegisterCallbackEx");
  }

  NtStatus unregisterRegistryCallback(long cookie) {
    throw new UnsupportedOperationException("CmUnRegisterCallback");
  }

  NtStatus registerShutdown(DeviceObject device) {
    throw new UnsupportedOperationException("IoRegisterShutdownNotification");
  }

  void unregisterShutdown(DeviceObject device) {
    throw new UnsupportedOperationException("IoUnregisterShutdownNotification");
  }

  NtStatus registerPlugPlay(int eventCategory, int eventCategoryFlags, String eventCategoryData,
      DriverObject driver, PlugPlayNotificationCallback callback, Object context,
      Out<Object> notificationEntry) {
    throw new UnsupportedOperationException("IoRegisterPlugPlayNotification");
  }

  NtStatus unregisterPlugPlay(Object notificationEntry) {
    throw new UnsupportedOperationException("IoUnregisterPlugPlayNotificationEx");
  }

  KBugCheckCallbackRecord initializeCallbackRecord() {
    throw new UnsupportedOperationException("KeInitializeCallbackRecord");
  }

  boolean registerBugCheckCallback(KBugCheckCallbackRecord record, BugCheckCallback routine,
      Object buffer, int length, String component) {
    throw new UnsupportedOperationException("KeRegisterBugCheckCallback");
  }

  boolean deregisterBugCheckCallback(KBugCheckCallbackRecord record) {
    throw new UnsupportedOperationException("KeDeregisterBugCheckCallback");
  }
}

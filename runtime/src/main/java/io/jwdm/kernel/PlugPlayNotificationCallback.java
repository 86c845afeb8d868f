package io.jwdm.kernel;

/** A PnP notification callback ({@code DRIVER_NOTIFICATION_CALLBACK_ROUTINE}), at PASSIVE_LEVEL. */
@FunctionalInterface
public interface PlugPlayNotificationCallback {
  /**
   * Called for a PnP event.
   *
   * @param event {@code "GUID_DEVICE_INTERFACE_ARRIVAL"} or {@code "GUID_DEVICE_INTERFACE_REMOVAL"}
   * @param instanceId the device instance the event is about
   */
  NtStatus notify(String event, String instanceId, Object context);
}

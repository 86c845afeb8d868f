package io.jwdm.host;

/**
 * One step of a kernel's lifecycle trace: a driver loaded, a routine called, a device plugged in
 * or removed. The trace is deterministic: it has no wall-clock times.
 *
 * @param sequence the event's position in the trace, from 1
 * @param kind what happened, such as {@code DriverEntry} or {@code IRP_MN_START_DEVICE}
 * @param subject the driver or device it happened to
 * @param detail the outcome or further detail
 */
public record TraceEvent(long sequence, String kind, String subject, String detail) {
  @Override
  public String toString() {
    return String.format("%5d %-22s %-28s %s", sequence, kind, subject, detail);
  }
}

package io.jwdm.host;

import java.util.AbstractCollection;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A driver's device objects, newest first, as the WDK's {@code DriverObject->DeviceObject} and
 * {@code DeviceObject->NextDevice} chain: adding at the head, removing any device and finding the
 * next one take constant time, whatever the number of devices (the root bus has one PDO per
 * plugged-in device). The links live in the devices themselves. Guarded by the kernel lock.
 */
final class DeviceList extends AbstractCollection<DeviceObjectImpl> {
  private DeviceObjectImpl head;
  private int size;
  private int modifications;

  /** Adds {@code device} as the newest device; it must not be in a list. */
  void addFirst(DeviceObjectImpl device) {
    if (device.list != null) {
      throw new IllegalStateException(device.describe() + " is already in a device list");
    }
    device.list = this;
    device.nextInList = head;
    device.previousInList = null;
    if (head != null) {
      head.previousInList = device;
    }
    head = device;
    size++;
    modifications++;
  }

  @Override
  public boolean remove(Object object) {
    if (!(object instanceof DeviceObjectImpl device) || device.list != this) {
      return false;
    }
    if (device.previousInList != null) {
      device.previousInList.nextInList = device.nextInList;
    } else {
      head = device.nextInList;
    }
    if (device.nextInList != null) {
      device.nextInList.previousInList = device.previousInList;
    }
    device.list = null;
    device.nextInList = null;
    device.previousInList = null;
    size--;
    modifications++;
    return true;
  }

  @Override
  public boolean contains(Object object) {
    return object instanceof DeviceObjectImpl device && device.list == this;
  }

  /** The newest device, or null. */
  DeviceObjectImpl first() {
    return head;
  }

  /** The device after {@code device} (the next older one), or null. */
  static DeviceObjectImpl next(DeviceObjectImpl device) {
    return device.nextInList;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public Iterator<DeviceObjectImpl> iterator() {
    return new Iterator<>() {
      private DeviceObjectImpl next = head;
      private final int expected = modifications;

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public DeviceObjectImpl next() {
        if (modifications != expected) {
          throw new ConcurrentModificationException();
        }
        if (next == null) {
          throw new NoSuchElementException();
        }
        DeviceObjectImpl device = next;
        next = device.nextInList;
        return device;
      }
    };
  }
}

package io.jwdm.host;

import io.jwdm.kernel.NtStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The object manager's namespace, as far as drivers use it: named device objects and symbolic
 * links. Names are case-insensitive, {@code \DosDevices\X} and {@code \??\X} are the same name, and
 * a caller's {@code \\.\X} means {@code \??\X}. Guarded by the kernel lock.
 */
final class ObjectNamespace {
  /** UNICODE_STRING holds at most 32,767 characters. */
  static final int MAX_NAME_LENGTH = 32_767;

  /** A symbolic link and who created it. */
  record SymbolicLink(String name, String target, DriverObjectImpl creator,
      List<StackTraceElement> creationStack) {}

  private final Map<String, DeviceObjectImpl> devices = new TreeMap<>();
  private final Map<String, SymbolicLink> links = new TreeMap<>();

  /** Why a name is malformed, or null if it is well formed. */
  static String validate(String name) {
    if (name == null || name.isEmpty()) {
      return "the name is empty";
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return "the name is longer than " + MAX_NAME_LENGTH + " characters";
    }
    if (name.charAt(0) != '\\') {
      return "the name does not start with a backslash";
    }
    if (name.length() > 1 && name.endsWith("\\")) {
      return "the name ends with a backslash";
    }
    if (name.contains("\\\\") && !name.startsWith("\\\\.\\")) {
      return "the name has an empty component";
    }
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) < 0x20) {
        return "the name contains a control character";
      }
    }
    return null;
  }

  /** The canonical key of a well-formed name. */
  static String key(String name) {
    String canonical = name;
    if (canonical.startsWith("\\\\.\\")) {
      canonical = "\\??\\" + canonical.substring(4);
    }
    String upper = canonical.toUpperCase(Locale.ROOT);
    if (upper.startsWith("\\DOSDEVICES\\")) {
      canonical = "\\??\\" + canonical.substring("\\DosDevices\\".length());
    } else if (upper.equals("\\DOSDEVICES")) {
      canonical = "\\??";
    } else if (upper.startsWith("\\GLOBAL??\\")) {
      canonical = "\\??\\" + canonical.substring("\\GLOBAL??\\".length());
    }
    return canonical.toUpperCase(Locale.ROOT);
  }

  boolean exists(String name) {
    String key = key(name);
    return devices.containsKey(key) || links.containsKey(key);
  }

  void addDevice(String name, DeviceObjectImpl device) {
    devices.put(key(name), device);
  }

  void removeDevice(String name) {
    devices.remove(key(name));
  }

  void addLink(SymbolicLink link) {
    links.put(key(link.name()), link);
  }

  SymbolicLink removeLink(String name) {
    return links.remove(key(name));
  }

  List<SymbolicLink> links() {
    return new ArrayList<>(links.values());
  }

  /** The device a caller's path opens, and the rest of the path after the device's name. */
  record Resolved(DeviceObjectImpl device, String remainder, NtStatus status) {}

  /**
   * Resolves {@code path} through symbolic links to a device: the longest prefix of the path that
   * names a link or a device.
   */
  Resolved resolve(String path) {
    String problem = validate(path);
    if (problem != null) {
      return new Resolved(null, null, NtStatus.OBJECT_NAME_INVALID);
    }
    String current = path.startsWith("\\\\.\\") ? "\\??\\" + path.substring(4) : path;
    for (int hops = 0; hops < 32; hops++) {
      String prefix = current;
      while (true) {
        String key = key(prefix);
        SymbolicLink link = links.get(key);
        if (link != null) {
          current = link.target() + current.substring(prefix.length());
          break;
        }
        DeviceObjectImpl device = devices.get(key);
        if (device != null) {
          return new Resolved(device, current.substring(prefix.length()), NtStatus.SUCCESS);
        }
        int cut = prefix.lastIndexOf('\\');
        if (cut <= 0) {
          return new Resolved(null, null, NtStatus.OBJECT_NAME_NOT_FOUND);
        }
        prefix = prefix.substring(0, cut);
      }
    }
    return new Resolved(null, null, NtStatus.OBJECT_NAME_NOT_FOUND);
  }
}

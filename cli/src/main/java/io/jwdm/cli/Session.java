package io.jwdm.cli;

import io.jwdm.cli.ImageInspector.DeclaredDriver;
import io.jwdm.host.DeviceNode;
import io.jwdm.host.DriverImage;
import io.jwdm.host.DriverInfo;
import io.jwdm.host.Handle;
import io.jwdm.host.ImageLoadException;
import io.jwdm.host.ImageReplaceResult;
import io.jwdm.host.ImageUnloadResult;
import io.jwdm.host.IoResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.Leak;
import io.jwdm.host.TraceEvent;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A booted kernel and what a command did with it: the images it loaded, the handles it holds by
 * name, the last I/O result, and the problems it saw that are neither a bug check nor a leak (a
 * DriverEntry that failed, a device that did not start, a driver that stayed loaded).
 *
 * <p>It holds kernel objects only while they are in use: a closed handle or a removed device is
 * dropped at once, since a host that keeps one keeps its driver's image in memory.
 */
final class Session {
  /** Who the command's handles belong to, as the kernel's trace shows it. */
  static final String OWNER = "jwdm";

  private final Kernel kernel;
  private final Printer printer;
  private final boolean lowResources;
  private final List<DriverImage> images = new ArrayList<>();
  private final Map<String, List<DeclaredDriver>> declared = new LinkedHashMap<>();
  private final Map<String, Handle> handles = new LinkedHashMap<>();
  private final Map<String, List<String>> seenDevices = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private int handleCount;
  private IoResult last;
  private String lastOperation;

  Session(Kernel kernel, Printer printer, boolean lowResources) {
    this.kernel = kernel;
    this.printer = printer;
    this.lowResources = lowResources;
  }

  Kernel kernel() {
    return kernel;
  }

  /**
   * The problems seen so far that make the run fail although they are neither a bug check nor a
   * leak.
   */
  List<String> problems() {
    return Collections.unmodifiableList(problems);
  }

  /**
   * Records a driver's failure. Under the low-resources simulation, failing is what a driver
   * should do when a call it depends on fails, so it is only noted.
   */
  void problem(String text) {
    if (lowResources) {
      printer.println(printer.dim("note (low resources): " + text));
    } else {
      problems.add(text);
      printer.println(printer.yellow("problem: ") + text);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Images

  /**
   * Loads a driver image.
   *
   * @return the image, or null if a DriverEntry of it failed (a problem, recorded)
   * @throws UsageException for a missing or refused image, with what to try
   */
  DriverImage load(Path path) {
    if (!Files.exists(path)) {
      throw new UsageException("no such driver image: " + path, "give the path of a driver"
          + " image: a jar, or a classes directory, compiled with the jwdm processor");
    }
    try {
      DriverImage image = kernel.loadImage(path);
      images.add(image);
      declared.put(image.id(), ImageInspector.drivers(path));
      return image;
    } catch (ImageLoadException refused) {
      if (refused.kind() == ImageLoadException.Kind.DRIVER_ENTRY_FAILED) {
        problem(refused.getMessage());
        return null;
      }
      throw new UsageException(refused.getMessage(), hint(refused.kind()));
    }
  }

  /** What to try when the kernel refuses an image for {@code kind}. */
  static String hint(ImageLoadException.Kind kind) {
    switch (kind) {
      case NOT_AN_IMAGE:
        return "give a driver image: a jar, or a classes directory, compiled with the jwdm"
            + " processor (mvn package builds examples/target/jwdm-examples-*.jar)";
      case UNSIGNED:
        return "sign the jar, or boot in test-signing mode with --test-signing, which also"
            + " accepts unsigned jars and classes directories";
      case UNTRUSTED:
        return "boot in test-signing mode with --test-signing (the examples' jar is"
            + " test-signed), or give a trust store holding the signer's root with --trust-store";
      case TAMPERED:
        return "rebuild the image: its content does not match its signature, and no mode loads"
            + " a tampered image";
      case NO_GLUE:
        return "compile the drivers with the jwdm processor on the annotation processor path; it"
            + " writes META-INF/services/io.jwdm.spi.DriverGlue";
      case LINK_FAILED:
        return "an image may use only the JDK and the jwdm API (io.jwdm.annotation,"
            + " io.jwdm.kernel, io.jwdm.spi): bundle or remove what it refers to, and rebuild";
      case INCOMPATIBLE_VERSION:
        return "rebuild the image against this version of jwdm";
      case NAME_IN_USE:
        return "two images provide a driver of the same name: load only one of them, or use"
            + " replace";
      default:
        return null;
    }
  }

  /** The loaded images, in load order. */
  List<DriverImage> images() {
    return List.copyOf(images);
  }

  /** The drivers of the loaded images, as their glue declares them. */
  List<DeclaredDriver> declaredDrivers() {
    List<DeclaredDriver> drivers = new ArrayList<>();
    for (DriverImage image : images) {
      drivers.addAll(declared.getOrDefault(image.id(), List.of()));
    }
    return drivers;
  }

  /** The hardware IDs the WDM drivers of the loaded images serve, each once, in order. */
  List<String> declaredHardwareIds() {
    Set<String> ids = new LinkedHashSet<>();
    for (DeclaredDriver driver : declaredDrivers()) {
      if (driver.model() == DriverModel.WDM) {
        ids.addAll(driver.hardwareIds());
      }
    }
    return new ArrayList<>(ids);
  }

  /** The image named by its id, file name or path, or by one of its drivers. */
  DriverImage image(String ref) {
    for (DriverImage image : images) {
      if (image.id().equalsIgnoreCase(ref) || image.source().toString().equals(ref)
          || image.source().getFileName() != null
              && image.source().getFileName().toString().equalsIgnoreCase(ref)) {
        return image;
      }
    }
    for (DriverImage image : images) {
      for (String driver : image.driverNames()) {
        if (driver.equalsIgnoreCase(ref)) {
          return image;
        }
      }
    }
    throw new UsageException("no loaded image or driver " + ref, images.isEmpty()
        ? "load one first with: load IMAGE"
        : "loaded: " + images.stream().map(i -> i.id() + " " + i.driverNames())
            .collect(Collectors.joining(", ")));
  }

  /** Unloads an image and checks that it is gone; a failure is a problem. */
  ImageUnloadResult unload(DriverImage image) {
    ImageUnloadResult result = kernel.unloadImage(image);
    if (result.outcome() == ImageUnloadResult.Outcome.UNLOADED
        || result.outcome() == ImageUnloadResult.Outcome.NOT_LOADED) {
      images.remove(image);
      declared.remove(image.id());
    }
    if (result.outcome() != ImageUnloadResult.Outcome.UNLOADED) {
      problem("unload " + image.id() + ": " + result.outcome()
          + (result.blockers().isEmpty() ? "" : ": " + result.blockers()));
    } else if (!result.isGone()) {
      problem(result.release().map(Object::toString).orElse("image " + image.id()
          + " is still in memory").strip());
    }
    return result;
  }

  /** Replaces a driver by a new image; the images this session knows follow. */
  ImageReplaceResult replace(String driver, Path path) {
    if (!Files.exists(path)) {
      throw new UsageException("no such driver image: " + path, "give the path of the new"
          + " image: a jar, or a classes directory, compiled with the jwdm processor");
    }
    ImageReplaceResult result = kernel.replace(driver, path);
    result.oldImage().ifPresent(old -> {
      if (kernel.images().stream().noneMatch(i -> i.id().equals(old.id()))) {
        images.removeIf(i -> i.id().equals(old.id()));
        declared.remove(old.id());
      }
    });
    result.newImage().ifPresent(fresh -> {
      if (images.stream().noneMatch(i -> i.id().equals(fresh.id()))) {
        images.add(fresh);
        declared.put(fresh.id(), ImageInspector.drivers(path));
      }
    });
    result.oldImageRelease().ifPresent(release -> {
      if (!release.collected()) {
        problem(release.toString().strip());
      }
    });
    return result;
  }

  // ---------------------------------------------------------------------------------------------
  // Devices

  /** Plugs in a device; one that does not start is a problem if {@code mustStart}. */
  DeviceNode plug(List<String> hardwareIds, boolean mustStart) {
    DeviceNode node = kernel.plugIn(hardwareIds.toArray(new String[0]));
    seenDevices.put(node.instanceId(), node.hardwareIds());
    if (mustStart && node.state() != DeviceNode.State.STARTED) {
      problem("device " + node.instanceId() + " (" + String.join(", ", node.hardwareIds())
          + ") did not start: " + node.state()
          + (node.problemCode() == 0 ? "" : ", code " + node.problemCode()));
    }
    return node;
  }

  /** A present device by instance ID, or else the first present one with that hardware ID. */
  DeviceNode device(String ref) {
    DeviceNode found = findDevice(ref);
    if (found == null) {
      List<DeviceNode> nodes = kernel.deviceNodes();
      throw new UsageException("no device " + ref, nodes.isEmpty()
          ? "plug one in first with: plug HWID"
          : "devices: " + nodes.stream().map(DeviceNode::instanceId)
              .collect(Collectors.joining(", ")));
    }
    return found;
  }

  private DeviceNode findDevice(String ref) {
    List<DeviceNode> nodes = kernel.deviceNodes();
    for (DeviceNode node : nodes) {
      if (node.instanceId().equalsIgnoreCase(ref)) {
        return node;
      }
    }
    for (DeviceNode node : nodes) {
      for (String id : node.hardwareIds()) {
        if (id.equalsIgnoreCase(ref)) {
          return node;
        }
      }
    }
    return null;
  }

  /**
   * The state of a device this session plugged in, by instance ID or hardware ID: REMOVED once it
   * is gone from the tree.
   */
  DeviceNode.State deviceState(String ref) {
    DeviceNode node = findDevice(ref);
    if (node != null) {
      return node.state();
    }
    for (Map.Entry<String, List<String>> seen : seenDevices.entrySet()) {
      if (seen.getKey().equalsIgnoreCase(ref)
          || seen.getValue().stream().anyMatch(id -> id.equalsIgnoreCase(ref))) {
        return DeviceNode.State.REMOVED;
      }
    }
    throw new UsageException("no device " + ref, "plug one in first with: plug HWID");
  }

  // ---------------------------------------------------------------------------------------------
  // Symbolic links

  /** A symbolic link a driver created, and the driver. */
  record Link(String name, String target, String owner) {}

  /**
   * The symbolic links drivers created that still exist, in creation order. The kernel has no
   * query for them, so they are read from its trace: each IoCreateSymbolicLink not yet undone by
   * IoDeleteSymbolicLink or by the kernel reclaiming a leaked link.
   */
  List<Link> links() {
    Map<String, Link> live = new LinkedHashMap<>();
    for (TraceEvent event : kernel.trace()) {
      if (event.kind().equals("IoCreateSymbolicLink")) {
        int arrow = event.detail().indexOf(" -> ");
        if (arrow > 0) {
          String name = event.detail().substring(0, arrow);
          live.put(linkKey(name), new Link(name, event.detail().substring(arrow + 4),
              event.subject()));
        }
      } else if (event.kind().equals("IoDeleteSymbolicLink")) {
        live.remove(linkKey(event.detail()));
      }
    }
    for (Leak leak : kernel.leaks()) {
      if (leak.kind().equals("SymbolicLink")) {
        int arrow = leak.description().indexOf(" -> ");
        live.remove(linkKey(arrow > 0 ? leak.description().substring(0, arrow)
            : leak.description()));
      }
    }
    return new ArrayList<>(live.values());
  }

  /** The object manager's key of a link name: \DosDevices\X, \??\X and \GLOBAL??\X are one. */
  private static String linkKey(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (String prefix : new String[] {"\\DOSDEVICES\\", "\\GLOBAL??\\", "\\\\.\\"}) {
      if (upper.startsWith(prefix)) {
        return "\\??\\" + upper.substring(prefix.length());
      }
    }
    return upper;
  }

  // ---------------------------------------------------------------------------------------------
  // Handles and I/O

  /**
   * Opens a device as {@code name} (h1, h2 … when null).
   *
   * @throws io.jwdm.host.NtStatusException if the open fails
   */
  String open(String path, String name) {
    String handleName = name;
    if (handleName == null) {
      do {
        handleName = "h" + ++handleCount;
      } while (handles.containsKey(handleName));
    } else if (handles.containsKey(handleName)) {
      throw new UsageException("handle " + handleName + " is open already",
          "close it first, or open the device under another name");
    }
    Handle handle = kernel.open(path, OWNER);
    handles.put(handleName, handle);
    return handleName;
  }

  private Handle handle(String name) {
    Handle handle = handles.get(name);
    if (handle == null) {
      throw new UsageException("no open handle " + name, handles.isEmpty()
          ? "open one first with: open PATH as NAME"
          : "open handles: " + String.join(", ", handles.keySet()));
    }
    return handle;
  }

  /** The names of the open handles, with the paths they were opened with. */
  Map<String, String> handleNames() {
    Map<String, String> names = new LinkedHashMap<>();
    handles.forEach((name, handle) -> names.put(name, handle.path()));
    return names;
  }

  IoResult read(String name, int length) {
    return io("read " + name, handle(name).read(length));
  }

  IoResult write(String name, byte[] data) {
    return io("write " + name, handle(name).write(data));
  }

  IoResult ioctl(String name, int code, byte[] input, int outputLength) {
    return io(String.format("ioctl %s 0x%08X", name, code),
        handle(name).deviceIoControl(code, input, outputLength));
  }

  private IoResult io(String operation, IoResult result) {
    last = result;
    lastOperation = operation;
    return result;
  }

  /** The last read, write or ioctl's result. */
  IoResult last() {
    if (last == null) {
      throw new UsageException("no I/O yet to check",
          "expect status, data and information check the last read, write or ioctl");
    }
    return last;
  }

  /** What the last I/O was, such as {@code read h1}. */
  String lastOperation() {
    return lastOperation;
  }

  void close(String name) {
    Handle handle = handle(name);
    handles.remove(name);
    handle.close();
  }

  /** Closes every handle still open; returns their names. */
  List<String> closeAll() {
    List<String> names = new ArrayList<>(handles.keySet());
    for (String name : names) {
      close(name);
    }
    return names;
  }

  // ---------------------------------------------------------------------------------------------
  // Teardown

  /**
   * What {@code run} does at the end: closes the handles still open, removes every device (last
   * plugged first), unloads every image (last loaded first) and checks that no driver stays
   * loaded. Each step prints a line; each failure is a problem.
   */
  void teardown() {
    for (String name : closeAll()) {
      printer.println("closed " + name + ", still open at the end");
    }
    List<DeviceNode> nodes = new ArrayList<>(kernel.deviceNodes());
    Collections.reverse(nodes);
    for (DeviceNode node : nodes) {
      printer.progress("removing " + node.instanceId());
      NtStatus status = kernel.remove(node);
      printer.println("removed " + node.instanceId() + ": " + status);
      if (!status.isSuccess()) {
        problem("removing " + node.instanceId() + " failed: " + status);
      }
    }
    List<DriverImage> loaded = new ArrayList<>(images);
    Collections.reverse(loaded);
    for (DriverImage image : loaded) {
      printer.progress("unloading " + image.id());
      ImageUnloadResult result = unload(image);
      printer.println(describe(result));
    }
    List<DriverInfo> stillLoaded = kernel.drivers();
    if (!stillLoaded.isEmpty()) {
      problem("still loaded after unload: " + stillLoaded.stream()
          .map(d -> d.name() + " (" + d.state() + ")").collect(Collectors.joining(", ")));
    }
  }

  /** An unload result on one line (and the leak report, if the image stayed in memory). */
  static String describe(ImageUnloadResult result) {
    if (result.outcome() != ImageUnloadResult.Outcome.UNLOADED) {
      return result.render().strip();
    }
    StringBuilder out = new StringBuilder("unloaded ").append(result.image().id()).append(": ")
        .append(String.join(", ", result.image().driverNames()));
    result.release().ifPresent(release -> out.append("; ").append(release.collected()
        ? "class loader collected" : release.toString().strip()));
    return out.toString();
  }
}

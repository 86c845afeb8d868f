package io.jwdm.host;

import io.jwdm.annotation.DriverRole;
import io.jwdm.host.ImageLoadException.Kind;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;

/**
 * Loads, unloads and replaces driver images for one kernel. It keeps no state of its own: a loaded
 * image is reachable only from its installed {@link ImageGlue}, so the kernel's table of installed
 * drivers is the table of loaded images, and uninstalling an image's drivers drops the kernel's
 * last reference to it.
 *
 * <p>Every kernel step runs as its own host call, so the unloads and removals each step defers run
 * before the next step looks at the result.
 */
final class ImageManager {
  /** How long one wait for handles or unloads sleeps before it looks again. */
  private static final long POLL_MILLIS = 20;

  private final KernelCore core;
  private final IoManager io;
  private final PnpManager pnp;

  ImageManager(KernelCore core, IoManager io, PnpManager pnp) {
    this.core = core;
    this.io = io;
    this.pnp = pnp;
  }

  private static String key(String name) {
    return name.toUpperCase(Locale.ROOT);
  }

  // ---------------------------------------------------------------------------------------------
  // Queries

  /** The loaded images, in the order their first driver was installed. */
  List<DriverImage> images() {
    Set<ImageRecord> records = new LinkedHashSet<>();
    for (DriverGlue glue : io.installedGlue()) {
      if (glue instanceof ImageGlue) {
        ImageRecord record = ((ImageGlue) glue).image();
        if (record != null) {
          records.add(record);
        }
      }
    }
    List<DriverImage> images = new ArrayList<>();
    for (ImageRecord record : records) {
      images.add(record.image);
    }
    return images;
  }

  private ImageRecord recordOf(String driverName) {
    DriverGlue glue = io.installed(driverName);
    return glue instanceof ImageGlue ? ((ImageGlue) glue).image() : null;
  }

  DriverImage imageOf(String driverName) {
    ImageRecord record = recordOf(driverName);
    return record == null ? null : record.image;
  }

  private ImageRecord recordWithId(String id) {
    for (DriverGlue glue : io.installedGlue()) {
      if (glue instanceof ImageGlue) {
        ImageRecord record = ((ImageGlue) glue).image();
        if (record != null && record.image.id().equals(id)) {
          return record;
        }
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Loading

  DriverImage load(Path source) {
    ImageRecord record = prepare(source, Set.of());
    commit(record);
    return record.image;
  }

  /**
   * Reads, verifies and links an image in its own class loader, and finds its glue: everything
   * short of touching the kernel. Drivers named in {@code replacing} (upper case) are about to go,
   * so the new image may reuse their names.
   */
  ImageRecord prepare(Path source, Set<String> replacing) {
    if (core.bugCheck() != null) {
      throw new SystemStoppedException(core.bugCheck());
    }
    ImageContents contents = ImageReader.read(source, core.options.imageSigning());
    checkManifestVersion(contents);
    if (!namesGlue(contents)) {
      throw new ImageLoadException(source, Kind.NO_GLUE, "it registers no driver glue in "
          + ImageContents.GLUE_SERVICES + " (was it compiled with the jwdm processor?)");
    }
    long base = core.allocateAddress();
    String fileName = source.getFileName() == null ? source.toString()
        : source.getFileName().toString();
    String id = fileName + "@" + Long.toHexString(base);
    String loaderName = "jwdm-image " + id + " #"
        + Integer.toHexString(System.identityHashCode(core));
    ImageClassLoader loader = new ImageClassLoader(loaderName, contents);
    Set<String> classNames = link(contents, loader);
    List<ImageGlue> glue = describe(source, discover(source, contents, loader), loader);
    checkNames(source, glue, replacing);
    List<String> names = new ArrayList<>();
    for (ImageGlue each : glue) {
      names.add(each.driverName());
    }
    names.sort(String.CASE_INSENSITIVE_ORDER);
    List<String> signers = new ArrayList<>();
    for (java.security.CodeSigner signer : contents.signers()) {
      signers.add(ImageReader.subject(signer));
    }
    DriverImage image = new DriverImage(id, source, names, contents.signing(), signers);
    ImageRecord record = new ImageRecord(image, loader,
        new ImageTracker(image, loader, classNames));
    for (ImageGlue each : glue) {
      each.attach(record);
    }
    record.glue(glue);
    return record;
  }

  private static void checkManifestVersion(ImageContents contents) {
    if (contents.manifest() == null) {
      return;
    }
    Attributes main = contents.manifest().getMainAttributes();
    String declared = main.getValue(DriverImage.SPI_VERSION_ATTRIBUTE);
    if (declared == null) {
      return;
    }
    if (!declared.trim().equals(Integer.toString(DriverGlue.SPI_VERSION))) {
      throw new ImageLoadException(contents.source(), Kind.INCOMPATIBLE_VERSION, "its manifest says "
          + DriverImage.SPI_VERSION_ATTRIBUTE + ": " + declared.trim() + "; this kernel implements"
          + " jwdm SPI version " + DriverGlue.SPI_VERSION);
    }
  }

  /**
   * Whether the services file names a class: a line with something other than blanks before its
   * comment, if any.
   */
  private static boolean namesGlue(ImageContents contents) {
    byte[] bytes = contents.entries().get(ImageContents.GLUE_SERVICES);
    if (bytes == null) {
      return false;
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    boolean inComment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n', '\r', '\u000B', '\f', '\u0085', '\u2028', '\u2029' -> inComment = false;
        case '#' -> inComment = true;
        default -> {
          if (!inComment && c > ' ') {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Packages an image may not define classes in: the JDK's own and the jwdm runtime's. */
  private static boolean reservedPackage(String packageName) {
    return packageName.equals("java") || packageName.startsWith("java.")
        || packageName.equals("io.jwdm.annotation") || packageName.equals("io.jwdm.kernel")
        || packageName.equals("io.jwdm.spi") || packageName.equals("io.jwdm.host")
        || packageName.startsWith("io.jwdm.host.");
  }

  /**
   * Loads and links every class of the image, and resolves every class it refers to (in its
   * constant pool, and in the descriptors of its fields and methods) and every member of the jwdm
   * API it uses, so a broken or incompatible image is refused now, not when a routine runs. No
   * class is initialized here.
   *
   * @return the image's class names
   */
  private static Set<String> link(ImageContents contents, ImageClassLoader loader) {
    Path source = contents.source();
    Map<String, String> internalNames = new TreeMap<>();
    for (String name : contents.entries().keySet()) {
      if (name.endsWith(".class") && !name.startsWith("META-INF/")
          && !name.endsWith("module-info.class")) {
        String internal = name.substring(0, name.length() - ".class".length());
        internalNames.put(ImageClassFile.binaryName(internal), internal);
      }
    }
    Map<String, Class<?>> resolved = new HashMap<>(Math.max(64, internalNames.size() * 8));
    for (Map.Entry<String, String> each : internalNames.entrySet()) {
      String className = each.getKey();
      String packageName = ImageApiLoader.packageOf(className);
      if (reservedPackage(packageName)) {
        throw new ImageLoadException(source, Kind.LINK_FAILED, "it defines class " + className
            + " in package " + packageName + ", which belongs to the "
            + (packageName.startsWith("java") ? "JDK" : "jwdm runtime"));
      }
      Class<?> loaded = resolve(source, className, each.getValue(), loader, resolved);
      if (loaded.getClassLoader() != loader) {
        throw new ImageLoadException(source, Kind.LINK_FAILED, "its class " + className
            + " is hidden by a platform class of the same name");
      }
    }
    for (Map.Entry<String, String> each : internalNames.entrySet()) {
      String className = each.getKey();
      ImageClassFile file;
      try {
        file = ImageClassFile.parse(contents.entries().get(each.getValue() + ".class"));
      } catch (IOException malformed) {
        throw new ImageLoadException(source, Kind.LINK_FAILED, "class " + className
            + " is malformed: " + malformed.getMessage());
      }
      for (String referenced : file.classes()) {
        resolve(source, className, referenced, loader, resolved);
      }
      for (String type : file.memberTypes()) {
        resolve(source, className, type, loader, resolved);
      }
      for (ImageClassFile.MemberRef member : file.members()) {
        Class<?> owner = resolve(source, className, member.owner(), loader, resolved);
        if (!ImageApiMembers.of(owner).has(member)) {
          throw new ImageLoadException(source, Kind.INCOMPATIBLE_VERSION, "class " + className
              + " uses " + member.describe() + ", which this jwdm runtime does not have: the"
              + " image was built against another jwdm version");
        }
      }
      Class<?> loaded = resolved.get(each.getValue());
      try {
        // Links (verifies) the class. The types of its fields and methods, which reflection on
        // them would resolve, are resolved above from its descriptors, without making the
        // reflective objects.
        loaded.getDeclaredConstructors();
      } catch (LinkageError | TypeNotPresentException broken) {
        throw new ImageLoadException(source, Kind.LINK_FAILED, "class " + className
            + " fails to link: " + broken, ImageThrowables.detach(broken));
      }
    }
    return internalNames.keySet();
  }

  /**
   * The class an image class refers to by its internal name, through the image's loader, once
   * per image.
   */
  private static Class<?> resolve(Path source, String from, String internalName,
      ImageClassLoader loader, Map<String, Class<?>> resolved) {
    Class<?> known = resolved.get(internalName);
    if (known != null) {
      return known;
    }
    String className = ImageClassFile.binaryName(internalName);
    try {
      Class<?> loaded = Class.forName(className, false, loader);
      resolved.put(internalName, loaded);
      return loaded;
    } catch (ClassNotFoundException | LinkageError missing) {
      String packageName = ImageApiLoader.packageOf(className);
      String why;
      if (from.equals(className)) {
        why = "class " + className + " cannot be loaded: " + missing;
      } else if (packageName.startsWith("io.jwdm.")
          && !ImageApiLoader.API_PACKAGES.contains(packageName)) {
        why = "class " + from + " refers to " + className + ", which an image cannot see: a"
            + " driver may use only " + ImageApiLoader.API_PACKAGES_TEXT;
      } else if (ImageApiLoader.API_PACKAGES.contains(packageName)) {
        throw new ImageLoadException(source, Kind.INCOMPATIBLE_VERSION, "class " + from
            + " refers to " + className + ", which this jwdm runtime does not have: the image"
            + " was built against another jwdm version");
      } else if (missing instanceof ClassNotFoundException) {
        why = "class " + from + " refers to " + className
            + ", which is neither in the image nor visible to it";
      } else {
        why = "class " + from + " refers to " + className + ", which fails to load: " + missing;
      }
      throw new ImageLoadException(source, Kind.LINK_FAILED, why,
          ImageThrowables.detach(missing));
    }
  }

  /**
   * Instantiates the image's glue as {@link ServiceLoader} would on the image's loader, from the
   * services file the image was read with ({@link ImageGlueProviders}).
   */
  private static List<DriverGlue> discover(Path source, ImageContents contents,
      ImageClassLoader loader) {
    List<DriverGlue> found;
    try {
      found = ImageGlueProviders.instantiate(contents.entries().get(ImageContents.GLUE_SERVICES),
          ImageClassLoader.URL_PROTOCOL + ":/" + ImageContents.GLUE_SERVICES, loader);
    } catch (ServiceConfigurationError | LinkageError broken) {
      throw new ImageLoadException(source, Kind.LINK_FAILED,
          "its glue cannot be instantiated: " + text(broken), ImageThrowables.detach(broken));
    } catch (RuntimeException | StackOverflowError broken) {
      throw new ImageLoadException(source, Kind.LINK_FAILED,
          "its glue failed while being instantiated: " + text(broken),
          ImageThrowables.detach(broken));
    }
    for (DriverGlue glue : found) {
      if (glue.getClass().getClassLoader() != loader) {
        throw new ImageLoadException(source, Kind.LINK_FAILED, "its services file names "
            + glue.getClass().getName() + ", which is not a class of the image");
      }
    }
    if (found.isEmpty()) {
      throw new ImageLoadException(source, Kind.NO_GLUE, "its services file "
          + ImageContents.GLUE_SERVICES + " names no glue class");
    }
    return found;
  }

  private static String text(Throwable thrown) {
    StringBuilder out = new StringBuilder(String.valueOf(thrown));
    for (Throwable cause = thrown.getCause(); cause != null && cause != thrown;
        cause = cause.getCause()) {
      out.append("; caused by ").append(cause);
      if (cause.getCause() == cause) {
        break;
      }
    }
    return out.toString();
  }

  /** Asks each glue what it is, once: the kernel asks the wrapper from then on. */
  private static List<ImageGlue> describe(Path source, List<DriverGlue> found,
      ImageClassLoader loader) {
    List<ImageGlue> glue = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (DriverGlue each : found) {
      String className = each.getClass().getName();
      int version;
      try {
        version = each.spiVersion();
      } catch (IncompatibleClassChangeError old) {
        throw new ImageLoadException(source, Kind.INCOMPATIBLE_VERSION, "glue " + className
            + " does not implement this jwdm's DriverGlue: " + old, ImageThrowables.detach(old));
      } catch (RuntimeException | LinkageError broken) {
        throw new ImageLoadException(source, Kind.LINK_FAILED, "glue " + className
            + " failed: " + broken, ImageThrowables.detach(broken));
      }
      if (version != DriverGlue.SPI_VERSION) {
        throw new ImageLoadException(source, Kind.INCOMPATIBLE_VERSION, "glue " + className
            + " was generated for jwdm SPI version " + version + "; this kernel implements"
            + " version " + DriverGlue.SPI_VERSION);
      }
      String name;
      DriverModel model;
      List<String> hardwareIds;
      DriverRole role;
      boolean permanent;
      Class<?> driverClass;
      try {
        name = each.driverName();
        model = each.model();
        hardwareIds = List.copyOf(each.hardwareIds());
        role = model == DriverModel.WDM ? each.role() : DriverRole.FUNCTION;
        permanent = each.permanent();
        driverClass = each.driverClass();
      } catch (IncompatibleClassChangeError old) {
        throw new ImageLoadException(source, Kind.INCOMPATIBLE_VERSION, "glue " + className
            + " does not implement this jwdm's DriverGlue: " + old, ImageThrowables.detach(old));
      } catch (RuntimeException | LinkageError broken) {
        throw new ImageLoadException(source, Kind.LINK_FAILED, "glue " + className
            + " failed: " + broken, ImageThrowables.detach(broken));
      }
      if (name == null || name.isBlank() || model == null || role == null) {
        throw new ImageLoadException(source, Kind.LINK_FAILED, "glue " + className
            + " has no driver name, model or role");
      }
      if (driverClass != null && driverClass.getClassLoader() != loader) {
        throw new ImageLoadException(source, Kind.LINK_FAILED, "glue " + className
            + " names driver class " + driverClass.getName() + ", which is not in the image");
      }
      if (!names.add(key(name))) {
        throw new ImageLoadException(source, Kind.NAME_IN_USE, name, null,
            "two glue classes of the image are named " + name, null);
      }
      glue.add(new ImageGlue(each, name, model, role, hardwareIds, permanent, version,
          driverClass));
    }
    glue.sort((a, b) -> a.driverName().compareToIgnoreCase(b.driverName()));
    return glue;
  }

  /** Refuses names in use, except those of drivers about to be replaced. */
  private void checkNames(Path source, List<ImageGlue> glue, Set<String> replacing) {
    for (ImageGlue each : glue) {
      String name = each.driverName();
      if (replacing.contains(key(name))) {
        continue;
      }
      if (io.installed(name) != null || io.loaded(name) != null) {
        throw new ImageLoadException(source, Kind.NAME_IN_USE, name, null,
            "a driver named " + name + " is already " + (io.loaded(name) != null ? "loaded"
                : "installed"), null);
      }
    }
  }

  /**
   * Installs a prepared image's drivers and runs DriverEntry for its legacy ones. On a failure the
   * image is taken out again, as if it had never been loaded, and the refusal thrown.
   */
  void commit(ImageRecord record) {
    Path source = record.image.source();
    List<ImageGlue> glue = record.glue();
    String[] conflict = new String[1];
    core.hostRun(() -> {
      synchronized (core.lock) {
        for (ImageGlue each : glue) {
          if (io.installed(each.driverName()) != null || io.loaded(each.driverName()) != null) {
            conflict[0] = each.driverName();
            return;
          }
        }
        for (ImageGlue each : glue) {
          io.install(each);
        }
      }
    });
    if (conflict[0] != null) {
      record.release();
      throw new ImageLoadException(source, Kind.NAME_IN_USE, conflict[0], null,
          "a driver named " + conflict[0] + " is already installed or loaded", null);
    }
    core.trace("ImageLoaded", record.image.id(), String.join(", ", record.image.driverNames())
        + " (" + record.image.signing() + ")");
    List<ImageGlue> legacy = new ArrayList<>();
    for (ImageGlue each : glue) {
      if (each.model() == DriverModel.LEGACY && !each.permanent()) {
        legacy.add(each);
      }
    }
    for (ImageGlue each : glue) {
      if (each.model() == DriverModel.LEGACY && each.permanent()) {
        legacy.add(each);
      }
    }
    List<String> loaded = new ArrayList<>();
    for (ImageGlue each : legacy) {
      NtStatus[] status = new NtStatus[1];
      core.hostCall(() -> io.load(each, status));
      if (status[0] != null && status[0].isSuccess()) {
        loaded.add(each.driverName());
        continue;
      }
      String rollback = rollback(record, loaded);
      Kind kind = NtStatus.IMAGE_ALREADY_LOADED.equals(status[0]) ? Kind.NAME_IN_USE
          : NtStatus.INVALID_IMAGE_FORMAT.equals(status[0]) ? Kind.INCOMPATIBLE_VERSION
          : Kind.DRIVER_ENTRY_FAILED;
      throw new ImageLoadException(source, kind, each.driverName(), status[0],
          "DriverEntry of " + each.driverName() + " returned " + status[0]
              + (kind == Kind.DRIVER_ENTRY_FAILED ? "" : " from the loader") + rollback, null);
    }
  }

  /** Takes a partly committed image out again. Returns what could not be undone, or "". */
  private String rollback(ImageRecord record, List<String> loaded) {
    long deadline = deadline(core.options.waitTimeout());
    List<String> stuck = new ArrayList<>();
    for (int i = loaded.size() - 1; i >= 0; i--) {
      String name = loaded.get(i);
      NtStatus status = core.hostCall(() -> io.requestUnload(name));
      if (!NtStatus.SUCCESS.equals(status) && !NtStatus.OBJECT_NAME_NOT_FOUND.equals(status)
          && !awaitUnloaded(name, deadline)) {
        stuck.add(name);
      }
    }
    uninstall(record.glue());
    record.release();
    core.trace("ImageRefused", record.image.id(), stuck.isEmpty() ? "rolled back"
        : "could not unload " + stuck);
    return stuck.isEmpty() ? "" : "; the image's drivers " + stuck + " loaded before it could not"
        + " be unloaded again";
  }

  private void uninstall(List<? extends DriverGlue> glue) {
    core.hostRun(() -> {
      synchronized (core.lock) {
        for (DriverGlue each : glue) {
          if (io.installed(each.driverName()) == each) {
            io.uninstall(each.driverName());
          }
        }
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Unloading

  /** The outcome of taking drivers out: names and nodes only, never the image itself. */
  private static final class Teardown {
    /** null if the drivers are out; otherwise the outcome that stopped it. */
    ImageUnloadResult.Outcome failure;
    String blockers = "";
    final List<String> unloaded = new ArrayList<>();
    final List<DeviceNode> disabled = new ArrayList<>();
    ImageTracker tracker;
    DriverImage image;
  }

  ImageUnloadResult unload(DriverImage image, Duration timeout) {
    Teardown teardown = teardownImage(image.id(), deadline(timeout));
    if (teardown == null) {
      return new ImageUnloadResult(image, ImageUnloadResult.Outcome.NOT_LOADED, List.of(),
          List.of(), "", java.util.Optional.empty());
    }
    List<ImageDeviceState> devices = restart(teardown.disabled);
    if (teardown.failure != null) {
      return new ImageUnloadResult(image, teardown.failure, List.of(), devices,
          teardown.blockers, java.util.Optional.empty());
    }
    core.trace("ImageUnloaded", image.id(), "drivers uninstalled, references dropped");
    ImageRelease release = release(teardown.tracker);
    return new ImageUnloadResult(image, ImageUnloadResult.Outcome.UNLOADED, teardown.unloaded,
        devices, "", java.util.Optional.of(release));
  }

  private Teardown teardownImage(String id, long deadline) {
    ImageRecord record = recordWithId(id);
    if (record == null) {
      return null;
    }
    return teardown(new ArrayList<>(record.glue()), record, deadline);
  }

  /** The glue of the unit {@code driverName} belongs to: its whole image, or just itself. */
  private List<DriverGlue> unitOf(String driverName) {
    DriverGlue installed = io.installed(driverName);
    if (installed instanceof ImageGlue && ((ImageGlue) installed).image() != null) {
      return new ArrayList<>(((ImageGlue) installed).image().glue());
    }
    if (installed != null) {
      return new ArrayList<>(List.of(installed));
    }
    DriverObjectImpl loaded = io.loaded(driverName);
    if (loaded != null && loaded.glue() != null) {
      return new ArrayList<>(List.of(loaded.glue()));
    }
    return null;
  }

  /**
   * Takes a unit of drivers out of the kernel: disables the device nodes whose stacks use them
   * (REMOVE_DEVICE; a node with open handles is retried until the deadline), unloads the legacy
   * ones (waiting for their handles), waits for the PnP manager to unload the WDM ones, uninstalls
   * them all and releases the image. Stops, with everything it disabled enabled again, at the first
   * thing that cannot be done.
   */
  private Teardown teardown(List<DriverGlue> unit, ImageRecord record, long deadline) {
    Teardown result = new Teardown();
    result.image = record == null ? null : record.image;
    Set<String> names = new LinkedHashSet<>();
    for (DriverGlue glue : unit) {
      names.add(key(glue.driverName()));
    }
    List<String> wasLoaded = new ArrayList<>();
    for (DriverGlue glue : unit) {
      DriverObjectImpl driver = io.loaded(glue.driverName());
      if (driver == null) {
        continue;
      }
      wasLoaded.add(glue.driverName());
      if (driver.model() == DriverModel.LEGACY && driver.driverUnload() == null) {
        result.failure = ImageUnloadResult.Outcome.NOT_UNLOADABLE;
        result.blockers = glue.driverName() + " has no Unload routine"
            + (glue.permanent() ? " (a permanent driver)" : "") + ": it can never be unloaded";
        return result;
      }
    }
    for (DeviceNode node : pnp.nodes()) {
      if (node.state() != DeviceNode.State.STARTED || !usesAny(node, names)) {
        continue;
      }
      while (true) {
        NtStatus status = core.hostCall(() -> pnp.disable(node));
        if (status.isSuccess()) {
          result.disabled.add(node);
          break;
        }
        if (NtStatus.NO_SUCH_DEVICE.equals(status) || node.state() != DeviceNode.State.STARTED) {
          break;
        }
        if (System.nanoTime() - deadline >= 0) {
          result.failure = ImageUnloadResult.Outcome.TIMED_OUT;
          result.blockers = blockers(names, node, status);
          return result;
        }
        pause(deadline);
      }
    }
    for (DriverGlue glue : unit) {
      String name = glue.driverName();
      DriverObjectImpl driver = io.loaded(name);
      if (driver == null || driver.model() != DriverModel.LEGACY) {
        continue;
      }
      NtStatus status = core.hostCall(() -> io.requestUnload(name));
      if (NtStatus.INVALID_DEVICE_REQUEST.equals(status)) {
        result.failure = ImageUnloadResult.Outcome.NOT_UNLOADABLE;
        result.blockers = name + " refused to unload: " + status;
        return result;
      }
      if (!NtStatus.SUCCESS.equals(status) && !awaitUnloaded(name, deadline)) {
        result.failure = ImageUnloadResult.Outcome.TIMED_OUT;
        result.blockers = blockers(names, null, null) + "; the unload of " + name
            + " stays pending until they are released";
        return result;
      }
    }
    while (true) {
      List<String> stillLoaded = new ArrayList<>();
      boolean uninstalled = core.hostCall(() -> {
        synchronized (core.lock) {
          for (DriverGlue glue : unit) {
            if (io.loaded(glue.driverName()) != null) {
              stillLoaded.add(glue.driverName());
            }
          }
          if (!stillLoaded.isEmpty()) {
            return false;
          }
          for (DriverGlue glue : unit) {
            if (io.installed(glue.driverName()) == glue) {
              io.uninstall(glue.driverName());
            }
          }
          return true;
        }
      });
      if (uninstalled) {
        break;
      }
      if (System.nanoTime() - deadline >= 0) {
        result.failure = ImageUnloadResult.Outcome.TIMED_OUT;
        result.blockers = blockers(names, null, null) + "; still loaded: " + stillLoaded;
        return result;
      }
      pause(deadline);
    }
    result.unloaded.addAll(wasLoaded);
    if (record != null) {
      result.tracker = record.tracker;
      record.release();
    }
    return result;
  }

  private static boolean usesAny(DeviceNode node, Set<String> names) {
    for (String driver : node.driverNames()) {
      if (names.contains(key(driver))) {
        return true;
      }
    }
    return false;
  }

  /** Enables nodes again and reports how they stand. */
  private List<ImageDeviceState> restart(List<DeviceNode> nodes) {
    List<ImageDeviceState> states = new ArrayList<>();
    for (DeviceNode node : nodes) {
      if (node.state() != DeviceNode.State.REMOVED) {
        core.hostCall(() -> pnp.enable(node));
      }
      states.add(ImageDeviceState.of(node));
    }
    return states;
  }

  /** Who keeps the unit's drivers from unloading: handles, references, a vetoing node. */
  private String blockers(Set<String> names, DeviceNode node, NtStatus veto) {
    Set<String> parts = new LinkedHashSet<>();
    if (node != null) {
      parts.add(node.instanceId() + ": removal vetoed with " + veto);
    }
    for (DriverObjectImpl driver : io.loadedDrivers()) {
      if (names.contains(key(driver.name()))) {
        String summary = io.referenceSummary(driver);
        if (!summary.equals("none")) {
          parts.add(driver.name() + ": " + summary);
        }
      }
    }
    for (Handle handle : io.handles()) {
      DeviceObjectImpl device = handle.file().device;
      boolean onNode = node != null && device.node == node;
      if (onNode || names.contains(key(device.driver().name()))) {
        String text = "handle " + handle.id() + " held by " + handle.owner();
        boolean mentioned = false;
        for (String part : parts) {
          mentioned |= part.contains(text);
        }
        if (!mentioned) {
          parts.add(text + " (" + handle.path() + ")");
        }
      }
    }
    return parts.isEmpty() ? "nothing visible (a routine may still be running)"
        : String.join("; ", parts);
  }

  // ---------------------------------------------------------------------------------------------
  // Replacing

  ImageReplaceResult replace(String driverName, Path source, Duration timeout) {
    long deadline = deadline(timeout);
    Set<String> oldNames = unitNames(driverName);
    if (oldNames == null) {
      return new ImageReplaceResult(driverName, ImageReplaceResult.Outcome.NOT_FOUND,
          java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty(),
          List.of(), "", java.util.Optional.empty());
    }
    java.util.Optional<DriverImage> oldImage = java.util.Optional.ofNullable(imageOf(driverName));
    ImageRecord next;
    try {
      next = prepare(source, oldNames);
      if (!containsName(next.image.driverNames(), driverName)) {
        next.release();
        throw new ImageLoadException(source, Kind.NO_GLUE, driverName, null,
            "it has no driver named " + driverName + " (it has " + next.image.driverNames()
                + ")", null);
      }
    } catch (ImageLoadException refused) {
      return new ImageReplaceResult(driverName, ImageReplaceResult.Outcome.REFUSED, oldImage,
          java.util.Optional.empty(), java.util.Optional.of(refused), List.of(), "",
          java.util.Optional.empty());
    }
    Teardown teardown = teardownUnit(driverName, deadline);
    if (teardown.failure != null) {
      next.release();
      List<ImageDeviceState> devices = restart(teardown.disabled);
      ImageReplaceResult.Outcome outcome =
          teardown.failure == ImageUnloadResult.Outcome.NOT_UNLOADABLE
              ? ImageReplaceResult.Outcome.NOT_REPLACEABLE : ImageReplaceResult.Outcome.TIMED_OUT;
      return new ImageReplaceResult(driverName, outcome, oldImage, java.util.Optional.empty(),
          java.util.Optional.empty(), devices, teardown.blockers, java.util.Optional.empty());
    }
    core.trace("ImageReplacing", driverName, "old drivers " + oldNames + " out; loading "
        + next.image.id());
    List<DeviceNode> nodes = new ArrayList<>(teardown.disabled);
    for (DeviceNode node : pnp.nodes()) {
      DeviceNode.State state = node.state();
      if (!nodes.contains(node) && (state == DeviceNode.State.NO_DRIVER
          || state == DeviceNode.State.FAILED) && matches(node, next)) {
        nodes.add(node);
      }
    }
    ImageLoadException failure = null;
    try {
      commit(next);
    } catch (ImageLoadException refused) {
      failure = refused;
    }
    List<ImageDeviceState> devices = restart(nodes);
    if (failure == null) {
      failure = wdmEntryFailure(next, devices);
    }
    if (failure != null) {
      core.trace("ImageReplaceFailed", driverName, failure.getMessage());
      devices = takeOutFailed(next, nodes, deadline);
    }
    java.util.Optional<ImageRelease> release = teardown.tracker == null
        ? java.util.Optional.empty() : java.util.Optional.of(release(teardown.tracker));
    if (failure != null) {
      return new ImageReplaceResult(driverName, ImageReplaceResult.Outcome.NEW_IMAGE_FAILED,
          oldImage, java.util.Optional.empty(), java.util.Optional.of(failure), devices, "",
          release);
    }
    core.trace("ImageReplaced", driverName, "now from " + next.image.id());
    return new ImageReplaceResult(driverName, ImageReplaceResult.Outcome.REPLACED, oldImage,
        java.util.Optional.of(next.image), java.util.Optional.empty(), devices, "", release);
  }

  private static boolean containsName(List<String> names, String name) {
    for (String each : names) {
      if (each.equalsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }

  /** The upper-case names of the unit {@code driverName} belongs to, or null if it is unknown. */
  private Set<String> unitNames(String driverName) {
    List<DriverGlue> unit = unitOf(driverName);
    if (unit == null) {
      return null;
    }
    Set<String> names = new LinkedHashSet<>();
    for (DriverGlue glue : unit) {
      names.add(key(glue.driverName()));
    }
    return names;
  }

  private Teardown teardownUnit(String driverName, long deadline) {
    List<DriverGlue> unit = unitOf(driverName);
    if (unit == null) {
      return new Teardown();
    }
    ImageRecord record = recordOf(driverName);
    return teardown(unit, record, deadline);
  }

  /** True if a WDM driver of {@code image} serves one of the node's hardware IDs. */
  private static boolean matches(DeviceNode node, ImageRecord image) {
    for (ImageGlue glue : image.glue()) {
      if (glue.model() != DriverModel.WDM) {
        continue;
      }
      for (String served : glue.hardwareIds()) {
        for (String id : node.hardwareIds()) {
          if (served.equalsIgnoreCase(id)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** A WDM driver of the new image whose DriverEntry failed on one of the nodes, as a refusal. */
  private ImageLoadException wdmEntryFailure(ImageRecord next, List<ImageDeviceState> devices) {
    for (ImageDeviceState device : devices) {
      if (device.problemCode() != DeviceNode.CODE_DRIVER_ENTRY_FAILED) {
        continue;
      }
      for (ImageGlue glue : next.glue()) {
        if (glue.model() == DriverModel.WDM && io.loaded(glue.driverName()) == null
            && matchesGlue(device.node(), glue)) {
          return new ImageLoadException(next.image.source(), Kind.DRIVER_ENTRY_FAILED,
              glue.driverName(), null, "DriverEntry of " + glue.driverName() + " failed on "
                  + device.node().instanceId() + ": " + lastEntryFailure(glue.driverName()), null);
        }
      }
    }
    return null;
  }

  private static boolean matchesGlue(DeviceNode node, ImageGlue glue) {
    for (String served : glue.hardwareIds()) {
      for (String id : node.hardwareIds()) {
        if (served.equalsIgnoreCase(id)) {
          return true;
        }
      }
    }
    return false;
  }

  private String lastEntryFailure(String driverName) {
    String detail = "see the trace";
    for (TraceEvent event : core.traceSnapshot()) {
      if (event.kind().equals("DriverEntry") && event.subject().equalsIgnoreCase(driverName)
          && event.detail().startsWith("failed")) {
        detail = event.detail();
      }
    }
    return detail;
  }

  /**
   * Takes a new image that failed back out: its nodes lose the half-built stacks, its drivers are
   * uninstalled, and nodes that had started with part of it are enabled again without it.
   */
  private List<ImageDeviceState> takeOutFailed(ImageRecord next, List<DeviceNode> nodes,
      long deadline) {
    Teardown out = next.isReleased() ? null
        : teardown(new ArrayList<>(next.glue()), next, Math.max(deadline,
            deadline(core.options.waitTimeout())));
    List<DeviceNode> again = out == null ? List.of() : out.disabled;
    List<ImageDeviceState> states = new ArrayList<>();
    for (DeviceNode node : nodes) {
      if (again.contains(node) && node.state() != DeviceNode.State.REMOVED) {
        core.hostCall(() -> pnp.enable(node));
      }
      states.add(ImageDeviceState.of(node));
    }
    return states;
  }

  // ---------------------------------------------------------------------------------------------
  // Proving the image is gone

  /** Waits for the image's class loader to be collected, and explains it if it is not. */
  ImageRelease release(ImageTracker tracker) {
    int collections = ImageGc.awaitCollected(tracker);
    if (collections >= 0) {
      core.trace("ImageCollected", tracker.image.id(), "class loader collected after "
          + collections + " collection(s)");
      return new ImageRelease(tracker.image, true, collections, java.util.Optional.empty());
    }
    List<ImageLeak.Holder> holders = ImageLeakDetector.explain(tracker, core, io, pnp);
    if (holders.isEmpty()) {
      return new ImageRelease(tracker.image, true, ImageGc.ATTEMPTS, java.util.Optional.empty());
    }
    ImageLeak leak = new ImageLeak(tracker.image, tracker.loaderName, holders, tracker);
    core.trace("ImageLeak", tracker.image.id(), holders.size() + " holder(s): "
        + holders.get(0).description());
    return new ImageRelease(tracker.image, false, ImageGc.ATTEMPTS, java.util.Optional.of(leak));
  }

  // ---------------------------------------------------------------------------------------------
  // Waiting

  private static long deadline(Duration timeout) {
    long nanos;
    try {
      nanos = timeout.toNanos();
    } catch (ArithmeticException huge) {
      nanos = Long.MAX_VALUE / 4;
    }
    return System.nanoTime() + Math.max(0, Math.min(nanos, Long.MAX_VALUE / 4));
  }

  private void pause(long deadline) {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      return;
    }
    synchronized (core.lock) {
      try {
        core.waitLocked(Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private boolean awaitUnloaded(String name, long deadline) {
    while (io.loaded(name) != null) {
      if (core.bugCheck() != null) {
        throw new SystemStoppedException(core.bugCheck());
      }
      if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
        return false;
      }
      pause(deadline);
    }
    return true;
  }
}

package io.jwdm.host;

import io.jwdm.host.ImageLeak.Holder;
import io.jwdm.host.ImageLeak.HolderKind;
import java.lang.ref.Reference;
import java.lang.ref.SoftReference;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Explains why an unloaded image's class loader survived: looks, while the loader is still alive,
 * at what could hold it. It cannot walk the heap; it inspects live threads, walks the kernel's own
 * object graph (reflectively, through fields of classes outside the JDK's modules and through the
 * public API of JDK collections), and walks the JDK-wide registries a driver can reach. Every
 * finding names the path from its root to the image's object.
 */
final class ImageLeakDetector {
  /** How many objects one walk visits at most. */
  private static final int WALK_BUDGET = 200_000;

  private ImageLeakDetector() {}

  static List<Holder> explain(ImageTracker tracker, KernelCore core, IoManager io,
      PnpManager pnp) {
    ClassLoader loader = tracker.loaderIfAlive();
    if (loader == null) {
      return List.of();
    }
    List<Holder> holders = new ArrayList<>();
    threads(tracker, loader, holders);
    Walk kernel = new Walk(loader);
    synchronized (core.lock) {
      kernel.from("kernel I/O manager", io);
      kernel.from("kernel PnP manager", pnp);
      kernel.from("kernel core", core);
    }
    for (String path : kernel.found) {
      holders.add(new Holder(HolderKind.KERNEL_OBJECT, path));
    }
    jdkRegistries(loader, holders);
    if (holders.isEmpty()) {
      holders.add(new Holder(HolderKind.UNKNOWN, unknown(tracker, kernel.exhausted)));
    }
    return holders;
  }

  private static boolean isImageClass(Class<?> type, ClassLoader loader) {
    Class<?> element = type;
    while (element.isArray()) {
      element = element.getComponentType();
    }
    return element.getClassLoader() == loader;
  }

  /** True if {@code value} is the loader, one of its classes, or an object of one of them. */
  static boolean isImageObject(Object value, ClassLoader loader) {
    if (value == null) {
      return false;
    }
    if (value == loader) {
      return true;
    }
    if (value instanceof Class) {
      return isImageClass((Class<?>) value, loader);
    }
    return isImageClass(value.getClass(), loader);
  }

  // ---------------------------------------------------------------------------------------------
  // Threads

  private static void threads(ImageTracker tracker, ClassLoader loader, List<Holder> holders) {
    Map<Thread, StackTraceElement[]> all;
    try {
      all = Thread.getAllStackTraces();
    } catch (SecurityException denied) {
      return;
    }
    for (Map.Entry<Thread, StackTraceElement[]> entry : all.entrySet()) {
      Thread thread = entry.getKey();
      if (thread == Thread.currentThread() || !thread.isAlive()) {
        continue;
      }
      List<String> why = new ArrayList<>();
      if (isImageClass(thread.getClass(), loader)) {
        why.add("is an instance of image class " + thread.getClass().getName());
      }
      if (thread.getContextClassLoader() == loader) {
        why.add("has the image's class loader as its context class loader");
      }
      Thread.UncaughtExceptionHandler handler = thread.getUncaughtExceptionHandler();
      if (isImageObject(handler, loader)) {
        why.add("has an uncaught-exception handler of image class " + handler.getClass().getName());
      }
      for (StackTraceElement frame : entry.getValue()) {
        if (tracker.loaderName.equals(frame.getClassLoaderName())
            && tracker.classNames.contains(frame.getClassName())) {
          why.add("runs image code at " + frame.getClassName() + "." + frame.getMethodName()
              + "(" + frame.getFileName() + ":" + frame.getLineNumber() + ")");
          break;
        }
      }
      if (!why.isEmpty()) {
        holders.add(new Holder(HolderKind.THREAD, "thread \"" + thread.getName() + "\" ("
            + (thread.isDaemon() ? "daemon, " : "") + thread.getState() + ") "
            + String.join(", and ", why)));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // JDK-wide registries

  private static void jdkRegistries(ClassLoader loader, List<Holder> holders) {
    Walk walk = new Walk(loader);
    walk.from("System.getProperties()", System.getProperties());
    walk.from("Thread.getDefaultUncaughtExceptionHandler()",
        Thread.getDefaultUncaughtExceptionHandler());
    logging(walk);
    for (java.security.Provider provider : java.security.Security.getProviders()) {
      if (isImageObject(provider, loader)) {
        walk.found.add("java.security.Security provider \"" + provider.getName()
            + "\" is an instance of image class " + provider.getClass().getName());
      }
    }
    for (String path : walk.found) {
      holders.add(new Holder(HolderKind.JDK_REGISTRY, path));
    }
    mbeans(loader, holders);
  }

  private static void logging(Walk walk) {
    try {
      java.util.logging.LogManager manager = java.util.logging.LogManager.getLogManager();
      for (String name : java.util.Collections.list(manager.getLoggerNames())) {
        java.util.logging.Logger logger = manager.getLogger(name);
        if (logger == null) {
          continue;
        }
        String label = "java.util.logging logger \"" + name + "\"";
        walk.from(label + " handlers", logger.getHandlers());
        walk.from(label + " filter", logger.getFilter());
      }
    } catch (RuntimeException | LinkageError unavailable) {
      // java.logging is not in this runtime image: nothing to look at.
    }
  }

  private static void mbeans(ClassLoader loader, List<Holder> holders) {
    try {
      javax.management.MBeanServer server =
          java.lang.management.ManagementFactory.getPlatformMBeanServer();
      for (javax.management.ObjectName name : server.queryNames(null, null)) {
        try {
          if (server.getClassLoaderFor(name) == loader) {
            holders.add(new Holder(HolderKind.JDK_REGISTRY, "platform MBean " + name
                + " is registered by the image"));
          }
        } catch (javax.management.InstanceNotFoundException gone) {
          // unregistered meanwhile
        }
      }
    } catch (RuntimeException | LinkageError unavailable) {
      // java.management is not in this runtime image: nothing to look at.
    }
  }

  private static String unknown(ImageTracker tracker, boolean exhausted) {
    StringBuilder out = new StringBuilder("no holder found among live threads, the kernel's"
        + " objects and the JDK registries jwdm inspects (system properties, the default"
        + " uncaught-exception handler, java.util.logging, security providers, platform MBeans)");
    if (exhausted) {
      out.append("; the walk of the kernel's objects stopped after ").append(WALK_BUDGET)
          .append(" objects");
    }
    String disabled = ImageGc.collectionDisabled();
    if (disabled != null) {
      out.append("; note that ").append(disabled)
          .append(", so class loaders may not be collected on request at all");
    }
    out.append(". Holders jwdm cannot see without a heap walk: the host's own static fields or"
        + " objects, a closed Handle or a finished IoRequest the host still holds (it reaches the"
        + " device object and its extension), ThreadLocal values the image set on a host thread,"
        + " shutdown hooks, JDK caches keyed by image classes. A heap dump (jcmd <pid>"
        + " GC.heap_dump) and the paths to GC roots of class loader \"")
        .append(tracker.loaderName).append("\" show the holder.");
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // The object walk

  /**
   * A bounded walk of an object graph that records the path to every object of the image it
   * meets (and does not walk past it). It reads fields of classes in unnamed modules (the
   * kernel's, the host's, other images'), static fields included, and the elements of arrays,
   * collections, maps, atomic and soft references through their public API; JDK objects it cannot
   * open are ends.
   */
  private static final class Walk {
    private final ClassLoader loader;
    private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
    private final Map<Class<?>, List<Field>> fields = new HashMap<>();
    private final Map<Class<?>, Boolean> staticsWalked = new HashMap<>();
    final List<String> found = new ArrayList<>();
    boolean exhausted;

    Walk(ClassLoader loader) {
      this.loader = loader;
    }

    /** A step of a path: the object reached, its parent and how. */
    private record Step(Object value, Step parent, String label) {}

    void from(String root, Object value) {
      if (value == null) {
        return;
      }
      Deque<Step> pending = new ArrayDeque<>();
      pending.push(new Step(value, null, root));
      while (!pending.isEmpty()) {
        if (seen.size() >= WALK_BUDGET) {
          exhausted = true;
          return;
        }
        Step step = pending.pop();
        Object current = step.value();
        if (current == null || seen.put(current, Boolean.TRUE) != null) {
          continue;
        }
        if (isImageObject(current, loader)) {
          found.add(path(step) + " is " + describeImage(current));
          continue;
        }
        expand(step, pending);
      }
    }

    private String describeImage(Object value) {
      if (value == loader) {
        return "the image's class loader";
      }
      if (value instanceof Class) {
        return "image class " + ((Class<?>) value).getName();
      }
      return "an instance of image class " + value.getClass().getName();
    }

    private static String path(Step step) {
      List<String> labels = new ArrayList<>();
      for (Step each = step; each != null; each = each.parent()) {
        labels.add(each.label() + kernelName(each.value(), each.parent() == null));
      }
      java.util.Collections.reverse(labels);
      return String.join("", labels);
    }

    /** How a kernel object on a path reads: its own description, which is host code. */
    private static String kernelName(Object value, boolean root) {
      if (root) {
        return "";
      }
      if (value instanceof DriverObjectImpl || value instanceof DeviceObjectImpl
          || value instanceof DeviceNode || value instanceof Handle) {
        return " <" + value + ">";
      }
      return "";
    }

    private void expand(Step step, Deque<Step> pending) {
      Object current = step.value();
      Class<?> type = current.getClass();
      if (current instanceof String || current instanceof Number || current instanceof Boolean
          || current instanceof Character || current instanceof Enum || current instanceof Class
          || current instanceof ClassLoader || current instanceof Thread
          || type.isArray() && type.getComponentType().isPrimitive()) {
        return;
      }
      if (current instanceof Object[]) {
        Object[] array = (Object[]) current;
        for (int i = array.length - 1; i >= 0; i--) {
          push(pending, array[i], step, "[" + i + "]");
        }
        return;
      }
      if (current instanceof SoftReference) {
        push(pending, ((SoftReference<?>) current).get(), step, ".get()");
        return;
      }
      if (current instanceof Reference) {
        return;
      }
      if (current instanceof AtomicReference) {
        push(pending, ((AtomicReference<?>) current).get(), step, ".get()");
        return;
      }
      if (current instanceof Optional) {
        push(pending, ((Optional<?>) current).orElse(null), step, ".get()");
        return;
      }
      if (!type.getModule().isNamed()) {
        walkFields(step, pending);
        return;
      }
      if (current instanceof Map) {
        try {
          for (Map.Entry<?, ?> entry : List.copyOf(((Map<?, ?>) current).entrySet())) {
            String key = keyText(entry.getKey());
            push(pending, entry.getValue(), step, "[" + key + "]");
            push(pending, entry.getKey(), step, "{key " + key + "}");
          }
        } catch (RuntimeException changing) {
          // modified while walked, or an unwalkable map: an end
        }
        return;
      }
      if (current instanceof Collection) {
        try {
          Object[] elements = ((Collection<?>) current).toArray();
          for (int i = elements.length - 1; i >= 0; i--) {
            push(pending, elements[i], step, "[" + i + "]");
          }
        } catch (RuntimeException changing) {
          // modified while walked: an end
        }
      }
    }

    /** A map key as a path shows it; runs no code of the key's class but the JDK's. */
    private static String keyText(Object key) {
      String text;
      if (key instanceof Enum) {
        text = ((Enum<?>) key).name();
      } else if (key instanceof String
          || key instanceof Number && key.getClass().getModule().isNamed()) {
        text = String.valueOf(key);
      } else {
        return key == null ? "null" : key.getClass().getSimpleName();
      }
      return text.length() > 60 ? text.substring(0, 60) + "..." : text;
    }

    private void push(Deque<Step> pending, Object value, Step parent, String label) {
      if (value != null && !seen.containsKey(value)) {
        pending.push(new Step(value, parent, label));
      }
    }

    private void walkFields(Step step, Deque<Step> pending) {
      Object current = step.value();
      for (Class<?> type = current.getClass(); type != null && !type.getModule().isNamed();
          type = type.getSuperclass()) {
        boolean statics = staticsWalked.putIfAbsent(type, Boolean.TRUE) == null;
        Step owner = new Step(type, step, " (class " + type.getName() + ")");
        for (Field field : fieldsOf(type)) {
          boolean isStatic = Modifier.isStatic(field.getModifiers());
          if (isStatic && !statics) {
            continue;
          }
          Object value;
          try {
            value = field.get(isStatic ? null : current);
          } catch (IllegalAccessException | RuntimeException unreadable) {
            continue;
          }
          if (isStatic) {
            push(pending, value, owner, " static " + field.getName());
          } else {
            push(pending, value, step, "." + field.getName());
          }
        }
      }
    }

    /** The reference-typed fields of {@code type} this walk may read. */
    private List<Field> fieldsOf(Class<?> type) {
      return fields.computeIfAbsent(type, declaring -> {
        List<Field> readable = new ArrayList<>();
        Field[] declared;
        try {
          declared = declaring.getDeclaredFields();
        } catch (LinkageError | SecurityException unreadable) {
          return readable;
        }
        for (Field field : declared) {
          if (field.getType().isPrimitive()) {
            continue;
          }
          try {
            if (field.trySetAccessible()) {
              readable.add(field);
            }
          } catch (RuntimeException denied) {
            // not readable: skip it
          }
        }
        return readable;
      });
    }
  }
}

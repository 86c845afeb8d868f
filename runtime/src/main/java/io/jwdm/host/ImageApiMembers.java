package io.jwdm.host;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields and methods an image may use on a class of the jwdm API: those the class and its
 * supertypes declare, with the class's own constructors, by name and descriptor, as a class file
 * names them. Immutable.
 *
 * <p>They are facts about the runtime's own classes, the same for every image and every kernel,
 * so they are computed once per API class and kept with the class ({@link ClassValue}); a class of
 * another loader is described afresh each time and never kept.
 */
final class ImageApiMembers {
  private static final ClassLoader RUNTIME = io.jwdm.spi.DriverGlue.class.getClassLoader();

  private static final ClassValue<ImageApiMembers> OF_API_CLASS = new ClassValue<>() {
    @Override
    protected ImageApiMembers computeValue(Class<?> type) {
      return new ImageApiMembers(type);
    }
  };

  /** Field name to its descriptors (a class and a supertype may each declare one). */
  private final Map<String, Set<String>> fields;
  /** Method name to its descriptors. */
  private final Map<String, Set<String>> methods;

  private ImageApiMembers(Class<?> owner) {
    Map<String, Set<String>> fields = new HashMap<>();
    Map<String, Set<String>> methods = new HashMap<>();
    Deque<Class<?>> pending = new ArrayDeque<>();
    Set<Class<?>> seen = new HashSet<>();
    pending.add(owner);
    pending.add(Object.class);
    while (!pending.isEmpty()) {
      Class<?> type = pending.poll();
      if (!seen.add(type)) {
        continue;
      }
      for (Field field : type.getDeclaredFields()) {
        add(fields, field.getName(), field.getType().descriptorString());
      }
      for (Method method : type.getDeclaredMethods()) {
        add(methods, method.getName(), descriptor(method.getParameterTypes(),
            method.getReturnType()));
      }
      if (type == owner) {
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
          add(methods, "<init>", descriptor(constructor.getParameterTypes(), void.class));
        }
      }
      if (type.getSuperclass() != null) {
        pending.add(type.getSuperclass());
      }
      pending.addAll(List.of(type.getInterfaces()));
    }
    this.fields = freeze(fields);
    this.methods = freeze(methods);
  }

  /** The members of {@code owner}, a class an image resolved in an API package. */
  static ImageApiMembers of(Class<?> owner) {
    return owner.getClassLoader() == RUNTIME ? OF_API_CLASS.get(owner)
        : new ImageApiMembers(owner);
  }

  /** Whether a class file's reference to this field or method resolves. */
  boolean has(ImageClassFile.MemberRef member) {
    Set<String> descriptors = (member.field() ? fields : methods).get(member.name());
    return descriptors != null && descriptors.contains(member.descriptor());
  }

  private static void add(Map<String, Set<String>> members, String name, String descriptor) {
    members.computeIfAbsent(name, any -> new HashSet<>(2)).add(descriptor);
  }

  private static Map<String, Set<String>> freeze(Map<String, Set<String>> members) {
    members.replaceAll((name, descriptors) -> Set.copyOf(descriptors));
    return Map.copyOf(members);
  }

  private static String descriptor(Class<?>[] parameters, Class<?> returnType) {
    StringBuilder out = new StringBuilder("(");
    for (Class<?> parameter : parameters) {
      out.append(parameter.descriptorString());
    }
    return out.append(')').append(returnType.descriptorString()).toString();
  }
}

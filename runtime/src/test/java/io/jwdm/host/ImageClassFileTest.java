package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.NtStatus;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The image loader's class-file reader: it reads only what the link check needs, in place, so it
 * is held against a plain reader of the whole constant pool (what the loader used before) on every
 * class of the runtime and of these tests, and against reflection for the types of a class's own
 * fields and methods.
 */
@DisplayName("Image class files: what a class refers to")
class ImageClassFileTest {

  /** Refers to API members, arrays, a non-ASCII class and types only its signatures name. */
  @SuppressWarnings("unused")
  static final class Sample {
    private Runnable[][] tasks;
    private Grüße greeting;

    Sample(Thread.State state) {}

    static boolean ok() {
      return NtStatus.SUCCESS.isSuccess() && "x".length() == 1 && new int[1].clone().length == 1;
    }

    java.util.concurrent.TimeUnit unit(java.time.Duration[] durations, long count) {
      return null;
    }

    Object greet() {
      return new Object[] {new Grüße[] {new Grüße()}, new Runnable[1][2]};
    }
  }

  static final class Grüße {}

  private static byte[] bytesOf(Class<?> type) throws IOException {
    String entry = type.getName().replace('.', '/') + ".class";
    try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
      return in.readAllBytes();
    }
  }

  @Test
  void classesIncludeArrayElementsAndNonAsciiNamesButNoPrimitives() throws IOException {
    ImageClassFile file = ImageClassFile.parse(bytesOf(Sample.class));

    assertTrue(file.classes().contains("io/jwdm/host/ImageClassFileTest$Grüße"), file.classes()::toString);
    assertTrue(file.classes().contains("java/lang/Runnable"), file.classes()::toString);
    assertTrue(file.classes().contains("io/jwdm/kernel/NtStatus"), file.classes()::toString);
    assertFalse(file.classes().stream().anyMatch(name -> name.startsWith("[")),
        file.classes()::toString);
  }

  @Test
  void membersAreTheApiOnesOnly() throws IOException {
    ImageClassFile file = ImageClassFile.parse(bytesOf(Sample.class));

    List<String> members = new ArrayList<>();
    for (ImageClassFile.MemberRef member : file.members()) {
      members.add(member.describe());
    }
    assertEquals(List.of("io.jwdm.kernel.NtStatus.SUCCESS:Lio/jwdm/kernel/NtStatus;",
        "io.jwdm.kernel.NtStatus.isSuccess()Z"), members.stream().sorted().toList());
  }

  @Test
  void memberTypesAreWhatReflectionResolves() throws IOException {
    for (Class<?> type : List.of(Sample.class, ImageClassFile.class, ImageManager.class,
        KernelCore.class, ImageClassFileTest.class)) {
      Set<String> parsed = new TreeSet<>(ImageClassFile.parse(bytesOf(type)).memberTypes());

      assertEquals(reflected(type), parsed, type.getName());
    }
  }

  /** The element classes of the types of the class's fields, methods and constructors. */
  private static Set<String> reflected(Class<?> type) {
    Set<String> names = new TreeSet<>();
    List<Class<?>> types = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      types.add(field.getType());
    }
    for (Method method : type.getDeclaredMethods()) {
      types.add(method.getReturnType());
      types.addAll(Arrays.asList(method.getParameterTypes()));
    }
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      types.addAll(Arrays.asList(constructor.getParameterTypes()));
    }
    for (Class<?> each : types) {
      while (each.isArray()) {
        each = each.getComponentType();
      }
      if (!each.isPrimitive()) {
        names.add(each.getName().replace('.', '/'));
      }
    }
    return names;
  }

  @Test
  void agreesWithAPlainReaderOnEveryClassOfTheRuntimeAndItsTests()
      throws IOException, URISyntaxException {
    int checked = 0;
    for (Class<?> anchor : List.of(ImageManager.class, ImageClassFileTest.class)) {
      Path root = Paths.get(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
      List<Path> classes;
      try (Stream<Path> walk = Files.walk(root)) {
        classes = walk.filter(path -> path.toString().endsWith(".class")).toList();
      }
      for (Path path : classes) {
        byte[] bytes = Files.readAllBytes(path);
        ImageClassFile file = ImageClassFile.parse(bytes);
        Reference reference = Reference.parse(bytes);

        assertEquals(reference.classes, new LinkedHashSet<>(file.classes()), path.toString());
        List<String> apiMembers = new ArrayList<>();
        for (ImageClassFile.MemberRef member : file.members()) {
          apiMembers.add(member.describe());
        }
        assertEquals(reference.apiMembers, apiMembers, path.toString());
        checked++;
      }
    }
    assertTrue(checked > 100, "only " + checked + " classes checked");
  }

  @Test
  void aBrokenClassFileIsAnIoException() throws IOException {
    byte[] bytes = bytesOf(Sample.class);

    assertThrows(IOException.class, () -> ImageClassFile.parse(new byte[0]));
    assertThrows(IOException.class, () -> ImageClassFile.parse("not a class".getBytes()));
    for (int length : new int[] {10, 11, 40, bytes.length / 2}) {
      assertThrows(IOException.class, () -> ImageClassFile.parse(Arrays.copyOf(bytes, length)),
          "truncated to " + length);
    }
    byte[] badTag = bytes.clone();
    badTag[10] = 99;
    assertThrows(IOException.class, () -> ImageClassFile.parse(badTag));
  }

  /** Every constant pool entry decoded with {@link DataInputStream}, then filtered. */
  private static final class Reference {
    final Set<String> classes = new LinkedHashSet<>();
    final List<String> apiMembers = new ArrayList<>();

    static Reference parse(byte[] bytes) throws IOException {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      in.readInt();
      in.readUnsignedShort();
      in.readUnsignedShort();
      int count = in.readUnsignedShort();
      int[] tags = new int[count];
      String[] utf8 = new String[count];
      int[] first = new int[count];
      int[] second = new int[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        tags[i] = tag;
        switch (tag) {
          case 1 -> utf8[i] = in.readUTF();
          case 3, 4 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          case 7, 8, 16, 19, 20 -> first[i] = in.readUnsignedShort();
          case 9, 10, 11, 12, 17, 18 -> {
            first[i] = in.readUnsignedShort();
            second[i] = in.readUnsignedShort();
          }
          case 15 -> {
            in.readUnsignedByte();
            first[i] = in.readUnsignedShort();
          }
          default -> throw new IOException("tag " + tag);
        }
      }
      Reference reference = new Reference();
      for (int i = 1; i < count; i++) {
        if (tags[i] == 7) {
          String name = utf8[first[i]];
          if (name.startsWith("[")) {
            name = name.substring(name.lastIndexOf('[') + 1);
            if (!name.startsWith("L")) {
              continue;
            }
            name = name.substring(1, name.length() - 1);
          }
          reference.classes.add(name);
        } else if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
          String owner = utf8[first[first[i]]].replace('/', '.');
          String packageName = ImageApiLoader.packageOf(owner);
          if (owner.startsWith("[") || !ImageApiLoader.API_PACKAGES.contains(packageName)) {
            continue;
          }
          int nameAndType = second[i];
          reference.apiMembers.add(owner + "." + utf8[first[nameAndType]]
              + (tags[i] == 9 ? ":" : "") + utf8[second[nameAndType]]);
        }
      }
      return reference;
    }
  }
}

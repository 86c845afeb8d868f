package io.jwdm.host;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a class file refers to: the classes of its constant pool, the types its own fields and
 * methods are declared with, and the fields and methods of the jwdm API it uses. The image loader
 * resolves them all before any driver code runs, so an image that refers to something it cannot
 * see (the host's classes) or that this runtime lacks (a jwdm API method of another version) is
 * refused at load instead of failing in a routine.
 *
 * <p>The parser reads the class file's bytes in place and decodes only the constant pool strings
 * the link check needs; names stay in their internal form ({@code io/jwdm/kernel/NtStatus}), so
 * the loader converts each distinct name once per image rather than once per reference. The
 * class was defined by the JVM before it is parsed here, so the JVM has already checked the rest
 * of the class file.
 */
final class ImageClassFile {
  /**
   * A field or method of a jwdm API class that a class refers to.
   *
   * @param owner the owner's internal name, such as {@code io/jwdm/kernel/KernelServices}
   * @param name the member's name ({@code <init>} for a constructor)
   * @param descriptor the member's descriptor
   * @param field whether the member is a field
   */
  record MemberRef(String owner, String name, String descriptor, boolean field) {
    /** As javap shows it: {@code io.jwdm.kernel.KernelServices.dbgPrint(Ljava/lang/String;)V}. */
    String describe() {
      return owner.replace('/', '.') + "." + name + (field ? ":" : "") + descriptor;
    }
  }

  private static final int UTF8 = 1;
  private static final int CLASS = 7;
  private static final int FIELD_REF = 9;
  private static final int METHOD_REF = 10;
  private static final int INTERFACE_METHOD_REF = 11;
  private static final int NAME_AND_TYPE = 12;

  /** The API packages as internal-name prefixes; see {@link ImageApiLoader#API_PACKAGES}. */
  private static final byte[][] API_PREFIXES = {
      "io/jwdm/annotation/".getBytes(StandardCharsets.US_ASCII),
      "io/jwdm/kernel/".getBytes(StandardCharsets.US_ASCII),
      "io/jwdm/spi/".getBytes(StandardCharsets.US_ASCII)};

  private final List<String> classes;
  private final List<String> memberTypes;
  private final List<MemberRef> members;

  private ImageClassFile(List<String> classes, List<String> memberTypes,
      List<MemberRef> members) {
    this.classes = classes;
    this.memberTypes = memberTypes;
    this.members = members;
  }

  /**
   * The internal names of the classes referred to (the element classes of array classes; no
   * primitives), in constant pool order.
   */
  List<String> classes() {
    return classes;
  }

  /**
   * The internal names of the classes the descriptors of the class's own fields and methods name
   * (the types of its fields, and the parameter and return types of its methods and constructors),
   * which its constant pool need not name as classes: what reflection on the class resolves.
   * Repeats are possible.
   */
  List<String> memberTypes() {
    return memberTypes;
  }

  /** The fields and methods of jwdm API classes ({@value ImageApiLoader#API_PACKAGES_TEXT}) used. */
  List<MemberRef> members() {
    return members;
  }

  /**
   * Reads a class file's constant pool and the descriptors of its fields and methods.
   *
   * @throws IOException if the bytes are not a well-formed class file
   */
  static ImageClassFile parse(byte[] bytes) throws IOException {
    return new Parser(bytes).parse();
  }

  /** The binary name of an internal name: {@code a/b/C$D} is {@code a.b.C$D}. */
  static String binaryName(String internal) {
    return internal.replace('/', '.');
  }

  private static final class Parser {
    private final byte[] bytes;
    /** Each constant pool entry's tag, and the offset of what follows its tag. */
    private int[] tags;
    private int[] offsets;
    /** The UTF-8 entries decoded so far, by index. */
    private String[] strings;

    Parser(byte[] bytes) {
      this.bytes = bytes;
    }

    ImageClassFile parse() throws IOException {
      if (bytes.length < 10 || u2(0) != 0xCAFE || u2(2) != 0xBABE) {
        throw new IOException("not a class file (bad magic number)");
      }
      int count = u2(8);
      tags = new int[count];
      offsets = new int[count];
      strings = new String[count];
      int classCount = 0;
      int memberCount = 0;
      int at = 10;
      for (int i = 1; i < count; i++) {
        int tag = u1(at);
        tags[i] = tag;
        offsets[i] = at + 1;
        switch (tag) {
          case UTF8:
            at += 3 + u2(at + 1);
            break;
          case 3: // Integer
          case 4: // Float
            at += 5;
            break;
          case 5: // Long
          case 6: // Double
            at += 9;
            i++;
            break;
          case CLASS:
            classCount++;
            at += 3;
            break;
          case 8: // String
          case 16: // MethodType
          case 19: // Module
          case 20: // Package
            at += 3;
            break;
          case FIELD_REF:
          case METHOD_REF:
          case INTERFACE_METHOD_REF:
            memberCount++;
            at += 5;
            break;
          case NAME_AND_TYPE:
          case 17: // Dynamic
          case 18: // InvokeDynamic
            at += 5;
            break;
          case 15: // MethodHandle
            at += 4;
            break;
          default:
            throw new IOException("bad constant pool tag " + tag + " at " + i);
        }
      }
      if (at > bytes.length) {
        throw new IOException("truncated constant pool");
      }
      List<String> classes = new ArrayList<>(classCount);
      List<MemberRef> members = new ArrayList<>(Math.min(memberCount, 16));
      for (int i = 1; i < count; i++) {
        int tag = tags[i];
        if (tag == CLASS) {
          int name = index(u2(offsets[i]), UTF8);
          String element = elementClass(name);
          if (element != null) {
            classes.add(element);
          }
        } else if (tag == FIELD_REF || tag == METHOD_REF || tag == INTERFACE_METHOD_REF) {
          int owner = index(u2(offsets[index(u2(offsets[i]), CLASS)]), UTF8);
          if (!isApiClass(owner)) {
            continue;
          }
          int nameAndType = index(u2(offsets[i] + 2), NAME_AND_TYPE);
          members.add(new MemberRef(utf8(owner), utf8(index(u2(offsets[nameAndType]), UTF8)),
              utf8(index(u2(offsets[nameAndType] + 2), UTF8)), tag == FIELD_REF));
        }
      }
      return new ImageClassFile(classes, memberTypes(at), members);
    }

    /**
     * The classes named by the descriptors of the fields and methods declared after the constant
     * pool, which ends at {@code at}; each distinct descriptor is read once.
     */
    private List<String> memberTypes(int at) throws IOException {
      int interfaces = u2(at + 6);
      at += 8 + 2 * interfaces;
      boolean[] seen = new boolean[tags.length];
      List<String> types = new ArrayList<>();
      for (int table = 0; table < 2; table++) {
        int count = u2(at);
        at += 2;
        for (int i = 0; i < count; i++) {
          int descriptor = index(u2(at + 4), UTF8);
          if (!seen[descriptor]) {
            seen[descriptor] = true;
            addDescriptorTypes(descriptor, types);
          }
          int attributes = u2(at + 6);
          at += 8;
          for (int a = 0; a < attributes; a++) {
            long next = at + 6L + (u4(at + 2) & 0xFFFF_FFFFL);
            if (next > bytes.length) {
              throw new IOException("truncated class file");
            }
            at = (int) next;
          }
        }
      }
      return types;
    }

    /** Adds the class names in a field or method descriptor: each {@code L...;}. */
    private void addDescriptorTypes(int index, List<String> types) throws IOException {
      int start = offsets[index] + 2;
      int end = start + u2(offsets[index]);
      for (int at = start; at < end; at++) {
        if (bytes[at] < 0) {
          addDescriptorTypes(utf8(index), types);
          return;
        }
      }
      for (int at = start; at < end; at++) {
        if (bytes[at] == 'L') {
          int semicolon = at + 1;
          while (semicolon < end && bytes[semicolon] != ';') {
            semicolon++;
          }
          types.add(new String(bytes, at + 1, semicolon - at - 1, StandardCharsets.ISO_8859_1));
          at = semicolon;
        }
      }
    }

    private static void addDescriptorTypes(String descriptor, List<String> types) {
      for (int at = 0; at < descriptor.length(); at++) {
        if (descriptor.charAt(at) == 'L') {
          int semicolon = descriptor.indexOf(';', at + 1);
          if (semicolon < 0) {
            semicolon = descriptor.length();
          }
          types.add(descriptor.substring(at + 1, semicolon));
          at = semicolon;
        }
      }
    }

    /** The internal name of a class entry's class, or of an array's element class; null for primitives. */
    private String elementClass(int index) throws IOException {
      int start = offsets[index] + 2;
      int length = u2(offsets[index]);
      if (length == 0 || bytes[start] != '[') {
        return utf8(index);
      }
      int dims = 0;
      while (dims < length && bytes[start + dims] == '[') {
        dims++;
      }
      if (length - dims < 2 || bytes[start + dims] != 'L' || bytes[start + length - 1] != ';') {
        return null;
      }
      String descriptor = utf8(index);
      return descriptor.substring(dims + 1, descriptor.length() - 1);
    }

    /** Whether UTF-8 entry {@code index} is the internal name of a class of an API package. */
    private boolean isApiClass(int index) {
      int start = offsets[index] + 2;
      int end = start + ((bytes[offsets[index]] & 0xFF) << 8 | bytes[offsets[index] + 1] & 0xFF);
      for (byte[] prefix : API_PREFIXES) {
        if (end - start <= prefix.length || !startsWith(start, prefix)) {
          continue;
        }
        for (int at = start + prefix.length; at < end; at++) {
          if (bytes[at] == '/') {
            return false;
          }
        }
        return true;
      }
      return false;
    }

    private boolean startsWith(int start, byte[] prefix) {
      for (int i = 0; i < prefix.length; i++) {
        if (bytes[start + i] != prefix[i]) {
          return false;
        }
      }
      return true;
    }

    /** UTF-8 entry {@code index} as a string, decoded once. */
    private String utf8(int index) throws IOException {
      String known = strings[index];
      if (known != null) {
        return known;
      }
      int start = offsets[index] + 2;
      int length = u2(offsets[index]);
      boolean ascii = true;
      for (int at = start; at < start + length; at++) {
        ascii &= bytes[at] >= 0;
      }
      String text;
      if (ascii) {
        // Modified UTF-8 encodes 0x00 to 0x7F as these single bytes, as Latin-1 does.
        text = new String(bytes, start, length, StandardCharsets.ISO_8859_1);
      } else {
        text = new DataInputStream(new ByteArrayInputStream(bytes, start - 2, length + 2))
            .readUTF();
      }
      strings[index] = text;
      return text;
    }

    /** Checks that {@code index} is a constant pool entry with {@code tag}. */
    private int index(int index, int tag) throws IOException {
      if (index <= 0 || index >= tags.length || tags[index] != tag) {
        throw new IOException("malformed constant pool: entry " + index + " is not of tag "
            + tag);
      }
      return index;
    }

    private int u1(int at) throws IOException {
      if (at >= bytes.length) {
        throw new IOException("truncated constant pool");
      }
      return bytes[at] & 0xFF;
    }

    private int u4(int at) throws IOException {
      return u2(at) << 16 | u2(at + 2);
    }

    private int u2(int at) throws IOException {
      if (at + 1 >= bytes.length) {
        throw new IOException("truncated constant pool");
      }
      return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }
  }
}

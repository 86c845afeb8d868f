package io.jwdm.host;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a class file refers to, read from its constant pool: the classes, and the fields and
 * methods of other classes. The image loader resolves them all before any driver code runs, so an
 * image that refers to something it cannot see (the host's classes) or that this runtime lacks (a
 * jwdm API method of another version) is refused at load instead of failing in a routine.
 */
final class ImageClassFile {
  /** A field or method a class refers to. */
  record MemberRef(String owner, String name, String descriptor, boolean field) {
    /** As javap shows it: {@code io.jwdm.kernel.KernelServices.dbgPrint(Ljava/lang/String;)V}. */
    String describe() {
      return owner + "." + name + (field ? ":" : "") + descriptor;
    }
  }

  private final Set<String> classes;
  private final List<MemberRef> members;

  private ImageClassFile(Set<String> classes, List<MemberRef> members) {
    this.classes = classes;
    this.members = members;
  }

  /** The binary names of the classes referred to (array element classes included). */
  Set<String> classes() {
    return classes;
  }

  /** The fields and methods referred to, with binary owner names; array owners are left out. */
  List<MemberRef> members() {
    return members;
  }

  /**
   * Reads a class file's constant pool.
   *
   * @throws IOException if the bytes are not a well-formed class file
   */
  static ImageClassFile parse(byte[] bytes) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
    if (in.readInt() != 0xCAFEBABE) {
      throw new IOException("not a class file (bad magic number)");
    }
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
        case 1:
          utf8[i] = in.readUTF();
          break;
        case 3:
        case 4:
          in.readInt();
          break;
        case 5:
        case 6:
          in.readLong();
          i++;
          break;
        case 7:
        case 8:
        case 16:
        case 19:
        case 20:
          first[i] = in.readUnsignedShort();
          break;
        case 9:
        case 10:
        case 11:
        case 12:
        case 17:
        case 18:
          first[i] = in.readUnsignedShort();
          second[i] = in.readUnsignedShort();
          break;
        case 15:
          in.readUnsignedByte();
          first[i] = in.readUnsignedShort();
          break;
        default:
          throw new IOException("bad constant pool tag " + tag + " at " + i);
      }
    }
    Set<String> classes = new LinkedHashSet<>();
    List<MemberRef> members = new ArrayList<>();
    try {
      for (int i = 1; i < count; i++) {
        if (tags[i] == 7) {
          String element = elementClass(utf8[first[i]]);
          if (element != null) {
            classes.add(element);
          }
        } else if (tags[i] == 9 || tags[i] == 10 || tags[i] == 11) {
          String owner = utf8[first[first[i]]];
          int nameAndType = second[i];
          if (owner.startsWith("[")) {
            continue;
          }
          members.add(new MemberRef(owner.replace('/', '.'), utf8[first[nameAndType]],
              utf8[second[nameAndType]], tags[i] == 9));
        }
      }
    } catch (RuntimeException malformed) {
      throw new IOException("malformed constant pool: " + malformed, malformed);
    }
    return new ImageClassFile(classes, members);
  }

  /** The binary name of a class entry's class, or of an array's element class; null for primitives. */
  private static String elementClass(String internal) {
    String name = internal;
    if (name.startsWith("[")) {
      int dims = 0;
      while (dims < name.length() && name.charAt(dims) == '[') {
        dims++;
      }
      name = name.substring(dims);
      if (!name.startsWith("L") || !name.endsWith(";")) {
        return null;
      }
      name = name.substring(1, name.length() - 1);
    }
    return name.replace('/', '.');
  }
}

package io.jwdm.processor.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A seeded mutator over valid driver sources. Mutant {@code i} of seed {@code s} depends on
 * nothing else: {@code new DriverMutator(s).mutant(i)} is the same text on every run and machine,
 * so a failure names the mutant that reproduces it.
 *
 * <p>Each mutant is one of the {@link FuzzSeeds} with one to four {@link Mutation}s applied, the
 * mutations chosen at random with replacement. The mutations work on text, as an editor does: they
 * find their target with a regular expression and need not leave the source well-formed.
 */
final class DriverMutator {

  /** What a mutation does to a source. */
  enum Mutation {
    DELETE_ANNOTATION,
    DUPLICATE_ANNOTATION,
    MOVE_ANNOTATION,
    ANNOTATION_VALUE,
    FLIP_MODIFIER,
    CHANGE_RETURN_TYPE,
    CHANGE_PARAMETER_TYPE,
    ADD_OR_REMOVE_PARAMETER,
    UNKNOWN_TYPE,
    UNKNOWN_ENUM_CONSTANT,
    TYPE_KIND,
    ODD_MEMBER,
    TRUNCATE,
    UNBALANCED_BRACES,
    UNICODE_IDENTIFIER,
    LARGE_CLASS,
    TOKEN_NOISE,
    DELETE_LINES,
    SPLICE
  }

  /** A mutant: its text, the seed it came from, and the mutations applied, in order. */
  record Mutant(int index, FuzzSeeds.Seed seed, String source, List<String> mutations) {
    String qualifiedName() {
      return seed.qualifiedName();
    }

    @Override
    public String toString() {
      return "mutant " + index + " of " + seed.qualifiedName() + " " + mutations;
    }
  }


  /** A method or constructor declaration's return type, name and opening parenthesis. */
  private static final Pattern METHOD =
      Pattern.compile("(?m)^(\\s*(?:(?:public|protected|private|static|final|abstract|synchronized|native|default)\\s+)*)([\\w.<>\\[\\]]+)(\\s+)(\\w+)(\\s*\\()");

  private static final Pattern PARAMETER =
      Pattern.compile("\\b(DeviceObject|Irp|DriverObject|String|NtStatus)(\\s+)(\\w+)(\\s*[,)])");

  private static final Pattern PARAMETER_LIST = Pattern.compile("(\\w+\\s*)\\(([^()]*)\\)(\\s*\\{)");

  private static final Pattern MODIFIER =
      Pattern.compile("\\b(public|protected|private|static|final|abstract)\\s+");

  private static final Pattern DECLARATION_LINE =
      Pattern.compile("(?m)^(\\s*)(?=[\\w@].*(?:\\bclass\\b|\\)\\s*\\{|\\(.*\\)\\s*;|=.*;$|\\b\\w+\\s+\\w+;$))");

  private static final Pattern TYPE_NAME = Pattern.compile("\\b[A-Z][A-Za-z]*\\b");

  private static final Pattern ENUM_CONSTANT =
      Pattern.compile("\\b(MajorFunction|DriverRole|NtStatus)\\.([A-Z_]+)\\b|\\b(CREATE|CLOSE|CLEANUP|READ|WRITE|DEVICE_CONTROL|PNP|POWER|SYSTEM_CONTROL)\\b");

  private static final Pattern TYPE_KEYWORD = Pattern.compile("\\bclass (\\w+)");

  private static final Pattern IDENTIFIER_DECL =
      Pattern.compile("\\b(?:class|void|NtStatus|DeviceObject|Irp|DriverObject|String)\\s+([a-zA-Z_]\\w*)");

  private static final String[] TYPES = {
    "void", "int", "long", "boolean", "String", "Object", "NtStatus", "Integer", "NtStatus[]",
    "java.util.List<NtStatus>", "T", "Irp", "DeviceObject", "DriverObject", "io.jwdm.kernel.NtStatus",
    "MajorFunction", "Nope", "var", "Void", "Runnable", "io.jwdm.annotation.Dispatch", "Irp...",
    "? extends Irp", "Irp<String>", "NtStatus.SUCCESS", "int[][]", "java.lang.Object"
  };

  private static final String[] MODIFIERS = {
    "public", "protected", "private", "static", "final", "abstract", "synchronized", "native",
    "default", "strictfp", "transient", "volatile", "sealed", "non-sealed", "<T>",
    "private static", "public abstract"
  };

  private static final String[] ANNOTATION_VALUES = {
    "", "()", "({})", "(\"\")", "(null)", "(value = {})", "(hardwareIds = {})", "(name = \"\")",
    "(name = \"A\\\\B C\")", "(name = 42)", "(permanent = \"yes\")", "(permanent = true)",
    "(role = DriverRole.UPPER_FILTER)", "(role = DriverRole.LOWER_FILTER)", "(role = null)",
    "(hardwareIds = {\"\", \" \"})", "(hardwareIds = {\"ROOT\\\\X\", \"ROOT\\\\X\"})",
    "({MajorFunction.READ, MajorFunction.READ})", "(MajorFunction.class)", "(Dispatch.class)",
    "(MajorFunction.NOPE)", "({MajorFunction.PNP, })", "(value = MajorFunction.READ, extra = 1)",
    "(@Dispatch(MajorFunction.READ))", "(MajorFunction.READ + 1)", "(Toaster.X)",
    "(name = \"Toaster\", name = \"Again\")", "(name = \"\\u0000\")", "(hardwareIds = \"ROOT\\\\\")",
    "({MajorFunction.CREATE, MajorFunction.CLOSE, MajorFunction.READ, MajorFunction.WRITE,"
        + " MajorFunction.DEVICE_CONTROL, MajorFunction.INTERNAL_DEVICE_CONTROL})",
    "(name = Constants.NAME)", "(name = \"x\" + \"y\")", "(hardwareIds = {\"ROOT\\\\A\"}, role = DriverRole.FUNCTION)"
  };

  private static final String[] ANNOTATIONS = {
    "@Dispatch(MajorFunction.READ)", "@Unload", "@AddDevice", "@DriverEntry", "@StartIo",
    "@LegacyDriver", "@WdmDriver(hardwareIds = \"ROOT\\\\X\")", "@Dispatch", "@Deprecated",
    "@Override", "@SuppressWarnings(\"all\")", "@io.jwdm.annotation.Unload",
    "@Dispatch({})", "@LegacyDriver(permanent = true)", "@FunctionalInterface", "@Nope"
  };

  private static final String[] ENUM_REPLACEMENTS = {
    "MajorFunction.NOPE", "DriverRole.NOPE", "NtStatus.NOPE", "NOPE", "MajorFunction.MAXIMUM_FUNCTION",
    "MajorFunction.values()[0]", "MajorFunction.INTERNAL_DEVICE_CONTROL", "MajorFunction.SHUTDOWN",
    "null", "MajorFunction", "MajorFunction.READ.next", "Nope.READ", "DriverRole.FUNCTION",
    "MajorFunction.CREATE_NAMED_PIPE", "MajorFunction.QUERY_INFORMATION"
  };

  private static final String[] TYPE_KINDS = {
    "interface $1", "enum $1", "@interface $1", "abstract class $1", "record $1()",
    "class $1<T>", "class $1 extends Nope", "class $1 implements Runnable", "final class $1",
    "class $1 extends Object", "record $1(Irp irp)", "class $1 extends Thread", "sealed class $1",
    "class $1 extends $1", "enum $1 { A; }\nclass $1Extra"
  };

  /** Members that are odd for a driver class; each is valid Java or close to it. */
  private static final String[] ODD_MEMBERS = {
    "@Dispatch(MajorFunction.READ) static NtStatus read(DeviceObject d, Irp i) { return null; }",
    "@Dispatch(MajorFunction.READ) private NtStatus read(DeviceObject d, Irp i) { return null; }",
    "@Dispatch(MajorFunction.READ) abstract NtStatus read(DeviceObject d, Irp i);",
    "@Dispatch(MajorFunction.READ) native NtStatus read(DeviceObject d, Irp i);",
    "@Dispatch(MajorFunction.READ) <T> NtStatus read(DeviceObject d, Irp i) { return null; }",
    "@Dispatch(MajorFunction.READ) NtStatus read(DeviceObject d, Irp i) throws Exception { return null; }",
    "@Dispatch(MajorFunction.READ) NtStatus read(DeviceObject d, Irp... i) { return null; }",
    "@Dispatch(MajorFunction.READ) NtStatus read(DeviceObject d, Irp[] i) { return null; }",
    "@Dispatch(MajorFunction.READ) NtStatus read() { return null; }",
    "@Dispatch(MajorFunction.READ) Object read(Object d, Object i) { return null; }",
    "@Dispatch(MajorFunction.READ) Fuzz() {}",
    "@Dispatch(MajorFunction.READ) int field;",
    "@Unload static { }",
    "@Dispatch(MajorFunction.WRITE) void local() { @LegacyDriver class Local { @Dispatch(MajorFunction.READ) NtStatus r(DeviceObject d, Irp i) { return null; } @Unload void u(DriverObject o) {} } }",
    "Object anonymous = new Object() { @Dispatch(MajorFunction.READ) NtStatus r(DeviceObject d, Irp i) { return null; } };",
    "@WdmDriver(hardwareIds = \"ROOT\\\\INNER\") interface Inner { @Dispatch(MajorFunction.PNP) default NtStatus p(DeviceObject d, Irp i) { return null; } }",
    "@LegacyDriver enum E { A; @Dispatch(MajorFunction.READ) NtStatus r(DeviceObject d, Irp i) { return null; } @Unload void u(DriverObject o) {} }",
    "@LegacyDriver record R(int x) { @Dispatch(MajorFunction.READ) NtStatus r(DeviceObject d, Irp i) { return null; } @Unload void u(DriverObject o) {} }",
    "@LegacyDriver @interface A { }",
    "@LegacyDriver class Sub extends Object { @Dispatch(MajorFunction.READ) NtStatus r(DeviceObject d, Irp i) { return null; } @Unload void u(DriverObject o) {} }",
    "@LegacyDriver(name = \"Clash\") static class Twin1 { @Dispatch(MajorFunction.READ) NtStatus r(DeviceObject d, Irp i) { return null; } @Unload void u(DriverObject o) {} } @LegacyDriver(name = \"Clash\") static class Twin2 { @Dispatch(MajorFunction.READ) NtStatus r(DeviceObject d, Irp i) { return null; } @Unload void u(DriverObject o) {} }",
    "@LegacyDriver class Generic<T extends Irp> { @Dispatch(MajorFunction.READ) NtStatus r(DeviceObject d, T i) { return null; } @Unload void u(DriverObject o) {} }",
    "@WdmDriver @LegacyDriver class Both { @AddDevice NtStatus a(DriverObject o, DeviceObject p) { return null; } }",
    "@Dispatch(MajorFunction.READ) @Dispatch(MajorFunction.WRITE) NtStatus twice(DeviceObject d, Irp i) { return null; }",
    "@Unload @DriverEntry @AddDevice @StartIo void all(DriverObject o) {}",
    "void params(@Dispatch(MajorFunction.READ) DeviceObject d) {}",
    "java.util.List<@Unload String> typeUse;",
    "@Dispatch(MajorFunction.READ) NtStatus read(DeviceObject d, Irp i) { return read(d, i); }",
    "@Dispatch(MajorFunction.READ) NtStatus read(DeviceObject d, Irp i) { class L {} return switch (1) { default -> null; }; }",
    "@Dispatch(MajorFunction.READ) NtStatus read(io.jwdm.kernel.DeviceObject d, io.jwdm.kernel.Irp i) { return NtStatus.SUCCESS; }",
    "@Dispatch(MajorFunction.READ) NtStatus read(DeviceObject d, Irp i) {",
    "@Dispatch(value = {MajorFunction.READ}) NtStatus read(final DeviceObject d, final Irp i) { return NtStatus.SUCCESS; }",
    "@LegacyDriver class Deep { class D1 { class D2 { @Dispatch(MajorFunction.READ) NtStatus r(DeviceObject d, Irp i) { return null; } } } }",
    "@Dispatch(MajorFunction.READ) public NtStatus read(DeviceObject d, Irp i) { return NtStatus.SUCCESS; } @Dispatch(MajorFunction.READ) public NtStatus read(DeviceObject d, Irp i) { return NtStatus.SUCCESS; }"
  };

  private static final String[] NOISE = {
    "{", "}", "(", ")", "[", "]", "<", ">", ";", ",", ".", "@", "=", "->", "::", "...", "\"",
    "'", "/*", "*/", "//", "\"\"\"", "\\", "#", "?", ":", "class", "return", "new", "null",
    "static", "void", "enum", "record", "sealed", "permits", "yield", "var", "_", "$", "0x",
    "1e", "'\\u'", "\\u0041", "\\u000a", "\\uD800", "@interface", "import", "package", "extends",
    "implements", "throws", "default", "switch", "case", "instanceof", "this", "super", "goto"
  };

  private static final String[] UNICODE_NAMES = {
    "Ärger", "δρομολογητής", "驱动程序", "ǅungla", "a\u0301b", "x\u200Dy", "\u00C5ngstr\u00F6m",
    "Ω", "ℌ", "ⅻ", "\u0660\u0661", "_\u0300", "名前", "Ｆｕｌｌｗｉｄｔｈ", "\uD835\uDC00math",
    "x\u00ADy", "bad\uD83D\uDE00emoji", "with\u2028separator", "rtl\u202Eoverride", "bom\uFEFF",
    "nul\u0000char", "dollar$€", "\\u0041scaped", "\\u00e9t\\u00e9", "\uD800lone"
  };

  private final long seed;

  DriverMutator(long seed) {
    this.seed = seed;
  }

  /** Mutant number {@code index}; {@code largeLimit} bounds the members a LARGE_CLASS adds. */
  Mutant mutant(int index, int largeLimit) {
    Random random = new Random(mix(seed, index));
    FuzzSeeds.Seed base = FuzzSeeds.ALL.get(random.nextInt(FuzzSeeds.ALL.size()));
    String source = base.source();
    int count = 1 + (random.nextInt(4) == 0 ? 1 + random.nextInt(3) : 0);
    List<String> applied = new ArrayList<>();
    Mutation[] all = Mutation.values();
    for (int i = 0; i < count; i++) {
      Mutation mutation = all[random.nextInt(all.length)];
      String before = source;
      source = apply(mutation, source, base, random, largeLimit);
      applied.add(mutation + (before.equals(source) ? " (no target)" : ""));
    }
    return new Mutant(index, base, source, List.copyOf(applied));
  }

  private static long mix(long seed, int index) {
    long z = seed + 0x9E3779B97F4A7C15L * (index + 1L);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static String apply(
      Mutation mutation, String s, FuzzSeeds.Seed base, Random random, int largeLimit) {
    switch (mutation) {
      case DELETE_ANNOTATION:
        return replaceAnnotation(s, random, a -> "");
      case DUPLICATE_ANNOTATION:
        return replaceAnnotation(s, random, a -> a + " " + a);
      case MOVE_ANNOTATION: {
        List<int[]> spans = annotations(s);
        if (spans.isEmpty()) {
          return s;
        }
        int[] span = spans.get(random.nextInt(spans.size()));
        String annotation = s.substring(span[0], span[1]);
        String without = s.substring(0, span[0]) + s.substring(span[1]);
        List<int[]> targets = spans(without, DECLARATION_LINE);
        if (targets.isEmpty()) {
          return without;
        }
        int at = targets.get(random.nextInt(targets.size()))[1];
        return without.substring(0, at) + annotation + " " + without.substring(at);
      }
      case ANNOTATION_VALUE:
        return replaceAnnotation(s, random, a -> {
          int paren = a.indexOf('(');
          return (paren < 0 ? a : a.substring(0, paren)).strip() + pick(ANNOTATION_VALUES, random);
        });
      case FLIP_MODIFIER:
        if (random.nextBoolean()) {
          return replaceOne(s, MODIFIER, random, m -> random.nextBoolean() ? "" : pick(MODIFIERS, random) + " ");
        }
        return replaceOne(s, DECLARATION_LINE, random, m -> m.group(1) + pick(MODIFIERS, random) + " ");
      case CHANGE_RETURN_TYPE:
        return replaceOne(s, METHOD, random, m -> m.group(1) + pick(TYPES, random) + m.group(3)
            + m.group(4) + m.group(5));
      case CHANGE_PARAMETER_TYPE:
        return replaceOne(s, PARAMETER, random, m -> pick(TYPES, random) + m.group(2) + m.group(3)
            + m.group(4));
      case ADD_OR_REMOVE_PARAMETER:
        return replaceOne(s, PARAMETER_LIST, random, m -> {
          String params = m.group(2);
          String changed;
          switch (random.nextInt(4)) {
            case 0:
              changed = params.isBlank() ? "Irp irp" : params + ", Irp extra";
              break;
            case 1:
              changed = params.contains(",") ? params.substring(0, params.lastIndexOf(',')) : "";
              break;
            case 2:
              changed = params.contains(",")
                  ? params.substring(params.indexOf(',') + 1).trim() + ", " + params.substring(0, params.indexOf(','))
                  : params + ", " + params;
              break;
            default:
              changed = params + ", " + pick(TYPES, random) + " more";
              break;
          }
          return m.group(1) + "(" + changed + ")" + m.group(3);
        });
      case UNKNOWN_TYPE:
        return replaceOne(s, TYPE_NAME, random, m -> "Nope" + m.group());
      case UNKNOWN_ENUM_CONSTANT:
        return replaceOne(s, ENUM_CONSTANT, random, m -> {
          if (m.group(1) != null && random.nextBoolean()) {
            return m.group(1) + ".NOPE_" + m.group(2);
          }
          return pick(ENUM_REPLACEMENTS, random);
        });
      case TYPE_KIND:
        return replaceOne(s, TYPE_KEYWORD, random, m -> pick(TYPE_KINDS, random).replace("$1", m.group(1)));
      case ODD_MEMBER:
        return insertInClass(s, random, pick(ODD_MEMBERS, random));
      case TRUNCATE:
        return s.substring(0, random.nextInt(s.length() + 1));
      case UNBALANCED_BRACES: {
        String braces = "{}()[]<>";
        if (random.nextBoolean()) {
          int at = random.nextInt(s.length() + 1);
          return s.substring(0, at) + braces.charAt(random.nextInt(braces.length())) + s.substring(at);
        }
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
          if (braces.indexOf(s.charAt(i)) >= 0) {
            positions.add(i);
          }
        }
        if (positions.isEmpty()) {
          return s;
        }
        int at = positions.get(random.nextInt(positions.size()));
        return s.substring(0, at) + s.substring(at + 1);
      }
      case UNICODE_IDENTIFIER: {
        List<String> names = new ArrayList<>();
        Matcher m = IDENTIFIER_DECL.matcher(s);
        while (m.find()) {
          names.add(m.group(1));
        }
        if (names.isEmpty()) {
          return s;
        }
        String name = names.get(random.nextInt(names.size()));
        String replacement = pick(UNICODE_NAMES, random);
        // Rename every use, as a refactoring would, or just one, as a typo does.
        return random.nextBoolean()
            ? s.replaceAll("\\b" + Pattern.quote(name) + "\\b", Matcher.quoteReplacement(replacement))
            : s.replaceFirst("\\b" + Pattern.quote(name) + "\\b", Matcher.quoteReplacement(replacement));
      }
      case LARGE_CLASS:
        return insertInClass(s, random, largeMembers(random, largeLimit));
      case TOKEN_NOISE: {
        int at = random.nextInt(s.length() + 1);
        return s.substring(0, at) + " " + pick(NOISE, random) + " " + s.substring(at);
      }
      case DELETE_LINES: {
        List<String> lines = new ArrayList<>(s.lines().toList());
        if (lines.isEmpty()) {
          return s;
        }
        int from = random.nextInt(lines.size());
        int to = Math.min(lines.size(), from + 1 + random.nextInt(5));
        lines.subList(from, to).clear();
        return String.join("\n", lines) + "\n";
      }
      case SPLICE: {
        FuzzSeeds.Seed other = FuzzSeeds.ALL.get(random.nextInt(FuzzSeeds.ALL.size()));
        List<String> donor = other.source().lines().toList();
        int from = random.nextInt(donor.size());
        int to = Math.min(donor.size(), from + 1 + random.nextInt(12));
        List<String> lines = new ArrayList<>(s.lines().toList());
        int at = random.nextInt(lines.size() + 1);
        lines.addAll(at, donor.subList(from, to));
        return String.join("\n", lines) + "\n";
      }
      default:
        throw new AssertionError(mutation);
    }
  }

  /**
   * Many members at once: routines for random major functions (duplicates included), fields,
   * helpers, nested drivers, a deep nest of classes, a long hardware ID list or many annotations.
   */
  private static String largeMembers(Random random, int limit) {
    int n = 1 + random.nextInt(Math.max(1, limit));
    StringBuilder out = new StringBuilder("\n");
    String[] majors = {"CREATE", "CLOSE", "CLEANUP", "READ", "WRITE", "DEVICE_CONTROL",
        "INTERNAL_DEVICE_CONTROL", "PNP", "POWER", "SYSTEM_CONTROL", "SHUTDOWN", "FLUSH_BUFFERS"};
    switch (random.nextInt(5)) {
      case 0:
        for (int i = 0; i < n; i++) {
          out.append("  @Dispatch(MajorFunction.").append(majors[random.nextInt(majors.length)])
              .append(") NtStatus routine").append(i).append("(DeviceObject d, Irp i) { return NtStatus.SUCCESS; }\n");
        }
        break;
      case 1:
        for (int i = 0; i < n; i++) {
          out.append("  int field").append(i).append(" = ").append(i).append(";\n")
              .append("  int helper").append(i).append("(int x) { return x + field").append(i).append("; }\n");
        }
        break;
      case 2:
        for (int i = 0; i < n; i++) {
          out.append("  @LegacyDriver(name = \"Nested").append(i % 7).append("\") static class Nested").append(i)
              .append(" { @Dispatch(MajorFunction.READ) NtStatus r(DeviceObject d, Irp i) { return NtStatus.SUCCESS; }")
              .append(" @Unload void u(DriverObject o) {} }\n");
        }
        break;
      case 3: {
        int depth = Math.min(n, 200);
        for (int i = 0; i < depth; i++) {
          out.append("class Level").append(i).append(" {");
        }
        out.append("@Dispatch(MajorFunction.READ) NtStatus deep(DeviceObject d, Irp i) { return null; }");
        out.append("}".repeat(depth)).append('\n');
        break;
      }
      default:
        out.append("  @WdmDriver(hardwareIds = {");
        for (int i = 0; i < n * 4; i++) {
          out.append(i == 0 ? "" : ", ").append("\"ROOT\\\\ID").append(i).append('"');
        }
        out.append("}) static class ManyIds { @AddDevice NtStatus a(DriverObject o, DeviceObject p) { return NtStatus.SUCCESS; }")
            .append(" @Dispatch({MajorFunction.PNP, MajorFunction.POWER}) NtStatus d(DeviceObject x, Irp i) { return NtStatus.SUCCESS; }")
            .append(" @Unload void u(DriverObject o) {} }\n");
        break;
    }
    return out.toString();
  }

  /** Inserts {@code member} after the first line opening a class body, or at a random line. */
  private static String insertInClass(String s, Random random, String member) {
    List<int[]> bodies = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)\\b(?:class|interface|enum|record)\\b[^{;]*\\{\\s*$").matcher(s);
    while (m.find()) {
      bodies.add(new int[] {m.start(), m.end()});
    }
    int at = bodies.isEmpty() ? random.nextInt(s.length() + 1)
        : bodies.get(random.nextInt(bodies.size()))[1];
    return s.substring(0, at) + "\n  " + member + "\n" + s.substring(at);
  }

  /**
   * The spans of the annotations in {@code s}: {@code @Name} and its parenthesized arguments, if
   * they close. A scanner, not a regular expression: a large class's annotation arguments would
   * overflow the stack of a backtracking match.
   */
  static List<int[]> annotations(String s) {
    List<int[]> spans = new ArrayList<>();
    for (int i = s.indexOf('@'); i >= 0; i = s.indexOf('@', i + 1)) {
      int end = i + 1;
      while (end < s.length() && (Character.isJavaIdentifierPart(s.charAt(end)) || s.charAt(end) == '.')) {
        end++;
      }
      if (end == i + 1 || s.startsWith("interface", i + 1)) {
        continue;
      }
      int open = end;
      while (open < s.length() && s.charAt(open) == ' ') {
        open++;
      }
      if (open < s.length() && s.charAt(open) == '(') {
        int close = closingParenthesis(s, open);
        if (close > 0) {
          end = close + 1;
        }
      }
      spans.add(new int[] {i, end});
    }
    return spans;
  }

  /** The index of the ')' closing the '(' at {@code open}, skipping string literals; -1 if none. */
  private static int closingParenthesis(String s, int open) {
    int depth = 0;
    boolean inString = false;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Replaces one annotation, chosen at random, by what {@code with} makes of its text. */
  private static String replaceAnnotation(
      String s, Random random, java.util.function.UnaryOperator<String> with) {
    List<int[]> spans = annotations(s);
    if (spans.isEmpty()) {
      return s;
    }
    int[] span = spans.get(random.nextInt(spans.size()));
    return s.substring(0, span[0]) + with.apply(s.substring(span[0], span[1])) + s.substring(span[1]);
  }

  private static List<int[]> spans(String s, Pattern pattern) {
    List<int[]> spans = new ArrayList<>();
    Matcher m = pattern.matcher(s);
    while (m.find()) {
      spans.add(new int[] {m.start(), m.end()});
    }
    return spans;
  }

  /** Replaces one match of {@code pattern}, chosen at random, by what {@code with} makes of it. */
  private static String replaceOne(
      String s, Pattern pattern, Random random, java.util.function.Function<Matcher, String> with) {
    Matcher m = pattern.matcher(s);
    List<Integer> starts = new ArrayList<>();
    while (m.find()) {
      starts.add(m.start());
    }
    if (starts.isEmpty()) {
      return s;
    }
    int chosen = starts.get(random.nextInt(starts.size()));
    m = pattern.matcher(s);
    m.find(chosen);
    String replacement = with.apply(m);
    return s.substring(0, m.start()) + replacement + s.substring(m.end());
  }

  private static String pick(String[] options, Random random) {
    return options[random.nextInt(options.length)];
  }
}

package io.jwdm.cli;

import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Wdm;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value syntax shared by scenario files and the shell: buffers ({@code hex:0A0B},
 * {@code text:"…"}), statuses, durations, I/O control codes, and the tokenizer.
 */
final class Syntax {
  private Syntax() {}

  private static final Map<String, NtStatus> STATUSES = statuses();
  private static final Map<String, Integer> WDM_CONSTANTS = wdmConstants();
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ns|us|ms|s|min)");
  /** A number as {@link #parseLong} reads it, of any size. */
  private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+|0x[-+]?[0-9a-f]+");
  /** How much of a piece of input a message shows. */
  private static final int SHOWN = 60;
  private static final Pattern CTL_CODE =
      Pattern.compile("CTL_CODE\\(([^,()]+),([^,()]+),([^,()]+),([^,()]+)\\)",
          Pattern.CASE_INSENSITIVE);

  // ---------------------------------------------------------------------------------------------
  // Tokens

  /**
   * Splits a line into raw tokens at white space. A double-quoted part may hold spaces and stays in
   * its token with its quotes (see {@link #unquote}); {@code #} outside quotes starts a comment.
   *
   * @throws UsageException for an unterminated quote, or a control character other than a tab
   */
  static List<String> tokenize(String line) {
    List<String> tokens = new ArrayList<>();
    StringBuilder token = null;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (Character.isISOControl(c) && c != '\t') {
        throw new UsageException("control character " + shown(String.valueOf(c)) + " at column "
            + (i + 1), "remove it; inside quotes, write a NUL as \\0 and other bytes as \\xHH");
      }
      if (quoted) {
        token.append(c);
        if (c == '\\' && i + 1 < line.length()) {
          token.append(line.charAt(++i));
        } else if (c == '"') {
          quoted = false;
        }
      } else if (Character.isWhitespace(c)) {
        if (token != null) {
          tokens.add(token.toString());
          token = null;
        }
      } else if (c == '#' && token == null) {
        break;
      } else {
        if (token == null) {
          token = new StringBuilder();
        }
        token.append(c);
        quoted = c == '"';
      }
    }
    if (quoted) {
      throw new UsageException("unterminated quote in: " + shown(line.strip()),
          "close the string with \"; write \\\" for a quote inside it");
    }
    if (token != null) {
      tokens.add(token.toString());
    }
    return tokens;
  }

  /**
   * A token as a string: quoted parts lose their quotes and have their escapes ({@code \"},
   * {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \0}, {@code \xHH}) decoded; a backslash
   * outside quotes is an ordinary character, so {@code \\.\IoctlTest} needs no quotes.
   */
  static String unquote(String raw) {
    return new String(decode(raw), StandardCharsets.UTF_8);
  }

  /** The bytes of a token: characters in UTF-8, escapes in quoted parts as they say. */
  private static byte[] decode(String raw) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    boolean quoted = false;
    StringBuilder plain = new StringBuilder();
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '"') {
        flush(plain, bytes);
        quoted = !quoted;
      } else if (quoted && c == '\\' && i + 1 < raw.length()) {
        char next = raw.charAt(++i);
        switch (next) {
          case '"': plain.append('"'); break;
          case '\\': plain.append('\\'); break;
          case 'n': plain.append('\n'); break;
          case 'r': plain.append('\r'); break;
          case 't': plain.append('\t'); break;
          case '0': plain.append('\0'); break;
          case 'x':
            if (i + 2 < raw.length() && isHex(raw.charAt(i + 1)) && isHex(raw.charAt(i + 2))) {
              flush(plain, bytes);
              bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
              i += 2;
            } else {
              throw new UsageException("\\x needs two hex digits in " + shown(raw),
                  "write a byte as \\x0A, or use hex:0A0B for binary data");
            }
            break;
          default:
            plain.append('\\').append(next);
        }
      } else {
        plain.append(c);
      }
    }
    flush(plain, bytes);
    return bytes.toByteArray();
  }

  private static void flush(StringBuilder plain, ByteArrayOutputStream bytes) {
    byte[] encoded = plain.toString().getBytes(StandardCharsets.UTF_8);
    bytes.write(encoded, 0, encoded.length);
    plain.setLength(0);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }

  // ---------------------------------------------------------------------------------------------
  // Buffers

  /** True if the token is a buffer: {@code hex:…} or {@code text:…}. */
  static boolean isData(String raw) {
    String lower = raw.toLowerCase(Locale.ROOT);
    return lower.startsWith("hex:") || lower.startsWith("text:");
  }

  /**
   * A buffer: {@code hex:0A0B0C} (hex digit pairs; {@code _}, {@code -} and, quoted, spaces may
   * separate them) or {@code text:"…"} (UTF-8, with the escapes of {@link #unquote}).
   */
  static byte[] data(String raw) {
    String lower = raw.toLowerCase(Locale.ROOT);
    if (lower.startsWith("text:")) {
      return decode(raw.substring(5));
    }
    if (lower.startsWith("hex:")) {
      String digits = unquote(raw.substring(4)).replaceAll("[\\s_-]", "");
      if (digits.length() % 2 != 0 || !digits.chars().allMatch(c -> isHex((char) c))) {
        throw new UsageException("not hex bytes: " + shown(raw),
            "write pairs of hex digits, such as hex:0A0B0C or hex:\"0A 0B 0C\"");
      }
      byte[] bytes = new byte[digits.length() / 2];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = (byte) Integer.parseInt(digits.substring(2 * i, 2 * i + 2), 16);
      }
      return bytes;
    }
    throw new UsageException("not a buffer: " + shown(raw),
        "write hex:0A0B0C or text:\"some text\"");
  }

  /**
   * A buffer in the syntax {@link #data} reads: {@code text:"…"} for printable ASCII text (with
   * tabs, line ends and trailing NULs), {@code hex:…} otherwise (and for a buffer with no visible
   * character).
   */
  static String format(byte[] bytes) {
    boolean text = false;
    for (byte b : bytes) {
      text |= b > 0x20 && b < 0x7F;
    }
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    for (int i = 0; i < bytes.length; i++) {
      int c = bytes[i] & 0xFF;
      boolean printable = c >= 0x20 && c < 0x7F || c == '\n' || c == '\r' || c == '\t';
      if (i < end && !printable) {
        text = false;
        break;
      }
    }
    StringBuilder out = new StringBuilder();
    if (text) {
      out.append("text:\"");
      for (byte b : bytes) {
        char c = (char) (b & 0xFF);
        switch (c) {
          case '"': out.append("\\\""); break;
          case '\\': out.append("\\\\"); break;
          case '\n': out.append("\\n"); break;
          case '\r': out.append("\\r"); break;
          case '\t': out.append("\\t"); break;
          case '\0': out.append("\\0"); break;
          default: out.append(c);
        }
      }
      return out.append('"').toString();
    }
    out.append("hex:");
    for (byte b : bytes) {
      out.append(String.format("%02X", b & 0xFF));
    }
    return out.toString();
  }

  // ---------------------------------------------------------------------------------------------
  // Numbers, statuses, durations, control codes

  /** A non-negative int: decimal or {@code 0x} hex. */
  static int count(String raw, String what) {
    long value;
    try {
      value = parseLong(raw);
    } catch (NumberFormatException notANumber) {
      if (!isNumber(raw)) {
        throw new UsageException(what + " is not a number: " + shown(raw),
            "write a decimal number such as 64, or hex such as 0x40");
      }
      value = -1;
    }
    if (value < 0 || value > Integer.MAX_VALUE) {
      throw new UsageException(what + " is out of range: " + shown(raw) + " (0 to "
          + Integer.MAX_VALUE + ")", null);
    }
    return (int) value;
  }

  private static long parseLong(String raw) {
    String text = raw.trim().toLowerCase(Locale.ROOT);
    return text.startsWith("0x") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
  }

  /** True if {@code raw} is written as a number, whatever its size. */
  private static boolean isNumber(String raw) {
    return NUMBER.matcher(raw.trim().toLowerCase(Locale.ROOT)).matches();
  }

  /**
   * A status: its name with or without {@code STATUS_} (any case), or its value in hex, such as
   * {@code SUCCESS}, {@code STATUS_INVALID_DEVICE_REQUEST} or {@code 0xC0000010}.
   */
  static NtStatus status(String raw) {
    String text = raw.trim().toUpperCase(Locale.ROOT);
    if (text.startsWith("0X") && isNumber(text)) {
      long value;
      try {
        value = Long.parseLong(text.substring(2), 16);
      } catch (NumberFormatException tooLong) {
        value = -1;
      }
      if (value < 0 || value > 0xFFFFFFFFL) {
        throw new UsageException("status out of range: " + shown(raw),
            "a status is a 32-bit value, such as 0xC0000010");
      }
      return NtStatus.of((int) value);
    }
    NtStatus named = STATUSES.get(text.startsWith("STATUS_") ? text.substring(7) : text);
    if (named == null) {
      throw new UsageException("not a status: " + shown(raw), "write a name such as SUCCESS,"
          + " INVALID_DEVICE_REQUEST or DEVICE_BUSY, or a value such as 0xC0000010; known: "
          + String.join(", ", STATUSES.keySet()));
    }
    return named;
  }

  /**
   * A duration: a whole number and a unit, {@code ns}, {@code us}, {@code ms}, {@code s} or
   * {@code min}; at most {@code Long.MAX_VALUE} nanoseconds (about 292 years).
   */
  static Duration duration(String raw) {
    Matcher m = DURATION.matcher(raw.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new UsageException("not a duration: " + shown(raw),
          "write a whole number and a unit, such as 100ms, 2s, 250us or 1min");
    }
    long unit;
    switch (m.group(2)) {
      case "ns": unit = 1; break;
      case "us": unit = 1_000; break;
      case "ms": unit = 1_000_000; break;
      case "s": unit = 1_000_000_000; break;
      default: unit = 60_000_000_000L;
    }
    try {
      return Duration.ofNanos(Math.multiplyExact(Long.parseLong(m.group(1)), unit));
    } catch (NumberFormatException | ArithmeticException tooLong) {
      throw new UsageException("duration too long: " + shown(raw),
          "the longest is about 292 years: 9223372036s or 153722867min");
    }
  }

  /**
   * An I/O control code: a number ({@code 0x9C402408}) or {@code CTL_CODE(type,function,method,
   * access)}, whose parts are numbers or the WDK's names ({@code FILE_DEVICE_UNKNOWN},
   * {@code METHOD_BUFFERED}, {@code FILE_ANY_ACCESS} …), written without spaces.
   */
  static int ioControlCode(String raw) {
    String text = unquote(raw).replace(" ", "");
    Matcher m = CTL_CODE.matcher(text);
    if (m.matches()) {
      try {
        return Wdm.CTL_CODE(part(m.group(1)), part(m.group(2)), part(m.group(3)),
            part(m.group(4)));
      } catch (IllegalArgumentException outOfRange) {
        throw new UsageException("bad I/O control code " + shown(raw) + ": "
            + outOfRange.getMessage(), null);
      }
    }
    try {
      long value = parseLong(text);
      if (value < Integer.MIN_VALUE || value > 0xFFFFFFFFL) {
        throw new NumberFormatException();
      }
      return (int) value;
    } catch (NumberFormatException notANumber) {
      throw new UsageException("not an I/O control code: " + shown(raw), "write a number such as"
          + " 0x9C402408, or CTL_CODE(FILE_DEVICE_UNKNOWN,0x801,METHOD_BUFFERED,FILE_ANY_ACCESS)");
    }
  }

  private static int part(String text) {
    Integer constant = WDM_CONSTANTS.get(text.toUpperCase(Locale.ROOT));
    if (constant != null) {
      return constant;
    }
    long value;
    try {
      value = parseLong(text);
    } catch (NumberFormatException notANumber) {
      if (!isNumber(text)) {
        throw new UsageException("unknown name in CTL_CODE: " + shown(text), "use a number or a"
            + " WDK name such as FILE_DEVICE_UNKNOWN, METHOD_BUFFERED, METHOD_NEITHER,"
            + " FILE_ANY_ACCESS");
      }
      value = Long.MIN_VALUE;
    }
    if (value != (int) value) {
      throw new UsageException("CTL_CODE part out of range: " + shown(text),
          "the type has 16 bits, the function 12, the method and the access 2 each");
    }
    return (int) value;
  }

  /**
   * A piece of input as a message shows it: control and invisible characters escaped, and cut
   * short if it is long, so that a bad line of any content gives a readable message.
   */
  static String shown(String raw) {
    boolean cut = raw.length() > SHOWN + 20;
    int end = cut ? SHOWN : raw.length();
    if (cut && Character.isHighSurrogate(raw.charAt(end - 1))) {
      end--;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < end; i++) {
      char c = raw.charAt(i);
      if (c == '\0') {
        out.append("\\0");
      } else if (c == '\t') {
        out.append("\\t");
      } else if (c == '\n') {
        out.append("\\n");
      } else if (c == '\r') {
        out.append("\\r");
      } else if (c < 0x20 || c == 0x7F) {
        out.append(String.format("\\x%02X", (int) c));
      } else if (Character.isHighSurrogate(c) && i + 1 < end
          && Character.isLowSurrogate(raw.charAt(i + 1))) {
        out.append(c).append(raw.charAt(++i));
      } else if (Character.isISOControl(c) || Character.isSurrogate(c)
          || Character.getType(c) == Character.FORMAT) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    if (cut) {
      out.append("... (").append(raw.length()).append(" characters)");
    }
    return out.toString();
  }

  private static Map<String, NtStatus> statuses() {
    Map<String, NtStatus> map = new TreeMap<>();
    for (Field field : NtStatus.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == NtStatus.class) {
        try {
          map.put(field.getName(), (NtStatus) field.get(null));
        } catch (IllegalAccessException impossible) {
          throw new IllegalStateException(impossible);
        }
      }
    }
    return Collections.unmodifiableMap(map);
  }

  private static Map<String, Integer> wdmConstants() {
    Map<String, Integer> map = new TreeMap<>();
    for (Field field : Wdm.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
        try {
          map.put(field.getName(), field.getInt(null));
        } catch (IllegalAccessException impossible) {
          throw new IllegalStateException(impossible);
        }
      }
    }
    return Collections.unmodifiableMap(map);
  }
}

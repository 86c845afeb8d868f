package io.jwdm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.kernel.NtStatus;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine.Help.Ansi;

/**
 * Bad input at the command line's boundaries: scenario lines, scenario files and command-line
 * arguments. Each gets a {@link UsageException} that names the problem (and, in a file,
 * {@code file:line}), or exit status 2 with a message on standard error; never another exception
 * or a stack trace. One case a row.
 */
@DisplayName("bad input: scenario lines, scenario files, command-line arguments")
class BadInputCliTest {
  /** {@code IoManager.MAX_BUFFER}: the largest buffer the kernel takes, 64 MiB. */
  private static final int MAX_BUFFER = 64 << 20;
  private static final int MEGABYTE = 1 << 20;
  private static final String USAGE_HINT = "try: ";

  @TempDir
  static Path dir;

  // ---------------------------------------------------------------------------------------------
  // Scenario lines

  private static Arguments line(String name, String line, String message) {
    return Arguments.of(name, line, message);
  }

  static Stream<Arguments> badLines() {
    return Stream.of(
        // Every command with an argument missing.
        line("load without IMAGE", "load", "load: missing IMAGE"),
        line("unload without IMAGE or DRIVER", "unload", "unload: missing IMAGE or DRIVER"),
        line("replace without DRIVER", "replace", "replace: missing DRIVER"),
        line("replace without IMAGE", "replace Echo", "replace: missing IMAGE"),
        line("replace with expect and no outcome", "replace Echo v2.jar expect",
            "replace: missing the expected value after 'expect'"),
        line("plug without HWID", "plug", "plug needs a hardware ID, such as ROOT\\TOASTER"),
        line("plug with only expect", "plug expect STARTED",
            "plug needs a hardware ID, such as ROOT\\TOASTER"),
        line("remove without DEVICE", "remove", "remove: missing DEVICE"),
        line("open without PATH", "open", "open: missing PATH"),
        line("open … as without NAME", "open \\\\.\\X as", "open: missing NAME"),
        line("read without NAME", "read", "read: missing NAME"),
        line("read without LENGTH", "read h", "read: missing LENGTH"),
        line("read with expect and no status", "read h 4 expect",
            "read: missing the expected value after 'expect'"),
        line("write without DATA", "write h", "write: missing DATA"),
        line("ioctl without CODE", "ioctl h", "ioctl: missing CODE"),
        line("ioctl without OUTLEN", "ioctl h 0x222000", "ioctl: missing OUTLEN"),
        line("ioctl with DATA and without OUTLEN", "ioctl h 0x222000 hex:01",
            "ioctl: missing OUTLEN"),
        line("close without NAME", "close", "close: missing NAME"),
        line("advance without DURATION", "advance", "advance: missing DURATION"),
        line("expect without WHAT", "expect", "expect: missing WHAT"),
        line("expect status without STATUS", "expect status", "expect: missing STATUS"),
        line("expect data without DATA", "expect data", "expect: missing DATA"),
        line("expect information without N", "expect information", "expect: missing N"),
        line("expect loaded without DRIVER", "expect loaded", "expect: missing DRIVER"),
        line("expect unloaded without DRIVER", "expect unloaded", "expect: missing DRIVER"),
        line("expect device without DEVICE", "expect device", "expect: missing DEVICE"),
        line("expect device without STATE", "expect device ROOT\\A", "expect: missing STATE"),
        line("expect of an unknown kind", "expect nothing", "expect what? 'nothing'"),

        // Every command with an argument too many.
        line("load with two images", "load a.jar b.jar", "load: unexpected 'b.jar'"),
        line("unload with two names", "unload A B", "unload: unexpected 'B'"),
        line("replace with two images", "replace Echo v2.jar v3.jar",
            "replace: unexpected 'v3.jar'"),
        line("replace with a word after the outcome", "replace Echo v2.jar expect REPLACED now",
            "replace: unexpected 'now'"),
        line("plug with a word after the state", "plug ROOT\\A expect STARTED now",
            "plug: unexpected 'now'"),
        line("remove with two devices", "remove ROOT\\A ROOT\\B",
            "remove: unexpected 'ROOT\\B'"),
        line("open with a word after the name", "open \\\\.\\X as x y", "open: unexpected 'y'"),
        line("read with two lengths", "read h 4 8", "read: unexpected '8'"),
        line("read with a word after the status", "read h 4 expect SUCCESS now",
            "read: unexpected 'now'"),
        line("write with two buffers", "write h hex:01 hex:02", "write: unexpected 'hex:02'"),
        line("ioctl with two lengths", "ioctl h 0x222000 hex:01 8 9", "ioctl: unexpected '9'"),
        line("ioctl with DATA after OUTLEN", "ioctl h 0x222000 8 hex:01",
            "ioctl: unexpected 'hex:01'"),
        line("close with two names", "close h h2", "close: unexpected 'h2'"),
        line("advance with two durations", "advance 1s 2s", "advance: unexpected '2s'"),
        line("expect status with two statuses", "expect status SUCCESS PENDING",
            "expect: unexpected 'PENDING'"),
        line("expect clean with a word", "expect clean now", "expect: unexpected 'now'"),
        line("devices with a word", "devices all", "devices: unexpected 'all'"),
        line("drivers with a word", "drivers all", "drivers: unexpected 'all'"),
        line("objects with a word", "objects all", "objects: unexpected 'all'"),
        line("images with a word", "images all", "images: unexpected 'all'"),
        line("links with a word", "links all", "links: unexpected 'all'"),
        line("verifier with a word", "verifier all", "verifier: unexpected 'all'"),
        line("trace with two counts", "trace 5 6", "trace: unexpected '6'"),
        line("teardown with a word", "teardown now", "teardown: unexpected 'now'"),
        line("help with two topics", "help read write", "help: unexpected 'write'"),
        line("exit with a word", "exit now", "exit: unexpected 'now'"),
        line("an unknown command", "fly h", "unknown command: fly"),

        // Lengths and counts: negative, overflowing, not numbers.
        line("a negative length", "read h -1", "LENGTH is out of range: -1 (0 to 2147483647)"),
        line("a negative hex length", "read h 0x-1",
            "LENGTH is out of range: 0x-1 (0 to 2147483647)"),
        line("a negative output length", "ioctl h 0x222000 -8",
            "OUTLEN is out of range: -8 (0 to 2147483647)"),
        line("a length that overflows int", "read h 2147483648",
            "LENGTH is out of range: 2147483648 (0 to 2147483647)"),
        line("a length that overflows long", "read h 99999999999999999999",
            "LENGTH is out of range: 99999999999999999999 (0 to 2147483647)"),
        line("a hex length that overflows long", "read h 0x1FFFFFFFFFFFFFFFF",
            "LENGTH is out of range: 0x1FFFFFFFFFFFFFFFF (0 to 2147483647)"),
        line("a length with a unit", "read h 4k", "LENGTH is not a number: 4k"),
        line("a fractional length", "read h 1.5", "LENGTH is not a number: 1.5"),
        line("a negative trace count", "trace -1", "N is out of range: -1 (0 to 2147483647)"),
        line("an information count that overflows long", "expect information 1" + "0".repeat(20),
            "N is out of range: 1" + "0".repeat(20) + " (0 to 2147483647)"),

        // I/O control codes.
        line("a code over 32 bits", "ioctl h 0x1FFFFFFFF 8",
            "not an I/O control code: 0x1FFFFFFFF"),
        line("a code that overflows long", "ioctl h 99999999999999999999 8",
            "not an I/O control code: 99999999999999999999"),
        line("a code that is not hex", "ioctl h 0xZZ 8", "not an I/O control code: 0xZZ"),
        line("a code that is only 0x", "ioctl h 0x 8", "not an I/O control code: 0x"),
        line("a code that is a name", "ioctl h IOCTL_FOO 8", "not an I/O control code: IOCTL_FOO"),
        line("CTL_CODE with three parts", "ioctl h CTL_CODE(1,2,3) 8",
            "not an I/O control code: CTL_CODE(1,2,3)"),
        line("CTL_CODE with a type over 16 bits", "ioctl h CTL_CODE(0x10000,0,0,0) 8",
            "bad I/O control code CTL_CODE(0x10000,0,0,0): CTL_CODE part out of range:"
                + " type 0x10000 (16 bits), function 0x0 (12 bits), method 0 (2 bits),"
                + " access 0 (2 bits)"),
        line("CTL_CODE with a negative type", "ioctl h CTL_CODE(-1,0,0,0) 8",
            "bad I/O control code CTL_CODE(-1,0,0,0): CTL_CODE part out of range:"
                + " type 0xFFFFFFFF (16 bits), function 0x0 (12 bits), method 0 (2 bits),"
                + " access 0 (2 bits)"),
        line("CTL_CODE with a part over 32 bits", "ioctl h CTL_CODE(0x100000001,0,0,0) 8",
            "CTL_CODE part out of range: 0x100000001"),
        line("CTL_CODE with a part that overflows long",
            "ioctl h CTL_CODE(99999999999999999999,0,0,0) 8",
            "CTL_CODE part out of range: 99999999999999999999"),
        line("CTL_CODE with an unknown name", "ioctl h CTL_CODE(1,2,METHOD_FAST,0) 8",
            "unknown name in CTL_CODE: METHOD_FAST"),

        // Durations.
        line("a negative duration", "advance -1s", "not a duration: -1s"),
        line("a fractional duration", "advance 1.5s", "not a duration: 1.5s"),
        line("a duration without a unit", "advance 100", "not a duration: 100"),
        line("a duration in an unknown unit", "advance 1h", "not a duration: 1h"),
        line("a duration that overflows long", "advance 99999999999999999999s",
            "duration too long: 99999999999999999999s"),
        line("a duration past 292 years in seconds", "advance 9223372037s",
            "duration too long: 9223372037s"),
        line("a duration of Long.MAX_VALUE minutes", "advance 9223372036854775807min",
            "duration too long: 9223372036854775807min"),
        line("a duration of Long.MAX_VALUE microseconds", "advance 9223372036854775807us",
            "duration too long: 9223372036854775807us"),
        line("an advance of a day and a second", "advance 86401s",
            "advance: more than a day at once: 86401s"),
        line("an advance of a century (each timer expiry would run)", "advance 3153600000s",
            "advance: more than a day at once: 3153600000s"),
        line("an advance of the longest duration", "advance 9223372036854775807ns",
            "advance: more than a day at once: 9223372036854775807ns"),

        // Statuses, states, outcomes.
        line("an unknown status name", "expect status FINE", "not a status: FINE"),
        line("an unknown STATUS_ name after a read", "read h 4 expect STATUS_FINE",
            "not a status: STATUS_FINE"),
        line("a status over 32 bits", "expect status 0x1FFFFFFFF",
            "status out of range: 0x1FFFFFFFF"),
        line("a negative status", "expect status 0x-1", "status out of range: 0x-1"),
        line("a status that overflows long", "expect status 0x1FFFFFFFFFFFFFFFF",
            "status out of range: 0x1FFFFFFFFFFFFFFFF"),
        line("a status that is not hex", "expect status 0xZZ", "not a status: 0xZZ"),
        line("an unknown device state", "plug ROOT\\A expect HAPPY", "not a device state: HAPPY"),
        line("an unknown device state in expect", "expect device ROOT\\A HAPPY",
            "not a device state: HAPPY"),
        line("an unknown replace outcome", "replace Echo v2.jar expect MAYBE",
            "not a replace outcome: MAYBE"),

        // Buffers, quotes and escapes.
        line("an unterminated quote", "write h text:\"no end",
            "unterminated quote in: write h text:\"no end"),
        line("an unterminated quoted path", "open \"\\\\.\\X as x",
            "unterminated quote in: open \"\\\\.\\X as x"),
        line("a quote closed by an escape", "write h text:\"ends in\\\"",
            "unterminated quote in: write h text:\"ends in\\\""),
        line("\\x with one hex digit", "write h text:\"\\x4\"",
            "\\x needs two hex digits in \"\\x4\""),
        line("\\x with no hex digit", "write h text:\"\\xZZ\"",
            "\\x needs two hex digits in \"\\xZZ\""),
        line("\\x at the end of the text", "write h text:\"\\x\"",
            "\\x needs two hex digits in \"\\x\""),
        line("hex with an odd number of digits", "write h hex:0A0", "not hex bytes: hex:0A0"),
        line("hex with a letter that is not hex", "write h hex:GG", "not hex bytes: hex:GG"),
        line("a buffer without a prefix", "write h 0A0B", "not a buffer: 0A0B"),
        line("a buffer in an unknown encoding", "write h base64:AAAA",
            "not a buffer: base64:AAAA"),
        line("a handle name that starts with a digit", "read 1h 4", "not a handle name: 1h"),
        line("a handle name with punctuation", "open \\\\.\\X as my-handle!",
            "not a handle name: my-handle!"),

        // Control and invisible characters: refused, and shown escaped.
        line("a NUL in a word", "read h\0 4", "control character \\0 at column 7"),
        line("a NUL inside quotes", "write h text:\"a\0b\"", "control character \\0 at column 16"),
        line("an escape sequence", "\u001B[31mread h 4", "control character \\x1B at column 1"),
        line("a DEL", "read h 4\u007F", "control character \\x7F at column 9"),
        line("a C1 control (NEL)", "read h\u0085 4", "control character \\u0085 at column 7"),
        line("a vertical tab between words", "read\u000Bh 4",
            "control character \\x0B at column 5"),
        line("a form feed", "\fread h 4", "control character \\x0C at column 1"),
        line("a right-to-left override", "fly\u202Eh", "unknown command: fly\\u202Eh"),
        line("a lone surrogate", "fly\uD800", "unknown command: fly\\uD800"),

        // Very long lines: parsed, and shown cut short.
        line("a 1 MB command", "x".repeat(MEGABYTE),
            "unknown command: " + "x".repeat(60) + "... (1048576 characters)"),
        line("1 MB of bad hex", "write h hex:" + "G".repeat(MEGABYTE),
            "not hex bytes: hex:" + "G".repeat(56) + "... (1048580 characters)"),
        line("a 1 MB unterminated quote", "write h text:\"" + "a".repeat(MEGABYTE),
            "unterminated quote in: write h text:\"" + "a".repeat(46)
                + "... (1048590 characters)"),
        line("1 MB of extra arguments", "close " + "h ".repeat(MEGABYTE / 2),
            "close: unexpected 'h'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badLines")
  @DisplayName("a bad line: UsageException naming the problem, with what to try; file:line in a file")
  void badLine(String name, String line, String message) throws IOException {
    UsageException bad = assertThrows(UsageException.class, () -> Script.parse(line));
    assertEquals(message, bad.getMessage());
    assertNotNull(bad.hint(), "every bad line says what to try");
    assertReadable(bad.getMessage());

    if (!StandardCharsets.UTF_8.newEncoder().canEncode(line)) {
      return; // a lone surrogate has no UTF-8 form: in a file it is bad bytes (see badFiles)
    }
    Path file = Files.writeString(dir.resolve("bad-line.jwdm"),
        "# a scenario\n\nclose h\n" + line + "\nclose h\n", StandardCharsets.UTF_8);
    UsageException inFile = assertThrows(UsageException.class, () -> Script.parseFile(file));
    assertEquals("bad-line.jwdm:4: " + message, inFile.getMessage());
    assertEquals(bad.hint(), inFile.hint());
  }

  private static Arguments accepted(String name, String line, Consumer<Script.Op> check) {
    return Arguments.of(name, line, check);
  }

  static Stream<Arguments> edgeLines() {
    return Stream.of(
        accepted("a length just over the kernel's 64 MiB (the kernel answers"
            + " INSUFFICIENT_RESOURCES: BadInputCliIT)", "read h 67108865",
            op -> assertEquals(new Script.Read("h", MAX_BUFFER + 1, null), op)),
        accepted("a length of exactly 64 MiB, in hex", "read h 0x4000000",
            op -> assertEquals(new Script.Read("h", MAX_BUFFER, null), op)),
        accepted("the largest length", "ioctl h 0x222000 2147483647",
            op -> assertEquals(Integer.MAX_VALUE, ((Script.Ioctl) op).outputLength())),
        accepted("the all-bits control code", "ioctl h 0xFFFFFFFF 0",
            op -> assertEquals(new Script.Ioctl("h", -1, null, 0, null), op)),
        accepted("the largest status value", "expect status 0xFFFFFFFF",
            op -> assertEquals(new Script.ExpectStatus(NtStatus.of(-1)), op)),
        accepted("the longest advance: a day", "advance 1440min",
            op -> assertEquals(new Script.Advance(Duration.ofDays(1)), op)),
        accepted("the longest advance in nanoseconds", "advance 86400000000000ns",
            op -> assertEquals(new Script.Advance(Duration.ofDays(1)), op)),
        accepted("a zero duration", "advance 0ns",
            op -> assertEquals(new Script.Advance(Duration.ZERO), op)),
        accepted("tabs between words", "read\th\t4",
            op -> assertEquals(new Script.Read("h", 4, null), op)),
        accepted("an unknown escape is kept as written", "write h text:\"\\q\"",
            op -> assertArrayEquals("\\q".getBytes(StandardCharsets.US_ASCII),
                ((Script.Write) op).data())),
        accepted("a 1 MB line of hex data", "write h hex:" + "0A".repeat(MEGABYTE / 2),
            op -> assertEquals(MEGABYTE / 2, ((Script.Write) op).data().length)),
        accepted("a 1 MB quoted text", "write h text:\"" + "a b ".repeat(MEGABYTE / 4) + "\"",
            op -> assertEquals(MEGABYTE, ((Script.Write) op).data().length)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("edgeLines")
  @DisplayName("an edge that is not an error parses into what it says")
  void edgeLine(String name, String line, Consumer<Script.Op> check) {
    check.accept(Script.parse(line));
  }

  static Stream<Arguments> randomLines() {
    return IntStream.rangeClosed(1, 5).mapToObj(seed -> Arguments.of(seed));
  }

  private static final String[] WORDS = {
      "load", "unload", "replace", "plug", "remove", "open", "read", "write", "ioctl", "close",
      "advance", "expect", "status", "data", "information", "loaded", "unloaded", "device",
      "clean", "devices", "trace", "teardown", "help", "exit", "as", "h", "h1", "\\\\.\\X",
      "ROOT\\A", "a.jar", "-1", "0", "64", "0x40", "67108865", "2147483648",
      "99999999999999999999", "0xFFFFFFFF", "0x1FFFFFFFF", "0x", "0x-1", "hex:", "hex:0A0B",
      "hex:0", "hex:ZZ", "text:\"a b\"", "text:\"\\x4\"", "text:\"\\", "\"", "\"\"", "text:",
      "CTL_CODE(1,2,3,4)", "CTL_CODE(0x100000001,0,0,0)", "CTL_CODE(", "CTL_CODE(,,,)",
      "CTL_CODE(FILE_DEVICE_UNKNOWN,0x801,METHOD_BUFFERED,FILE_ANY_ACCESS)", "SUCCESS",
      "STATUS_", "0xC0000010", "STARTED", "REPLACED", "100ms", "-1s", "0ns",
      "9223372036854775807min", "99999999999999999999s", "#", "é", "\uD83D\uDE00", "\uD800",
      "\u202E", "\0", "\u001B", "\u007F", "\u0085", "\t", "\\", "\\x", "()", ","};

  @ParameterizedTest(name = "random lines, seed {0}")
  @MethodSource("randomLines")
  @DisplayName("random lines of the language's words: each parses, or is a UsageException with a"
      + " readable message")
  void randomLines(int seed) {
    Random random = new Random(seed);
    for (int i = 0; i < 2_000; i++) {
      StringBuilder line = new StringBuilder();
      int words = 1 + random.nextInt(6);
      for (int w = 0; w < words; w++) {
        if (w > 0) {
          line.append(random.nextInt(8) == 0 ? "" : " ");
        }
        line.append(random.nextInt(10) == 0 ? String.valueOf((char) random.nextInt(0x10000))
            : WORDS[random.nextInt(WORDS.length)]);
      }
      try {
        Script.parse(line.toString());
      } catch (UsageException bad) {
        assertReadable(bad.getMessage());
      } catch (RuntimeException crash) {
        throw new AssertionError("seed " + seed + ", line " + i + ": '"
            + Syntax.shown(line.toString()) + "' threw " + crash, crash);
      }
    }
  }

  /** A message of reasonable length with no control character. */
  private static void assertReadable(String message) {
    assertTrue(message.length() < 300, () -> "message too long: " + message.length());
    assertTrue(message.chars().noneMatch(Character::isISOControl),
        () -> "control character in message: " + Syntax.shown(message));
  }

  // ---------------------------------------------------------------------------------------------
  // Scenario files

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
      } else if (part instanceof Integer b) {
        out.write(b);
      } else {
        out.writeBytes((byte[]) part);
      }
    }
    return out.toByteArray();
  }

  private static byte[] random(long seed, int bound) {
    Random random = new Random(seed);
    byte[] bytes = new byte[4096];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) random.nextInt(bound);
    }
    return bytes;
  }

  /** The content of a file case that has no file. */
  private static final byte[] MISSING = new byte[0];

  /** A file case: its content ({@code null} for a folder, {@link #MISSING} for no file). */
  private static Arguments file(String name, byte[] content, String message) {
    return Arguments.of(name, content, message);
  }

  static Stream<Arguments> badFiles() {
    return Stream.of(
        file("a byte that is not UTF-8 (0xFF)", bytes("close h\nread h ", 0xFF, "4\n"),
            "{name}:2: not UTF-8 text: byte 0xFF at byte 8 of the line"),
        file("Latin-1 text (é as 0xE9) in a comment", bytes("# caf", 0xE9, "\nclose h\n"),
            "{name}:1: not UTF-8 text: byte 0xE9 at byte 6 of the line"),
        file("a UTF-8 sequence cut short at the end", bytes("close h\n", 0xE2, 0x82),
            "{name}:2: not UTF-8 text: byte 0xE2 at byte 1 of the line"),
        file("an encoded surrogate (CESU-8), after CRLF line ends",
            bytes("close h\r\nclose h\r\n", 0xED, 0xA0, 0x80, "\r\n"),
            "{name}:3: not UTF-8 text: byte 0xED at byte 1 of the line"),
        file("bad bytes after CR line ends", bytes("close h\rclose h\r", 0xC0, 0x80),
            "{name}:3: not UTF-8 text: byte 0xC0 at byte 1 of the line"),
        file("a UTF-16 file", bytes(0xFF, 0xFE, "c", 0, "l", 0),
            "{name}:1: not UTF-8 text: byte 0xFF at byte 1 of the line"),
        file("a NUL in a line", bytes("close h\nclose h", 0, "\n"),
            "{name}:2: control character \\0 at column 8"),
        file("a 1 MB bad line", bytes("close h\nwrite h hex:", "G".repeat(MEGABYTE), "\n"),
            "{name}:2: not hex bytes: hex:" + "G".repeat(56) + "... (1048580 characters)"),
        file("random bytes, seed 1", random(1, 256), "{name}:\\d+: .+"),
        file("random bytes, seed 2", random(2, 256), "{name}:\\d+: .+"),
        file("random bytes, seed 3", random(3, 256), "{name}:\\d+: .+"),
        file("random 7-bit bytes, seed 1", random(1, 128), "{name}:\\d+: .+"),
        file("random 7-bit bytes, seed 2", random(2, 128), "{name}:\\d+: .+"),
        file("a folder", null, "cannot read scenario {file}: it is a folder"),
        file("a missing file", MISSING, "cannot read scenario {file}: no such file"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  @DisplayName("a bad scenario file: UsageException naming the file, and the line if it has one")
  void badFile(String name, byte[] content, String message) throws IOException {
    String fileName = "file-" + Integer.toHexString(name.hashCode()) + ".jwdm";
    Path file = dir.resolve(fileName);
    if (content == null) {
      Files.createDirectory(file);
    } else if (content != MISSING) {
      Files.write(file, content);
    }
    UsageException bad = assertThrows(UsageException.class, () -> Script.parseFile(file));
    if (message.contains("\\d")) {
      String pattern = Pattern.quote(fileName) + message.substring("{name}".length());
      assertTrue(bad.getMessage().matches(pattern), bad.getMessage());
    } else {
      assertEquals(message.replace("{name}", fileName).replace("{file}", file.toString()),
          bad.getMessage());
    }
    assertNotNull(bad.hint());
    assertReadable(bad.getMessage().replace(file.toString(), "FILE"));
  }

  static Stream<Arguments> acceptedFiles() {
    return Stream.of(
        Arguments.of("an empty file", bytes(), List.of()),
        Arguments.of("only comments and blank lines", bytes("# one\n\n   \n\t# two\n"),
            List.of()),
        Arguments.of("a UTF-8 byte order mark", bytes(0xEF, 0xBB, 0xBF, "close h\n"),
            List.of("close h")),
        Arguments.of("CRLF line ends", bytes("close a\r\nclose b\r\n"),
            List.of("close a", "close b")),
        Arguments.of("no line end at the end", bytes("close a"), List.of("close a")),
        Arguments.of("UTF-8 text in quotes and comments",
            bytes("write h text:\"h\u00E9 \uD83D\uDE00\" # caf\u00E9\n"),
            List.of("write h text:\"h\u00E9 \uD83D\uDE00\" # caf\u00E9")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("acceptedFiles")
  @DisplayName("an edge of a scenario file that is not an error")
  void acceptedFile(String name, byte[] content, List<String> steps) throws IOException {
    Path file = Files.write(dir.resolve("ok-" + Integer.toHexString(name.hashCode()) + ".jwdm"),
        content);
    List<String> texts = new ArrayList<>();
    for (Script.Step step : Script.parseFile(file)) {
      texts.add(step.text());
    }
    assertEquals(steps, texts);
  }

  // ---------------------------------------------------------------------------------------------
  // The kernel's clock

  @Test
  @DisplayName("advancing the kernel's clock past about 292 years (the Interpreter, without a"
      + " scenario's one-day limit): UsageException, the clock unchanged")
  void clockEnd() {
    Printer printer = new Printer(new PrintStream(OutputStream.nullOutputStream()),
        new PrintStream(OutputStream.nullOutputStream()), Ansi.OFF);
    try (Kernel kernel = Kernel.boot(KernelOptions.builder().build())) {
      Interpreter interpreter = new Interpreter(new Session(kernel, printer, false), printer,
          dir);
      assertEquals("clock: 9223372036000ms",
          interpreter.execute(new Script.Advance(Duration.ofSeconds(9223372036L))));
      UsageException bad = assertThrows(UsageException.class,
          () -> interpreter.execute(Script.parse("advance 1s")));
      assertEquals("advance: the clock stands at 9223372036000ms and cannot go past about 292"
          + " years", bad.getMessage());
      assertEquals("advance by at most 854775807ns", bad.hint());
      assertEquals(Duration.ofSeconds(9223372036L), kernel.clock());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Command-line arguments

  @BeforeAll
  static void files() throws IOException {
    Files.createDirectories(dir.resolve("folder"));
    Files.write(dir.resolve("empty.jar"), new byte[0]);
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(
        dir.resolve("no-entries.jar")))) {
      zip.setComment("no entries");
    }
    Files.writeString(dir.resolve("text.jar"), "not a zip");
    Files.write(dir.resolve("garbage.p12"), random(7, 256));
    Files.writeString(dir.resolve("bad.jwdm"), "close h\nread h -1\n");
    Files.write(dir.resolve("latin1.jwdm"), bytes("# caf", 0xE9, "\n"));
  }

  private static Arguments args(String name, String stderr, String... args) {
    return Arguments.of(name, stderr, args);
  }

  static Stream<Arguments> badArguments() {
    return Stream.of(
        args("an unknown option", "jwdm: Unknown option: '--frobnicate'",
            "run", "--frobnicate", "{dir}/empty.jar"),
        args("an unknown option of check", "jwdm: Unknown option: '--frobnicate'",
            "check", "--frobnicate", "{dir}/empty.jar"),
        args("a kernel option before the command", "jwdm: Unknown options: '--seed', '1'",
            "--seed", "1", "run", "{dir}/empty.jar"),
        args("an unknown command", "jwdm: unknown command 'rn'", "rn", "{dir}/empty.jar"),
        args("--seed abc", "jwdm: Invalid value for option '--seed': 'abc' is not a long",
            "run", "--seed", "abc", "{dir}/empty.jar"),
        args("--seed that overflows long", "jwdm: Invalid value for option '--seed':"
            + " '99999999999999999999' is not a long",
            "run", "--seed", "99999999999999999999", "{dir}/empty.jar"),
        args("--seed without a value", "jwdm: Missing required parameter for option '--seed'",
            "check", "{dir}/empty.jar", "--seed"),
        args("--verifier nonsense", "jwdm: --verifier: not verifier flags: 'nonsense'",
            "run", "--verifier", "nonsense", "{dir}/empty.jar"),
        args("--verifier with unknown flags", "jwdm: --verifier: unknown verifier flag(s)",
            "check", "--verifier", "0xFFFFFFFF", "{dir}/empty.jar"),
        args("--verifier that overflows int", "jwdm: --verifier: not verifier flags:"
            + " '99999999999'", "run", "--verifier", "99999999999", "{dir}/empty.jar"),
        args("--low-resources abc", "jwdm: Invalid value for option '--low-resources': 'abc'"
            + " is not a double", "run", "--low-resources", "abc", "{dir}/empty.jar"),
        args("--low-resources over 1", "jwdm: --low-resources: the probability must be between"
            + " 0 and 1: 1.5", "run", "--low-resources", "1.5", "{dir}/empty.jar"),
        args("--low-resources NaN", "jwdm: --low-resources: the probability must be between 0"
            + " and 1: NaN", "run", "--low-resources", "NaN", "{dir}/empty.jar"),
        args("--wait-timeout abc", "jwdm: --wait-timeout: not a duration: abc",
            "run", "--wait-timeout", "abc", "{dir}/empty.jar"),
        args("--wait-timeout 0s", "jwdm: --wait-timeout must be positive",
            "run", "--wait-timeout", "0s", "{dir}/empty.jar"),
        args("--wait-timeout that overflows long", "jwdm: --wait-timeout: duration too long:"
            + " 99999999999999999999s", "check", "--wait-timeout", "99999999999999999999s",
            "{dir}/empty.jar"),
        args("--report xml", "jwdm: Invalid value for option '--report': expected one of"
            + " [text, json] (case-insensitive) but was 'xml'",
            "run", "--report", "xml", "{dir}/empty.jar"),
        args("--color purple", "jwdm: Invalid value for option '--color': expected one of"
            + " [auto, always, never] (case-insensitive) but was 'purple'",
            "run", "--color", "purple", "{dir}/empty.jar"),
        args("an option given twice", "jwdm: option '--seed' (N) should be specified only once",
            "run", "--seed", "1", "--seed", "2", "{dir}/empty.jar"),
        args("--scenario given twice", "jwdm: option '--scenario' (FILE) should be specified"
            + " only once", "run", "--scenario", "{dir}/bad.jwdm", "--scenario",
            "{dir}/bad.jwdm", "{dir}/empty.jar"),
        args("--trust-store-password without --trust-store",
            "jwdm: --trust-store-password needs --trust-store",
            "run", "--trust-store-password", "secret", "{dir}/empty.jar"),
        args("--trust-store that is missing", "jwdm: --trust-store: no such file: {dir}/none.p12",
            "run", "--trust-store", "{dir}/none.p12", "{dir}/empty.jar"),
        args("--trust-store that is a folder", "jwdm: --trust-store: no such file: {dir}/folder",
            "run", "--trust-store", "{dir}/folder", "{dir}/empty.jar"),
        args("--trust-store of random bytes", "jwdm: --trust-store: cannot read"
            + " {dir}/garbage.p12: ", "run", "--trust-store", "{dir}/garbage.p12",
            "{dir}/empty.jar"),
        args("no image", "jwdm: Missing required parameter: 'IMAGE'", "run"),
        args("no image for check", "jwdm: Missing required parameter: 'IMAGE'", "check"),
        args("a missing image", "jwdm: no such driver image: {dir}/missing.jar",
            "run", "{dir}/missing.jar"),
        args("an image that is a folder", "jwdm: driver image {dir}/folder refused (UNSIGNED)",
            "run", "{dir}/folder"),
        args("an image that is a folder, test signing", "jwdm: driver image {dir}/folder"
            + " refused (NO_GLUE)", "run", "--test-signing", "{dir}/folder"),
        args("an empty jar (0 bytes)", "jwdm: driver image {dir}/empty.jar refused"
            + " (NOT_AN_IMAGE)", "check", "--test-signing", "{dir}/empty.jar"),
        args("a jar with no entries", "jwdm: driver image {dir}/no-entries.jar refused"
            + " (NO_GLUE)", "run", "--test-signing", "{dir}/no-entries.jar"),
        args("a text file as a jar", "jwdm: driver image {dir}/text.jar refused (NOT_AN_IMAGE)",
            "run", "--test-signing", "{dir}/text.jar"),
        args("--scenario without a value", "jwdm: Missing required parameter for option"
            + " '--scenario' (FILE)", "run", "{dir}/empty.jar", "--scenario"),
        args("--scenario that is missing", "jwdm: cannot read scenario {dir}/none.jwdm: no such"
            + " file", "run", "--scenario", "{dir}/none.jwdm", "{dir}/empty.jar"),
        args("--scenario that is a folder", "jwdm: cannot read scenario {dir}/folder: it is a"
            + " folder", "run", "--scenario", "{dir}/folder", "{dir}/empty.jar"),
        args("--scenario with a bad line", "jwdm: bad.jwdm:2: LENGTH is out of range: -1",
            "run", "--scenario", "{dir}/bad.jwdm", "{dir}/empty.jar"),
        args("--scenario that is not UTF-8", "jwdm: latin1.jwdm:1: not UTF-8 text: byte 0xE9",
            "run", "--scenario", "{dir}/latin1.jwdm", "{dir}/empty.jar"),
        args("--dot in a missing folder", "jwdm: --dot {dir}/none/devices.dot: no such folder",
            "run", "--dot", "{dir}/none/devices.dot", "{dir}/empty.jar"),
        args("--dot that is a folder", "jwdm: --dot {dir}/folder: it is a folder",
            "run", "--dot", "{dir}/folder", "{dir}/empty.jar"),
        args("explain without an ID", "jwdm: explain needs an ID", "explain"),
        args("explain of an unknown ID", "jwdm: no explanation for 'NoSuchRule'",
            "explain", "NoSuchRule"),
        args("explain of a bug check with three parts", "jwdm: no explanation for"
            + " '0xC4/0x62/1'", "explain", "0xC4/0x62/1"),
        args("explain of an empty ID", "jwdm: no explanation for ''", "explain", ""),
        args("explain of an ID that overflows long", "jwdm: no explanation for"
            + " '0x1FFFFFFFFFFFFFFFF'", "explain", "0x1FFFFFFFFFFFFFFFF"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badArguments")
  @DisplayName("bad arguments: exit 2, the problem on standard error, no stack trace")
  void badArguments(String name, String stderr, String[] args) {
    String folder = dir.toString() + File.separator;
    String[] resolved = Stream.of(args).map(a -> a.replace("{dir}/", folder))
        .toArray(String[]::new);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Jwdm.execute(resolved, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String stdout = out.toString(StandardCharsets.UTF_8);
    String stderrText = err.toString(StandardCharsets.UTF_8);
    String both = "exit " + status + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderrText;
    assertEquals(ExitStatus.USAGE, status, both);
    assertTrue(stderrText.contains(stderr.replace("{dir}/", folder)), both);
    assertNoStackTrace(stdout + stderrText);
  }

  /** No Java stack trace and no exception's class name: jwdm's own words only. */
  static void assertNoStackTrace(String text) {
    assertFalse(Pattern.compile("(?m)^\\s+at [\\w.$/]+\\(").matcher(text).find(),
        () -> "a stack trace:\n" + text);
    assertFalse(text.contains("Exception") || text.contains("internal error"),
        () -> "an exception:\n" + text);
  }

  @Test
  @DisplayName("the stack-trace check sees a stack trace")
  void stackTraceCheckWorks() {
    StringBuilder trace = new StringBuilder();
    try {
      Long.parseLong("x");
      fail("parsed");
    } catch (NumberFormatException expected) {
      trace.append(expected).append('\n');
      for (StackTraceElement element : expected.getStackTrace()) {
        trace.append("\tat ").append(element).append('\n');
      }
    }
    assertThrows(AssertionError.class, () -> assertNoStackTrace(trace.toString()));
    assertThrows(AssertionError.class,
        () -> assertNoStackTrace("\tat io.jwdm.cli.Syntax.duration(Syntax.java:271)"));
  }
}

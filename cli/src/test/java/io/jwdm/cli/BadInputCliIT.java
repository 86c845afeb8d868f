package io.jwdm.cli;

import static io.jwdm.cli.BadInputCliTest.assertNoStackTrace;
import static io.jwdm.cli.JwdmProcess.run;
import static io.jwdm.cli.JwdmProcess.runWithBytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.cli.JwdmProcess.Result;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input that shows only through the process: the real exit status, what reaches standard
 * error, the shell's standard input, and scenario lines the kernel answers. The in-process cases
 * are in {@link BadInputCliTest}.
 */
@DisplayName("bad input, through the jwdm process")
class BadInputCliIT {
  @TempDir
  Path dir;

  private static String examples() {
    return TestImages.examples().toString();
  }

  private Path scenario(String name, String... lines) throws IOException {
    return Files.writeString(dir.resolve(name), String.join("\n", lines) + "\n",
        StandardCharsets.UTF_8);
  }

  /** Exit 2, the message on standard error, nothing like a stack trace anywhere. */
  private static void assertUsage(Result r, String message) {
    assertEquals(ExitStatus.USAGE, r.status(), r::both);
    assertTrue(r.err().contains(message), r::both);
    assertTrue(r.err().contains("try: "), r::both);
    assertNoStackTrace(r.out() + r.err());
  }

  @Test
  @DisplayName("a bad option value: exit 2 from the process, before anything runs")
  void badOptionValues() {
    // --wait-timeout that overflows a long was an internal error (exit 3, a stack trace).
    Result timeout = run("run", "--test-signing", "--wait-timeout", "99999999999999999999s",
        examples());
    assertUsage(timeout, "jwdm: --wait-timeout: duration too long: 99999999999999999999s");
    assertEquals("", timeout.out(), timeout::both);

    Result seed = run("check", "--seed", "abc", examples());
    assertEquals(ExitStatus.USAGE, seed.status(), seed::both);
    assertTrue(seed.err().contains("jwdm: Invalid value for option '--seed': 'abc' is not a"
        + " long"), seed::both);
    assertNoStackTrace(seed.out() + seed.err());
  }

  @Test
  @DisplayName("a scenario line that overflows: exit 2 with FILE:LINE, before the kernel boots")
  void scenarioOverflow() throws IOException {
    // The minutes overflowed a long inside Duration: an internal error with a stack trace.
    Path file = scenario("overflow.jwdm", "open \\\\.\\IoctlTest as s",
        "advance 9223372036854775807min", "close s");
    Result r = run("run", "--test-signing", "--scenario", file.toString(), examples());
    assertUsage(r, "jwdm: overflow.jwdm:2: duration too long: 9223372036854775807min");
    assertEquals("", r.out(), "nothing ran\n" + r.both());
  }

  @Test
  @DisplayName("reads and IOCTLs over the kernel's 64 MiB limit: the kernel answers"
      + " INSUFFICIENT_RESOURCES, and the run is clean")
  void overTheBufferLimit() throws IOException {
    Path file = scenario("over.jwdm", "open \\\\.\\IoctlTest as s",
        "read s 67108865 expect INSUFFICIENT_RESOURCES",
        "expect information 0",
        "ioctl s CTL_CODE(40000,0x902,METHOD_BUFFERED,FILE_ANY_ACCESS) 67108865"
            + " expect INSUFFICIENT_RESOURCES",
        "ioctl s 0x9C402408 text:\"in\" 0x7FFFFFFF expect INSUFFICIENT_RESOURCES",
        "close s", "expect clean");
    Result r = run("run", "--test-signing", "--scenario", file.toString(), examples());
    assertEquals(ExitStatus.CLEAN, r.status(), r::both);
    assertTrue(r.out().contains("STATUS_INSUFFICIENT_RESOURCES"), r::both);
    assertTrue(r.out().contains("Result: CLEAN"), r::both);
  }

  @Test
  @DisplayName("an advance of a century with the examples' 100 ms periodic timer: exit 2 with"
      + " FILE:LINE before the kernel boots, instead of running the timer's DPC 3e10 times")
  void centuryAdvance() throws IOException {
    Path file = scenario("century.jwdm", "open \\\\.\\IoctlTest as s", "advance 3153600000s",
        "close s");
    Result r = run("run", "--test-signing", "--scenario", file.toString(), examples());
    assertUsage(r, "jwdm: century.jwdm:2: advance: more than a day at once: 3153600000s");
    assertEquals("", r.out(), "nothing ran\n" + r.both());
  }

  private static byte[] bytes(Object... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object part : parts) {
      if (part instanceof String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
      } else {
        out.write((Integer) part);
      }
    }
    return out.toByteArray();
  }

  static Stream<Arguments> shellInput() {
    return Stream.of(
        // ArithmeticException out of the shell's loop: an internal error with a stack trace.
        Arguments.of("a duration that overflows", bytes("advance 9223372036854775807min\n"),
            "error: stdin:1: duration too long: 9223372036854775807min"),
        Arguments.of("a NUL in a line", bytes("devices\nread h", 0, " 4\n"),
            "error: stdin:2: control character \\0 at column 7"),
        Arguments.of("an escape sequence", bytes("\u001B[2Jdevices\n"),
            "error: stdin:1: control character \\x1B at column 1"),
        Arguments.of("bytes that are not UTF-8", bytes(0xFF, 0xFE, "devices\n"),
            "error: stdin:1: unknown command: "),
        Arguments.of("a 1 MB line", bytes("x".repeat(1 << 20), "\n"),
            "error: stdin:1: unknown command: xxx"),
        Arguments.of("an advance of more than a day", bytes("devices\nadvance 86401s\n"),
            "error: stdin:2: advance: more than a day at once: 86401s"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("shellInput")
  @DisplayName("the shell from a pipe: a bad line stops it with exit 2 and stdin:LINE")
  void shell(String name, byte[] input, String message) {
    Result r = runWithBytes(input, "shell");
    assertUsage(r, message);
    assertTrue(r.err().length() < 2_000, "a short message\n" + r.both());
  }
}

package io.jwdm.cli;

import io.jwdm.host.DeviceNode;
import io.jwdm.host.ImageReplaceResult;
import io.jwdm.kernel.NtStatus;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The line language of scenario files ({@code jwdm run --scenario FILE}) and of {@code jwdm shell}:
 * one command a line, parsed here into {@link Op}s that {@link Interpreter} runs. See
 * {@code docs/cli.md} for the language.
 */
final class Script {
  private Script() {}

  /** A parsed line of a scenario file. */
  record Step(String file, int line, String text, Op op) {
    /** Where the step is, as {@code file:line}. */
    String where() {
      return file + ":" + line;
    }
  }

  /** A command. */
  interface Op {}

  record Load(String path) implements Op {}

  record Unload(String ref) implements Op {}

  record Replace(String driver, String path, ImageReplaceResult.Outcome expect) implements Op {}

  record Plug(List<String> hardwareIds, DeviceNode.State expect) implements Op {}

  record Remove(String device, NtStatus expect) implements Op {}

  record Open(String path, String name, NtStatus expect) implements Op {}

  record Read(String handle, int length, NtStatus expect) implements Op {}

  record Write(String handle, byte[] data, NtStatus expect) implements Op {}

  record Ioctl(String handle, int code, byte[] input, int outputLength, NtStatus expect)
      implements Op {}

  record Close(String handle) implements Op {}

  record Advance(Duration duration) implements Op {}

  record ExpectStatus(NtStatus status) implements Op {}

  record ExpectData(byte[] data) implements Op {}

  record ExpectInformation(long information) implements Op {}

  record ExpectLoaded(String driver, boolean loaded) implements Op {}

  record ExpectDevice(String device, DeviceNode.State state) implements Op {}

  record ExpectClean() implements Op {}

  /** A command that shows state: devices, drivers, objects, images, links, trace, verifier. */
  record Show(String what, int count) implements Op {}

  record Teardown() implements Op {}

  record Help(String topic) implements Op {}

  record Exit() implements Op {}

  /** A command of the language: its name, its syntax and what it does. */
  record Command(String name, String syntax, String summary) {}

  /** Every command, in the order {@code help} lists them. */
  static final List<Command> COMMANDS = List.of(
      new Command("load", "load IMAGE", "load a driver image (a jar or a classes directory)"),
      new Command("unload", "unload IMAGE|DRIVER",
          "unload an image (by file name, id, or one of its drivers) and prove it is gone"),
      new Command("replace", "replace DRIVER IMAGE [expect OUTCOME]",
          "replace a driver, and the rest of its image, by a new image while the system runs"),
      new Command("plug", "plug HWID [HWID…] [expect STATE]",
          "plug in a device with these hardware IDs (AddDevice, START_DEVICE)"),
      new Command("remove", "remove DEVICE [expect STATUS]",
          "remove a device (instance ID such as ROOT\\TOASTER\\0000, or a hardware ID)"),
      new Command("open", "open PATH [as NAME] [expect STATUS]",
          "open a device (\\\\.\\Name, \\DosDevices\\Name, \\??\\Name or \\Device\\Name): CREATE"),
      new Command("read", "read NAME LENGTH [expect STATUS]", "read up to LENGTH bytes"),
      new Command("write", "write NAME DATA [expect STATUS]",
          "write a buffer: hex:0A0B0C or text:\"…\""),
      new Command("ioctl", "ioctl NAME CODE [DATA] OUTLEN [expect STATUS]",
          "send an I/O control code (0x9C402408 or CTL_CODE(type,function,method,access))"),
      new Command("close", "close NAME", "close a handle: CLEANUP, CLOSE"),
      new Command("advance", "advance DURATION",
          "move the kernel's clock, at most a day (100ms, 2s, 250us …): timers fire, DPCs and"
              + " work items run"),
      new Command("expect", "expect status STATUS | data DATA | information N | loaded DRIVER"
          + " | unloaded DRIVER | device DEVICE STATE | clean",
          "check the last I/O's result or the system's state"),
      new Command("devices", "devices", "the device tree"),
      new Command("drivers", "drivers", "the loaded drivers and their device objects"),
      new Command("objects", "objects", "every live kernel object the kernel shows, with its owner"),
      new Command("images", "images", "the loaded driver images"),
      new Command("links", "links", "the symbolic links drivers created"),
      new Command("trace", "trace [N]", "the lifecycle trace, or its last N events"),
      new Command("verifier", "verifier", "the verifier's flags and its verdict so far"),
      new Command("teardown", "teardown",
          "close every handle, remove every device and unload every image, as run does at the end"),
      new Command("help", "help [COMMAND]", "this list, or one command (shell only)"),
      new Command("exit", "exit", "leave the shell (also quit, or end of input; shell only)"));

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

  /**
   * The most one {@code advance} moves the clock. The kernel runs every timer expiry on the way,
   * so a driver's 100 ms periodic timer makes a day about 10 s of real time, and a year an hour.
   */
  static final Duration MAX_ADVANCE = Duration.ofDays(1);

  /**
   * Parses a scenario file.
   *
   * @throws UsageException with {@code file:line} for a file that cannot be read or a bad line
   */
  static List<Step> parseFile(Path file) {
    String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
    List<String> lines = readLines(file, name);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String where = name + ":" + (i + 1);
      Op op;
      try {
        op = parse(lines.get(i));
      } catch (UsageException bad) {
        throw bad.at(where);
      }
      if (op == null) {
        continue;
      }
      if (op instanceof Help || op instanceof Exit) {
        throw new UsageException(where + ": '" + Syntax.shown(lines.get(i).strip())
            + "' works only in the shell", "remove the line");
      }
      steps.add(new Step(name, i + 1, lines.get(i).strip(), op));
    }
    return steps;
  }

  /**
   * The lines of a scenario file, which must be UTF-8 text (a byte order mark is skipped).
   *
   * @throws UsageException for a file that cannot be read, or {@code name:line} for bytes that
   *     are not UTF-8
   */
  private static List<String> readLines(Path file, String name) {
    String hint = "give the path of a scenario file; its language is in docs/cli.md";
    if (Files.isDirectory(file)) {
      throw new UsageException("cannot read scenario " + file + ": it is a folder", hint);
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException missing) {
      throw new UsageException("cannot read scenario " + file + ": no such file", hint);
    } catch (AccessDeniedException denied) {
      throw new UsageException("cannot read scenario " + file + ": permission denied", hint);
    } catch (IOException unreadable) {
      String reason = unreadable instanceof FileSystemException
          && ((FileSystemException) unreadable).getReason() != null
          ? ((FileSystemException) unreadable).getReason() : unreadable.getMessage();
      throw new UsageException("cannot read scenario " + file + ": " + reason, hint);
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer text = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, text, true);
    if (!result.isError()) {
      result = decoder.flush(text);
    }
    if (result.isError()) {
      int at = in.position();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < at; i++) {
        boolean lineEnd = bytes[i] == '\n' || bytes[i] == '\r' && bytes[i + 1] != '\n';
        if (lineEnd) {
          line++;
          lineStart = i + 1;
        }
      }
      throw new UsageException(String.format("%s:%d: not UTF-8 text: byte 0x%02X at byte %d of"
          + " the line", name, line, bytes[at] & 0xFF, at - lineStart + 1),
          "save the scenario as UTF-8");
    }
    String decoded = text.flip().toString();
    if (decoded.startsWith("\uFEFF")) {
      decoded = decoded.substring(1);
    }
    return decoded.lines().collect(Collectors.toList());
  }

  /**
   * Parses one line.
   *
   * @return the command, or null for a blank line or a comment
   * @throws UsageException for a bad line, saying what is wrong and the command's syntax
   */
  static Op parse(String line) {
    List<String> tokens = Syntax.tokenize(line);
    if (tokens.isEmpty()) {
      return null;
    }
    String verb = tokens.get(0).toLowerCase(Locale.ROOT);
    Args args = new Args(verb, tokens.subList(1, tokens.size()));
    try {
      return parse(verb, args);
    } catch (UsageException bad) {
      Command command = command(verb);
      if (command == null || bad.hint() != null) {
        throw bad;
      }
      throw new UsageException(bad.getMessage(), "usage: " + command.syntax());
    }
  }

  private static Op parse(String verb, Args args) {
    switch (verb) {
      case "load":
        return args.done(new Load(args.string("IMAGE")));
      case "unload":
        return args.done(new Unload(args.string("IMAGE or DRIVER")));
      case "replace": {
        String driver = args.string("DRIVER");
        String path = args.string("IMAGE");
        String expect = args.expect();
        return args.done(new Replace(driver, path, expect == null ? null : outcome(expect)));
      }
      case "plug": {
        List<String> ids = new ArrayList<>();
        while (args.more() && !args.peekIs("expect")) {
          ids.add(args.string("HWID"));
        }
        if (ids.isEmpty()) {
          throw new UsageException("plug needs a hardware ID, such as ROOT\\TOASTER");
        }
        String expect = args.expect();
        return args.done(new Plug(ids, expect == null ? null : state(expect)));
      }
      case "remove": {
        String device = args.string("DEVICE");
        return args.done(new Remove(device, status(args.expect())));
      }
      case "open": {
        String path = args.string("PATH");
        String name = null;
        if (args.peekIs("as")) {
          args.next("as");
          name = handleName(args.string("NAME"));
        }
        return args.done(new Open(path, name, status(args.expect())));
      }
      case "read": {
        String handle = handleName(args.string("NAME"));
        int length = Syntax.count(args.raw("LENGTH"), "LENGTH");
        return args.done(new Read(handle, length, status(args.expect())));
      }
      case "write": {
        String handle = handleName(args.string("NAME"));
        byte[] data = Syntax.data(args.raw("DATA"));
        return args.done(new Write(handle, data, status(args.expect())));
      }
      case "ioctl": {
        String handle = handleName(args.string("NAME"));
        int code = Syntax.ioControlCode(args.raw("CODE"));
        byte[] input = null;
        if (args.more() && Syntax.isData(args.peek())) {
          input = Syntax.data(args.raw("DATA"));
        }
        int outputLength = Syntax.count(args.raw("OUTLEN"), "OUTLEN");
        return args.done(new Ioctl(handle, code, input, outputLength, status(args.expect())));
      }
      case "close":
        return args.done(new Close(handleName(args.string("NAME"))));
      case "advance": {
        String raw = args.raw("DURATION");
        Duration duration = Syntax.duration(raw);
        if (duration.compareTo(MAX_ADVANCE) > 0) {
          throw new UsageException("advance: more than a day at once: " + Syntax.shown(raw),
              "advance at most 86400s (1440min) a line: every timer expiry in between runs,"
                  + " and a periodic timer expires at every period");
        }
        return args.done(new Advance(duration));
      }
      case "expect":
        return parseExpect(args);
      case "devices":
      case "drivers":
      case "objects":
      case "images":
      case "links":
      case "verifier":
        return args.done(new Show(verb, 0));
      case "trace": {
        int count = args.more() ? Syntax.count(args.raw("N"), "N") : 0;
        return args.done(new Show(verb, count));
      }
      case "teardown":
        return args.done(new Teardown());
      case "help":
      case "?":
        return args.done(new Help(args.more() ? args.string("COMMAND") : null));
      case "exit":
      case "quit":
        return args.done(new Exit());
      default:
        throw new UsageException("unknown command: " + Syntax.shown(args.verb), "commands: "
            + COMMANDS.stream().map(Command::name).collect(Collectors.joining(", ")));
    }
  }

  private static Op parseExpect(Args args) {
    String what = args.string("WHAT").toLowerCase(Locale.ROOT);
    switch (what) {
      case "status":
        return args.done(new ExpectStatus(Syntax.status(args.raw("STATUS"))));
      case "data":
        return args.done(new ExpectData(Syntax.data(args.raw("DATA"))));
      case "information":
        return args.done(new ExpectInformation(Syntax.count(args.raw("N"), "N")));
      case "loaded":
        return args.done(new ExpectLoaded(args.string("DRIVER"), true));
      case "unloaded":
        return args.done(new ExpectLoaded(args.string("DRIVER"), false));
      case "device": {
        String device = args.string("DEVICE");
        return args.done(new ExpectDevice(device, state(args.string("STATE"))));
      }
      case "clean":
        return args.done(new ExpectClean());
      default:
        throw new UsageException("expect what? '" + Syntax.shown(what) + "'", "usage: "
            + command("expect").syntax());
    }
  }

  /** The command named {@code name}, or null. */
  static Command command(String name) {
    for (Command command : COMMANDS) {
      if (command.name().equalsIgnoreCase(name)) {
        return command;
      }
    }
    return null;
  }

  private static String handleName(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new UsageException("not a handle name: " + Syntax.shown(name),
          "a handle name is a word such as h1 or toaster: a letter, then letters, digits, _ . -");
    }
    return name;
  }

  private static NtStatus status(String raw) {
    return raw == null ? null : Syntax.status(raw);
  }

  private static DeviceNode.State state(String raw) {
    try {
      return DeviceNode.State.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new UsageException("not a device state: " + Syntax.shown(raw),
          "states: " + Arrays.toString(DeviceNode.State.values()));
    }
  }

  private static ImageReplaceResult.Outcome outcome(String raw) {
    try {
      return ImageReplaceResult.Outcome.valueOf(raw.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException unknown) {
      throw new UsageException("not a replace outcome: " + Syntax.shown(raw),
          "outcomes: " + Arrays.toString(ImageReplaceResult.Outcome.values()));
    }
  }

  /** The arguments of a line, read left to right. */
  private static final class Args {
    private final String verb;
    private final List<String> tokens;
    private int next;

    Args(String verb, List<String> tokens) {
      this.verb = verb;
      this.tokens = tokens;
    }

    boolean more() {
      return next < tokens.size();
    }

    String peek() {
      return tokens.get(next);
    }

    boolean peekIs(String word) {
      return more() && peek().equalsIgnoreCase(word);
    }

    void next(String word) {
      if (!peekIs(word)) {
        throw new UsageException(verb + ": expected '" + word + "'");
      }
      next++;
    }

    /** The next token as it was written (buffers and numbers decode it themselves). */
    String raw(String what) {
      if (!more()) {
        throw new UsageException(verb + ": missing " + what);
      }
      return tokens.get(next++);
    }

    /** The next token, unquoted. */
    String string(String what) {
      return Syntax.unquote(raw(what));
    }

    /** The value of a trailing {@code expect X}, or null if there is none. */
    String expect() {
      if (!peekIs("expect")) {
        return null;
      }
      next++;
      return raw("the expected value after 'expect'");
    }

    <T> T done(T op) {
      if (more()) {
        throw new UsageException(verb + ": unexpected '" + Syntax.shown(peek()) + "'");
      }
      return op;
    }
  }
}

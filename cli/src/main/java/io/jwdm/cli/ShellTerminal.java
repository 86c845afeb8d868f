package io.jwdm.cli;

import io.jwdm.host.DeviceNode;
import io.jwdm.host.DriverImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jline.builtins.Completers;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * The shell on a terminal: JLine line editing, history in {@code ~/.jwdm_history} and tab
 * completion of commands, handle names, devices, drivers, links and files. If JLine cannot open
 * the terminal, the shell reads plain lines with a prompt instead (no editing, history or
 * completion).
 */
final class ShellTerminal {
  private ShellTerminal() {}

  static final String PROMPT = "jwdm> ";

  static ShellCommand.LineSource open(Session session, Printer printer) {
    Terminal terminal;
    try {
      terminal = TerminalBuilder.builder().system(true).build();
    } catch (IOException | RuntimeException | LinkageError unavailable) {
      printer.println(printer.dim("(no line editing: " + unavailable.getMessage() + ")"));
      return plainWithPrompt(printer);
    }
    DefaultParser parser = new DefaultParser();
    parser.setEscapeChars(new char[0]);
    parser.setQuoteChars(new char[] {'"'});
    LineReader reader = LineReaderBuilder.builder()
        .terminal(terminal)
        .appName("jwdm")
        .parser(parser)
        .completer(new ShellCompleter(session))
        .variable(LineReader.HISTORY_FILE,
            Path.of(System.getProperty("user.home"), ".jwdm_history"))
        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
        .build();
    String prompt = printer.colored() ? "\u001B[1;36m" + PROMPT + "\u001B[0m" : PROMPT;
    return new ShellCommand.LineSource() {
      @Override
      public String readLine() {
        while (true) {
          try {
            return reader.readLine(prompt);
          } catch (UserInterruptException interrupted) {
            // Ctrl-C drops the line being typed.
          } catch (EndOfFileException end) {
            return null;
          }
        }
      }

      @Override
      public void close() {
        try {
          reader.getHistory().save();
          terminal.close();
        } catch (IOException ignored) {
          // the history is a convenience
        }
      }
    };
  }

  private static ShellCommand.LineSource plainWithPrompt(Printer printer) {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
        StandardCharsets.UTF_8));
    return new ShellCommand.LineSource() {
      @Override
      public String readLine() throws IOException {
        printer.human().print(PROMPT);
        printer.human().flush();
        return in.readLine();
      }

      @Override
      public void close() {
        // standard input stays open
      }
    };
  }

  /** Completes the shell's commands and their arguments from the session's state. */
  static final class ShellCompleter implements Completer {
    private final Session session;
    private final Completer files = new Completers.FileNameCompleter();

    ShellCompleter(Session session) {
      this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
      int index = line.wordIndex();
      if (index == 0) {
        for (Script.Command command : Script.COMMANDS) {
          candidates.add(new Candidate(command.name(), command.name(), "commands",
              command.summary(), null, null, true));
        }
        return;
      }
      String verb = line.words().get(0).toLowerCase(Locale.ROOT);
      String previous = line.words().get(index - 1).toLowerCase(Locale.ROOT);
      if (previous.equals("expect") && index > 1) {
        add(candidates, "SUCCESS", "PENDING", "INVALID_DEVICE_REQUEST", "DEVICE_BUSY",
            "INVALID_PARAMETER", "BUFFER_TOO_SMALL", "CANCELLED", "INSUFFICIENT_RESOURCES",
            "OBJECT_NAME_NOT_FOUND", "STARTED", "REPLACED");
        return;
      }
      switch (verb) {
        case "read":
        case "write":
        case "ioctl":
        case "close":
          if (index == 1) {
            session.handleNames().keySet().forEach(name -> add(candidates, name));
          } else if (index == 2 && verb.equals("write") || index == 3 && verb.equals("ioctl")) {
            add(candidates, "hex:", "text:\"");
          }
          break;
        case "open":
          if (index == 1) {
            session.links().forEach(link -> add(candidates, link.name()));
          } else if (index == 2) {
            add(candidates, "as");
          }
          break;
        case "plug":
          session.declaredHardwareIds().forEach(id -> add(candidates, id));
          break;
        case "remove":
          if (index == 1) {
            for (DeviceNode node : session.kernel().deviceNodes()) {
              add(candidates, node.instanceId());
            }
          }
          break;
        case "unload":
          if (index == 1) {
            for (DriverImage image : session.images()) {
              add(candidates, image.source().getFileName().toString());
              image.driverNames().forEach(name -> add(candidates, name));
            }
          }
          break;
        case "replace":
          if (index == 1) {
            session.declaredDrivers().forEach(driver -> add(candidates, driver.name()));
          } else if (index == 2) {
            files.complete(reader, line, candidates);
          }
          break;
        case "load":
          files.complete(reader, line, candidates);
          break;
        case "expect":
          if (index == 1) {
            add(candidates, "status", "data", "information", "loaded", "unloaded", "device",
                "clean");
          }
          break;
        case "help":
          Script.COMMANDS.forEach(command -> add(candidates, command.name()));
          break;
        default:
          break;
      }
    }

    private static void add(List<Candidate> candidates, String... values) {
      for (String value : values) {
        candidates.add(new Candidate(value, value, null, null, null, null,
            !value.endsWith(":") && !value.endsWith("\"")));
      }
    }
  }
}

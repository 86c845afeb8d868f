package io.jwdm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code jwdm} jar ({@code -Djwdm.jar=…}, set by the build to the jar that
 * {@code package} made) as a process, with its standard input piped.
 */
final class JwdmProcess {
  private JwdmProcess() {}

  /** What a run printed and how it ended. */
  record Result(int status, String out, String err) {
    /** Standard output and standard error, for assertion messages. */
    String both() {
      return "exit " + status + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
  }

  /** The jar under test. */
  static Path jar() {
    String property = System.getProperty("jwdm.jar");
    assertTrue(property != null, "run the tests with -Djwdm.jar=<the jwdm jar>, as mvn verify"
        + " does after package");
    Path jar = Path.of(property);
    assertTrue(Files.isRegularFile(jar), "no jwdm jar at " + jar + ": run mvn package first");
    return jar;
  }

  /** Runs {@code java -jar jwdm.jar args} with nothing on standard input. */
  static Result run(String... args) {
    return runWithInput("", args);
  }

  /** Runs {@code java -jar jwdm.jar args}, writing {@code input} to its standard input. */
  static Result runWithInput(String input, String... args) {
    return runWithBytes(input.getBytes(StandardCharsets.UTF_8), args);
  }

  /** Runs {@code java -jar jwdm.jar args}, writing these bytes (any bytes) to its standard input. */
  static Result runWithBytes(byte[] input, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // Short runs: start fast.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"));
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(Arrays.asList(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("NO_COLOR");
    try {
      Process process = builder.start();
      CompletableFuture<String> out = drain(process.getInputStream());
      CompletableFuture<String> err = drain(process.getErrorStream());
      try (OutputStream stdin = process.getOutputStream()) {
        stdin.write(input);
      } catch (IOException closedEarly) {
        // the command may exit before reading its input
      }
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("jwdm did not finish in 60 s: " + command);
      }
      return new Result(process.exitValue(), out.get(10, TimeUnit.SECONDS),
          err.get(10, TimeUnit.SECONDS));
    } catch (Exception failed) {
      throw new AssertionError("could not run " + command, failed);
    }
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(() -> {
      try (InputStream in = stream) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException failed) {
        throw new IllegalStateException(failed);
      }
    });
  }
}

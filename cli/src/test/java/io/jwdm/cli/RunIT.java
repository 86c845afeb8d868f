package io.jwdm.cli;

import static io.jwdm.cli.JwdmProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jwdm.cli.JwdmProcess.Result;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jwdm run}, as a process, on the examples and on images built here. */
@DisplayName("jwdm run")
class RunIT {
  @TempDir
  static Path dir;

  private static String examples;
  private static String leaky;
  private static String thrower;
  private static String refuser;
  private static String echoV1;
  private static String echoV2;

  @BeforeAll
  static void images() throws IOException {
    examples = TestImages.examples().toString();
    leaky = TestImages.compile(dir, "leaky.jar", TestImages.LEAKY).toString();
    thrower = TestImages.compile(dir, "thrower.jar", TestImages.THROWER).toString();
    refuser = TestImages.compile(dir, "refuser.jar", TestImages.REFUSER).toString();
    echoV1 = TestImages.compile(dir, "echo-v1.jar", TestImages.echoDriver("Echo", "v1"))
        .toString();
    echoV2 = TestImages.compile(dir, "echo-v2.jar", TestImages.echoDriver("Echo", "v2"))
        .toString();
  }

  private static Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("the examples run clean: device plugged in, links opened, trace, tree, verdict,"
      + " and the tree as DOT")
  void examplesRunClean() throws IOException {
    Path dot = dir.resolve("devices.dot");
    Result r = run("run", "--test-signing", "--device", "root\\toaster", "--dot",
        dot.toString(), examples);
    assertEquals(0, r.status(), r::both);
    assertTrue(r.out().contains("Sioctl, Toaster, ToasterFilter (TEST_SIGNED"), r::both);
    assertTrue(r.out().contains("plugged in ROOT\\TOASTER\\0000 (root\\toaster): STARTED,"
        + " stack Toaster > ToasterFilter"), r::both);
    assertTrue(r.out().contains("opened and closed \\DosDevices\\IoctlTest -> \\Device\\SIOCTL"
        + " (Sioctl)"), r::both);
    assertTrue(r.out().contains("opened and closed \\DosDevices\\Toaster0"), r::both);
    assertTrue(r.out().contains("== Lifecycle trace"), r::both);
    assertTrue(r.out().matches("(?s).*\\d+ Open +Sioctl +\\\\DosDevices\\\\IoctlTest by jwdm.*"),
        r::both);
    assertTrue(r.out().contains("ImageCollected"), r::both);
    assertTrue(r.out().contains("== Device tree (before teardown)"), r::both);
    assertTrue(r.out().contains("    \\Device\\Toaster0 (Toaster)"), r::both);
    assertTrue(r.out().contains("  \\Device\\SIOCTL (Sioctl, legacy)"), r::both);
    assertTrue(r.out().contains("Verdict: CLEAN"), r::both);
    assertTrue(r.out().contains("Result: CLEAN"), r::both);
    assertFalse(r.out().contains("\u001B["), "piped output has no color");
    assertFalse(r.err().contains("\r"), "piped output has no progress line");

    String graph = Files.readString(dot);
    assertTrue(graph.startsWith("digraph devices {"), graph);
    assertTrue(graph.contains("node0_d1 [label=\"ToasterFilter\"]"), graph);
    assertTrue(graph.contains("node0_d1 -> node0_d0 [label=\"attached to\"]"), graph);
    assertTrue(graph.contains("\\\\Device\\\\SIOCTL\\nSioctl (legacy)"), graph);
  }

  @Test
  @DisplayName("the examples' scenario passes every expectation")
  void examplesScenario() {
    Result r = run("run", "--test-signing", "--scenario",
        TestImages.scenario("examples.jwdm").toString(), examples);
    assertEquals(0, r.status(), r::both);
    assertTrue(r.out().contains("text:\"This String is from Device Driver !!!\\0\""), r::both);
    assertTrue(r.out().contains("remove ROOT\\TOASTER\\0000: STATUS_DEVICE_BUSY"), r::both);
    assertEquals(10, r.out().lines().filter(l -> l.equals("      ok")).count(), r::both);
    assertTrue(r.out().contains("Result: CLEAN"), r::both);
  }

  @Test
  @DisplayName("--device must name a hardware ID the drivers serve: exit 2 with the ones they do")
  void deviceOption() {
    Result bad = run("run", "--test-signing", "--device", "ROOT\\KETTLE", examples);
    assertEquals(2, bad.status(), bad::both);
    assertTrue(bad.err().contains("--device ROOT\\KETTLE: no loaded driver serves it"),
        bad::both);
    assertTrue(bad.err().contains("try: the drivers declare: ROOT\\TOASTER"), bad::both);
  }

  @Test
  @DisplayName("a test-signed image without --test-signing: exit 2, saying to use it")
  void untrustedImage() {
    Result r = run("run", examples);
    assertEquals(2, r.status(), r::both);
    assertTrue(r.err().contains("refused (UNTRUSTED)"), r::both);
    assertTrue(r.err().contains("try: boot in test-signing mode with --test-signing"), r::both);
  }

  @Test
  @DisplayName("a text file named .jar: exit 2, not an image")
  void textFileNamedJar() throws IOException {
    Path bad = write("notes.jar", "these are my notes, not a driver\n");
    Result r = run("run", "--test-signing", bad.toString());
    assertEquals(2, r.status(), r::both);
    assertTrue(r.err().contains("notes.jar refused (NOT_AN_IMAGE)"), r::both);
    assertTrue(r.err().contains("try: give a driver image: a jar, or a classes directory,"
        + " compiled with the jwdm processor"), r::both);
  }

  @Test
  @DisplayName("a jar with no glue, and a missing file: exit 2 with what to do")
  void noGlueAndMissing() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("empty/io/example"));
    Files.writeString(empty.resolve("Readme.txt"), "no driver here");
    Path jar = TestImages.jar(dir.resolve("empty"), dir.resolve("no-glue.jar"));
    Result noGlue = run("run", "--test-signing", jar.toString());
    assertEquals(2, noGlue.status(), noGlue::both);
    assertTrue(noGlue.err().contains("(NO_GLUE)"), noGlue::both);
    assertTrue(noGlue.err().contains("with the jwdm processor on the annotation processor path"),
        noGlue::both);

    Result missing = run("run", dir.resolve("nowhere.jar").toString());
    assertEquals(2, missing.status(), missing::both);
    assertTrue(missing.err().contains("no such driver image: "), missing::both);
  }

  @Test
  @DisplayName("bad usage: no image, a bad option value, an unknown option: exit 2")
  void badUsage() {
    Result none = run("run");
    assertEquals(2, none.status(), none::both);
    assertTrue(none.err().contains("Missing required parameter: 'IMAGE'"), none::both);
    assertTrue(none.err().contains("Try 'jwdm run --help' for the usage."), none::both);

    Result verifier = run("run", "--verifier", "turbo", examples);
    assertEquals(2, verifier.status(), verifier::both);
    assertTrue(verifier.err().contains("--verifier: not verifier flags: 'turbo'"),
        verifier::both);

    Result probability = run("run", "--low-resources", "1.5", examples);
    assertEquals(2, probability.status(), probability::both);
    assertTrue(probability.err().contains("must be between 0 and 1"), probability::both);

    Result unknown = run("run", "--verbose", examples);
    assertEquals(2, unknown.status(), unknown::both);
    assertTrue(unknown.err().contains("Unknown option: '--verbose'"), unknown::both);
  }

  @Test
  @DisplayName("a scenario syntax error: exit 2 with file:line, before anything runs")
  void scenarioSyntaxError() throws IOException {
    Path scenario = write("typo.jwdm", "# a typo on line 3\nopen \\\\.\\Echo as e\n"
        + "ioctl e 0x10 hex:0A0 4\nclose e\n");
    Result r = run("run", "--test-signing", "--scenario", scenario.toString(), echoV1);
    assertEquals(2, r.status(), r::both);
    assertTrue(r.err().contains("typo.jwdm:3: not hex bytes: hex:0A0"), r::both);
    assertTrue(r.err().contains("try: write pairs of hex digits"), r::both);
    assertFalse(r.out().contains("loaded"), "nothing runs before the scenario is parsed");
  }

  @Test
  @DisplayName("a scenario that uses a handle it never opened: exit 2 with file:line")
  void scenarioUnknownHandle() throws IOException {
    Path scenario = write("nohandle.jwdm", "open \\\\.\\Echo as e\nread f 4\n");
    Result r = run("run", "--test-signing", "--scenario", scenario.toString(), echoV1);
    assertEquals(2, r.status(), r::both);
    assertTrue(r.err().contains("nohandle.jwdm:2: no open handle f"), r::both);
    assertTrue(r.err().contains("try: open handles: e"), r::both);
  }

  @Test
  @DisplayName("a scenario expectation not met: exit 1, the run still tears down and reports")
  void scenarioExpectationFails() throws IOException {
    Path scenario = write("expect.jwdm", "open \\\\.\\Echo as e\n"
        + "ioctl e 0x222000 4 expect SUCCESS\nexpect data text:\"v2\"\n");
    Result r = run("run", "--test-signing", "--scenario", scenario.toString(), echoV1);
    assertEquals(1, r.status(), r::both);
    assertTrue(r.out().contains("expect.jwdm:3: ioctl e 0x00222000: expected data text:\"v2\","
        + " got text:\"v1\""), r::both);
    assertTrue(r.out().contains("closed e, still open at the end"), r::both);
    assertTrue(r.out().contains("Verdict: CLEAN"), r::both);
    assertTrue(r.out().contains("Result: FAILED"), r::both);
  }

  @Test
  @DisplayName("replace in a scenario: the new image serves, the old one is gone")
  void scenarioReplace() throws IOException {
    Path scenario = write("replace.jwdm", "open \\\\.\\Echo as e\nioctl e 0x222000 8\n"
        + "expect data text:\"v1\"\nclose e\nreplace Echo echo-v2.jar expect REPLACED\n"
        + "open \\\\.\\Echo as e\nioctl e 0x222000 8\nexpect data text:\"v2\"\nclose e\n");
    Result r = run("run", "--test-signing", "--scenario", scenario.toString(), echoV1);
    assertEquals(0, r.status(), r::both);
    assertTrue(r.out().contains("replace Echo: REPLACED, old echo-v1.jar@"), r::both);
    assertTrue(r.out().contains("unloaded echo-v2.jar@"), r::both);
  }

  @Test
  @DisplayName("pool left at unload under the standard verifier: bug check 0xC4/0x62, exit 1")
  void leakStopsUnderVerifier() {
    Result r = run("run", "--test-signing", leaky);
    assertEquals(1, r.status(), r::both);
    assertTrue(r.out().contains("Verdict: STOPPED"), r::both);
    assertTrue(r.out().contains("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)"), r::both);
    assertTrue(r.out().contains("Leaky left 1 pool allocation(s) at Unload"), r::both);
    assertTrue(r.out().contains("Pool "), r::both);
    assertTrue(r.out().contains("tag 'Leak', 32 bytes of Leaky"), r::both);
    assertTrue(r.out().contains("Explain it: jwdm explain 0xC4/0x62"), r::both);
  }

  @Test
  @DisplayName("pool left at unload with the verifier off: a leak, exit 1, verdict leaked")
  void leakWithoutVerifier() throws IOException {
    Result r = run("run", "--test-signing", "--verifier", "0", "--report", "json", leaky);
    assertEquals(1, r.status(), r::both);
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertEquals("leaked", report.get("verdict").asText());
    assertEquals("Pool", report.get("leaks").get(0).get("kind").asText());
    assertTrue(r.err().contains("1 object(s) left behind"), r::both);
  }

  @Test
  @DisplayName("a DriverEntry that throws: bug check 0x1E, exit 1")
  void driverEntryThrows() {
    Result r = run("run", "--test-signing", thrower);
    assertEquals(1, r.status(), r::both);
    assertTrue(r.out().contains("the system stopped: KMODE_EXCEPTION_NOT_HANDLED (0x1E)"),
        r::both);
    assertTrue(r.out().contains("boom in DriverEntry"), r::both);
    assertTrue(r.out().contains("Explain it: jwdm explain 0x1E"), r::both);
  }

  @Test
  @DisplayName("a DriverEntry that fails: a problem, exit 1")
  void driverEntryFails() {
    Result r = run("run", "--test-signing", refuser);
    assertEquals(1, r.status(), r::both);
    assertTrue(r.out().contains("problem: "), r::both);
    assertTrue(r.out().contains("(DRIVER_ENTRY_FAILED)"), r::both);
    assertTrue(r.out().contains("Result: FAILED"), r::both);
  }

  @Test
  @DisplayName("--low-resources with --report json: failures are injected and noted, the drivers"
      + " cope and unload clean, and standard output holds only the report")
  void lowResources() throws IOException {
    Result r = run("run", "--test-signing", "--low-resources", "1", "--seed", "7", "--report",
        "json", examples);
    assertEquals(0, r.status(), r::both);
    JsonNode report = new ObjectMapper().readTree(r.out());
    assertEquals("clean", report.get("verdict").asText());
    assertEquals(7, report.get("seed").asLong());
    assertTrue(report.get("injectedFailures").size() > 0, r::both);
    assertTrue(r.err().contains("note (low resources): "), r::both);
    assertTrue(r.err().contains("jwdm run: 1 image(s), verifier 0x83F"), r::both);
    assertTrue(report.get("trace").size() > 3, r::both);
  }

  @Test
  @DisplayName("--help shows the options and the exit statuses; --color=always colors it")
  void help() {
    Result r = run("run", "--help");
    assertEquals(0, r.status(), r::both);
    for (String option : new String[] {"--device", "--scenario", "--verifier", "--seed",
        "--low-resources", "--report", "--dot", "--test-signing"}) {
      assertTrue(r.out().contains(option), option + "\n" + r.both());
    }
    assertTrue(r.out().contains("Exit status:"), r::both);
    assertFalse(r.out().contains("\u001B["), r::both);
    Result colored = run("run", "--help", "--color=always");
    assertTrue(colored.out().contains("\u001B["), colored::both);
  }
}

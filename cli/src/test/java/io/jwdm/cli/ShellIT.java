package io.jwdm.cli;

import static io.jwdm.cli.JwdmProcess.runWithInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.cli.JwdmProcess.Result;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jwdm shell}, as a process fed through standard input. */
@DisplayName("jwdm shell")
class ShellIT {
  @TempDir
  Path dir;

  private static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }

  @Test
  @DisplayName("commands from a pipe: no prompt, each command's answer, exit 0 when clean")
  void pipedSession() {
    Result r = runWithInput(lines(
        "plug ROOT\\TOASTER",
        "drivers",
        "open \\\\.\\Toaster0 as t",
        "write t hex:62726561_64",
        "read t 16 expect SUCCESS",
        "expect data text:\"bread\"",
        "objects",
        "devices",
        "links",
        "remove ROOT\\TOASTER expect DEVICE_BUSY",
        "close t",
        "advance 250ms",
        "verifier",
        "teardown",
        "images",
        "exit",
        "this line is never read"),
        "shell", "--test-signing", TestImages.examples().toString());
    assertEquals(0, r.status(), r::both);
    String out = r.out();
    assertFalse(out.contains("jwdm>"), "no prompt when standard input is not a terminal");
    assertTrue(out.contains("plugged in ROOT\\TOASTER\\0000 (ROOT\\TOASTER): STARTED"), out);
    assertTrue(out.contains("ToasterFilter (WDM, UPPER_FILTER, LOADED)"), out);
    assertTrue(out.contains("t: opened \\\\.\\Toaster0"), out);
    assertTrue(out.contains("STATUS_SUCCESS (0x00000000), 5 byte(s): text:\"bread\""), out);
    assertTrue(out.contains("DeviceObject \\Device\\Toaster0, owner: Toaster"), out);
    assertTrue(out.contains("SymbolicLink \\DosDevices\\IoctlTest -> \\Device\\SIOCTL, owner:"
        + " Sioctl"), out);
    assertTrue(out.contains("Handle t \\\\.\\Toaster0, owner: jwdm"), out);
    assertTrue(out.contains("DeviceNode ROOT\\TOASTER\\0000 [STARTED]"), out);
    assertTrue(out.contains("    unnamed device"), out);
    assertTrue(out.contains("remove ROOT\\TOASTER\\0000: STATUS_DEVICE_BUSY"), out);
    assertTrue(out.contains("clock: 250ms"), out);
    assertTrue(out.contains("Sioctl: 0x83B [special pool"), out);
    assertTrue(out.contains("Verdict: CLEAN"), out);
    assertTrue(out.contains("class loader collected"), out);
    assertTrue(out.contains("no image is loaded"), out);
    assertEquals("", r.err(), r::both);
  }

  @Test
  @DisplayName("help lists every command; help CMD shows one")
  void help() {
    Result r = runWithInput(lines("help", "help ioctl"), "shell");
    assertEquals(0, r.status(), r::both);
    for (Script.Command command : Script.COMMANDS) {
      assertTrue(r.out().contains("  " + command.syntax() + "\n"), command.name());
    }
    assertTrue(r.out().contains("ioctl NAME CODE [DATA] OUTLEN [expect STATUS]\n  send an I/O"),
        r::both);
  }

  @Test
  @DisplayName("a bad line from a pipe stops the shell: exit 2 with stdin:line")
  void badLine() {
    Result r = runWithInput(lines("plug ROOT\\TOASTER", "frobnicate 3", "devices"),
        "shell", "--test-signing", TestImages.examples().toString());
    assertEquals(2, r.status(), r::both);
    assertTrue(r.err().contains("error: stdin:2: unknown command: frobnicate"), r::both);
    assertTrue(r.err().contains("try: commands: load, unload, replace"), r::both);
    assertFalse(r.out().contains("Root"), "the shell stopped at the bad line");
  }

  @Test
  @DisplayName("an expectation not met from a pipe: exit 1 with stdin:line")
  void expectationFails() {
    Result r = runWithInput(lines("", "# the driver refuses unknown codes",
        "open \\\\.\\IoctlTest as s", "ioctl s 0x9C4027FC text:\"?\" 8 expect SUCCESS"),
        "shell", "--test-signing", TestImages.examples().toString());
    assertEquals(1, r.status(), r::both);
    assertTrue(r.err().contains("error: stdin:4: ioctl s: expected STATUS_SUCCESS (0x00000000),"
        + " got STATUS_INVALID_DEVICE_REQUEST (0xC0000010)"), r::both);
  }

  @Test
  @DisplayName("load, a bug check at unload, and the exit status 1 it leaves")
  void bugCheckInShell() throws IOException {
    Path leaky = TestImages.compile(dir, "leaky.jar", TestImages.LEAKY);
    Result r = runWithInput(lines("load " + leaky, "drivers", "unload Leaky", "drivers"),
        "shell", "--test-signing");
    assertEquals(1, r.status(), r::both);
    assertTrue(r.out().contains("Leaky (LEGACY, FUNCTION, LOADED)"), r::both);
    assertTrue(r.out().contains("*** the system stopped"), r::both);
    assertTrue(r.out().contains("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)"), r::both);
    assertTrue(r.err().contains("jwdm shell: the system stopped: DRIVER_VERIFIER_DETECTED"),
        r::both);
  }

  @Test
  @DisplayName("a DriverEntry that fails: the shell goes on, and ends with exit 1")
  void driverEntryFails() throws IOException {
    Path refuser = TestImages.compile(dir, "refuser.jar", TestImages.REFUSER);
    Result r = runWithInput(lines("load " + refuser, "images"), "shell", "--test-signing");
    assertEquals(1, r.status(), r::both);
    assertTrue(r.out().contains("problem: driver image"), r::both);
    assertTrue(r.out().contains("not loaded: a DriverEntry failed"), r::both);
    assertTrue(r.out().contains("no image is loaded"), "the shell went on\n" + r.both());
    assertTrue(r.err().contains("jwdm shell: 1 problem(s): driver image"), r::both);
  }

  @Test
  @DisplayName("a bad image given to load from a pipe: exit 2 with the hint")
  void badImage() {
    Result r = runWithInput(lines("load " + TestImages.examples()), "shell");
    assertEquals(2, r.status(), r::both);
    assertTrue(r.err().contains("stdin:1: driver image"), r::both);
    assertTrue(r.err().contains("refused (UNTRUSTED)"), r::both);
    assertTrue(r.err().contains("--test-signing"), r::both);
  }
}

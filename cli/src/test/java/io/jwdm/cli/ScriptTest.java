package io.jwdm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.DeviceNode;
import io.jwdm.host.ImageReplaceResult;
import io.jwdm.kernel.NtStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line language of scenarios and the shell. */
@DisplayName("scenario lines")
class ScriptTest {
  @Test
  @DisplayName("every command parses into what it says")
  void commands() {
    assertEquals(new Script.Open("\\\\.\\IoctlTest", "s", null),
        Script.parse("open \\\\.\\IoctlTest as s"));
    assertEquals(new Script.Open("\\Device\\X", null, NtStatus.OBJECT_NAME_NOT_FOUND),
        Script.parse("OPEN \\Device\\X expect OBJECT_NAME_NOT_FOUND"));
    assertEquals(new Script.Read("h", 16, NtStatus.SUCCESS), Script.parse("read h 16 expect SUCCESS"));
    Script.Ioctl ioctl = (Script.Ioctl) Script.parse("ioctl h 0x222000 hex:0102 8");
    assertEquals(0x222000, ioctl.code());
    assertArrayEquals(new byte[] {1, 2}, ioctl.input());
    assertEquals(8, ioctl.outputLength());
    assertNull(((Script.Ioctl) Script.parse("ioctl h 0x222000 8")).input());
    assertEquals(new Script.Plug(List.of("ROOT\\A", "ROOT\\B"), DeviceNode.State.STARTED),
        Script.parse("plug ROOT\\A ROOT\\B expect started"));
    assertEquals(new Script.Remove("ROOT\\A", NtStatus.DEVICE_BUSY),
        Script.parse("remove ROOT\\A expect DEVICE_BUSY"));
    assertEquals(new Script.Replace("Echo", "v2.jar", ImageReplaceResult.Outcome.REPLACED),
        Script.parse("replace Echo v2.jar expect REPLACED"));
    assertEquals(new Script.Load("my driver.jar"), Script.parse("load \"my driver.jar\""));
    assertEquals(new Script.Advance(Duration.ofSeconds(2)), Script.parse("advance 2s"));
    assertEquals(new Script.ExpectLoaded("Toaster", false), Script.parse("expect unloaded Toaster"));
    assertEquals(new Script.ExpectDevice("ROOT\\A", DeviceNode.State.REMOVED),
        Script.parse("expect device ROOT\\A removed"));
    assertEquals(new Script.Show("trace", 5), Script.parse("trace 5"));
    assertTrue(Script.parse("quit") instanceof Script.Exit);
    assertNull(Script.parse("   # nothing"));
  }

  @Test
  @DisplayName("a bad line says what is wrong and the command's syntax")
  void badLines() {
    UsageException missing = assertThrows(UsageException.class, () -> Script.parse("read h"));
    assertEquals("read: missing LENGTH", missing.getMessage());
    assertEquals("usage: read NAME LENGTH [expect STATUS]", missing.hint());
    UsageException extra = assertThrows(UsageException.class, () -> Script.parse("close h now"));
    assertEquals("close: unexpected 'now'", extra.getMessage());
    UsageException name = assertThrows(UsageException.class, () -> Script.parse("close 1h"));
    assertTrue(name.getMessage().startsWith("not a handle name: 1h"), name.getMessage());
    UsageException state = assertThrows(UsageException.class,
        () -> Script.parse("expect device X HAPPY"));
    assertTrue(state.hint().contains("STARTED"), state.hint());
    UsageException unknown = assertThrows(UsageException.class, () -> Script.parse("fly h"));
    assertTrue(unknown.hint().startsWith("commands: load, unload"), unknown.hint());
  }

  @Test
  @DisplayName("a scenario file: steps keep their line numbers; an error names file:line")
  void files(@TempDir Path dir) throws IOException {
    Path good = Files.writeString(dir.resolve("good.jwdm"),
        "# comment\n\nopen \\\\.\\X as x\nclose x\n", StandardCharsets.UTF_8);
    List<Script.Step> steps = Script.parseFile(good);
    assertEquals(2, steps.size());
    assertEquals("good.jwdm:3", steps.get(0).where());
    assertEquals("close x", steps.get(1).text());

    Path bad = Files.writeString(dir.resolve("bad.jwdm"), "open \\\\.\\X as x\n\nwrite x 0A\n");
    UsageException error = assertThrows(UsageException.class, () -> Script.parseFile(bad));
    assertEquals("bad.jwdm:3: not a buffer: 0A", error.getMessage());

    Path shellOnly = Files.writeString(dir.resolve("exit.jwdm"), "exit\n");
    UsageException exit = assertThrows(UsageException.class, () -> Script.parseFile(shellOnly));
    assertEquals("exit.jwdm:1: 'exit' works only in the shell", exit.getMessage());

    UsageException missing = assertThrows(UsageException.class,
        () -> Script.parseFile(dir.resolve("none.jwdm")));
    assertTrue(missing.getMessage().startsWith("cannot read scenario"), missing.getMessage());
  }
}

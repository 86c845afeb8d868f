package io.jwdm.cli;

import static io.jwdm.cli.JwdmProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.cli.JwdmProcess.Result;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code jwdm} command itself, as a process. */
@DisplayName("jwdm")
class JwdmIT {
  @Test
  @DisplayName("--help lists the commands and the exit statuses; --version names the version")
  void helpAndVersion() {
    Result help = run("--help");
    assertEquals(0, help.status(), help::both);
    for (String command : new String[] {"run", "check", "shell", "explain"}) {
      assertTrue(help.out().contains("\n  " + command + " "), command + "\n" + help.both());
    }
    assertTrue(help.out().contains("Exit status:"), help::both);
    Result version = run("--version");
    assertEquals(0, version.status(), version::both);
    assertTrue(version.out().startsWith("jwdm 0."), version::both);
    for (String command : new String[] {"check", "shell", "explain"}) {
      Result sub = run(command, "--help");
      assertEquals(0, sub.status(), sub::both);
      assertTrue(sub.out().startsWith("Usage: jwdm " + command), sub::both);
    }
  }

  @Test
  @DisplayName("no command, or an unknown one: exit 2 with what to try")
  void badCommand() {
    Result none = run();
    assertEquals(2, none.status(), none::both);
    assertTrue(none.err().contains("a command is missing: run, check, shell or explain"),
        none::both);

    Result unknown = run("rn", "x.jar");
    assertEquals(2, unknown.status(), unknown::both);
    assertTrue(unknown.err().contains("jwdm: unknown command 'rn'"), unknown::both);
    assertTrue(unknown.err().contains("try: jwdm run, check, shell or explain"), unknown::both);
  }
}

package io.jwdm.cli;

import static io.jwdm.cli.JwdmProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.cli.JwdmProcess.Result;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@code jwdm explain}, as a process. */
@DisplayName("jwdm explain")
class ExplainIT {
  @Test
  @DisplayName("a rule ID shows its page from docs/rules, with the wrong and right examples")
  void rule() {
    Result r = run("explain", "MissingUnload");
    assertEquals(0, r.status(), r::both);
    assertTrue(r.out().startsWith("# [MissingUnload] — Every driver has an `@Unload` routine"),
        r::both);
    assertTrue(r.out().contains("\n## Wrong\n"), r::both);
    assertTrue(r.out().contains("\n## Right\n"), r::both);
    Result bracketed = run("explain", "[missingunload]");
    assertEquals(r.out(), bracketed.out(), "IDs match in any case, with or without brackets");
  }

  @Test
  @DisplayName("a bug check with its parameter, by code in any spelling, or by name")
  void bugCheck() {
    Result r = run("explain", "0xC4/0x62");
    assertEquals(0, r.status(), r::both);
    assertTrue(r.out().startsWith("# 0xC4/0x62 DRIVER_VERIFIER_DETECTED_VIOLATION"), r::both);
    assertTrue(r.out().contains("## Wrong") && r.out().contains("## Right"), r::both);
    assertTrue(r.out().contains("exFreePoolWithTag"), r::both);
    assertEquals(r.out(), run("explain", "c4/62").out());

    Result byName = run("explain", "KMODE_EXCEPTION_NOT_HANDLED");
    assertEquals(0, byName.status(), byName::both);
    assertTrue(byName.out().startsWith("# 0x1E KMODE_EXCEPTION_NOT_HANDLED"), byName::both);
  }

  @Test
  @DisplayName("an unknown ID: exit 2 with the known IDs; no ID: exit 2; --list: exit 0")
  void unknown() {
    Result r = run("explain", "MissingEverything");
    assertEquals(2, r.status(), r::both);
    assertTrue(r.err().contains("jwdm: no explanation for 'MissingEverything'"), r::both);
    assertTrue(r.err().contains("processor rules: AddDeviceOnLegacyDriver,"), r::both);
    assertTrue(r.err().contains("MissingUnload"), r::both);
    assertTrue(r.err().contains("bug checks:      0x9, 0xA, 0xF"), r::both);
    assertTrue(r.err().contains("0xC4/0x62"), r::both);

    Result none = run("explain");
    assertEquals(2, none.status(), none::both);
    assertTrue(none.err().contains("explain needs an ID"), none::both);

    Result list = run("explain", "--list");
    assertEquals(0, list.status(), list::both);
    assertTrue(list.out().contains("0xCE") && list.out().contains("RoutineSignature"),
        list::both);
  }
}

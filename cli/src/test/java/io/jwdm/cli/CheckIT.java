package io.jwdm.cli;

import static io.jwdm.cli.JwdmProcess.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jwdm.cli.JwdmProcess.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jwdm check}, as a process. */
@DisplayName("jwdm check")
class CheckIT {
  @TempDir
  Path dir;

  @Test
  @DisplayName("the examples load and unload clean: exit 0, no trace")
  void examplesUnloadClean() {
    Result r = run("check", "--test-signing", TestImages.examples().toString());
    assertEquals(0, r.status(), r::both);
    assertTrue(r.out().contains("plugged in ROOT\\TOASTER\\0000"), r::both);
    assertTrue(r.out().contains("removed ROOT\\TOASTER\\0000: STATUS_SUCCESS"), r::both);
    assertTrue(r.out().contains("class loader collected"), r::both);
    assertTrue(r.out().contains("Verdict: CLEAN"), r::both);
    assertFalse(r.out().contains("== Lifecycle trace"), r::both);
    assertFalse(r.out().contains("opened and closed"), "check opens no handle");
  }

  @Test
  @DisplayName("a driver that leaks pool: exit 1, with the leak and how to read it")
  void leakFails() throws IOException {
    Path leaky = TestImages.compile(dir, "leaky.jar", TestImages.LEAKY);
    Result r = run("check", "--test-signing", "--report", "json", "--verifier", "0x8",
        leaky.toString());
    assertEquals(1, r.status(), r::both);
    assertEquals("stopped", new ObjectMapper().readTree(r.out()).get("verdict").asText());
    assertTrue(r.err().contains("Result: FAILED"), r::both);
    assertTrue(r.err().contains("bug check 0xC4 DRIVER_VERIFIER_DETECTED_VIOLATION"), r::both);
    assertTrue(r.err().contains("Explain it: jwdm explain 0xC4/0x62"), r::both);
  }

  @Test
  @DisplayName("an image that stays in memory after unload: exit 1, naming what holds it")
  void imageStaysInMemory() throws IOException {
    Path hoarder = TestImages.compile(dir, "hoarder.jar", TestImages.HOARDER);
    Result r = run("check", "--test-signing", hoarder.toString());
    assertEquals(1, r.status(), r::both);
    assertTrue(r.out().contains("problem: image leak: hoarder.jar@"), r::both);
    assertTrue(r.out().contains("held by JDK_REGISTRY"), r::both);
    assertTrue(r.out().contains("Verdict: CLEAN"), "no kernel object leaked\n" + r.both());
    assertTrue(r.out().contains("Result: FAILED"), r::both);
  }

  @Test
  @DisplayName("a bad image: exit 2")
  void badImage() throws IOException {
    Path bad = Files.writeString(dir.resolve("driver.jar"), "not a zip");
    Result r = run("check", "--test-signing", bad.toString());
    assertEquals(2, r.status(), r::both);
    assertTrue(r.err().contains("(NOT_AN_IMAGE)"), r::both);
  }
}

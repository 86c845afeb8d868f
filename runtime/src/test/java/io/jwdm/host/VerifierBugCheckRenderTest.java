package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.address;
import static io.jwdm.host.VerifierAsserts.boot;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Wdm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link BugCheck#render()} of a Driver Verifier bug check: the code and its name, the four
 * arguments, the driver, and each object the bug check names with the stack that created it.
 */
class VerifierBugCheckRenderTest {
  private final Journal journal = new Journal();

  /** The test driver's code that allocates the blocks Leaky leaves: the report must show it. */
  private static void allocateBlocks(TestDriver.Instance self) {
    self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 24, "Rnd1");
    self.k.exAllocatePool2(Wdm.POOL_FLAG_PAGED, 72, "Rnd2");
  }

  /** Asserts that {@code text} shows every frame of every object's creation stack. */
  private static void assertShowsEveryStack(String text, List<Leak> objects) {
    List<Executable> checks = new ArrayList<>();
    for (Leak object : objects) {
      checks.add(() -> assertFalse(object.creationStack().isEmpty(), object::render));
      for (StackTraceElement frame : object.creationStack()) {
        checks.add(() -> assertTrue(text.contains(frame.toString()),
            () -> "missing frame " + frame + " of " + object.description() + " in:\n" + text));
      }
      checks.add(() -> assertTrue(text.contains(object.render()),
          () -> "missing object " + object.description() + " in:\n" + text));
    }
    assertAll(checks);
  }

  @Test
  void renderShowsCodeArgumentsDriverAndEachLeakedBlockWithItsStack() {
    Kernel kernel = boot("Leaky", VerifierFlags.POOL_TRACKING);
    kernel.loadDriver(TestDriver.legacy("Leaky", journal)
        .entry(self -> {
          allocateBlocks(self);
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build());
    long driverAddress = address(journal.last("Leaky").driverObject);

    BugCheck check = stops(kernel, () -> kernel.unloadDriver("Leaky"));
    String text = check.render();

    assertEquals(2, check.objects().size(), text);
    assertAll(text,
        () -> assertTrue(text.startsWith("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)"), text),
        () -> assertTrue(text.contains("Arg1: 0000000000000062"), text),
        () -> assertTrue(text.contains(String.format("Arg2: %016x", driverAddress)), text),
        () -> assertTrue(text.contains("Arg3: 0000000000000000"), text),
        () -> assertTrue(text.contains("Arg4: 0000000000000002"), text),
        () -> assertTrue(text.contains("Driver: Leaky"), text),
        () -> assertTrue(text.contains("tag 'Rnd1', 24 bytes"), text),
        () -> assertTrue(text.contains("tag 'Rnd2', 72 bytes"), text),
        () -> assertTrue(text.contains(
            VerifierBugCheckRenderTest.class.getName() + ".allocateBlocks("), text));
    assertShowsEveryStack(text, check.objects());
  }

  @Test
  void renderShowsEachDeviceAndLinkLeftAtUnloadWithItsStack() {
    Kernel kernel = boot("Sloppy", VerifierFlags.IO_VERIFICATION);
    kernel.loadDriver(TestDriver.legacyDevice("Sloppy", journal).unload(self -> { }).build());
    long deviceAddress = address(journal.last("Sloppy").device);

    BugCheck check = stops(kernel, () -> kernel.unloadDriver("Sloppy"));
    String text = check.render();

    assertEquals(2, check.objects().size(), text);
    assertAll(text,
        () -> assertTrue(text.startsWith(
            "DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS (ce)"), text),
        () -> assertTrue(text.contains(String.format("Arg1: %016x", deviceAddress)), text),
        () -> assertTrue(text.contains("Arg2: 0000000000000000"), text),
        () -> assertTrue(text.contains("Driver: Sloppy"), text),
        () -> assertTrue(text.contains("SymbolicLink \\??\\Sloppy"), text),
        () -> assertTrue(text.contains("DeviceObject \\Device\\Sloppy"), text),
        () -> assertTrue(text.contains(Routines.class.getName() + ".createDevice("), text));
    assertShowsEveryStack(text, check.objects());
  }
}

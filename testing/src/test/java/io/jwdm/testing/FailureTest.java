package io.jwdm.testing;

import static io.jwdm.testing.drivers.LegacySample.IOCTL_ECHO;
import static io.jwdm.testing.drivers.LegacySample.link;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.BugCheck;
import io.jwdm.host.Handle;
import io.jwdm.host.Kernel;
import io.jwdm.host.SystemStoppedException;
import io.jwdm.testing.drivers.Crashy_DriverGlue;
import io.jwdm.testing.drivers.Echo_DriverGlue;
import io.jwdm.testing.drivers.LegacySample;
import io.jwdm.testing.drivers.Leaky_DriverGlue;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How {@link KernelTest} fails a test: with the kernel's full report, the seed that replays the
 * test, and each leaked object's creation stack.
 */
class FailureTest {

  @Fixture
  @KernelTest(drivers = {Echo_DriverGlue.class, Leaky_DriverGlue.class}, verifier = 0)
  static class LeakTest {
    @Test
    void passesItsOwnAssertions(Kernel kernel) {
      assertTrue(kernel.isLoaded(Leaky_DriverGlue.NAME));
    }
  }

  @Test
  void aDriverThatLeaksFailsTheTestWithTheReportTheSeedAndTheCreationStack() {
    Throwable failure = Fixtures.run(LeakTest.class).failure();

    KernelNotCleanError error = assertInstanceOf(KernelNotCleanError.class, failure);
    String message = error.getMessage();
    assertEquals(1, error.problems().size(), message);
    assertTrue(error.problems().get(0).matches("1 object\\(s\\) left behind: Pool [0-9a-f]+"
        + " \\(nonpaged\\) '" + LegacySample.TAG + "' of Leaky at Unload"), message);
    assertTrue(message.startsWith("jwdm: the kernel was not left clean after"
        + " LeakTest.passesItsOwnAssertions() (seed 0; replay with -Djwdm.seed=0)"), message);
    assertTrue(message.contains("Verdict: LEAKED"), message);
    assertTrue(message.contains("Seed: 0"), message);
    assertTrue(message.contains("tag '" + LegacySample.TAG + "', 64 bytes of Leaky, left at Unload"),
        message);
    // The creation stack names the driver's code that allocated the block.
    assertTrue(message.contains(LegacySample.class.getName() + ".allocateBlock("), message);
    assertEquals(0, error.seed());
    assertEquals(1, error.report().leaks().size());
    assertTrue(error.report().drivers().isEmpty(), "both drivers were unloaded");
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(drivers = Crashy_DriverGlue.class, seed = 7)
  static class BugCheckTest {
    @Test
    void crashes(Kernel kernel) {
      try (Handle handle = kernel.open(link(Crashy_DriverGlue.NAME))) {
        handle.deviceIoControl(IOCTL_ECHO, new byte[4], 4);
      }
    }

    @Test
    void crashesAndSwallowsIt(Kernel kernel) {
      Handle handle = kernel.open(link(Crashy_DriverGlue.NAME));
      assertThrows(SystemStoppedException.class,
          () -> handle.deviceIoControl(IOCTL_ECHO, new byte[4], 4));
    }
  }

  @Test
  void aBugCheckFailsTheTestWithTheReport() {
    Throwable failure = Fixtures.run(BugCheckTest.class, "crashes").failure();

    // The test failed with the bug check; the extension's verdict is attached to it.
    assertInstanceOf(SystemStoppedException.class, failure);
    KernelNotCleanError error = suppressed(failure, KernelNotCleanError.class);
    assertTrue(error.problems().get(0).startsWith("the system stopped: KMODE_EXCEPTION_NOT_HANDLED"
        + " (0x1E) in Crashy"), error.problems()::toString);
    assertTrue(error.getMessage().contains("Verdict: STOPPED"), error::getMessage);
    assertTrue(error.getMessage().contains("Crashy cannot echo"), error::getMessage);
    assertEquals(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, error.report().bugCheck().code());
    assertTrue(suppressed(failure, ReplaySeed.class).getMessage().endsWith("-Djwdm.seed=7"));
  }

  @Test
  void aBugCheckFailsTheTestEvenWhenTheTestCaughtIt() {
    Throwable failure = Fixtures.run(BugCheckTest.class, "crashesAndSwallowsIt").failure();

    KernelNotCleanError error = assertInstanceOf(KernelNotCleanError.class, failure);
    assertTrue(error.getMessage().contains("(seed 7; replay with -Djwdm.seed=7)"),
        error::getMessage);
    assertTrue(error.problems().get(0).contains("KMODE_EXCEPTION_NOT_HANDLED"),
        error.problems()::toString);
    assertEquals(1, error.problems().size(), "a stopped system is not torn down further: "
        + error.problems());
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(drivers = Echo_DriverGlue.class, seed = 1234)
  static class OrdinaryFailureTest {
    @Test
    void fails() {
      assertEquals(1, 2, "the test's own assertion");
    }

    @Test
    void passes(Kernel kernel) {
      assertTrue(kernel.isLoaded(Echo_DriverGlue.NAME));
    }
  }

  @Test
  void aTestThatFailsOnItsOwnNamesTheSeedThatReplaysIt() {
    Fixtures.Outcome outcome = Fixtures.run(OrdinaryFailureTest.class);

    assertEquals(1, outcome.succeeded(), outcome::toString);
    Throwable failure = outcome.failure();
    assertTrue(failure.getMessage().startsWith("the test's own assertion"), failure::getMessage);
    ReplaySeed note = suppressed(failure, ReplaySeed.class);
    assertEquals("the test ran with kernel seed 1234; replay it with -Djwdm.seed=1234",
        note.getMessage());
    assertEquals(0, note.getStackTrace().length, "the note carries no stack of its own");
    // Only the failing test publishes its seed.
    assertEquals(List.of("1234"), outcome.reported(KernelExtension.SEED_PROPERTY));
  }

  @Test
  void theSeedOverrideIsNamedInTheFailure() {
    Throwable failure = Fixtures.run(LeakTest.class, Map.of("jwdm.seed", "-5")).failure();
    assertTrue(failure.getMessage().contains("(seed -5; replay with -Djwdm.seed=-5)"),
        failure::getMessage);
    assertEquals(-5, ((KernelNotCleanError) failure).seed());
  }

  private static <T extends Throwable> T suppressed(Throwable failure, Class<T> type) {
    T found = Arrays.stream(failure.getSuppressed()).filter(type::isInstance).map(type::cast)
        .findFirst().orElse(null);
    assertNotNull(found, () -> "no suppressed " + type.getSimpleName() + " in " + failure
        + ": " + Arrays.toString(failure.getSuppressed()));
    return found;
  }
}

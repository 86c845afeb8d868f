package io.jwdm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.BugCheck;
import io.jwdm.host.Kernel;
import io.jwdm.host.SchedulerMode;
import io.jwdm.host.VerifierFlags;
import io.jwdm.testing.drivers.Echo_DriverGlue;
import io.jwdm.testing.drivers.Leaky_DriverGlue;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** The kernel options {@link KernelTest} boots with, and where it finds its settings. */
class OptionsTest {

  @Fixture
  @KernelTest
  static class DefaultsTest {
    @Test
    void defaults(Kernel kernel) {
      assertEquals(VerifierFlags.STANDARD, kernel.options().verifierFlags("AnyDriver"));
      assertEquals(SchedulerMode.DETERMINISTIC, kernel.options().schedulerMode());
      assertEquals(0, kernel.options().seed());
      assertEquals(Duration.ofSeconds(10), kernel.options().waitTimeout());
      assertTrue(kernel.options().testSigning());
      assertTrue(kernel.drivers().isEmpty());
    }
  }

  @Fixture
  @KernelTest(verifier = VerifierFlags.POOL_TRACKING | VerifierFlags.SPECIAL_POOL,
      scheduler = SchedulerMode.REAL_TIME, waitTimeoutMillis = 250, testSigning = false)
  static class ChosenTest {
    @Test
    void chosen(Kernel kernel) {
      assertEquals(0x9, kernel.options().verifierFlags("AnyDriver"));
      assertEquals(SchedulerMode.REAL_TIME, kernel.options().schedulerMode());
      assertThrows(IllegalStateException.class, () -> kernel.advanceClock(Duration.ofSeconds(1)),
          "a real-time kernel has no virtual clock to advance");
      assertEquals(Duration.ofMillis(250), kernel.options().waitTimeout());
      assertFalse(kernel.options().testSigning());
    }
  }

  @Test
  void theKernelIsBootedWithTheDefaultsOrTheChosenOptions() {
    Fixtures.Outcome defaults = Fixtures.run(DefaultsTest.class);
    assertEquals(1, defaults.succeeded(), defaults::toString);
    Fixtures.Outcome chosen = Fixtures.run(ChosenTest.class);
    assertEquals(1, chosen.succeeded(), chosen::toString);
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(drivers = Leaky_DriverGlue.class, verifier = 0)
  static class LeakWithoutVerifierTest {
    @Test
    void leaks() {}
  }

  @Fixture
  @KernelTest(drivers = Leaky_DriverGlue.class, verifier = VerifierFlags.POOL_TRACKING)
  static class LeakUnderPoolTrackingTest {
    @Test
    void leaks() {}
  }

  @Test
  void theVerifierFlagsDecideHowALeakIsCaught() {
    KernelNotCleanError leaked = assertInstanceOf(KernelNotCleanError.class,
        Fixtures.run(LeakWithoutVerifierTest.class).failure());
    assertEquals(null, leaked.report().bugCheck(), "without pool tracking the leak is reported");
    assertTrue(leaked.getMessage().contains("Verdict: LEAKED"), leaked::getMessage);

    KernelNotCleanError stopped = assertInstanceOf(KernelNotCleanError.class,
        Fixtures.run(LeakUnderPoolTrackingTest.class).failure());
    BugCheck check = stopped.report().bugCheck();
    assertEquals(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, check.code(), stopped::getMessage);
    assertEquals(0x62, check.parameter1(), "0xC4 / 0x62: pool left at unload");
    assertTrue(stopped.getMessage().contains("DRIVER_VERIFIER_DETECTED_VIOLATION (c4)"),
        stopped::getMessage);
    assertTrue(stopped.getMessage().contains("LegacySample.allocateBlock("), stopped::getMessage);
  }

  @Fixture
  @KernelTest(verifier = 0x1000000)
  static class UnknownVerifierFlagTest {
    @Test
    void neverRuns() {}
  }

  @Test
  void anUnknownVerifierFlagIsAConfigurationError() {
    Throwable failure = Fixtures.run(UnknownVerifierFlagTest.class).failure();
    assertInstanceOf(ExtensionConfigurationException.class, failure);
    assertTrue(failure.getMessage().startsWith("@KernelTest(verifier = 0x1000000): unknown"),
        failure::getMessage);
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest(drivers = Echo_DriverGlue.class, seed = 1)
  static class OverrideTest {
    @Test
    void fromTheClass(Kernel kernel) {
      assertEquals(1, kernel.options().seed());
      assertTrue(kernel.isLoaded(Echo_DriverGlue.NAME));
    }

    @Test
    @KernelTest(seed = 2, verifier = 0)
    void fromTheMethod(Kernel kernel) {
      assertEquals(2, kernel.options().seed());
      assertEquals(0, kernel.options().verifierFlags(Echo_DriverGlue.NAME));
      assertFalse(kernel.isLoaded(Echo_DriverGlue.NAME), "the method's annotation replaces the"
          + " class's as a whole");
    }

    @Nested
    class Inner {
      @Test
      void fromTheEnclosingClass(Kernel kernel) {
        assertEquals(1, kernel.options().seed());
      }
    }

    @Nested
    @KernelTest(seed = 3)
    class InnerWithItsOwn {
      @Test
      void fromTheNestedClass(Kernel kernel) {
        assertEquals(3, kernel.options().seed());
      }
    }
  }

  @Test
  void theNearestAnnotationWins() {
    Fixtures.Outcome outcome = Fixtures.run(OverrideTest.class);
    assertEquals(4, outcome.started(), outcome::toString);
    assertEquals(4, outcome.succeeded(), outcome::toString);
  }

  // ---------------------------------------------------------------------------------------------

  /** A team's own annotation, with its drivers and options named once. */
  @Retention(RetentionPolicy.RUNTIME)
  @KernelTest(drivers = Echo_DriverGlue.class, seed = 99)
  @interface EchoKernelTest {}

  @Fixture
  @EchoKernelTest
  static class MetaAnnotationTest {
    @Test
    void composed(Kernel kernel) {
      assertEquals(99, kernel.options().seed());
      assertTrue(kernel.isLoaded(Echo_DriverGlue.NAME));
    }
  }

  @Fixture
  @ExtendWith(KernelExtension.class)
  static class PlainExtendWithTest {
    @Test
    void defaults(Kernel kernel) {
      assertEquals(VerifierFlags.STANDARD, kernel.options().verifierFlags("AnyDriver"));
      assertEquals(0, kernel.options().seed());
    }
  }

  @Test
  void aComposedAnnotationOrAPlainExtendWithWorks() {
    Fixtures.Outcome composed = Fixtures.run(MetaAnnotationTest.class);
    assertEquals(1, composed.succeeded(), composed::toString);
    Fixtures.Outcome plain = Fixtures.run(PlainExtendWithTest.class);
    assertEquals(1, plain.succeeded(), plain::toString);
  }
}

package io.jwdm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.InjectedFailure;
import io.jwdm.host.Kernel;
import io.jwdm.host.VerifierFlags;
import io.jwdm.testing.drivers.Allocator_DriverGlue;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * The seed: {@link KernelTest#seed()} or {@value KernelExtension#SEED_PROPERTY}, and a run that
 * repeats exactly with the same seed.
 */
class SeedTest {
  private static final int PROCESSES = 100;

  /**
   * Under the randomized low-resources simulation, the Allocator driver's pool allocations fail as
   * the seed decides; the test publishes the seed and which calls failed.
   */
  @Fixture
  @KernelTest(drivers = Allocator_DriverGlue.class,
      verifier = VerifierFlags.STANDARD | VerifierFlags.RANDOMIZED_LOW_RESOURCES, seed = 5)
  static class LowResourcesTest {
    @Test
    void allocates(Kernel kernel, TestReporter reporter) {
      for (int i = 0; i < PROCESSES; i++) {
        kernel.createProcess("process" + i + ".exe");
      }
      reporter.publishEntry("seed", Long.toString(kernel.options().seed()));
      reporter.publishEntry("failed", kernel.injectedFailures().stream()
          .map(InjectedFailure::callIndex).map(String::valueOf).collect(Collectors.joining(",")));
    }
  }

  private static Fixtures.Outcome runWithSeed(String seed) {
    Fixtures.Outcome outcome = seed == null ? Fixtures.run(LowResourcesTest.class)
        : Fixtures.run(LowResourcesTest.class, Map.of(KernelExtension.SEED_PROPERTY, seed));
    assertEquals(1, outcome.succeeded(), outcome::toString);
    return outcome;
  }

  @Test
  void theAnnotationsSeedIsUsedUnlessTheSeedPropertyOverridesIt() {
    assertEquals("5", runWithSeed(null).reportedOnce("seed"));
    assertEquals("42", runWithSeed("42").reportedOnce("seed"));
    assertEquals("-3", runWithSeed(" -3 ").reportedOnce("seed"));
    assertEquals("5", runWithSeed("").reportedOnce("seed"), "a blank override is no override");
  }

  @Test
  void theSameSeedReplaysTheSameRunAndOtherSeedsDiffer() {
    String failed = runWithSeed("42").reportedOnce("failed");
    assertFalse(failed.isEmpty(), "some of " + PROCESSES + " allocations fail at seed 42");
    assertEquals(failed, runWithSeed("42").reportedOnce("failed"));

    Set<String> patterns = new HashSet<>();
    for (int seed = 1; seed <= 4; seed++) {
      patterns.add(runWithSeed(Integer.toString(seed)).reportedOnce("failed"));
    }
    assertTrue(patterns.size() > 1, "four seeds failed the same calls: " + patterns);
  }

  @Test
  void aRandomSeedIsDrawnPerRunAndReplaysWhenGivenBack() {
    Fixtures.Outcome first = runWithSeed("random");
    Fixtures.Outcome second = runWithSeed("RANDOM");
    String seed = first.reportedOnce("seed");
    assertNotEquals(seed, second.reportedOnce("seed"), "two random seeds in a row are equal");

    Fixtures.Outcome replay = runWithSeed(seed);
    assertEquals(first.reportedOnce("failed"), replay.reportedOnce("failed"));
  }

  @Test
  void aSeedThatIsNotANumberIsAConfigurationError() {
    Throwable failure = Fixtures.run(LowResourcesTest.class,
        Map.of(KernelExtension.SEED_PROPERTY, "banana")).failure();
    assertInstanceOf(ExtensionConfigurationException.class, failure);
    assertEquals("jwdm.seed must be a number, such as 42, or 'random'; it is 'banana'",
        failure.getMessage());
  }
}

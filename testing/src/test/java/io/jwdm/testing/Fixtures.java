package io.jwdm.testing;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** Runs {@link Fixture} classes on the Jupiter engine with the EngineTestKit. */
final class Fixtures {
  private Fixtures() {}

  /** What a fixture run did. */
  record Outcome(EngineExecutionResults results) {
    Events tests() {
      return results.testEvents();
    }

    long started() {
      return tests().started().count();
    }

    long succeeded() {
      return tests().succeeded().count();
    }

    /** The exceptions the failed tests failed with, in order. */
    List<Throwable> failures() {
      return tests().failed().stream()
          .map(event -> event.getPayload(TestExecutionResult.class)
              .flatMap(TestExecutionResult::getThrowable).orElseThrow())
          .collect(Collectors.toList());
    }

    /** The only failure; fails if there is not exactly one. */
    Throwable failure() {
      List<Throwable> failures = failures();
      if (failures.size() != 1) {
        throw new AssertionError("expected one failed test, got " + failures.size() + ": "
            + failures + "; events: " + tests().list());
      }
      return failures.get(0);
    }

    /** The values published under {@code key} by the tests and the extension, in order. */
    List<String> reported(String key) {
      return results.allEvents().reportingEntryPublished().stream()
          .map(event -> event.getPayload(ReportEntry.class))
          .flatMap(Optional::stream)
          .map(entry -> entry.getKeyValuePairs().get(key))
          .filter(value -> value != null)
          .collect(Collectors.toList());
    }

    /** The one value published under {@code key}; fails if there is not exactly one. */
    String reportedOnce(String key) {
      List<String> values = reported(key);
      if (values.size() != 1) {
        throw new AssertionError("expected one report entry '" + key + "', got " + values);
      }
      return values.get(0);
    }

    @Override
    public String toString() {
      return tests().list().stream().map(Event::toString).collect(Collectors.joining("\n"));
    }
  }

  /** Runs every test of {@code fixture}, with {@code parameters} as configuration parameters. */
  static Outcome run(Class<?> fixture, Map<String, String> parameters) {
    return run(selectClass(fixture), parameters);
  }

  /** Runs every test of {@code fixture}. */
  static Outcome run(Class<?> fixture) {
    return run(fixture, Map.of());
  }

  /** Runs the test method of {@code fixture} named {@code method}. */
  static Outcome run(Class<?> fixture, String method) {
    List<Method> found = ReflectionSupport.findMethods(fixture,
        candidate -> candidate.getName().equals(method), HierarchyTraversalMode.TOP_DOWN);
    if (found.size() != 1) {
      throw new IllegalArgumentException("no single method " + method + " in " + fixture);
    }
    return run(selectMethod(fixture, found.get(0)), Map.of());
  }

  private static Outcome run(DiscoverySelector selector, Map<String, String> parameters) {
    return new Outcome(EngineTestKit.engine("junit-jupiter")
        .selectors(selector)
        .configurationParameter(Fixture.ENABLED, "true")
        .configurationParameters(parameters)
        .execute());
  }
}

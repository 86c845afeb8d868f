package io.jwdm.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a class of example tests that another test runs through {@link Fixtures#run}, to see how
 * the extension judges them. Many are meant to fail, so they are disabled unless that run enables
 * them with the configuration parameter {@value #ENABLED}: an IDE that runs every class it finds
 * skips them.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(Fixture.OnlyWhenRunByATest.class)
@interface Fixture {
  /** The configuration parameter that enables fixtures. */
  String ENABLED = "jwdm.testing.fixtures";

  /** Disables a fixture unless {@value Fixture#ENABLED} is true. */
  final class OnlyWhenRunByATest implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      return context.getConfigurationParameter(ENABLED, Boolean::parseBoolean).orElse(false)
          ? ConditionEvaluationResult.enabled("run by a test of the extension")
          : ConditionEvaluationResult.disabled("a fixture: run only by a test of the extension");
    }
  }
}

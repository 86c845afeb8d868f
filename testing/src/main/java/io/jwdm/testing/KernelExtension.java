package io.jwdm.testing;

import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit Jupiter extension behind {@link KernelTest}: boots a fresh {@link Kernel} for each
 * test, loads its drivers, injects the kernel, and after the test tears it down and fails the test
 * if the kernel was not left clean. See {@link KernelTest} for what it does step by step.
 *
 * <p>Register it with {@link KernelTest} (which carries {@code @ExtendWith(KernelExtension.class)})
 * to configure it; {@code @ExtendWith(KernelExtension.class)} alone uses {@link KernelTest}'s
 * defaults. JUnit creates the instances; an instance keeps no state of its own, so tests may run in
 * parallel, each with its own kernel.
 */
public final class KernelExtension implements BeforeEachCallback, AfterEachCallback,
    ParameterResolver, TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {

  /**
   * The configuration parameter, or system property, that overrides {@link KernelTest#seed()} for
   * every test: a number replays a run ({@code -Djwdm.seed=42}); {@code random} draws a fresh seed
   * for each test, which a failing test then names.
   */
  public static final String SEED_PROPERTY = "jwdm.seed";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(KernelExtension.class);
  private static final String KEY = "kernel";

  /** The defaults of {@link KernelTest}, for a test that registers the extension without it. */
  @KernelTest
  private static final class Defaults {}

  /** Creates the extension; JUnit does, for {@code @ExtendWith}. */
  public KernelExtension() {}

  // ---------------------------------------------------------------------------------------------
  // Before and after each test

  @Override
  public void beforeEach(ExtensionContext context) {
    if (context.getStore(NAMESPACE).get(KEY, TestKernel.class) != null) {
      return; // registered twice for this test, such as by a method's and a class's @KernelTest
    }
    KernelTest settings = settings(context);
    long seed = seed(context, settings);
    Kernel kernel = Kernel.boot(options(settings, seed));
    TestKernel test = new TestKernel(kernel, seed, testName(context));
    context.getStore(NAMESPACE).put(KEY, test);
    injectFields(context, kernel);
    test.start(settings);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestKernel test = context.getStore(NAMESPACE).remove(KEY, TestKernel.class);
    if (test == null) {
      return;
    }
    KernelNotCleanError unclean = test.tearDown();
    boolean failed = context.getExecutionException()
        .filter(thrown -> !(thrown instanceof TestAbortedException)).isPresent();
    if (unclean != null || failed) {
      context.publishReportEntry(SEED_PROPERTY, Long.toString(test.seed()));
      System.err.println("[jwdm] " + testName(context) + " failed with kernel seed " + test.seed()
          + "; replay with -D" + SEED_PROPERTY + "=" + test.seed());
    }
    if (unclean != null) {
      throw unclean;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The seed of a failing test, in its failure

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    throw noteSeed(context, throwable);
  }

  @Override
  public void handleBeforeEachMethodExecutionException(ExtensionContext context,
      Throwable throwable) throws Throwable {
    throw noteSeed(context, throwable);
  }

  @Override
  public void handleAfterEachMethodExecutionException(ExtensionContext context,
      Throwable throwable) throws Throwable {
    throw noteSeed(context, throwable);
  }

  /** Adds the seed that replays the test to a failure of the test, as a suppressed note. */
  private static Throwable noteSeed(ExtensionContext context, Throwable throwable) {
    TestKernel test = context.getStore(NAMESPACE).get(KEY, TestKernel.class);
    if (test != null && !(throwable instanceof TestAbortedException)) {
      throwable.addSuppressed(new ReplaySeed(test.seed()));
    }
    return throwable;
  }

  // ---------------------------------------------------------------------------------------------
  // Injection

  @Override
  public boolean supportsParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    return parameterContext.getParameter().getType() == Kernel.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameterContext,
      ExtensionContext extensionContext) {
    TestKernel test = extensionContext.getStore(NAMESPACE).get(KEY, TestKernel.class);
    if (test == null) {
      throw new ParameterResolutionException("jwdm boots one kernel per test: take the Kernel as"
          + " a parameter of a test method or of a @BeforeEach or @AfterEach method, or in an"
          + " @InjectKernel field, not in " + parameterContext.getDeclaringExecutable());
    }
    return test.kernel();
  }

  private static void injectFields(ExtensionContext context, Kernel kernel) {
    for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
      for (Field field : AnnotationSupport.findAnnotatedFields(instance.getClass(),
          InjectKernel.class, field -> true, HierarchyTraversalMode.TOP_DOWN)) {
        int modifiers = field.getModifiers();
        if (Modifier.isStatic(modifiers) || Modifier.isFinal(modifiers)
            || !field.getType().isAssignableFrom(Kernel.class)) {
          throw new ExtensionConfigurationException("@InjectKernel needs an instance field, not"
              + " static or final, that a Kernel can be assigned to: " + field);
        }
        try {
          field.setAccessible(true);
          field.set(instance, kernel);
        } catch (ReflectiveOperationException | RuntimeException failed) {
          throw new ExtensionConfigurationException("@InjectKernel: cannot set " + field, failed);
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Settings

  /** The nearest {@link KernelTest}: on the method, its class, or an enclosing class. */
  static KernelTest settings(ExtensionContext context) {
    Optional<Method> method = context.getTestMethod();
    if (method.isPresent()) {
      Optional<KernelTest> onMethod =
          AnnotationSupport.findAnnotation(method.get(), KernelTest.class);
      if (onMethod.isPresent()) {
        return onMethod.get();
      }
    }
    for (Class<?> type = context.getRequiredTestClass(); type != null;
        type = isInner(type) ? type.getEnclosingClass() : null) {
      Optional<KernelTest> onClass = AnnotationSupport.findAnnotation(type, KernelTest.class);
      if (onClass.isPresent()) {
        return onClass.get();
      }
    }
    return Defaults.class.getAnnotation(KernelTest.class);
  }

  private static boolean isInner(Class<?> type) {
    return type.isMemberClass() && !Modifier.isStatic(type.getModifiers());
  }

  /** The seed: {@value #SEED_PROPERTY} if set, else the annotation's. */
  static long seed(ExtensionContext context, KernelTest settings) {
    Optional<String> override = context.getConfigurationParameter(SEED_PROPERTY);
    if (override.isEmpty() || override.get().isBlank()) {
      return settings.seed();
    }
    String text = override.get().trim();
    if (text.equalsIgnoreCase("random")) {
      return ThreadLocalRandom.current().nextLong();
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException notANumber) {
      throw new ExtensionConfigurationException(SEED_PROPERTY + " must be a number, such as 42,"
          + " or 'random'; it is '" + text + "'", notANumber);
    }
  }

  static KernelOptions options(KernelTest settings, long seed) {
    KernelOptions.Builder options = KernelOptions.builder()
        .seed(seed)
        .schedulerMode(settings.scheduler())
        .testSigning(settings.testSigning());
    try {
      options.verifierForAll(settings.verifier());
    } catch (IllegalArgumentException unknown) {
      throw new ExtensionConfigurationException(String.format(
          "@KernelTest(verifier = 0x%X): %s; use VerifierFlags constants", settings.verifier(),
          unknown.getMessage()), unknown);
    }
    if (settings.waitTimeoutMillis() < 0) {
      throw new ExtensionConfigurationException("@KernelTest(waitTimeoutMillis = "
          + settings.waitTimeoutMillis() + "): must be positive, or 0 for the kernel's default");
    }
    if (settings.waitTimeoutMillis() > 0) {
      options.waitTimeout(Duration.ofMillis(settings.waitTimeoutMillis()));
    }
    return options.build();
  }

  private static String testName(ExtensionContext context) {
    return context.getTestMethod()
        .map(m -> context.getRequiredTestClass().getSimpleName() + "." + m.getName() + "()")
        .orElse(context.getDisplayName());
  }
}

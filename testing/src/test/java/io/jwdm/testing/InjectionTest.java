package io.jwdm.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.DeviceNode;
import io.jwdm.host.Kernel;
import io.jwdm.testing.drivers.Echo_DriverGlue;
import io.jwdm.testing.drivers.Gadget_DriverGlue;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;

/** How a test gets its kernel, and that each test gets a fresh one. */
class InjectionTest {

  @Fixture
  @KernelTest(drivers = Echo_DriverGlue.class)
  static class EverywhereTest {
    @InjectKernel Kernel field;
    @InjectKernel private Object asObject;
    private Kernel fromBeforeEach;

    @BeforeEach
    void before(Kernel kernel) {
      assertSame(field, kernel, "the field is set before @BeforeEach methods run");
      assertTrue(kernel.isLoaded(Echo_DriverGlue.NAME), "the drivers are loaded before them too");
      fromBeforeEach = kernel;
    }

    @Test
    void sameKernel(Kernel kernel) {
      assertNotNull(kernel);
      assertSame(fromBeforeEach, kernel);
      assertSame(field, kernel);
      assertSame(asObject, kernel);
    }

    @AfterEach
    void after(Kernel kernel) {
      assertSame(field, kernel);
      assertTrue(kernel.isLoaded(Echo_DriverGlue.NAME), "@AfterEach runs before the teardown");
    }

    @Nested
    class Inner {
      @InjectKernel Kernel inner;

      @Test
      void sameKernelInEveryInstance(Kernel kernel) {
        assertSame(inner, kernel);
        assertSame(field, kernel, "the enclosing instance's field gets it too");
      }
    }
  }

  @Test
  void theKernelIsInjectedIntoParametersAndAnnotatedFields() {
    Fixtures.Outcome outcome = Fixtures.run(EverywhereTest.class);
    assertEquals(2, outcome.started(), outcome::toString);
    assertEquals(2, outcome.succeeded(), outcome::toString);
  }

  // ---------------------------------------------------------------------------------------------

  @Fixture
  @KernelTest
  static class StaticFieldTest {
    @InjectKernel static Kernel shared;

    @Test
    void neverRuns() {}
  }

  @Fixture
  @KernelTest
  static class WrongTypeFieldTest {
    @InjectKernel String notAKernel;

    @Test
    void neverRuns() {}
  }

  @Fixture
  @KernelTest
  static class BeforeAllTest {
    @BeforeAll
    static void tooEarly(Kernel kernel) {}

    @Test
    void neverRuns() {}
  }

  @Test
  void aFieldOrParameterThatCannotTakeTheTestsKernelIsAnError() {
    for (Class<?> fixture : List.of(StaticFieldTest.class, WrongTypeFieldTest.class)) {
      Throwable failure = Fixtures.run(fixture).failure();
      assertInstanceOf(ExtensionConfigurationException.class, failure);
      assertTrue(failure.getMessage().startsWith("@InjectKernel needs an instance field, not"
          + " static or final, that a Kernel can be assigned to"), failure::getMessage);
    }

    Fixtures.Outcome beforeAll = Fixtures.run(BeforeAllTest.class);
    Throwable failure = beforeAll.results().containerEvents().failed().stream()
        .map(event -> event.getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class))
        .map(result -> result.getThrowable().orElseThrow()).findFirst().orElseThrow();
    assertInstanceOf(ParameterResolutionException.class, failure);
    assertTrue(failure.getMessage().startsWith("jwdm boots one kernel per test"),
        failure::getMessage);
  }

  // ---------------------------------------------------------------------------------------------

  /** One test instance for both tests: what the first leaves in it, the second can compare. */
  @Fixture
  @KernelTest(drivers = Gadget_DriverGlue.class)
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class IsolationTest {
    private Kernel first;

    @Test
    @Order(1)
    void first(Kernel kernel) {
      first = kernel;
      DeviceNode node = kernel.plugIn(Gadget_DriverGlue.HARDWARE_ID);
      assertEquals("ROOT\\GADGET\\0000", node.instanceId());
      assertEquals(4, kernel.createProcess("first.exe"));
    }

    @Test
    @Order(2)
    void second(Kernel kernel) {
      assertNotNull(first, "the first test ran");
      assertNotSame(first, kernel);
      assertEquals(List.of(), kernel.deviceNodes(), "the first test's device is not here");
      assertEquals(List.of(), kernel.trace().stream()
          .filter(event -> event.subject().startsWith("ROOT\\GADGET")).toList());
      assertEquals("ROOT\\GADGET\\0000", kernel.plugIn(Gadget_DriverGlue.HARDWARE_ID)
          .instanceId(), "device instance numbers start again");
      assertEquals(4, kernel.createProcess("second.exe"), "process IDs start again");
    }
  }

  @Test
  void eachTestGetsAFreshKernel() {
    Fixtures.Outcome outcome = Fixtures.run(IsolationTest.class);
    assertEquals(2, outcome.started(), outcome::toString);
    assertEquals(2, outcome.succeeded(), outcome::toString);
  }
}

package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad arguments to the host API: null for every reference parameter (a NullPointerException naming
 * the parameter), devices plugged in without hardware IDs or with empty ones
 * (IllegalArgumentException), verifier flags that do not parse, and option values out of range.
 * Nothing reaches the kernel: the bystanders see nothing of it.
 */
@DisplayName("Bad input: host API arguments")
class BadInputHostApiTest extends BadInputTest {

  /** A call with one null argument, and the name of that parameter. */
  private static Arguments nullCase(String call, String parameter, Consumer<Kernel> action) {
    return Arguments.of(call, parameter, action);
  }

  static Stream<Arguments> nullArguments() {
    Path somewhere = Path.of("image.jar");
    DriverImage forged = new DriverImage("forged", somewhere, List.of(BYSTANDER),
        DriverImage.Signing.UNSIGNED, List.of());
    return Stream.of(
        nullCase("Kernel.boot(null)", "options", k -> Kernel.boot(null)),
        nullCase("install(null)", "glue", k -> k.install(null)),
        nullCase("installAll(null)", "loader", k -> k.installAll(null)),
        nullCase("loadDriver((String) null)", "name", k -> k.loadDriver((String) null)),
        nullCase("loadDriver((DriverGlue) null)", "glue", k -> k.loadDriver((io.jwdm.spi.DriverGlue) null)),
        nullCase("unloadDriver(null)", "name", k -> k.unloadDriver(null)),
        nullCase("awaitUnloaded(null, timeout)", "name", k -> k.awaitUnloaded(null, Duration.ofMillis(1))),
        nullCase("awaitUnloaded(name, null)", "timeout", k -> k.awaitUnloaded(BYSTANDER, null)),
        nullCase("isLoaded(null)", "name", k -> k.isLoaded(null)),
        nullCase("unloadBlockers(null)", "name", k -> k.unloadBlockers(null)),
        nullCase("plugIn((String[]) null)", "hardwareIds", k -> k.plugIn((String[]) null)),
        nullCase("remove(null)", "node", k -> k.remove(null)),
        nullCase("surpriseRemove(null)", "node", k -> k.surpriseRemove(null)),
        nullCase("disable(null)", "node", k -> k.disable(null)),
        nullCase("enable(null)", "node", k -> k.enable(null)),
        nullCase("open(null)", "path", k -> k.open(null)),
        nullCase("open(null, owner)", "path", k -> k.open(null, "host")),
        nullCase("open(path, null)", "owner", k -> k.open(BYSTANDER_LINK, null)),
        nullCase("runAsKernelThread(null)", "action", k -> k.runAsKernelThread(null)),
        nullCase("createProcess(null)", "imageFileName", k -> k.createProcess(null)),
        nullCase("registryOperation(n, null)", "keyPath", k -> k.registryOperation(0, null)),
        nullCase("advanceClock(null)", "duration", k -> k.advanceClock(null)),
        nullCase("loadImage(null)", "image", k -> k.loadImage(null)),
        nullCase("unloadImage(null)", "image", k -> k.unloadImage(null)),
        nullCase("unloadImage(null, timeout)", "image", k -> k.unloadImage(null, Duration.ofMillis(1))),
        nullCase("unloadImage(image, null)", "timeout", k -> k.unloadImage(forged, null)),
        nullCase("imageOf(null)", "driverName", k -> k.imageOf(null)),
        nullCase("replace(null, image)", "driverName", k -> k.replace(null, somewhere)),
        nullCase("replace(name, null)", "newImage", k -> k.replace(BYSTANDER, null)),
        nullCase("replace(name, image, null)", "timeout", k -> k.replace(BYSTANDER, somewhere, null)),
        nullCase("KernelOptions.Builder.schedulerMode(null)", "mode",
            k -> KernelOptions.builder().schedulerMode(null)),
        nullCase("KernelOptions.Builder.waitTimeout(null)", "timeout",
            k -> KernelOptions.builder().waitTimeout(null)),
        nullCase("KernelOptions.Builder.verifier(null, flags)", "driverName",
            k -> KernelOptions.builder().verifier(null, VerifierFlags.STANDARD)),
        nullCase("KernelOptions.Builder.lowResources(null)", "settings",
            k -> KernelOptions.builder().lowResources(null)),
        nullCase("KernelOptions.Builder.trustStore(null)", "trustStore",
            k -> KernelOptions.builder().trustStore(null)),
        nullCase("VerifierFlags.parse(null)", "text", k -> VerifierFlags.parse(null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("nullArguments")
  @DisplayName("a null argument: NullPointerException naming the parameter")
  void nullArgument(String call, String parameter, Consumer<Kernel> action) {
    NullPointerException refused =
        assertThrows(NullPointerException.class, () -> action.accept(kernel), call);
    String message = String.valueOf(refused.getMessage());
    assertTrue(message.matches(".*\\b" + parameter + "\\b.*"),
        call + " threw a NullPointerException that does not name '" + parameter + "': " + message);
  }

  @Test
  @DisplayName("plugIn with no hardware ID: IllegalArgumentException")
  void plugInNoIds() {
    assertThrows(IllegalArgumentException.class, () -> kernel.plugIn());
    assertEquals(List.of(bystanderNode), kernel.deviceNodes());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", " ", "\t", "\n"})
  @DisplayName("plugIn with an empty or blank hardware ID: IllegalArgumentException")
  void plugInBlankId(String id) {
    assertThrows(IllegalArgumentException.class, () -> kernel.plugIn(id));
    assertThrows(IllegalArgumentException.class, () -> kernel.plugIn(WDM_BYSTANDER_ID, id));
    assertEquals(List.of(bystanderNode), kernel.deviceNodes());
  }

  @Test
  @DisplayName("plugIn with a null hardware ID among others: IllegalArgumentException")
  void plugInNullId() {
    assertThrows(IllegalArgumentException.class, () -> kernel.plugIn(WDM_BYSTANDER_ID, null));
    assertEquals(List.of(bystanderNode), kernel.deviceNodes());
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"", " ", "0x", "0x-8", "0xZZ", "1e3", "standard,0x8", "99999999999",
      "0x100000000", "-1", "0x80000000", "0x1000", "/standardx", "8 8"})
  @DisplayName("VerifierFlags.parse of a bad flag string: IllegalArgumentException quoting it")
  void badVerifierFlags(String text) {
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> VerifierFlags.parse(text));
    assertTrue(refused.getMessage().contains("'" + text + "'"), refused.getMessage());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(ints = {-1, 0x80000000, 0x1000, 0x40})
  @DisplayName("verifier flags with unknown bits for a driver or for all: IllegalArgumentException")
  void badVerifierFlagValues(int flags) {
    assertThrows(IllegalArgumentException.class,
        () -> KernelOptions.builder().verifier("Subject", flags));
    assertThrows(IllegalArgumentException.class,
        () -> KernelOptions.builder().verifierForAll(flags));
  }

  @Test
  @DisplayName("a zero or negative wait timeout: IllegalArgumentException")
  void badWaitTimeout() {
    assertThrows(IllegalArgumentException.class,
        () -> KernelOptions.builder().waitTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class,
        () -> KernelOptions.builder().waitTimeout(Duration.ofMillis(-1)));
  }

  @Test
  @DisplayName("a negative trace capacity: IllegalArgumentException")
  void badTraceCapacity() {
    assertThrows(IllegalArgumentException.class,
        () -> KernelOptions.builder().traceCapacity(-1));
  }

  @Test
  @DisplayName("moving the clock backwards: IllegalArgumentException, the clock unchanged")
  void clockBackwards() {
    Duration before = kernel.clock();
    assertThrows(IllegalArgumentException.class, () -> kernel.advanceClock(Duration.ofMillis(-1)));
    assertEquals(before, kernel.clock());
  }

  @Test
  @DisplayName("moving the clock of a real-time kernel: IllegalStateException")
  void clockOfRealTimeKernel() {
    try (Kernel realTime =
        Kernel.boot(KernelOptions.builder().schedulerMode(SchedulerMode.REAL_TIME).build())) {
      assertThrows(IllegalStateException.class, () -> realTime.advanceClock(Duration.ofMillis(1)));
    }
  }

  @Test
  @DisplayName("exiting a process that never started: IllegalArgumentException")
  void exitUnknownProcess() {
    assertThrows(IllegalArgumentException.class, () -> kernel.exitProcess(12345));
  }
}

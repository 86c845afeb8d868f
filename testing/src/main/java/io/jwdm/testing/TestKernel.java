package io.jwdm.testing;

import io.jwdm.host.BugCheck;
import io.jwdm.host.DeviceNode;
import io.jwdm.host.DriverImage;
import io.jwdm.host.DriverInfo;
import io.jwdm.host.Handle;
import io.jwdm.host.ImageUnloadResult;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelReport;
import io.jwdm.host.Leak;
import io.jwdm.host.SystemStoppedException;
import io.jwdm.host.TraceEvent;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.platform.commons.support.ReflectionSupport;
import org.opentest4j.AssertionFailedError;

/**
 * One test's kernel: boots with the test's drivers and images, and tears down with a verdict.
 * Closing it stops the kernel's threads; the teardown closes it too.
 */
final class TestKernel implements AutoCloseable {
  private final Kernel kernel;
  private final long seed;
  private final String testName;
  private boolean closed;

  TestKernel(Kernel kernel, long seed, String testName) {
    this.kernel = kernel;
    this.seed = seed;
    this.testName = testName;
  }

  Kernel kernel() {
    return kernel;
  }

  long seed() {
    return seed;
  }

  /** Installs the drivers, loads the legacy ones if {@code load}, then loads the images. */
  void start(KernelTest settings) {
    for (Class<? extends DriverGlue> glueClass : settings.drivers()) {
      DriverGlue glue = instantiate(glueClass);
      kernel.install(glue);
      if (settings.load() && glue.model() == DriverModel.LEGACY) {
        NtStatus status = kernel.loadDriver(glue.driverName());
        if (!status.isSuccess()) {
          throw new AssertionFailedError("jwdm: DriverEntry of " + glue.driverName()
              + " returned " + status + " before " + testName + "; to test a failing"
              + " DriverEntry, use @KernelTest(load = false) and load the driver in the test."
              + System.lineSeparator() + System.lineSeparator() + kernel.report().renderText());
        }
      }
    }
    for (String image : settings.images()) {
      kernel.loadImage(Path.of(image));
    }
  }

  private static DriverGlue instantiate(Class<? extends DriverGlue> glueClass) {
    try {
      return ReflectionSupport.newInstance(glueClass);
    } catch (RuntimeException failed) {
      throw new org.junit.jupiter.api.extension.ExtensionConfigurationException(
          "@KernelTest(drivers = " + glueClass.getName() + ".class): cannot create the glue"
              + " with its no-argument constructor: " + failed, failed);
    }
  }

  /**
   * Tears the kernel down as an administrator would and judges what is left.
   *
   * @return the error to fail the test with, or null if the kernel is clean
   */
  KernelNotCleanError tearDown() {
    List<String> handles = new ArrayList<>();
    List<String> images = new ArrayList<>();
    Set<String> permanent = new LinkedHashSet<>();
    try {
      if (kernel.bugCheck().isEmpty()) {
        closeHandles(handles);
        removeDevices();
        unloadImages(images, permanent);
        unloadLegacyDrivers(permanent);
      }
    } catch (SystemStoppedException stopped) {
      // A routine the teardown ran stopped the system; the bug check in the report says why.
    } finally {
      close();
    }
    return verdict(handles, images, permanent);
  }

  /** Notes each handle the test left open, then closes it so the drivers can go. */
  private void closeHandles(List<String> problems) {
    for (Handle handle : kernel.openHandles()) {
      problems.add("handle left open: " + handle.id() + " to " + handle.path() + " owned by "
          + handle.owner() + " (the teardown closed it)");
      handle.close();
    }
  }

  /** Removes every device still plugged in; one whose removal is vetoed is surprise-removed. */
  private void removeDevices() {
    List<DeviceNode> nodes = new ArrayList<>(kernel.deviceNodes());
    Collections.reverse(nodes);
    for (DeviceNode node : nodes) {
      if (node.state() == DeviceNode.State.REMOVED) {
        continue;
      }
      NtStatus status = kernel.remove(node);
      if (!status.isSuccess() && node.state() == DeviceNode.State.STARTED) {
        kernel.surpriseRemove(node);
      }
    }
  }

  private void unloadImages(List<String> problems, Set<String> permanent) {
    List<DriverImage> loaded = new ArrayList<>(kernel.images());
    Collections.reverse(loaded);
    for (DriverImage image : loaded) {
      ImageUnloadResult result = kernel.unloadImage(image);
      if (result.outcome() == ImageUnloadResult.Outcome.NOT_UNLOADABLE) {
        permanent.addAll(image.driverNames());
      } else if (!result.isGone()) {
        problems.add("image not unloaded clean: " + result.render().strip());
      }
    }
  }

  /** Unloads the legacy drivers, newest first, and waits for pending unloads. */
  private void unloadLegacyDrivers(Set<String> permanent) {
    List<DriverInfo> drivers = new ArrayList<>(kernel.drivers());
    Collections.reverse(drivers);
    for (DriverInfo driver : drivers) {
      if (driver.model() != DriverModel.LEGACY || permanent.contains(driver.name())) {
        continue;
      }
      NtStatus status = kernel.unloadDriver(driver.name());
      if (status.equals(NtStatus.PENDING)) {
        kernel.awaitUnloaded(driver.name(), kernel.options().waitTimeout());
      } else if (status.equals(NtStatus.INVALID_DEVICE_REQUEST)) {
        permanent.add(driver.name()); // no Unload routine: it stays, by design
      }
    }
  }

  private KernelNotCleanError verdict(List<String> handles, List<String> images,
      Set<String> permanent) {
    KernelReport report = kernel.report();
    List<String> problems = new ArrayList<>();
    BugCheck check = report.bugCheck();
    if (check != null) {
      problems.add(String.format("the system stopped: %s (0x%X)%s: %s", check.codeName(),
          check.code(), check.driver().map(d -> " in " + d).orElse(""), check.message()));
    }
    if (!report.leaks().isEmpty()) {
      problems.add(report.leaks().size() + " object(s) left behind: " + report.leaks().stream()
          .map(TestKernel::describe).collect(Collectors.joining("; ")));
    }
    problems.addAll(handles);
    for (TraceEvent event : report.trace()) {
      if (event.kind().equals("Violation")) {
        problems.add("violation by " + event.subject() + ": " + event.detail());
      }
    }
    problems.addAll(images);
    if (check == null) {
      List<String> stayed = report.drivers().stream()
          .filter(driver -> !permanent.contains(driver.name()))
          .map(driver -> driver.name() + " (" + driver.model() + ", " + driver.state() + ")")
          .collect(Collectors.toList());
      if (!stayed.isEmpty()) {
        problems.add("drivers still loaded after the teardown: " + String.join(", ", stayed)
            + System.lineSeparator() + kernel.deviceTree().strip());
      }
    }
    if (problems.isEmpty()) {
      return null;
    }
    String newline = System.lineSeparator();
    StringBuilder message = new StringBuilder();
    message.append("jwdm: the kernel was not left clean after ").append(testName)
        .append(" (seed ").append(seed).append("; replay with -D")
        .append(KernelExtension.SEED_PROPERTY).append('=').append(seed).append(')').append(newline);
    for (String problem : problems) {
      message.append("  - ").append(problem).append(newline);
    }
    message.append(newline).append(report.renderText());
    return new KernelNotCleanError(message.toString(), seed, problems, report);
  }

  private static String describe(Leak leak) {
    return leak.kind() + " " + leak.description() + (leak.tag() == null ? "" : " '" + leak.tag()
        + "'") + " of " + leak.driverName() + " at " + leak.when();
  }

  /** Stops the kernel's threads; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      kernel.close();
    }
  }
}

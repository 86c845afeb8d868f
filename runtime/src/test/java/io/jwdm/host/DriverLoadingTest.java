package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Loading a driver: the driver object, DriverEntry, and what its status means (DOMAIN §2.1–2.2). */
class DriverLoadingTest {
  private final Journal journal = new Journal();
  private final Kernel kernel =
      Kernel.boot(KernelOptions.builder().waitTimeout(Duration.ofSeconds(2)).build());

  @Test
  void loadingCreatesTheDriverObjectAndRunsDriverEntryOnceWithTheServiceRegistryPath() {
    kernel.install(TestDriver.legacy("Beeper", journal).build());

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Beeper"));

    TestDriver.Instance beeper = journal.last("Beeper");
    assertEquals(List.of("DriverEntry"), journal.eventsOf("Beeper"));
    assertEquals("\\Driver\\Beeper", beeper.driverObject.driverName());
    assertEquals("\\Registry\\Machine\\System\\CurrentControlSet\\Services\\Beeper",
        beeper.registryPath);
    assertTrue(kernel.isLoaded("Beeper"));
    assertEquals(List.of("Beeper"), kernel.drivers().stream().map(DriverInfo::name).toList());
    assertEquals(DriverInfo.State.LOADED, kernel.drivers().get(0).state());
  }

  @Test
  void aDriverReadsBackTheUnloadRoutineItSetAndNullWhenItSetNone() {
    io.jwdm.kernel.DriverUnload routine = driver -> { };
    io.jwdm.kernel.DriverUnload[] seen = new io.jwdm.kernel.DriverUnload[2];
    kernel.install(TestDriver.legacy("Reader", journal).entry(self -> {
      seen[0] = self.driverObject.driverUnload();
      self.driverObject.setDriverUnload(routine);
      seen[1] = self.driverObject.driverUnload();
      return NtStatus.SUCCESS;
    }).build());

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Reader"));

    assertEquals(null, seen[0], "no Unload routine before the driver sets one");
    assertSame(routine, seen[1]);
  }

  @Test
  void glueGeneratedForAnotherSpiVersionIsRefusedWithInvalidImageFormat() {
    kernel.install(TestDriver.legacy("Old", journal).spiVersion(0).build());

    assertEquals(NtStatus.INVALID_IMAGE_FORMAT, kernel.loadDriver("Old"));

    assertFalse(journal.contains("Old DriverEntry"), journal::toString);
    assertFalse(kernel.isLoaded("Old"));
  }

  @Test
  void loadingALoadedDriverReturnsImageAlreadyLoaded() {
    kernel.install(TestDriver.legacy("Beeper", journal).build());
    kernel.loadDriver("Beeper");

    assertEquals(NtStatus.IMAGE_ALREADY_LOADED, kernel.loadDriver("Beeper"));

    assertEquals(1, journal.count("Beeper DriverEntry"));
  }

  @Test
  void loadingAnUnknownDriverReturnsObjectNameNotFound() {
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, kernel.loadDriver("Nobody"));
  }

  @Test
  void installAllFindsGlueThroughServiceLoaderInNameOrder() {
    List<String> names = kernel.installAll(getClass().getClassLoader());

    assertEquals(List.of(ServiceLoadedDrivers.ALPHA, ServiceLoadedDrivers.ZETA), names);
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(ServiceLoadedDrivers.ALPHA));
    assertTrue(kernel.isLoaded(ServiceLoadedDrivers.ALPHA));
    assertFalse(kernel.isLoaded(ServiceLoadedDrivers.ZETA));
  }

  // ---------------------------------------------------------------------------------------------
  // DriverEntry's status

  @Test
  void driverEntryReturningAnErrorStatusLeavesTheDriverUnloadedAndUnloadIsNeverCalled() {
    kernel.install(TestDriver.legacy("Broken", journal)
        .entry(self -> NtStatus.UNSUCCESSFUL)
        .unload(self -> { })
        .build());

    assertEquals(NtStatus.UNSUCCESSFUL, kernel.loadDriver("Broken"));

    assertFalse(kernel.isLoaded("Broken"));
    assertEquals(List.of("DriverEntry"), journal.eventsOf("Broken"));
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, kernel.unloadDriver("Broken"));
    assertEquals(List.of("DriverEntry"), journal.eventsOf("Broken"));
  }

  @Test
  void driverEntryReturningAWarningStatusLeavesTheDriverUnloadedAndUnloadIsNeverCalled() {
    kernel.install(TestDriver.legacy("Warned", journal)
        .entry(self -> NtStatus.BUFFER_OVERFLOW)
        .unload(self -> { })
        .build());

    assertEquals(NtStatus.BUFFER_OVERFLOW, kernel.loadDriver("Warned"));

    assertTrue(NtStatus.BUFFER_OVERFLOW.isWarning());
    assertFalse(kernel.isLoaded("Warned"));
    assertEquals(List.of("DriverEntry"), journal.eventsOf("Warned"));
  }

  @Test
  void driverEntryReturningAnInformationalStatusCountsAsSuccess() {
    NtStatus informational = NtStatus.of(0x40000001);
    kernel.install(TestDriver.legacy("Chatty", journal)
        .entry(self -> informational)
        .unload(self -> { })
        .build());

    assertEquals(informational, kernel.loadDriver("Chatty"));

    assertTrue(informational.isInformational());
    assertTrue(kernel.isLoaded("Chatty"));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Chatty"));
    assertEquals(List.of("DriverEntry", "Unload"), journal.eventsOf("Chatty"));
  }

  @Test
  void objectsLeftByAFailedDriverEntryAreReportedWithTheirCreationStack() {
    kernel.install(TestDriver.legacy("Sloppy", journal)
        .entry(self -> {
          Out<DeviceObject> device = new Out<>();
          self.k.ioCreateDevice(self.driverObject, null, "\\Device\\Sloppy",
              Wdm.FILE_DEVICE_UNKNOWN, 0, false, device);
          self.k.ioCreateSymbolicLink("\\??\\Sloppy", "\\Device\\Sloppy");
          return NtStatus.INSUFFICIENT_RESOURCES;
        })
        .unload(self -> { })
        .build());

    assertEquals(NtStatus.INSUFFICIENT_RESOURCES, kernel.loadDriver("Sloppy"));

    List<Leak> leaks = kernel.leaks();
    assertEquals(2, leaks.size(), leaks::toString);
    Leak device = Leaks.only(leaks, "DeviceObject");
    Leak link = Leaks.only(leaks, "SymbolicLink");
    assertAll(
        () -> assertEquals("Sloppy", device.driverName()),
        () -> assertTrue(device.description().contains("\\Device\\Sloppy"), device::toString),
        () -> assertEquals("DriverEntry failed", device.when()),
        () -> assertEquals("Sloppy", link.driverName()),
        () -> assertTrue(link.description().contains("\\??\\Sloppy"), link::toString),
        () -> assertEquals("DriverEntry failed", link.when()),
        () -> Leaks.assertCreatedIn(device, getClass(),
            "objectsLeftByAFailedDriverEntryAreReportedWithTheirCreationStack"),
        () -> Leaks.assertCreatedIn(link, getClass(),
            "objectsLeftByAFailedDriverEntryAreReportedWithTheirCreationStack"));
    assertFalse(journal.contains("Sloppy Unload"));
  }

  @Test
  void afterAFailedDriverEntryTheNameCanBeLoadedAgain() {
    AtomicInteger attempts = new AtomicInteger();
    kernel.install(TestDriver.legacy("Flaky", journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\Flaky", "\\??\\Flaky", 0);
          return attempts.incrementAndGet() == 1 ? NtStatus.DEVICE_NOT_CONNECTED : status;
        })
        .unload(self -> Routines.deleteDeviceAndLink(self, "\\??\\Flaky"))
        .build());
    assertEquals(NtStatus.DEVICE_NOT_CONNECTED, kernel.loadDriver("Flaky"));

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver("Flaky"));

    assertTrue(kernel.isLoaded("Flaky"));
    List<TestDriver.Instance> instances = journal.instances("Flaky");
    assertEquals(2, instances.size());
    assertNotSame(instances.get(0), instances.get(1));
    assertNotSame(instances.get(0).driverObject, instances.get(1).driverObject);
    assertEquals(List.of("DriverEntry", "DriverEntry"), journal.eventsOf("Flaky"));
    // The failed instance's device name and link were reclaimed, so the new one got them.
    assertEquals("\\Device\\Flaky", instances.get(1).device.name());
  }
}

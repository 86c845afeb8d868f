package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.address;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertPoolObject;
import static io.jwdm.host.VerifierAsserts.assertRunning;
import static io.jwdm.host.VerifierAsserts.boot;
import static io.jwdm.host.VerifierAsserts.bootWithoutVerifier;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Driver Verifier's pool tracking (0x8): pool left at Unload or after a failed DriverEntry is
 * 0xC4 / 0x62, allocating while unloading is 0xC4 / 0x61, a zero-byte allocation is 0xC4 / 0x00
 * (DOMAIN §3, §4).
 */
class VerifierPoolTrackingTest {
  private static final String LEAKY = "Leaky";

  private final Journal journal = new Journal();

  /**
   * "Leaky": DriverEntry creates its device and link and allocates two blocks, 32 bytes of
   * nonpaged pool tagged 'LkA1' and 100 bytes of paged pool tagged 'LkB2'; Unload deletes the
   * device and link and, if {@code freeInUnload}, frees both blocks.
   */
  private TestDriver leaky(boolean freeInUnload) {
    String link = "\\??\\" + LEAKY;
    return TestDriver.legacyDevice(LEAKY, journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\" + LEAKY, link, 0);
          if (status.isSuccess()) {
            allocateTwoBlocks(self);
          }
          return status;
        })
        .unload(self -> {
          Routines.deleteDeviceAndLink(self, link);
          if (freeInUnload) {
            self.k.exFreePoolWithTag((PoolMemory) self.values.get("LkA1"), "LkA1");
            self.k.exFreePoolWithTag((PoolMemory) self.values.get("LkB2"), "LkB2");
          }
        })
        .build();
  }

  /** The test driver's own code that allocates Leaky's two blocks: leaks must name it. */
  private static void allocateTwoBlocks(TestDriver.Instance self) {
    self.values.put("LkA1", self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 32, "LkA1"));
    self.values.put("LkB2", self.k.exAllocatePoolWithTag(Wdm.PAGED_POOL, 100, "LkB2"));
  }

  // ---------------------------------------------------------------------------------------------
  // 0x62 at Unload

  @Test
  void poolLeftAtUnloadIsBugCheckC4Subcode62NamingEachBlock() {
    Kernel kernel = boot(LEAKY, VerifierFlags.POOL_TRACKING);
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(leaky(false)));
    long driverAddress = address(journal.last(LEAKY).driverObject);

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(LEAKY));

    assertNotEquals(0L, driverAddress);
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x62, driverAddress, 0, 2,
        LEAKY);
    assertEquals(2, check.objects().size(), check::render);
    assertPoolObject(check.objects().get(0), LEAKY, "LkA1", 32, "Unload",
        VerifierPoolTrackingTest.class, "allocateTwoBlocks");
    assertPoolObject(check.objects().get(1), LEAKY, "LkB2", 100, "Unload",
        VerifierPoolTrackingTest.class, "allocateTwoBlocks");
    assertTrue(check.objects().get(0).description().contains("nonpaged"),
        check.objects().get(0)::render);
    assertTrue(check.objects().get(1).description().contains("(paged)"),
        check.objects().get(1)::render);
    assertEquals(check.objects(), kernel.leaks(), "the leaks record the same blocks");
    assertTrue(journal.contains(LEAKY + " Unload"), journal::toString);
  }

  @Test
  void poolTrackingIsPartOfStandardFlags() {
    Kernel kernel = boot(LEAKY, VerifierFlags.STANDARD);
    kernel.loadDriver(leaky(false));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(LEAKY));

    assertEquals(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, check.code());
    assertEquals(0x62, check.parameter1());
    assertEquals(2, check.parameter4());
  }

  @Test
  void aDriverThatFreesItsPoolInUnloadUnloadsCleanlyUnderPoolTracking() {
    Kernel kernel = boot(LEAKY, VerifierFlags.POOL_TRACKING);
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(leaky(true)));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(LEAKY));

    assertCleanRun(kernel);
    assertFalse(kernel.isLoaded(LEAKY));
  }

  @Test
  void withoutPoolTrackingPoolLeftAtUnloadIsOnlyRecordedAsALeak() {
    Kernel kernel = bootWithoutVerifier();
    kernel.loadDriver(leaky(false));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(LEAKY));

    assertRunning(kernel);
    assertFalse(kernel.isLoaded(LEAKY));
    List<Leak> leaks = kernel.leaks();
    assertEquals(2, leaks.size(), leaks::toString);
    assertPoolObject(leaks.get(0), LEAKY, "LkA1", 32, "Unload", VerifierPoolTrackingTest.class,
        "allocateTwoBlocks");
    assertPoolObject(leaks.get(1), LEAKY, "LkB2", 100, "Unload", VerifierPoolTrackingTest.class,
        "allocateTwoBlocks");
  }

  @Test
  void anotherDriversVerifierFlagsDoNotApply() {
    Kernel kernel = boot("SomeoneElse", VerifierFlags.STANDARD);
    kernel.loadDriver(leaky(false));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(LEAKY));

    assertRunning(kernel);
    assertEquals(2, kernel.leaks().size(), kernel.leaks()::toString);
  }

  // ---------------------------------------------------------------------------------------------
  // 0x62 after a failed DriverEntry

  /** "Failing": DriverEntry allocates 48 bytes tagged 'DeFl', frees them if told, and fails. */
  private TestDriver failing(boolean freeBeforeFailing) {
    return TestDriver.legacy("Failing", journal)
        .unload(self -> { })
        .entry(self -> {
          PoolMemory block = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 48, "DeFl");
          if (freeBeforeFailing) {
            self.k.exFreePoolWithTag(block, "DeFl");
          }
          return NtStatus.UNSUCCESSFUL;
        })
        .build();
  }

  @Test
  void poolLeftByAFailedDriverEntryIsBugCheckC4Subcode62() {
    Kernel kernel = boot("Failing", VerifierFlags.POOL_TRACKING);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(failing(false)));

    long driverAddress = address(journal.last("Failing").driverObject);
    assertNotEquals(0L, driverAddress);
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x62, driverAddress, 0, 1,
        "Failing");
    assertEquals(1, check.objects().size(), check::render);
    assertPoolObject(check.objects().get(0), "Failing", "DeFl", 48, "DriverEntry failed",
        VerifierPoolTrackingTest.class, "failing");
    assertTrue(check.message().contains("DriverEntry failed"), check.message());
    assertFalse(journal.contains("Failing Unload"), "Unload is never called after DriverEntry failed");
  }

  @Test
  void aFailedDriverEntryThatFreedItsPoolIsNoBugCheck() {
    Kernel kernel = boot("Failing", VerifierFlags.POOL_TRACKING);

    assertEquals(NtStatus.UNSUCCESSFUL, kernel.loadDriver(failing(true)));

    assertCleanRun(kernel);
    assertFalse(kernel.isLoaded("Failing"));
  }

  @Test
  void withoutPoolTrackingPoolLeftByAFailedDriverEntryIsOnlyALeak() {
    Kernel kernel = bootWithoutVerifier();

    assertEquals(NtStatus.UNSUCCESSFUL, kernel.loadDriver(failing(false)));

    assertRunning(kernel);
    assertFalse(kernel.isLoaded("Failing"));
    assertEquals(1, kernel.leaks().size(), kernel.leaks()::toString);
    assertPoolObject(kernel.leaks().get(0), "Failing", "DeFl", 48, "DriverEntry failed",
        VerifierPoolTrackingTest.class, "failing");
  }

  // ---------------------------------------------------------------------------------------------
  // 0x61: allocating while unloading

  /**
   * "Late": DriverEntry allocates 16 bytes tagged 'Keep'; Unload frees them and, if
   * {@code allocateInUnload}, first allocates 64 bytes of scratch paged pool tagged 'UnlS' and
   * frees it again.
   */
  private TestDriver late(boolean allocateInUnload) {
    return TestDriver.legacy("Late", journal)
        .entry(self -> {
          self.values.put("keep", self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 16, "Keep"));
          return NtStatus.SUCCESS;
        })
        .unload(self -> {
          if (allocateInUnload) {
            PoolMemory scratch = self.k.exAllocatePool2(Wdm.POOL_FLAG_PAGED, 64, "UnlS");
            self.k.exFreePoolWithTag(scratch, "UnlS");
          }
          self.k.exFreePoolWithTag((PoolMemory) self.values.get("keep"), "Keep");
        })
        .build();
  }

  @Test
  void allocatingPoolInUnloadIsBugCheckC4Subcode61() {
    Kernel kernel = boot("Late", VerifierFlags.POOL_TRACKING);
    kernel.loadDriver(late(true));
    long driverAddress = address(journal.last("Late").driverObject);

    BugCheck check = stops(kernel, () -> kernel.unloadDriver("Late"));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x61, driverAddress, 64, 0,
        "Late");
    assertTrue(check.message().contains("UnlS"), check.message());
  }

  @Test
  void anUnloadThatOnlyFreesIsNoBugCheck() {
    Kernel kernel = boot("Late", VerifierFlags.POOL_TRACKING);
    kernel.loadDriver(late(false));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Late"));

    assertCleanRun(kernel);
  }

  @Test
  void withoutPoolTrackingAllocatingInUnloadIsAllowed() {
    Kernel kernel = bootWithoutVerifier();
    kernel.loadDriver(late(true));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Late"));

    assertCleanRun(kernel);
    assertFalse(kernel.isLoaded("Late"));
  }

  // ---------------------------------------------------------------------------------------------
  // 0x00: zero-byte allocation

  /** "Zero": DriverEntry allocates {@code size} bytes of paged pool tagged 'Zero'; Unload frees it. */
  private TestDriver zero(long size) {
    return TestDriver.legacy("Zero", journal)
        .entry(self -> {
          PoolMemory block = self.k.exAllocatePoolWithTag(Wdm.PAGED_POOL, size, "Zero");
          self.values.put("block", block == null ? "null" : block);
          return NtStatus.SUCCESS;
        })
        .unload(self -> self.k.exFreePoolWithTag((PoolMemory) self.values.get("block"), "Zero"))
        .build();
  }

  @Test
  void aZeroByteAllocationIsBugCheckC4Subcode00() {
    Kernel kernel = boot("Zero", VerifierFlags.POOL_TRACKING);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(zero(0)));

    // P2 the current IRQL (PASSIVE_LEVEL), P3 the pool type, P4 the number of bytes.
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x00, 0, Wdm.PAGED_POOL, 0,
        "Zero");
  }

  @Test
  void aOneByteAllocationIsNoBugCheck() {
    Kernel kernel = boot("Zero", VerifierFlags.POOL_TRACKING);
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(zero(1)));
    assertEquals(1, ((PoolMemory) journal.last("Zero").values.get("block")).size());

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Zero"));

    assertCleanRun(kernel);
  }

  @Test
  void withoutTheVerifierAZeroByteAllocationSucceeds() {
    Kernel kernel = bootWithoutVerifier();

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(zero(0)));

    assertEquals(Optional.empty(), kernel.bugCheck());
    Object block = journal.last("Zero").values.get("block");
    assertAll(() -> assertTrue(block instanceof PoolMemory, String.valueOf(block)),
        () -> assertEquals(0, ((PoolMemory) block).size()));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Zero"));
    assertCleanRun(kernel);
  }
}

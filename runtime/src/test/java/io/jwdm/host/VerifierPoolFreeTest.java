package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.address;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertPoolObject;
import static io.jwdm.host.VerifierAsserts.boot;
import static io.jwdm.host.VerifierAsserts.bootWithoutVerifier;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * ExFreePoolWithTag misuse: freeing twice is 0xC4 / 0x13 under Driver Verifier and BAD_POOL_CALLER
 * 0xC2 / 0x07 without; a wrong tag is 0xC2 / 0x0A; freeing what is not a pool block is 0xC4 / 0x10,
 * 0xC2 / 0x46 without the verifier (KernelServices#exFreePoolWithTag, DOMAIN §4).
 */
class VerifierPoolFreeTest {
  private final Journal journal = new Journal();
  private final AtomicReference<PoolMemory> block = new AtomicReference<>();

  /** "Twice": DriverEntry allocates 20 bytes tagged 'Dbl!', frees them, and again if told. */
  private TestDriver twice(boolean freeAgain) {
    return TestDriver.legacy("Twice", journal)
        .unload(self -> { })
        .entry(self -> {
          PoolMemory memory = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 20, "Dbl!");
          block.set(memory);
          self.k.exFreePoolWithTag(memory, "Dbl!");
          if (freeAgain) {
            self.k.exFreePoolWithTag(memory, "Dbl!");
          }
          return NtStatus.SUCCESS;
        })
        .build();
  }

  @Test
  void freeingTwiceIsBugCheckC4Subcode13WithPoolTracking() {
    Kernel kernel = boot("Twice", VerifierFlags.POOL_TRACKING);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(twice(true)));

    assertNotNull(block.get());
    // P3 the block freed (jwdm's stand-in for the pool header).
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x13, 0,
        address(block.get()), 0, "Twice");
    assertEquals(1, check.objects().size(), check::render);
    assertPoolObject(check.objects().get(0), "Twice", "Dbl!", 20, "freed twice",
        VerifierPoolFreeTest.class, "twice");
  }

  @Test
  void withoutTheVerifierFreeingTwiceIsBadPoolCallerSubcode07() {
    Kernel kernel = bootWithoutVerifier();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(twice(true)));

    assertBugCheck(check, BugCheck.BAD_POOL_CALLER, 0x07, 0, address(block.get()), 0, "Twice");
    assertEquals(1, check.objects().size(), check::render);
    assertPoolObject(check.objects().get(0), "Twice", "Dbl!", 20, "freed twice",
        VerifierPoolFreeTest.class, "twice");
  }

  @Test
  void freeingOnceIsFineWithPoolTracking() {
    Kernel kernel = boot("Twice", VerifierFlags.POOL_TRACKING);

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(twice(false)));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Twice"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // Wrong tag

  /** "Tagger": DriverEntry allocates 12 bytes tagged 'TagA' and frees them with {@code freeTag}. */
  private TestDriver tagger(String freeTag) {
    return TestDriver.legacy("Tagger", journal)
        .unload(self -> { })
        .entry(self -> {
          PoolMemory memory = self.k.exAllocatePoolWithTag(Wdm.NON_PAGED_POOL_NX, 12, "TagA");
          block.set(memory);
          self.k.exFreePoolWithTag(memory, freeTag);
          return NtStatus.SUCCESS;
        })
        .build();
  }

  @Test
  void freeingWithTheWrongTagIsBadPoolCallerSubcode0AUnderTheVerifier() {
    Kernel kernel = boot("Tagger", VerifierFlags.STANDARD);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(tagger("TagB")));

    // P2 the block.
    assertBugCheck(check, BugCheck.BAD_POOL_CALLER, 0x0A, address(block.get()), 0, 0, "Tagger");
    assertEquals(1, check.objects().size(), check::render);
    assertPoolObject(check.objects().get(0), "Tagger", "TagA", 12, "freed with the wrong tag",
        VerifierPoolFreeTest.class, "tagger");
    assertTrue(check.message().contains("TagB"), check.message());
  }

  @Test
  void freeingWithTheWrongTagIsBadPoolCallerSubcode0AWithoutTheVerifier() {
    Kernel kernel = bootWithoutVerifier();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(tagger("TagB")));

    assertBugCheck(check, BugCheck.BAD_POOL_CALLER, 0x0A, address(block.get()), 0, 0, "Tagger");
  }

  @Test
  void freeingWithTheRightTagIsFineUnderTheVerifier() {
    Kernel kernel = boot("Tagger", VerifierFlags.STANDARD);

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(tagger("TagA")));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Tagger"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // Not a pool block

  /** "Bogus": DriverEntry frees {@code memory}, which it never allocated, with {@code tag}. */
  private TestDriver bogus(PoolMemory memory, String tag) {
    return TestDriver.legacy("Bogus", journal)
        .unload(self -> { })
        .entry(self -> {
          self.k.exFreePoolWithTag(memory, tag);
          return NtStatus.SUCCESS;
        })
        .build();
  }

  @Test
  void freeingNullIsBugCheckC4Subcode10WithPoolTracking() {
    Kernel kernel = boot("Bogus", VerifierFlags.POOL_TRACKING);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(bogus(null, "Bogu")));

    // P2 the bad address: null.
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x10, 0, 0, 0, "Bogus");
  }

  @Test
  void withoutTheVerifierFreeingNullIsBadPoolCallerSubcode46() {
    Kernel kernel = bootWithoutVerifier();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(bogus(null, "Bogu")));

    assertBugCheck(check, BugCheck.BAD_POOL_CALLER, 0x46, 0, 0, 0, "Bogus");
  }

  @Test
  void freeingAnObjectThatIsNoPoolBlockIsBugCheckC4Subcode10() {
    Kernel kernel = boot("Bogus", VerifierFlags.SPECIAL_POOL);

    BugCheck check = stops(kernel,
        () -> kernel.loadDriver(bogus(new VerifierFakePoolMemory(), "Bogu")));

    assertEquals(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, check.code(), check::toString);
    assertEquals(0x10, check.parameter1(), check::toString);
    assertEquals("Bogus", check.driverName());
  }

  /**
   * Kernels share nothing (Kernel's javadoc): a block of another kernel is not a pool block of this
   * one, as a device object of another kernel is not a device object of this one.
   */
  @Test
  void freeingABlockOfAnotherKernelIsBugCheckC4Subcode10AndLeavesThatKernelsBlockAlone() {
    Kernel other = bootWithoutVerifier();
    AtomicReference<PoolMemory> foreign = new AtomicReference<>();
    other.loadDriver(TestDriver.legacy("Owner", journal)
        .entry(self -> {
          foreign.set(self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 8, "Ownr"));
          return NtStatus.SUCCESS;
        })
        .unload(self -> self.k.exFreePoolWithTag(foreign.get(), "Ownr"))
        .build());
    Kernel kernel = boot("Bogus", VerifierFlags.POOL_TRACKING);

    SystemStoppedException stopped = null;
    try {
      kernel.loadDriver(bogus(foreign.get(), "Ownr"));
    } catch (SystemStoppedException expected) {
      stopped = expected;
    }

    assertNotNull(stopped, "freeing another kernel's block must stop this kernel; bug check: "
        + kernel.bugCheck() + ", trace: " + kernel.trace());
    BugCheck check = stopped.bugCheck();
    assertEquals(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, check.code(), check::toString);
    assertEquals(0x10, check.parameter1(), check::toString);
    // The other kernel's driver still owns its block and frees it normally.
    assertEquals(NtStatus.SUCCESS, other.unloadDriver("Owner"));
    assertCleanRun(other);
  }
}

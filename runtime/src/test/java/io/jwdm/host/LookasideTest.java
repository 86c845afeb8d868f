package io.jwdm.host;

import static io.jwdm.host.SyncTestSupport.value;
import static io.jwdm.host.VerifierAsserts.address;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertObject;
import static io.jwdm.host.VerifierAsserts.assertPoolObject;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.LookasideList;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ExInitializeNPagedLookasideList, ExAllocateFromNPagedLookasideList, ExFreeToNPagedLookasideList
 * and ExDeleteNPagedLookasideList: blocks are nonpaged pool of the list's size and tag, freed
 * blocks are reused up to the list's depth, a list not deleted at Unload is bug check 0xCE, blocks
 * still handed out at delete are the driver's pool, and freeing the wrong block or twice is a
 * pool bug check.
 */
class LookasideTest {
  private static final String CACHE = "Cache";
  private static final String TAG = "LkLs";

  private final Journal journal = new Journal();

  /** "Cache": a legacy driver without devices running {@code entry} and {@code unload}. */
  private TestDriver cache(TestDriver.Entry entry, TestDriver.Unload unload) {
    return TestDriver.legacy(CACHE, journal).entry(entry).unload(unload).build();
  }

  /** The driver's own ExInitializeNPagedLookasideList call: leaks must name it. */
  private static LookasideList createList(TestDriver.Instance self, int size, int depth) {
    LookasideList list = self.k.exInitializeNPagedLookasideList(0, size, TAG, depth);
    self.values.put("list", list);
    return list;
  }

  private static long listAddress(LookasideList list) {
    return assertInstanceOf(LookasideManager.LookasideImpl.class, list).address;
  }

  // ---------------------------------------------------------------------------------------------
  // Correct use

  @Test
  void blocksAreNonpagedPoolOfTheListsSizeAndTagAndFreedBlocksAreReused() {
    Kernel kernel = VerifierAsserts.boot(CACHE, VerifierFlags.POOL_TRACKING
        | VerifierFlags.DEADLOCK_DETECTION);
    kernel.loadDriver(cache(self -> {
      KernelServices k = self.k;
      LookasideList list = createList(self, 64, 0);
      PoolMemory block = k.exAllocateFromNPagedLookasideList(list);
      block.putLong(56, 0x1122334455667788L);
      self.note(block.size() + " bytes, tag " + block.tag() + ", paged " + block.paged()
          + ", list size " + list.size() + ", reads back " + (block.getLong(56)
              == 0x1122334455667788L));
      k.exFreeToNPagedLookasideList(list, block);
      PoolMemory again = k.exAllocateFromNPagedLookasideList(list);
      self.note("reused: " + (again == block));
      k.exFreeToNPagedLookasideList(list, again);
      return NtStatus.SUCCESS;
    }, self -> self.k.exDeleteNPagedLookasideList(value(self, "list", LookasideList.class))));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(CACHE));

    assertEquals(List.of("DriverEntry", "64 bytes, tag LkLs, paged false, list size 64, reads"
        + " back true", "reused: true", "Unload"), journal.eventsOf(CACHE));
    assertCleanRun(kernel);
  }

  @Test
  void theListKeepsFreedBlocksUpToItsDepth() {
    Kernel kernel = VerifierAsserts.boot(CACHE, VerifierFlags.POOL_TRACKING);
    kernel.loadDriver(cache(self -> {
      KernelServices k = self.k;
      LookasideList list = createList(self, 16, 2);
      PoolMemory[] first = new PoolMemory[3];
      for (int i = 0; i < 3; i++) {
        first[i] = k.exAllocateFromNPagedLookasideList(list);
      }
      for (PoolMemory block : first) {
        k.exFreeToNPagedLookasideList(list, block);
      }
      PoolMemory[] second = new PoolMemory[3];
      for (int i = 0; i < 3; i++) {
        second[i] = k.exAllocateFromNPagedLookasideList(list);
      }
      self.values.put("first", first);
      self.values.put("second", second);
      for (PoolMemory block : second) {
        k.exFreeToNPagedLookasideList(list, block);
      }
      return NtStatus.SUCCESS;
    }, self -> self.k.exDeleteNPagedLookasideList(value(self, "list", LookasideList.class))));

    PoolMemory[] first = value(journal.last(CACHE), "first", PoolMemory[].class);
    PoolMemory[] second = value(journal.last(CACHE), "second", PoolMemory[].class);
    assertSame(first[1], second[0], "the last block kept comes out first");
    assertSame(first[0], second[1]);
    assertTrue(List.of(first).stream().noneMatch(block -> block == second[2]),
        "the third freed block went back to the pool; a new one was allocated");
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(CACHE));
    assertCleanRun(kernel);
  }

  @Test
  void underSpecialPoolFreedBlocksAreNotKeptSoAUseAfterFreeIsCaught() {
    Kernel kernel = VerifierAsserts.boot(CACHE, VerifierFlags.STANDARD);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(cache(self -> {
      LookasideList list = createList(self, 32, 0);
      PoolMemory block = self.k.exAllocateFromNPagedLookasideList(list);
      self.values.put("block", block);
      self.k.exFreeToNPagedLookasideList(list, block);
      block.put(0, (byte) 1);
      return NtStatus.SUCCESS;
    }, self -> { })));

    assertEquals(BugCheck.DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL, check.code(), check::render);
    assertEquals(address(value(journal.last(CACHE), "block", PoolMemory.class)),
        check.parameter1());
  }

  // ---------------------------------------------------------------------------------------------
  // Leaks

  @Test
  void aListNotDeletedAtUnloadIsBugCheckCEWithTheCreatingStack() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(cache(self -> {
      LookasideList list = createList(self, 48, 0);
      self.k.exFreeToNPagedLookasideList(list, self.k.exAllocateFromNPagedLookasideList(list));
      return NtStatus.SUCCESS;
    }, self -> { }));
    long list = listAddress(value(journal.last(CACHE), "list", LookasideList.class));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(CACHE));

    assertBugCheck(check, BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, list, 0,
        0, 0, CACHE);
    assertEquals(1, check.objects().size(), check::render);
    assertObject(check.objects().get(0), "LookasideList", CACHE, "Unload", LookasideTest.class,
        "createList");
    assertEquals(List.of(check.objects().get(0)), kernel.leaks(),
        "the cached block was the list's, reclaimed with it, not a pool leak");
  }

  /** DriverEntry allocates a block that it never frees, then deletes the list. */
  private TestDriver keepsABlock() {
    return cache(self -> {
      LookasideList list = createList(self, 24, 0);
      self.values.put("block", allocate(self, list));
      self.k.exDeleteNPagedLookasideList(list);
      return NtStatus.SUCCESS;
    }, self -> { });
  }

  /** The driver's own allocation: pool leaks must name it. */
  private static PoolMemory allocate(TestDriver.Instance self, LookasideList list) {
    return self.k.exAllocateFromNPagedLookasideList(list);
  }

  @Test
  void aBlockStillHandedOutAtDeleteIsPoolOfTheDriverAtUnload() {
    Kernel kernel = VerifierAsserts.boot(CACHE, VerifierFlags.POOL_TRACKING);
    kernel.loadDriver(keepsABlock());
    long driver = address(journal.last(CACHE).driverObject);

    BugCheck check = stops(kernel, () -> kernel.unloadDriver(CACHE));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x62, driver, 0, 1, CACHE);
    assertPoolObject(check.objects().get(0), CACHE, TAG, 24, "Unload", LookasideTest.class,
        "allocate");
  }

  @Test
  void withoutPoolTrackingABlockKeptPastDeleteIsOnlyRecordedAsALeak() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(keepsABlock());

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(CACHE));

    assertEquals(1, kernel.leaks().size(), () -> kernel.leaks().toString());
    assertPoolObject(kernel.leaks().get(0), CACHE, TAG, 24, "Unload", LookasideTest.class,
        "allocate");
    assertFalse(kernel.bugCheck().isPresent());
  }

  // ---------------------------------------------------------------------------------------------
  // Misuse

  /** DriverEntry frees a block of a 16-byte list to a 32-byte list. */
  private TestDriver freesToTheWrongList() {
    return cache(self -> {
      LookasideList small = self.k.exInitializeNPagedLookasideList(0, 16, TAG, 0);
      LookasideList large = self.k.exInitializeNPagedLookasideList(0, 32, TAG, 0);
      PoolMemory block = self.k.exAllocateFromNPagedLookasideList(small);
      self.values.put("block", block);
      self.k.exFreeToNPagedLookasideList(large, block);
      return NtStatus.SUCCESS;
    }, self -> { });
  }

  @Test
  void freeingABlockToAnotherListIsBugCheckC4Subcode16UnderPoolTracking() {
    Kernel kernel = VerifierAsserts.boot(CACHE, VerifierFlags.POOL_TRACKING);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(freesToTheWrongList()));

    long block = address(value(journal.last(CACHE), "block", PoolMemory.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x16, 0, block, 0, CACHE);
    assertTrue(check.message().contains("it is 16 bytes; the list's blocks are 32"),
        check::render);
  }

  @Test
  void freeingABlockToAnotherListIsBugCheckC2Subcode46WithoutTheVerifier() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(freesToTheWrongList()));

    long block = address(value(journal.last(CACHE), "block", PoolMemory.class));
    assertBugCheck(check, BugCheck.BAD_POOL_CALLER, 0x46, block, 0, 0, CACHE);
  }

  @Test
  void freeingPlainPoolToAListIsRefusedToo() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(cache(self -> {
      LookasideList list = createList(self, 16, 0);
      self.k.exFreeToNPagedLookasideList(list,
          self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 16, TAG));
      return NtStatus.SUCCESS;
    }, self -> { })));

    assertEquals(BugCheck.BAD_POOL_CALLER, check.code(), check::render);
    assertEquals(0x46, check.parameter1());
  }

  /** DriverEntry frees the same block to its list twice. */
  private TestDriver freesTwice() {
    return cache(self -> {
      LookasideList list = createList(self, 16, 0);
      PoolMemory block = self.k.exAllocateFromNPagedLookasideList(list);
      self.values.put("block", block);
      self.k.exFreeToNPagedLookasideList(list, block);
      self.k.exFreeToNPagedLookasideList(list, block);
      return NtStatus.SUCCESS;
    }, self -> { });
  }

  @Test
  void freeingABlockTwiceIsBugCheckC4Subcode13UnderPoolTracking() {
    Kernel kernel = VerifierAsserts.boot(CACHE, VerifierFlags.POOL_TRACKING);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(freesTwice()));

    long block = address(value(journal.last(CACHE), "block", PoolMemory.class));
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x13, 0, block, 0, CACHE);
  }

  @Test
  void freeingABlockTwiceIsBugCheckC2Subcode07WithoutTheVerifier() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(freesTwice()));

    long block = address(value(journal.last(CACHE), "block", PoolMemory.class));
    assertBugCheck(check, BugCheck.BAD_POOL_CALLER, 0x07, 0, 0, block, CACHE);
  }

  @Test
  void aZeroBlockSizeIsBugCheckC4SubcodeCDUnderTheVerifier() {
    Kernel kernel = VerifierAsserts.boot(CACHE, VerifierFlags.STANDARD);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(cache(self -> {
      self.k.exInitializeNPagedLookasideList(0, 0, TAG, 0);
      return NtStatus.SUCCESS;
    }, self -> { })));

    assertEquals(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, check.code(), check::render);
    assertEquals(0xCD, check.parameter1());
    assertEquals(0, check.parameter3());
    assertEquals(1, check.parameter4());
  }

  @Test
  void aZeroBlockSizeOrABadTagIsBugCheck1EWithoutTheVerifier() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(cache(self -> {
      self.k.exInitializeNPagedLookasideList(0, 16, "TooLong", 0);
      return NtStatus.SUCCESS;
    }, self -> { })));

    assertEquals(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, check.code(), check::render);
    assertEquals(0xC000000DL, check.parameter1());
    assertTrue(check.message().contains("TooLong"), check::render);
  }

  @Test
  void deletingTwiceIsBugCheckC4SubcodeCBUnderTheVerifierAndUsingADeletedListIs1E() {
    Kernel verified = VerifierAsserts.boot(CACHE, VerifierFlags.STANDARD);
    BugCheck twice = stops(verified, () -> verified.loadDriver(cache(self -> {
      LookasideList list = createList(self, 16, 0);
      self.k.exDeleteNPagedLookasideList(list);
      self.k.exDeleteNPagedLookasideList(list);
      return NtStatus.SUCCESS;
    }, self -> { })));
    long list = listAddress(value(journal.last(CACHE), "list", LookasideList.class));
    assertBugCheck(twice, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0xCB, list, 0, 0, CACHE);

    Kernel plain = VerifierAsserts.bootWithoutVerifier();
    BugCheck used = stops(plain, () -> plain.loadDriver(cache(self -> {
      LookasideList deleted = createList(self, 16, 0);
      self.k.exDeleteNPagedLookasideList(deleted);
      self.k.exAllocateFromNPagedLookasideList(deleted);
      return NtStatus.SUCCESS;
    }, self -> { })));
    assertEquals(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, used.code(), used::render);
    assertEquals(0xC0000005L, used.parameter1());
    assertObject(used.objects().get(0), "LookasideList", CACHE, "used after delete",
        LookasideTest.class, "createList");
  }

  @Test
  void aFailedAllocationFromTheListIsNull() {
    Kernel kernel = Kernel.boot(KernelOptions.builder()
        .verifier(CACHE, VerifierFlags.SYSTEMATIC_LOW_RESOURCES)
        .build());
    kernel.loadDriver(cache(self -> {
      LookasideList list = createList(self, 16, 0);
      PoolMemory[] blocks = new PoolMemory[2];
      for (int i = 0; i < 2; i++) {
        blocks[i] = allocate(self, list); // systematic: this call stack fails once
      }
      self.note("first " + (blocks[0] == null) + ", second " + (blocks[1] == null));
      if (blocks[1] != null) {
        self.k.exFreeToNPagedLookasideList(list, blocks[1]);
      }
      return NtStatus.SUCCESS;
    }, self -> self.k.exDeleteNPagedLookasideList(value(self, "list", LookasideList.class))));

    assertEquals(List.of("DriverEntry", "first true, second false"),
        journal.eventsOf(CACHE).subList(0, 2), journal::toString);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(CACHE));
    assertCleanRun(kernel);
  }
}

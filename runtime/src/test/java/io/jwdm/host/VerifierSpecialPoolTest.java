package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.address;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertPoolObject;
import static io.jwdm.host.VerifierAsserts.boot;
import static io.jwdm.host.VerifierAsserts.bootWithoutVerifier;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Special pool (0x1): an access beyond the end of a block is 0xD6, an access after it was freed is
 * 0xD5; without special pool the overrun is an access violation (0x1E) and the use after free goes
 * unnoticed (PoolMemory's javadoc, DOMAIN §4). And a correct driver's use of pool under /standard.
 */
class VerifierSpecialPoolTest {
  private final Journal journal = new Journal();
  private final AtomicReference<PoolMemory> block = new AtomicReference<>();

  /** The access a test driver makes to its 16-byte block. */
  @FunctionalInterface
  interface Access {
    void access(PoolMemory memory);
  }

  /**
   * "Overrun": DriverEntry allocates 16 bytes of nonpaged pool tagged 'SpOv', makes
   * {@code access}, and frees the block.
   */
  private TestDriver overrun(Access access) {
    return TestDriver.legacy("Overrun", journal)
        .unload(self -> { })
        .entry(self -> {
          PoolMemory memory = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 16, "SpOv");
          block.set(memory);
          access.access(memory);
          self.k.exFreePoolWithTag(memory, "SpOv");
          return NtStatus.SUCCESS;
        })
        .build();
  }

  @Test
  void writingPastTheEndIsBugCheckD6WithSpecialPool() {
    Kernel kernel = boot("Overrun", VerifierFlags.SPECIAL_POOL);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(overrun(m -> m.putInt(14, 0x1234))));

    // P1 the address referenced, P2 1 for a write.
    assertBugCheck(check, BugCheck.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION,
        address(block.get()) + 14, 1, 0, 0, "Overrun");
    assertEquals(1, check.objects().size(), check::render);
    assertPoolObject(check.objects().get(0), "Overrun", "SpOv", 16, "overrun",
        VerifierSpecialPoolTest.class, "overrun");
  }

  @Test
  void readingPastTheEndIsBugCheckD6ForARead() {
    Kernel kernel = boot("Overrun", VerifierFlags.STANDARD);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(overrun(m -> m.getLong(16))));

    assertBugCheck(check, BugCheck.DRIVER_PAGE_FAULT_BEYOND_END_OF_ALLOCATION,
        address(block.get()) + 16, 0, 0, 0, "Overrun");
  }

  @Test
  void withoutSpecialPoolWritingPastTheEndIsAnAccessViolation() {
    Kernel kernel = boot("Overrun", VerifierFlags.POOL_TRACKING);

    BugCheck check = stops(kernel, () -> kernel.loadDriver(overrun(m -> m.putInt(14, 0x1234))));

    long driverAddress = address(journal.last("Overrun").driverObject);
    assertBugCheck(check, BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L, driverAddress, 0, 0,
        "Overrun");
    assertInstanceOf(IndexOutOfBoundsException.class, check.cause());
  }

  @Test
  void writingTheLastBytesIsFineWithSpecialPool() {
    Kernel kernel = boot("Overrun", VerifierFlags.SPECIAL_POOL);

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(overrun(m -> m.putInt(12, 0x1234))));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Overrun"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // Use after free

  /**
   * "Stale": DriverEntry allocates 16 bytes tagged 'SpUf', writes 0x5A5A5A5A at offset 4, frees
   * the block and then, if {@code afterFree}, reads offset 4 (or before freeing, if not); the
   * value read goes to {@code read}.
   */
  private TestDriver stale(boolean afterFree, List<Integer> read) {
    return TestDriver.legacy("Stale", journal)
        .unload(self -> { })
        .entry(self -> {
          PoolMemory memory = self.k.exAllocatePool2(Wdm.POOL_FLAG_PAGED, 16, "SpUf");
          block.set(memory);
          memory.putInt(4, 0x5A5A5A5A);
          if (!afterFree) {
            read.add(memory.getInt(4));
          }
          self.k.exFreePoolWithTag(memory, "SpUf");
          if (afterFree) {
            read.add(memory.getInt(4));
          }
          return NtStatus.SUCCESS;
        })
        .build();
  }

  @Test
  void readingAfterFreeIsBugCheckD5WithSpecialPool() {
    Kernel kernel = boot("Stale", VerifierFlags.SPECIAL_POOL);
    List<Integer> read = new CopyOnWriteArrayList<>();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(stale(true, read)));

    // P1 the address referenced, P2 0 for a read.
    assertBugCheck(check, BugCheck.DRIVER_PAGE_FAULT_IN_FREED_SPECIAL_POOL,
        address(block.get()) + 4, 0, 0, 0, "Stale");
    assertEquals(List.of(), read, "the read must not return");
    assertEquals(1, check.objects().size(), check::render);
    assertPoolObject(check.objects().get(0), "Stale", "SpUf", 16, "freed",
        VerifierSpecialPoolTest.class, "stale");
  }

  @Test
  void withoutSpecialPoolAReadAfterFreeGoesUnnoticed() {
    Kernel kernel = bootWithoutVerifier();
    List<Integer> read = new CopyOnWriteArrayList<>();

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(stale(true, read)));

    assertEquals(List.of(0x5A5A5A5A), read, "the stale data is read back");
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Stale"));
    assertCleanRun(kernel);
  }

  @Test
  void readingBeforeFreeIsFineWithSpecialPool() {
    Kernel kernel = boot("Stale", VerifierFlags.SPECIAL_POOL);
    List<Integer> read = new CopyOnWriteArrayList<>();

    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(stale(false, read)));

    assertEquals(List.of(0x5A5A5A5A), read);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Stale"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // A correct driver

  /** What the "Careful" driver saw, for the test to check after DriverEntry returned. */
  static final class Seen {
    volatile byte[] zeroed;
    volatile int roundTrip;
    volatile byte lowByte;
    volatile byte highByte;
    volatile short shortValue;
    volatile long longValue;
    volatile byte[] copied;
    volatile byte filled;
    volatile int pagedSize;
    volatile boolean paged;
  }

  @Test
  void aDriverThatAllocatesUsesAndFreesPoolRunsCleanlyUnderStandardFlags() {
    Kernel kernel = boot("Careful", VerifierFlags.STANDARD);
    Seen seen = new Seen();

    NtStatus loaded = kernel.loadDriver(TestDriver.legacy("Careful", journal)
        .entry(self -> {
          PoolMemory zeroed = self.k.exAllocatePool2(Wdm.POOL_FLAG_NON_PAGED, 64, "Crf1");
          byte[] contents = new byte[64];
          zeroed.get(0, contents, 0, 64);
          seen.zeroed = contents;
          zeroed.putInt(8, 0x11223344);
          seen.roundTrip = zeroed.getInt(8);
          seen.lowByte = zeroed.get(8);
          seen.highByte = zeroed.get(11);
          zeroed.putShort(20, (short) 0x7FFE);
          seen.shortValue = zeroed.getShort(20);
          zeroed.putLong(56, 0x0102030405060708L);
          seen.longValue = zeroed.getLong(56);
          self.values.put("Crf1", zeroed);

          PoolMemory paged = self.k.exAllocatePoolWithTag(Wdm.PAGED_POOL, 128, "Crf2");
          paged.fill((byte) 0x33);
          paged.put(0, new byte[] {1, 2, 3}, 0, 3);
          byte[] copied = new byte[4];
          paged.get(0, copied, 0, 4);
          seen.copied = copied;
          seen.filled = paged.get(127);
          seen.pagedSize = paged.size();
          seen.paged = paged.paged();
          self.k.exFreePool(paged);
          return NtStatus.SUCCESS;
        })
        .unload(self -> self.k.exFreePoolWithTag((PoolMemory) self.values.get("Crf1"), "Crf1"))
        .build());

    assertEquals(NtStatus.SUCCESS, loaded);
    assertNotNull(seen.zeroed);
    assertArrayEquals(new byte[64], seen.zeroed, "ExAllocatePool2 memory is zeroed");
    assertEquals(0x11223344, seen.roundTrip);
    assertEquals((byte) 0x44, seen.lowByte, "little-endian: the low byte first");
    assertEquals((byte) 0x11, seen.highByte);
    assertEquals((short) 0x7FFE, seen.shortValue);
    assertEquals(0x0102030405060708L, seen.longValue);
    assertArrayEquals(new byte[] {1, 2, 3, 0x33}, seen.copied);
    assertEquals((byte) 0x33, seen.filled);
    assertEquals(128, seen.pagedSize);
    assertEquals(true, seen.paged);
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Careful"));
    assertFalse(kernel.isLoaded("Careful"));
    assertCleanRun(kernel);
  }
}

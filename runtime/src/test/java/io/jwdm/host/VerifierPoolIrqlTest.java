package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.boot;
import static io.jwdm.host.VerifierAsserts.bootWithoutVerifier;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jwdm.kernel.Irql;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Pool allocations above their IRQL limit: paged pool above APC_LEVEL is 0xC4 / 0x01 and nonpaged
 * pool above DISPATCH_LEVEL is 0xC4 / 0x02 under Driver Verifier, IRQL_NOT_LESS_OR_EQUAL (0xA)
 * without it (KernelServices#exAllocatePool2, DOMAIN §4).
 */
class VerifierPoolIrqlTest {
  private static final int IOCTL_QUEUE = Wdm.CTL_CODE(0x22, 0x800, Wdm.METHOD_BUFFERED, 0);

  private final Journal journal = new Journal();

  /**
   * "Serial": IOCTL_QUEUE marks the IRP pending and hands it to IoStartPacket; StartIo (at
   * DISPATCH_LEVEL) allocates 24 bytes tagged 'SioP' with {@code poolFlags}, frees them, completes
   * the IRP and starts the next packet.
   */
  private TestDriver serial(long poolFlags, List<Irql> startIoIrqls) {
    return TestDriver.legacyDevice("Serial", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          self.k.ioMarkIrpPending(irp);
          self.k.ioStartPacket(device, irp, null);
          return NtStatus.PENDING;
        })
        .startIo((self, device, irp) -> {
          startIoIrqls.add(self.k.keGetCurrentIrql());
          PoolMemory buffer = self.k.exAllocatePool2(poolFlags, 24, "SioP");
          buffer.putInt(0, 7);
          self.k.exFreePoolWithTag(buffer, "SioP");
          Routines.complete(self, irp, NtStatus.SUCCESS, 0);
          self.k.ioStartNextPacket(device, false);
        })
        .build();
  }

  @Test
  void pagedPoolAllocatedInStartIoIsBugCheckC4Subcode01WithIrqlChecking() {
    Kernel kernel = boot("Serial", VerifierFlags.FORCE_IRQL_CHECKING);
    List<Irql> seen = new CopyOnWriteArrayList<>();
    kernel.loadDriver(serial(Wdm.POOL_FLAG_PAGED, seen));
    Handle handle = kernel.open("\\\\.\\Serial");

    BugCheck check = stops(kernel, () -> handle.deviceIoControl(IOCTL_QUEUE, null, 0));

    assertEquals(List.of(Irql.DISPATCH_LEVEL), seen);
    // P2 the current IRQL, P3 the pool type, P4 the size.
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x01,
        Irql.DISPATCH_LEVEL.level(), Wdm.PAGED_POOL, 24, "Serial");
  }

  @Test
  void pagedPoolAllocatedInStartIoIsBugCheckC4Subcode01UnderStandardFlags() {
    Kernel kernel = boot("Serial", VerifierFlags.STANDARD);
    kernel.loadDriver(serial(Wdm.POOL_FLAG_PAGED, new CopyOnWriteArrayList<>()));
    Handle handle = kernel.open("\\\\.\\Serial");

    BugCheck check = stops(kernel, () -> handle.deviceIoControl(IOCTL_QUEUE, null, 0));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x01,
        Irql.DISPATCH_LEVEL.level(), Wdm.PAGED_POOL, 24, "Serial");
  }

  @Test
  void withoutTheVerifierPagedPoolInStartIoIsIrqlNotLessOrEqual() {
    Kernel kernel = bootWithoutVerifier();
    kernel.loadDriver(serial(Wdm.POOL_FLAG_PAGED, new CopyOnWriteArrayList<>()));
    Handle handle = kernel.open("\\\\.\\Serial");

    BugCheck check = stops(kernel, () -> handle.deviceIoControl(IOCTL_QUEUE, null, 0));

    // P2 the IRQL at the time of the call.
    assertBugCheck(check, BugCheck.IRQL_NOT_LESS_OR_EQUAL, 0, Irql.DISPATCH_LEVEL.level(), 0, 0,
        "Serial");
  }

  @Test
  void nonpagedPoolInStartIoIsFineUnderStandardFlags() {
    Kernel kernel = boot("Serial", VerifierFlags.STANDARD);
    kernel.loadDriver(serial(Wdm.POOL_FLAG_NON_PAGED, new CopyOnWriteArrayList<>()));
    Handle handle = kernel.open("\\\\.\\Serial");

    IoResult result = handle.deviceIoControl(IOCTL_QUEUE, null, 0);

    assertEquals(NtStatus.SUCCESS, result.status());
    handle.close();
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Serial"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // KeRaiseIrql

  /**
   * "Raiser": DriverEntry raises to {@code irql}, allocates 40 bytes tagged 'Rais' with
   * {@code poolFlags}, frees them, and lowers the IRQL again.
   */
  private TestDriver raiser(Irql irql, long poolFlags) {
    return TestDriver.legacy("Raiser", journal)
        .unload(self -> { })
        .entry(self -> {
          Irql old = self.k.keRaiseIrql(irql);
          PoolMemory block = self.k.exAllocatePool2(poolFlags, 40, "Rais");
          self.k.exFreePoolWithTag(block, "Rais");
          self.k.keLowerIrql(old);
          return NtStatus.SUCCESS;
        })
        .build();
  }

  @Test
  void pagedPoolAtARaisedDispatchLevelIsBugCheckC4Subcode01() {
    Kernel kernel = boot("Raiser", VerifierFlags.STANDARD);

    BugCheck check = stops(kernel,
        () -> kernel.loadDriver(raiser(Irql.DISPATCH_LEVEL, Wdm.POOL_FLAG_PAGED)));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x01,
        Irql.DISPATCH_LEVEL.level(), Wdm.PAGED_POOL, 40, "Raiser");
  }

  @Test
  void pagedPoolAtApcLevelIsFine() {
    Kernel kernel = boot("Raiser", VerifierFlags.STANDARD);

    assertEquals(NtStatus.SUCCESS,
        kernel.loadDriver(raiser(Irql.APC_LEVEL, Wdm.POOL_FLAG_PAGED)));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Raiser"));
    assertCleanRun(kernel);
  }

  @Test
  void nonpagedPoolAtDirqlIsBugCheckC4Subcode02() {
    Kernel kernel = boot("Raiser", VerifierFlags.FORCE_IRQL_CHECKING);

    BugCheck check = stops(kernel,
        () -> kernel.loadDriver(raiser(Irql.DIRQL, Wdm.POOL_FLAG_NON_PAGED)));

    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x02, Irql.DIRQL.level(),
        Wdm.NON_PAGED_POOL, 40, "Raiser");
  }

  @Test
  void withoutTheVerifierNonpagedPoolAtDirqlIsIrqlNotLessOrEqual() {
    Kernel kernel = bootWithoutVerifier();

    BugCheck check = stops(kernel,
        () -> kernel.loadDriver(raiser(Irql.DIRQL, Wdm.POOL_FLAG_NON_PAGED)));

    assertBugCheck(check, BugCheck.IRQL_NOT_LESS_OR_EQUAL, 0, Irql.DIRQL.level(), 0, 0, "Raiser");
  }

  @Test
  void nonpagedPoolAtDispatchLevelIsFineUnderStandardFlags() {
    Kernel kernel = boot("Raiser", VerifierFlags.STANDARD);

    assertEquals(NtStatus.SUCCESS,
        kernel.loadDriver(raiser(Irql.DISPATCH_LEVEL, Wdm.POOL_FLAG_NON_PAGED)));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Raiser"));
    assertFalse(kernel.isLoaded("Raiser"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // Freeing above the limit

  /**
   * "Freer": DriverEntry allocates 32 bytes of paged pool tagged 'FrP1' at PASSIVE_LEVEL, then
   * raises to {@code irql} to free it.
   */
  private TestDriver freer(Irql irql, AtomicReference<PoolMemory> kept) {
    return TestDriver.legacy("Freer", journal)
        .unload(self -> { })
        .entry(self -> {
          PoolMemory block = self.k.exAllocatePool2(Wdm.POOL_FLAG_PAGED, 32, "FrP1");
          kept.set(block);
          Irql old = self.k.keRaiseIrql(irql);
          self.k.exFreePoolWithTag(block, "FrP1");
          self.k.keLowerIrql(old);
          return NtStatus.SUCCESS;
        })
        .build();
  }

  @Test
  void freeingPagedPoolAtDispatchLevelIsBugCheckC4Subcode11() {
    Kernel kernel = boot("Freer", VerifierFlags.POOL_TRACKING);
    AtomicReference<PoolMemory> kept = new AtomicReference<>();

    BugCheck check = stops(kernel, () -> kernel.loadDriver(freer(Irql.DISPATCH_LEVEL, kept)));

    // P2 the current IRQL, P3 the pool type, P4 the block.
    assertBugCheck(check, BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x11,
        Irql.DISPATCH_LEVEL.level(), Wdm.PAGED_POOL, VerifierAsserts.address(kept.get()),
        "Freer");
  }

  @Test
  void withoutTheVerifierFreeingPagedPoolAtDispatchLevelIsIrqlNotLessOrEqual() {
    Kernel kernel = bootWithoutVerifier();

    BugCheck check = stops(kernel,
        () -> kernel.loadDriver(freer(Irql.DISPATCH_LEVEL, new AtomicReference<>())));

    assertEquals(BugCheck.IRQL_NOT_LESS_OR_EQUAL, check.code(), check::toString);
    assertEquals(Irql.DISPATCH_LEVEL.level(), check.parameter2(), check::toString);
  }

  @Test
  void freeingPagedPoolAtApcLevelIsFine() {
    Kernel kernel = boot("Freer", VerifierFlags.STANDARD);

    assertEquals(NtStatus.SUCCESS,
        kernel.loadDriver(freer(Irql.APC_LEVEL, new AtomicReference<>())));

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Freer"));
    assertCleanRun(kernel);
  }
}

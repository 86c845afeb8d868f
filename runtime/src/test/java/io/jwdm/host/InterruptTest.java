package io.jwdm.host;

import static io.jwdm.host.SyncTestSupport.value;
import static io.jwdm.host.VerifierAsserts.assertBugCheck;
import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertObject;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.Irql;
import io.jwdm.kernel.KInterrupt;
import io.jwdm.kernel.KServiceRoutine;
import io.jwdm.kernel.KSpinLock;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * IoConnectInterrupt, IoDisconnectInterrupt, IoInitializeDpcRequest and IoRequestDpc, with the
 * simulated hardware raising interrupts through {@link Kernel#raiseInterrupt}: ISRs run at DIRQL
 * holding their interrupt spin lock, a DpcForIsr runs at DISPATCH_LEVEL when the interrupt call
 * returns, vectors are shared only when every connection agrees, and an interrupt still
 * connected at Unload is bug check 0xCE.
 */
class InterruptTest {
  private static final int VECTOR = 5;

  private final Journal journal = new Journal();

  /**
   * A legacy driver with a device whose DriverEntry sets a DpcForIsr (noting its IRQL, whether it
   * got its device, the IRP and the context) and connects {@code isr} to {@link #VECTOR}, sharing
   * it if {@code share}; Unload disconnects it if {@code disconnect}, then deletes the device.
   */
  private TestDriver device(String name, KServiceRoutine isr, boolean share, boolean disconnect) {
    String link = "\\??\\" + name;
    return TestDriver.legacyDevice(name, journal)
        .entry(self -> {
          KernelServices k = self.k;
          NtStatus status = Routines.createDevice(self, "\\Device\\" + name, link, 0);
          if (!status.isSuccess()) {
            return status;
          }
          k.ioInitializeDpcRequest(self.device, (dpc, device, irp, context) ->
              self.note("DpcForIsr at " + k.keGetCurrentIrql() + ", own device "
                  + (device == self.device) + ", irp " + irp + ", context " + context));
          status = connect(self, isr, share);
          if (!status.isSuccess()) {
            Routines.deleteDeviceAndLink(self, link);
          }
          return status;
        })
        .unload(self -> {
          if (disconnect) {
            self.k.ioDisconnectInterrupt(value(self, "interrupt", KInterrupt.class));
          }
          Routines.deleteDeviceAndLink(self, link);
        })
        .build();
  }

  /** The driver's own IoConnectInterrupt call: leaks must name it. */
  private static NtStatus connect(TestDriver.Instance self, KServiceRoutine isr, boolean share) {
    Out<KInterrupt> interrupt = new Out<>();
    NtStatus status = self.k.ioConnectInterrupt(interrupt, isr, self, null, VECTOR, Irql.DIRQL,
        Irql.DIRQL, Wdm.LEVEL_SENSITIVE, share, 1, false);
    self.values.put("interrupt", interrupt.get());
    return status;
  }

  /** An ISR that notes its IRQL and context, requests its DpcForIsr, and returns {@code claim}. */
  private static KServiceRoutine isr(boolean claim) {
    return (interrupt, context) -> {
      TestDriver.Instance self = (TestDriver.Instance) context;
      self.note("ISR at " + self.k.keGetCurrentIrql() + " on vector " + interrupt.vector());
      if (claim) {
        self.k.ioRequestDpc(self.device, null, "from the ISR");
      }
      return claim;
    };
  }

  private static long address(KInterrupt interrupt) {
    return assertInstanceOf(InterruptManager.InterruptImpl.class, interrupt).address;
  }

  // ---------------------------------------------------------------------------------------------
  // Correct drivers

  @Test
  void isrRunsAtDirqlAndItsDpcForIsrRunsAtDispatchBeforeTheInterruptCallReturns() {
    Kernel kernel = VerifierAsserts.boot("Dev", VerifierFlags.STANDARD);
    assertEquals(NtStatus.SUCCESS, kernel.loadDriver(device("Dev", isr(true), false, true)));

    assertTrue(kernel.raiseInterrupt(VECTOR));

    assertEquals(List.of("DriverEntry", "ISR at DIRQL on vector 5", "DpcForIsr at DISPATCH_LEVEL,"
        + " own device true, irp null, context from the ISR"), journal.eventsOf("Dev"));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Dev"));
    assertFalse(kernel.raiseInterrupt(VECTOR), "disconnected: nothing claims the vector");
    assertCleanRun(kernel);
    VerifierAsserts.assertTraced(kernel, "Interrupt", "vector 5", "claimed by KINTERRUPT");
  }

  @Test
  void anInterruptNoIsrClaimsReturnsFalseAndAnUnconnectedVectorToo() {
    Kernel kernel = VerifierAsserts.boot("Dev", VerifierFlags.STANDARD);
    kernel.loadDriver(device("Dev", isr(false), false, true));

    assertFalse(kernel.raiseInterrupt(VECTOR));
    assertFalse(kernel.raiseInterrupt(VECTOR + 1));

    assertEquals(List.of("DriverEntry", "ISR at DIRQL on vector 5"), journal.eventsOf("Dev"));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Dev"));
    assertCleanRun(kernel);
  }

  @Test
  void theIsrHoldsTheSpinLockItWasConnectedWith() {
    Kernel kernel = VerifierAsserts.boot("Dev", VerifierFlags.STANDARD);
    TestDriver driver = TestDriver.legacy("Dev", journal)
        .entry(self -> {
          KSpinLock lock = self.k.keInitializeSpinLock();
          Out<KInterrupt> interrupt = new Out<>();
          NtStatus status = self.k.ioConnectInterrupt(interrupt, (i, context) -> {
            self.note("ISR holds the lock: " + lock.isHeld());
            return true;
          }, null, lock, VECTOR, Irql.DIRQL, Irql.DIRQL, Wdm.LATCHED, false, 1, false);
          self.values.put("interrupt", interrupt.get());
          self.values.put("lock", lock);
          return status;
        })
        .unload(self -> {
          KSpinLock lock = value(self, "lock", KSpinLock.class);
          Irql old = self.k.keAcquireSpinLock(lock); // synchronizes with the ISR
          self.k.keReleaseSpinLock(lock, old);
          self.k.ioDisconnectInterrupt(value(self, "interrupt", KInterrupt.class));
        })
        .build();
    kernel.loadDriver(driver);

    assertTrue(kernel.raiseInterrupt(VECTOR));

    assertTrue(journal.contains("Dev ISR holds the lock: true"), journal::toString);
    assertFalse(value(journal.last("Dev"), "lock", KSpinLock.class).isHeld());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Dev"));
    assertCleanRun(kernel);
  }

  @Test
  void aDpcForIsrRequestedTwiceBeforeItRunsRunsOnce() {
    Kernel kernel = VerifierAsserts.boot("Dev", VerifierFlags.STANDARD);
    kernel.loadDriver(device("Dev", (interrupt, context) -> {
      TestDriver.Instance self = (TestDriver.Instance) context;
      self.k.ioRequestDpc(self.device, null, "first");
      self.k.ioRequestDpc(self.device, null, "second");
      return true;
    }, false, true));

    kernel.raiseInterrupt(VECTOR);

    assertEquals(1, journal.events().stream().filter(e -> e.contains("DpcForIsr")).count(),
        journal::toString);
    assertTrue(journal.contains("Dev DpcForIsr at DISPATCH_LEVEL, own device true, irp null,"
        + " context first"), journal::toString);
    kernel.unloadDriver("Dev");
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // Shared vectors

  @Test
  void aSharedVectorRunsTheIsrsInConnectionOrderUntilOneClaimsIt() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(device("First", isr(false), true, true));
    kernel.loadDriver(device("Second", isr(true), true, true));
    kernel.loadDriver(device("Third", isr(true), true, true));

    assertTrue(kernel.raiseInterrupt(VECTOR));

    assertEquals(List.of("First DriverEntry", "Second DriverEntry", "Third DriverEntry",
        "First ISR at DIRQL on vector 5", "Second ISR at DIRQL on vector 5",
        "Second DpcForIsr at DISPATCH_LEVEL, own device true, irp null, context from the ISR"),
        journal.events());
    for (String name : new String[] {"First", "Second", "Third"}) {
      assertEquals(NtStatus.SUCCESS, kernel.unloadDriver(name));
    }
    assertCleanRun(kernel);
  }

  @Test
  void aVectorConnectedWithoutSharingCannotBeConnectedAgain() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(device("First", isr(true), false, true));

    assertEquals(NtStatus.INSUFFICIENT_RESOURCES,
        kernel.loadDriver(device("Second", isr(true), true, false)));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("First"));
    kernel.loadDriver(device("Third", isr(true), true, true));
    assertEquals(NtStatus.INSUFFICIENT_RESOURCES,
        kernel.loadDriver(device("Fourth", isr(true), false, false)),
        "an exclusive connection to a vector shared by another");

    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Third"));
    assertCleanRun(kernel);
  }

  @Test
  void badParametersAreInvalidParameter() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(TestDriver.legacy("Dev", journal)
        .entry(self -> {
          KernelServices k = self.k;
          KServiceRoutine isr = (i, c) -> true;
          Out<KInterrupt> out = new Out<>();
          List<NtStatus> results = List.of(
              k.ioConnectInterrupt(out, null, null, null, 1, Irql.DIRQL, Irql.DIRQL,
                  Wdm.LATCHED, false, 1, false),
              k.ioConnectInterrupt(null, isr, null, null, 1, Irql.DIRQL, Irql.DIRQL,
                  Wdm.LATCHED, false, 1, false),
              k.ioConnectInterrupt(out, isr, null, null, 1, Irql.DISPATCH_LEVEL,
                  Irql.DISPATCH_LEVEL, Wdm.LATCHED, false, 1, false),
              k.ioConnectInterrupt(out, isr, null, null, 1, Irql.HIGH_LEVEL, Irql.DIRQL,
                  Wdm.LATCHED, false, 1, false),
              k.ioConnectInterrupt(out, isr, null, null, -1, Irql.DIRQL, Irql.DIRQL,
                  Wdm.LATCHED, false, 1, false),
              k.ioConnectInterrupt(out, isr, null, null, 1, Irql.DIRQL, Irql.DIRQL, 7, false, 1,
                  false),
              k.ioConnectInterrupt(out, isr, null, null, 1, Irql.DIRQL, Irql.DIRQL,
                  Wdm.LATCHED, false, 0, false));
          self.values.put("results", results);
          self.values.put("connected", out.get() != null);
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build());

    TestDriver.Instance self = journal.last("Dev");
    assertEquals(java.util.Collections.nCopies(7, NtStatus.INVALID_PARAMETER),
        self.values.get("results"));
    assertEquals(false, self.values.get("connected"));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Dev"));
    assertCleanRun(kernel);
  }

  // ---------------------------------------------------------------------------------------------
  // Broken drivers

  @Test
  void anInterruptStillConnectedAtUnloadIsBugCheckCEWithTheConnectingStack() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(device("Leaky", isr(true), false, false));
    long interrupt = address(value(journal.last("Leaky"), "interrupt", KInterrupt.class));

    BugCheck check = stops(kernel, () -> kernel.unloadDriver("Leaky"));

    assertBugCheck(check, BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS,
        interrupt, 0, 0, 0, "Leaky");
    assertEquals(1, check.objects().size(), check::render);
    assertObject(check.objects().get(0), "Interrupt", "Leaky", "Unload", InterruptTest.class,
        "connect");
    assertEquals(check.objects(), kernel.leaks());
  }

  @Test
  void disconnectingTwiceIsBugCheck1E() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    TestDriver driver = TestDriver.legacyDevice("Twice", journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\Twice", "\\??\\Twice", 0);
          return status.isSuccess() ? connect(self, isr(true), false) : status;
        })
        .unload(self -> {
          self.k.ioDisconnectInterrupt(value(self, "interrupt", KInterrupt.class));
          self.k.ioDisconnectInterrupt(value(self, "interrupt", KInterrupt.class));
        })
        .build();
    kernel.loadDriver(driver);
    TestDriver.Instance self = journal.last("Twice");

    BugCheck check = stops(kernel, () -> kernel.unloadDriver("Twice"));

    assertBugCheck(check, BugCheck.KMODE_EXCEPTION_NOT_HANDLED, 0xC0000005L,
        VerifierAsserts.address(self.driverObject),
        address(value(self, "interrupt", KInterrupt.class)), 0, "Twice");
    assertObject(check.objects().get(0), "Interrupt", "Twice", "disconnected twice",
        InterruptTest.class, "connect");
  }

  @Test
  void ioRequestDpcWithoutADpcForIsrIsBugCheck1E() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    TestDriver driver = TestDriver.legacyDevice("NoDpc", journal)
        .entry(self -> {
          NtStatus status = Routines.createDevice(self, "\\Device\\NoDpc", "\\??\\NoDpc", 0);
          return status.isSuccess() ? connect(self, isr(true), false) : status;
        })
        .build();
    kernel.loadDriver(driver);

    BugCheck check = stops(kernel, () -> kernel.raiseInterrupt(VECTOR));

    assertEquals(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, check.code(), check::render);
    assertEquals("NoDpc", check.driverName());
    assertTrue(check.message().contains("IoInitializeDpcRequest"), check::render);
  }

  @Test
  void anIsrThatThrowsIsBugCheck1E() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(device("Thrower", (interrupt, context) -> {
      throw new IllegalStateException("device fell over");
    }, false, true));

    BugCheck check = stops(kernel, () -> kernel.raiseInterrupt(VECTOR));

    assertEquals(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, check.code(), check::render);
    assertTrue(check.message().contains("ISR"), check::render);
  }
}

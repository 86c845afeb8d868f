package io.jwdm.host;

import static io.jwdm.host.VerifierAsserts.assertCleanRun;
import static io.jwdm.host.VerifierAsserts.assertObject;
import static io.jwdm.host.VerifierAsserts.stops;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Out;
import io.jwdm.kernel.Wdm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CmRegisterCallbackEx and CmUnRegisterCallback with the simulated registry operations
 * ({@link Kernel#registryOperation}): callbacks run from the highest altitude down, the first
 * failure blocks the operation and the callbacks below it, altitudes are unique, cookies identify
 * registrations, and a callback still registered at Unload is bug check 0xCE.
 */
class CallbackRegistryTest {
  private static final String KEY = "\\Registry\\Machine\\Software\\Jwdm";

  private final Journal journal = new Journal();

  /**
   * A legacy driver whose DriverEntry registers a registry callback at {@code altitude} that notes
   * each operation and returns {@code verdict}; Unload unregisters it if {@code unregister}.
   */
  private TestDriver filter(String name, String altitude, NtStatus verdict, boolean unregister) {
    return TestDriver.legacy(name, journal)
        .entry(self -> register(self, altitude, verdict))
        .unload(self -> {
          if (unregister) {
            self.note("unregister: " + self.k.cmUnRegisterCallback((Long) self.values.get("cookie")));
          }
        })
        .build();
  }

  /** The driver's own registration: leaks must name it. */
  private static NtStatus register(TestDriver.Instance self, String altitude, NtStatus verdict) {
    Out<Long> cookie = new Out<>();
    NtStatus status = self.k.cmRegisterCallbackEx((context, notifyClass, keyPath) -> {
      self.note("class " + notifyClass + " " + keyPath + " context " + context + " at "
          + self.k.keGetCurrentIrql());
      return verdict;
    }, altitude, self.driverObject, self.name() + " context", cookie);
    self.values.put("cookie", cookie.get());
    return status;
  }

  @Test
  void callbacksRunFromTheHighestAltitudeDown() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(filter("Low", "380010", NtStatus.SUCCESS, true));
    kernel.loadDriver(filter("High", "380020.5", NtStatus.SUCCESS, true));

    assertEquals(NtStatus.SUCCESS, kernel.registryOperation(Wdm.REG_NT_PRE_SET_VALUE_KEY, KEY));

    assertEquals(List.of("Low DriverEntry", "High DriverEntry",
        "High class 1 " + KEY + " context High context at PASSIVE_LEVEL",
        "Low class 1 " + KEY + " context Low context at PASSIVE_LEVEL"), journal.events());
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("Low"));
    assertEquals(NtStatus.SUCCESS, kernel.unloadDriver("High"));
    assertEquals(NtStatus.SUCCESS, kernel.registryOperation(Wdm.REG_NT_PRE_DELETE_KEY, KEY));
    assertEquals(0, journal.events().stream().filter(e -> e.contains(" class 0 ")).count(),
        () -> "unregistered callbacks hear nothing: " + journal);
    assertCleanRun(kernel);
  }

  @Test
  void theFirstFailureBlocksTheOperationAndTheCallbacksBelow() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(filter("Low", "380010", NtStatus.SUCCESS, true));
    kernel.loadDriver(filter("High", "380020", NtStatus.ACCESS_DENIED, true));

    assertEquals(NtStatus.ACCESS_DENIED,
        kernel.registryOperation(Wdm.REG_NT_PRE_DELETE_KEY, KEY));

    assertEquals(List.of("DriverEntry"), journal.eventsOf("Low"), "Low is below the veto");
    VerifierAsserts.assertTraced(kernel, "RegistryBlocked", KEY, "STATUS_ACCESS_DENIED");
    kernel.unloadDriver("Low");
    kernel.unloadDriver("High");
    assertCleanRun(kernel);
  }

  @Test
  void aSecondCallbackAtTheSameAltitudeIsAnAltitudeCollision() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(filter("First", "380010", NtStatus.SUCCESS, true));

    NtStatus status = kernel.loadDriver(filter("Second", "380010.0", NtStatus.SUCCESS, true));

    assertEquals(NtStatus.of(0xC01C0011), status);
    kernel.unloadDriver("First");
    assertCleanRun(kernel);
  }

  @Test
  void unknownCookiesAndBadParametersAreInvalidParameter() {
    Kernel kernel = VerifierAsserts.bootWithoutVerifier();
    kernel.loadDriver(TestDriver.legacy("Dev", journal)
        .entry(self -> {
          Out<Long> cookie = new Out<>();
          self.note("unknown cookie: " + self.k.cmUnRegisterCallback(42));
          self.note("no altitude: " + self.k.cmRegisterCallbackEx((c, n, k) -> NtStatus.SUCCESS,
              null, self.driverObject, null, cookie));
          self.note("bad altitude: " + self.k.cmRegisterCallbackEx((c, n, k) -> NtStatus.SUCCESS,
              "high", self.driverObject, null, cookie));
          self.note("register: " + self.k.cmRegisterCallbackEx((c, n, k) -> NtStatus.SUCCESS,
              "1000", self.driverObject, null, cookie));
          self.note("unregister: " + self.k.cmUnRegisterCallback(cookie.get()));
          self.note("unregister again: " + self.k.cmUnRegisterCallback(cookie.get()));
          return NtStatus.SUCCESS;
        })
        .unload(self -> { })
        .build());

    assertEquals(List.of("DriverEntry", "unknown cookie: " + NtStatus.INVALID_PARAMETER,
        "no altitude: " + NtStatus.INVALID_PARAMETER,
        "bad altitude: " + NtStatus.INVALID_PARAMETER, "register: " + NtStatus.SUCCESS,
        "unregister: " + NtStatus.SUCCESS, "unregister again: " + NtStatus.INVALID_PARAMETER),
        journal.eventsOf("Dev"));
    kernel.unloadDriver("Dev");
    assertCleanRun(kernel);
  }

  @Test
  void aCallbackStillRegisteredAtUnloadIsBugCheckCEWithTheRegisteringStack() {
    Kernel kernel = VerifierAsserts.boot("Leaky", VerifierFlags.STANDARD);
    kernel.loadDriver(filter("Leaky", "380010", NtStatus.SUCCESS, false));
    long cookie = (Long) journal.last("Leaky").values.get("cookie");

    BugCheck check = stops(kernel, () -> kernel.unloadDriver("Leaky"));

    assertEquals(BugCheck.DRIVER_UNLOADED_WITHOUT_CANCELLING_PENDING_OPERATIONS, check.code());
    assertEquals(cookie, check.parameter1(), "the cookie is the registration's address");
    assertNotEquals(0L, cookie);
    assertObject(check.objects().get(0), "RegistryCallback", "Leaky", "Unload",
        CallbackRegistryTest.class, "register");
  }
}

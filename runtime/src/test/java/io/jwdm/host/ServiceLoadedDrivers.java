package io.jwdm.host;

import io.jwdm.annotation.DriverRole;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.List;

/**
 * Glue found through {@link java.util.ServiceLoader}: listed, Zeta first, in
 * {@code META-INF/services/io.jwdm.spi.DriverGlue} of the test resources.
 */
public final class ServiceLoadedDrivers {
  static final String ALPHA = "ServiceLoadedAlpha";
  static final String ZETA = "ServiceLoadedZeta";

  private ServiceLoadedDrivers() {}

  /** Delegates to a {@link TestDriver}; ServiceLoader needs a public class with a public constructor. */
  private abstract static class Delegating implements DriverGlue {
    private final TestDriver driver;

    Delegating(String name) {
      this.driver = TestDriver.legacy(name, new Journal()).unload(self -> { }).build();
    }

    @Override
    public int spiVersion() {
      return driver.spiVersion();
    }

    @Override
    public String driverName() {
      return driver.driverName();
    }

    @Override
    public DriverModel model() {
      return driver.model();
    }

    @Override
    public List<String> hardwareIds() {
      return driver.hardwareIds();
    }

    @Override
    public DriverRole role() {
      return driver.role();
    }

    @Override
    public boolean permanent() {
      return driver.permanent();
    }

    @Override
    public Class<?> driverClass() {
      return getClass();
    }

    @Override
    public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
      return driver.driverEntry(driverObject, registryPath);
    }
  }

  /** {@value #ALPHA}. */
  public static final class Alpha extends Delegating {
    public Alpha() {
      super(ALPHA);
    }
  }

  /** {@value #ZETA}. */
  public static final class Zeta extends Delegating {
    public Zeta() {
      super(ZETA);
    }
  }
}

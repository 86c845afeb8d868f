package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jwdm.annotation.DriverRole;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bad glue handed to {@link Kernel#install}: the SPI boundary, where a hand-written or corrupt
 * {@link DriverGlue} describes its driver. The kernel refuses, as {@code loadImage} refuses the
 * same glue inside an image: no driver name, a blank one, no model, a WDM driver without a role,
 * and hardware IDs that are null or hold a null. A refused glue is not installed, and it must not
 * keep the PnP manager from starting a well-behaved driver's devices afterwards.
 */
@DisplayName("Bad input: driver glue")
class BadInputGlueTest extends BadInputTest {

  /** A glue that answers what it is given; its DriverEntry sets an Unload routine and succeeds. */
  private static DriverGlue glue(String name, DriverModel model, List<String> hardwareIds,
      DriverRole role) {
    return new DriverGlue() {
      @Override
      public int spiVersion() {
        return SPI_VERSION;
      }

      @Override
      public String driverName() {
        return name;
      }

      @Override
      public DriverModel model() {
        return model;
      }

      @Override
      public List<String> hardwareIds() {
        return hardwareIds;
      }

      @Override
      public DriverRole role() {
        return role;
      }

      @Override
      public boolean permanent() {
        return false;
      }

      @Override
      public Class<?> driverClass() {
        return BadInputGlueTest.class;
      }

      @Override
      public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
        driverObject.setDriverUnload(driver -> { });
        return NtStatus.SUCCESS;
      }
    };
  }

  /** A well-behaved WDM driver installed after the case still gets its device started. */
  @AfterEach
  void pnpStillStartsDevices() {
    if (kernel.bugCheck().isPresent()) {
      return;
    }
    kernel.install(TestDriver.wdm("LateComer", journal, "ROOT\\LATECOMER").build());
    DeviceNode node = kernel.plugIn("ROOT\\LATECOMER");
    assertEquals(DeviceNode.State.STARTED, node.state(), kernel::deviceTree);
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertFalse(kernel.isLoaded("LateComer"));
  }

  private void assertRefused(DriverGlue glue, String name) {
    assertThrows(IllegalArgumentException.class, () -> kernel.install(glue));
    if (name != null) {
      assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, kernel.loadDriver(name), "it was installed");
    }
  }

  @Test
  @DisplayName("glue with no driver name: IllegalArgumentException")
  void nullName() {
    assertRefused(glue(null, DriverModel.LEGACY, List.of(), DriverRole.FUNCTION), null);
  }

  @Test
  @DisplayName("glue with a blank driver name: IllegalArgumentException")
  void blankName() {
    assertRefused(glue(" ", DriverModel.LEGACY, List.of(), DriverRole.FUNCTION), " ");
  }

  @Test
  @DisplayName("glue with no driver model: IllegalArgumentException")
  void nullModel() {
    assertRefused(glue("Subject", null, List.of(), DriverRole.FUNCTION), "Subject");
  }

  @Test
  @DisplayName("WDM glue with no role: IllegalArgumentException")
  void nullRole() {
    assertRefused(glue("Subject", DriverModel.WDM, List.of("ROOT\\SUBJECT"), null), "Subject");
  }

  @Test
  @DisplayName("glue whose hardware ID list is null: IllegalArgumentException")
  void nullHardwareIds() {
    assertRefused(glue("Subject", DriverModel.WDM, null, DriverRole.FUNCTION), "Subject");
  }

  @Test
  @DisplayName("glue with a null among its hardware IDs: IllegalArgumentException")
  void nullHardwareId() {
    assertRefused(glue("Subject", DriverModel.WDM, Arrays.asList("ROOT\\SUBJECT", null),
        DriverRole.FUNCTION), "Subject");
  }

  @Test
  @DisplayName("glue for another SPI version: INVALID_IMAGE_FORMAT, nothing loaded")
  void otherSpiVersion() {
    assertEquals(NtStatus.INVALID_IMAGE_FORMAT,
        kernel.loadDriver(TestDriver.legacyDevice("Subject", journal).spiVersion(99).build()));
    assertFalse(kernel.isLoaded("Subject"));
  }

  @Test
  @DisplayName("glue whose DriverEntry throws: bug check 0x1E")
  void driverEntryThrows() {
    assertThrows(SystemStoppedException.class, () -> kernel.loadDriver(
        TestDriver.legacy("Subject", journal)
            .entry(self -> {
              throw new IllegalStateException("DriverEntry bug");
            })
            .build()));
    expectBugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED);
  }
}

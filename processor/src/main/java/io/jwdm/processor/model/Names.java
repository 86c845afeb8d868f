package io.jwdm.processor.model;

/**
 * Canonical names of the jwdm runtime types the processor reads and generates code against. The
 * processor names them by string only, so it has no compile-time dependency on the runtime.
 */
public final class Names {
  /** {@code io.jwdm.annotation.WdmDriver}. */
  public static final String WDM_DRIVER = "io.jwdm.annotation.WdmDriver";

  /** {@code io.jwdm.annotation.LegacyDriver}. */
  public static final String LEGACY_DRIVER = "io.jwdm.annotation.LegacyDriver";

  /** {@code io.jwdm.annotation.DriverRole}, the type of {@code @WdmDriver(role)}. */
  public static final String DRIVER_ROLE = "io.jwdm.annotation.DriverRole";

  /** The {@code DriverRole} of a driver that declares none: a function driver. */
  public static final String FUNCTION_ROLE = "FUNCTION";

  /** The package of the routine annotations. */
  public static final String ANNOTATION_PACKAGE = "io.jwdm.annotation";

  /** The package of the kernel types routines take and return. */
  public static final String KERNEL_PACKAGE = "io.jwdm.kernel";

  /** The package of the glue contract. */
  public static final String SPI_PACKAGE = "io.jwdm.spi";

  /** {@code io.jwdm.kernel.NtStatus}. */
  public static final String NT_STATUS = KERNEL_PACKAGE + ".NtStatus";

  /** {@code io.jwdm.kernel.DriverObject}. */
  public static final String DRIVER_OBJECT = KERNEL_PACKAGE + ".DriverObject";

  /** {@code io.jwdm.kernel.DeviceObject}. */
  public static final String DEVICE_OBJECT = KERNEL_PACKAGE + ".DeviceObject";

  /** {@code io.jwdm.kernel.Irp}. */
  public static final String IRP = KERNEL_PACKAGE + ".Irp";

  /** {@code io.jwdm.kernel.MajorFunction}. */
  public static final String MAJOR_FUNCTION = KERNEL_PACKAGE + ".MajorFunction";

  /** {@code io.jwdm.spi.DriverGlue}, the service every generated glue class implements. */
  public static final String DRIVER_GLUE = SPI_PACKAGE + ".DriverGlue";

  /** The value of {@code io.jwdm.spi.DriverGlue.SPI_VERSION} this processor generates glue for. */
  public static final int SPI_VERSION = 1;

  private Names() {}
}

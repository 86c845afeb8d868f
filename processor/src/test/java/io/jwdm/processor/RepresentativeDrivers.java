package io.jwdm.processor;

import static io.jwdm.processor.harness.SourceFile.source;

import io.jwdm.processor.harness.SourceFile;
import java.util.List;

/** Valid drivers that together use every part of the DSL; their glue is pinned in golden files. */
final class RepresentativeDrivers {
  private RepresentativeDrivers() {}

  /** A WDM driver with every role, a dispatch routine for two majors, and two hardware IDs. */
  static final SourceFile TOASTER =
      source(
          "com.example.toaster.Toaster",
          """
          package com.example.toaster;

          import io.jwdm.annotation.AddDevice;
          import io.jwdm.annotation.Dispatch;
          import io.jwdm.annotation.DriverEntry;
          import io.jwdm.annotation.StartIo;
          import io.jwdm.annotation.Unload;
          import io.jwdm.annotation.WdmDriver;
          import io.jwdm.kernel.DeviceObject;
          import io.jwdm.kernel.DriverObject;
          import io.jwdm.kernel.Irp;
          import io.jwdm.kernel.MajorFunction;
          import io.jwdm.kernel.NtStatus;

          /** The WDK's toaster function driver, reduced to its routines. */
          @WdmDriver(hardwareIds = {"ROOT\\\\TOASTER", "{b85b7c50-6a01-11d2-b841-00c04fad5171}\\\\MsToaster"})
          public class Toaster {
            @DriverEntry
            NtStatus driverEntry(DriverObject driver, String registryPath) {
              return NtStatus.SUCCESS;
            }

            @AddDevice
            NtStatus addDevice(DriverObject driver, DeviceObject physicalDeviceObject) {
              return NtStatus.SUCCESS;
            }

            @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE})
            NtStatus createClose(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @Dispatch(MajorFunction.DEVICE_CONTROL)
            NtStatus deviceControl(DeviceObject device, Irp irp) {
              return NtStatus.INVALID_DEVICE_REQUEST;
            }

            @Dispatch(MajorFunction.PNP)
            NtStatus pnp(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @Dispatch(MajorFunction.POWER)
            NtStatus power(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @Dispatch(MajorFunction.SYSTEM_CONTROL)
            NtStatus systemControl(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @StartIo
            void startIo(DeviceObject device, Irp irp) {}

            @Unload
            void unload(DriverObject driver) {}
          }
          """);

  /** A legacy driver nested in another class, with a name of its own and no DriverEntry. */
  static final SourceFile BEEP =
      source(
          "com.example.beep.Beep",
          """
          package com.example.beep;

          import io.jwdm.annotation.Dispatch;
          import io.jwdm.annotation.LegacyDriver;
          import io.jwdm.annotation.Unload;
          import io.jwdm.kernel.DeviceObject;
          import io.jwdm.kernel.DriverObject;
          import io.jwdm.kernel.Irp;
          import io.jwdm.kernel.MajorFunction;
          import io.jwdm.kernel.NtStatus;

          /** The beep device, as an NT-style driver. */
          public final class Beep {
            private Beep() {}

            @LegacyDriver(name = "BeepService")
            public static final class Driver {
              @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE, MajorFunction.CLEANUP})
              NtStatus openClose(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Dispatch(MajorFunction.DEVICE_CONTROL)
              NtStatus deviceControl(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
          }
          """);

  /** A permanent legacy driver: no Unload. */
  static final SourceFile KEYBOARD =
      source(
          "com.example.keyboard.Keyboard",
          """
          package com.example.keyboard;

          import io.jwdm.annotation.Dispatch;
          import io.jwdm.annotation.LegacyDriver;
          import io.jwdm.kernel.DeviceObject;
          import io.jwdm.kernel.Irp;
          import io.jwdm.kernel.MajorFunction;
          import io.jwdm.kernel.NtStatus;

          /** A boot keyboard driver, which is never unloaded. */
          @LegacyDriver(permanent = true)
          public class Keyboard {
            @Dispatch(MajorFunction.READ)
            NtStatus read(DeviceObject device, Irp irp) {
              return NtStatus.PENDING;
            }
          }
          """);

  static final List<SourceFile> ALL = List.of(TOASTER, BEEP, KEYBOARD);
}

package io.jwdm.processor.fuzz;

import java.util.List;

/**
 * The valid drivers the mutator starts from: small, and together using every part of the DSL
 * (both driver models, every routine role, names, hardware IDs, filter roles, permanent drivers,
 * nested drivers, static imports, several drivers in one file). Each compiles clean under javac
 * and ECJ; {@link ProcessorFuzzTest} checks it.
 */
final class FuzzSeeds {
  private FuzzSeeds() {}

  /** A seed: the qualified name of its top-level type and its text. */
  record Seed(String qualifiedName, String source) {
    String simpleName() {
      return qualifiedName.substring(qualifiedName.lastIndexOf('.') + 1);
    }
  }

  static final Seed TOASTER =
      new Seed(
          "fuzz.Toaster",
          """
          package fuzz;

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

          @WdmDriver(hardwareIds = {"ROOT\\\\TOASTER", "{b85b7c50-6a01-11d2-b841-00c04fad5171}\\\\MsToaster"})
          public class Toaster {
            private int opens;

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
              opens++;
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

  static final Seed BEEP =
      new Seed(
          "fuzz.Beep",
          """
          package fuzz;

          import io.jwdm.annotation.Dispatch;
          import io.jwdm.annotation.LegacyDriver;
          import io.jwdm.annotation.Unload;
          import io.jwdm.kernel.DeviceObject;
          import io.jwdm.kernel.DriverObject;
          import io.jwdm.kernel.Irp;
          import io.jwdm.kernel.MajorFunction;
          import io.jwdm.kernel.NtStatus;

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

  static final Seed KEYBOARD =
      new Seed(
          "fuzz.Keyboard",
          """
          package fuzz;

          import io.jwdm.annotation.Dispatch;
          import io.jwdm.annotation.LegacyDriver;
          import io.jwdm.kernel.DeviceObject;
          import io.jwdm.kernel.Irp;
          import io.jwdm.kernel.MajorFunction;
          import io.jwdm.kernel.NtStatus;

          @LegacyDriver(permanent = true)
          public class Keyboard {
            @Dispatch(MajorFunction.READ)
            NtStatus read(DeviceObject device, Irp irp) {
              return NtStatus.PENDING;
            }
          }
          """);

  static final Seed FILTER =
      new Seed(
          "fuzz.Filter",
          """
          package fuzz;

          import static io.jwdm.kernel.MajorFunction.*;

          import io.jwdm.annotation.*;
          import io.jwdm.kernel.*;

          @WdmDriver(name = "UpperFilter", hardwareIds = "ROOT\\\\TOASTER", role = DriverRole.UPPER_FILTER)
          public class Filter {
            @AddDevice
            NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
              return NtStatus.SUCCESS;
            }

            @Dispatch({CREATE, CLOSE, CLEANUP, READ, WRITE, DEVICE_CONTROL, PNP, POWER, SYSTEM_CONTROL})
            NtStatus passThrough(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @Unload
            void unload(DriverObject driver) {}
          }
          """);

  static final Seed SERIAL =
      new Seed(
          "fuzz.Serial",
          """
          package fuzz;

          import io.jwdm.annotation.Dispatch;
          import io.jwdm.annotation.DriverEntry;
          import io.jwdm.annotation.LegacyDriver;
          import io.jwdm.annotation.StartIo;
          import io.jwdm.annotation.Unload;
          import io.jwdm.kernel.DeviceObject;
          import io.jwdm.kernel.DriverObject;
          import io.jwdm.kernel.Irp;
          import io.jwdm.kernel.MajorFunction;
          import io.jwdm.kernel.NtStatus;
          import java.util.ArrayDeque;
          import java.util.function.Supplier;

          /** A legacy driver with state, helpers and nested types around its routines. */
          @LegacyDriver(name = "Serial")
          public class Serial {
            static final int BUFFER = 4096;
            private final ArrayDeque<Irp> queue = new ArrayDeque<>();
            private Supplier<NtStatus> next = () -> NtStatus.SUCCESS;

            enum Mode { RAW, COOKED }

            static final class Port {
              int baud = 9600;
            }

            @DriverEntry
            public NtStatus entry(DriverObject driver, String registryPath) {
              return registryPath.isEmpty() ? NtStatus.UNSUCCESSFUL : next.get();
            }

            @Dispatch(MajorFunction.CREATE)
            protected NtStatus create(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @Dispatch(MajorFunction.CLOSE)
            NtStatus close(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @Dispatch({MajorFunction.READ, MajorFunction.WRITE})
            NtStatus readWrite(DeviceObject device, Irp irp) {
              queue.add(irp);
              return NtStatus.PENDING;
            }

            @StartIo
            void startIo(DeviceObject device, Irp irp) {
              queue.remove(irp);
            }

            private <T> T helper(T value) {
              return value;
            }

            @Unload
            void unload(DriverObject driver) {
              queue.clear();
            }
          }
          """);

  static final Seed PAIR =
      new Seed(
          "fuzz.Pair",
          """
          package fuzz;

          import io.jwdm.annotation.AddDevice;
          import io.jwdm.annotation.Dispatch;
          import io.jwdm.annotation.LegacyDriver;
          import io.jwdm.annotation.Unload;
          import io.jwdm.annotation.WdmDriver;
          import io.jwdm.kernel.DeviceObject;
          import io.jwdm.kernel.DriverObject;
          import io.jwdm.kernel.Irp;
          import io.jwdm.kernel.MajorFunction;
          import io.jwdm.kernel.NtStatus;

          /** Two drivers in one file: a legacy one on top and a WDM one nested. */
          @LegacyDriver(name = "PairLegacy")
          public class Pair {
            @Dispatch(MajorFunction.DEVICE_CONTROL)
            NtStatus control(DeviceObject device, Irp irp) {
              return NtStatus.SUCCESS;
            }

            @Unload
            void unload(DriverObject driver) {}

            @WdmDriver(name = "PairWdm", hardwareIds = "PCI\\\\VEN_8086&DEV_100E")
            static class Bus {
              @AddDevice
              NtStatus addDevice(DriverObject driver, DeviceObject pdo) {
                return NtStatus.SUCCESS;
              }

              @Dispatch({MajorFunction.PNP, MajorFunction.POWER, MajorFunction.CREATE, MajorFunction.CLOSE,
                  MajorFunction.SYSTEM_CONTROL})
              NtStatus dispatch(DeviceObject device, Irp irp) {
                return NtStatus.SUCCESS;
              }

              @Unload
              void unload(DriverObject driver) {}
            }
          }
          """);

  static final List<Seed> ALL = List.of(TOASTER, BEEP, KEYBOARD, FILTER, SERIAL, PAIR);
}

package io.jwdm.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Driver images for the tests: the examples' test-signed jar, and small images compiled here
 * through the jwdm processor (unsigned: they load in test-signing mode).
 */
final class TestImages {
  private TestImages() {}

  /** The examples' jar (a test dependency), as the build made it: test-signed. */
  static Path examples() {
    try {
      Class<?> sioctl = Class.forName("io.jwdm.examples.sioctl.Sioctl");
      Path location = Path.of(sioctl.getProtectionDomain().getCodeSource().getLocation().toURI());
      assertTrue(Files.exists(location), "the examples image is missing: " + location);
      return location;
    } catch (ClassNotFoundException | URISyntaxException missing) {
      throw new AssertionError("jwdm-examples is not on the test class path", missing);
    }
  }

  /** The scenarios folder of the cli module ({@code -Djwdm.scenarios}). */
  static Path scenario(String name) {
    Path file = Path.of(System.getProperty("jwdm.scenarios", "scenarios"), name);
    assertTrue(Files.isRegularFile(file), "no scenario " + file);
    return file;
  }

  /** A legacy driver that creates \Device\{name} and \DosDevices\{name}; DEVICE_CONTROL answers {reply}. */
  static String echoDriver(String name, String reply) {
    return """
        package test.NAME_LOWER;

        import static io.jwdm.kernel.Wdm.*;

        import io.jwdm.annotation.*;
        import io.jwdm.kernel.*;
        import java.nio.ByteBuffer;
        import java.nio.charset.StandardCharsets;

        @LegacyDriver(name = "NAME")
        public class NAME {
          @DriverEntry
          NtStatus driverEntry(DriverObject driver, String registryPath) {
            KernelServices k = driver.kernel();
            Out<DeviceObject> device = new Out<>();
            NtStatus status = k.ioCreateDevice(driver, null, "\\\\Device\\\\NAME",
                FILE_DEVICE_UNKNOWN, FILE_DEVICE_SECURE_OPEN, false, device);
            if (!status.isSuccess()) {
              return status;
            }
            status = k.ioCreateSymbolicLink("\\\\DosDevices\\\\NAME", "\\\\Device\\\\NAME");
            if (!status.isSuccess()) {
              k.ioDeleteDevice(device.get());
            }
            return status;
          }

          @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE})
          NtStatus createClose(DeviceObject device, Irp irp) {
            irp.ioStatus().setStatus(NtStatus.SUCCESS);
            device.kernel().ioCompleteRequest(irp, IO_NO_INCREMENT);
            return NtStatus.SUCCESS;
          }

          @Dispatch(MajorFunction.DEVICE_CONTROL)
          NtStatus control(DeviceObject device, Irp irp) {
            KernelServices k = device.kernel();
            byte[] reply = "REPLY".getBytes(StandardCharsets.US_ASCII);
            int length = Math.min(reply.length,
                k.ioGetCurrentIrpStackLocation(irp).outputBufferLength());
            ByteBuffer out = irp.systemBuffer();
            for (int i = 0; i < length; i++) {
              out.put(i, reply[i]);
            }
            irp.ioStatus().setStatus(NtStatus.SUCCESS);
            irp.ioStatus().setInformation(length);
            k.ioCompleteRequest(irp, IO_NO_INCREMENT);
            return NtStatus.SUCCESS;
          }

          @Unload
          void unload(DriverObject driver) {
            KernelServices k = driver.kernel();
            k.ioDeleteSymbolicLink("\\\\DosDevices\\\\NAME");
            k.ioDeleteDevice(driver.deviceObject());
          }
        }
        """.replace("NAME_LOWER", name.toLowerCase()).replace("NAME", name)
        .replace("REPLY", reply);
  }

  /** A legacy driver whose DriverEntry allocates pool that its Unload never frees. */
  static final String LEAKY = """
      package test.leaky;

      import static io.jwdm.kernel.Wdm.*;

      import io.jwdm.annotation.*;
      import io.jwdm.kernel.*;

      @LegacyDriver(name = "Leaky")
      public class Leaky {
        private PoolMemory block;

        @DriverEntry
        NtStatus driverEntry(DriverObject driver, String registryPath) {
          block = driver.kernel().exAllocatePool2(POOL_FLAG_NON_PAGED, 32, "Leak");
          return block == null ? NtStatus.INSUFFICIENT_RESOURCES : NtStatus.SUCCESS;
        }

        @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE})
        NtStatus createClose(DeviceObject device, Irp irp) {
          irp.ioStatus().setStatus(NtStatus.SUCCESS);
          device.kernel().ioCompleteRequest(irp, IO_NO_INCREMENT);
          return NtStatus.SUCCESS;
        }

        @Unload
        void unload(DriverObject driver) {
          // forgets the block
        }
      }
      """;

  /** A legacy driver that leaves itself in the system properties: its image stays in memory. */
  static final String HOARDER = """
      package test.hoarder;

      import static io.jwdm.kernel.Wdm.*;

      import io.jwdm.annotation.*;
      import io.jwdm.kernel.*;

      @LegacyDriver(name = "Hoarder")
      public class Hoarder {
        @DriverEntry
        NtStatus driverEntry(DriverObject driver, String registryPath) {
          System.getProperties().put("test.hoarder", this);
          return NtStatus.SUCCESS;
        }

        @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE})
        NtStatus createClose(DeviceObject device, Irp irp) {
          irp.ioStatus().setStatus(NtStatus.SUCCESS);
          device.kernel().ioCompleteRequest(irp, IO_NO_INCREMENT);
          return NtStatus.SUCCESS;
        }

        @Unload
        void unload(DriverObject driver) {
        }
      }
      """;

  /** A legacy driver whose DriverEntry throws. */
  static final String THROWER = """
      package test.thrower;

      import io.jwdm.annotation.*;
      import io.jwdm.kernel.*;

      @LegacyDriver(name = "Thrower")
      public class Thrower {
        @DriverEntry
        NtStatus driverEntry(DriverObject driver, String registryPath) {
          throw new IllegalStateException("boom in DriverEntry");
        }

        @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE})
        NtStatus createClose(DeviceObject device, Irp irp) {
          return NtStatus.SUCCESS;
        }

        @Unload
        void unload(DriverObject driver) {
        }
      }
      """;

  /** A legacy driver whose DriverEntry fails cleanly. */
  static final String REFUSER = """
      package test.refuser;

      import io.jwdm.annotation.*;
      import io.jwdm.kernel.*;

      @LegacyDriver(name = "Refuser")
      public class Refuser {
        @DriverEntry
        NtStatus driverEntry(DriverObject driver, String registryPath) {
          return NtStatus.DEVICE_NOT_CONNECTED;
        }

        @Dispatch({MajorFunction.CREATE, MajorFunction.CLOSE})
        NtStatus createClose(DeviceObject device, Irp irp) {
          return NtStatus.SUCCESS;
        }

        @Unload
        void unload(DriverObject driver) {
        }
      }
      """;

  /**
   * Compiles one driver class through the jwdm processor and packs it, with its glue and services
   * file, into {@code dir/jarName}.
   */
  static Path compile(Path dir, String jarName, String source) throws IOException {
    String className = source.lines().filter(l -> l.startsWith("public class "))
        .map(l -> l.substring("public class ".length()).split("[ {]")[0]).findFirst()
        .orElseThrow();
    String pkg = source.lines().filter(l -> l.startsWith("package ")).findFirst().orElseThrow()
        .replace("package ", "").replace(";", "").trim();
    Path work = Files.createTempDirectory(dir, "build-" + className);
    Path sourceFile = work.resolve("src").resolve(pkg.replace('.', '/'))
        .resolve(className + ".java");
    Files.createDirectories(sourceFile.getParent());
    Files.writeString(sourceFile, source, StandardCharsets.UTF_8);
    Path classes = Files.createDirectories(work.resolve("classes"));
    String runtime = codeSource("io.jwdm.kernel.NtStatus");
    String processorPath = String.join(java.io.File.pathSeparator,
        codeSource("io.jwdm.processor.JwdmProcessor"),
        codeSource("com.palantir.javapoet.JavaFile"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter diagnostics = new StringWriter();
    boolean compiled = javac.getTask(diagnostics, null, null,
        List.of("--release", "17", "-classpath", runtime, "-processorpath", processorPath,
            "-d", classes.toString()),
        null, javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)
            .getJavaFileObjects(sourceFile.toFile())).call();
    assertTrue(compiled, "the test driver did not compile:\n" + diagnostics);
    assertTrue(Files.exists(classes.resolve("META-INF/services/io.jwdm.spi.DriverGlue")),
        "the processor wrote no glue:\n" + diagnostics);
    return jar(classes, dir.resolve(jarName));
  }

  /** Packs a folder into a jar. */
  static Path jar(Path folder, Path jar) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream zip = new JarOutputStream(out)) {
      for (Path file : files) {
        zip.putNextEntry(new JarEntry(folder.relativize(file).toString().replace('\\', '/')));
        zip.write(Files.readAllBytes(file));
        zip.closeEntry();
      }
    }
    return jar;
  }

  private static String codeSource(String className) {
    try {
      return Path.of(Class.forName(className).getProtectionDomain().getCodeSource().getLocation()
          .toURI()).toString();
    } catch (ClassNotFoundException | URISyntaxException missing) {
      throw new AssertionError(className + " is not on the test class path", missing);
    }
  }
}

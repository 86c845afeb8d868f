package io.jwdm.benchmarks;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverAddDevice;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.DriverStartIo;
import io.jwdm.kernel.DriverUnload;
import io.jwdm.kernel.IoStatusBlock;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.KernelServices;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.Mdl;
import io.jwdm.kernel.NtStatus;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for the kernel's objects, for measuring the call layer alone (row 1): a driver object
 * that keeps the routines the glue stores, an IRP with a status block, and kernel services whose
 * IoCompleteRequest only counts. Nothing here is on the real I/O path; row 2 measures that.
 */
public final class Fakes {
  private Fakes() {}

  /** A driver object that records what the glue's DriverEntry stores in it. */
  static final class FakeDriverObject implements DriverObject {
    final Map<MajorFunction, DriverDispatch> dispatch = new EnumMap<>(MajorFunction.class);
    final KernelServices kernel;
    DriverUnload unload;

    FakeDriverObject(KernelServices kernel) {
      this.kernel = kernel;
    }

    @Override
    public String driverName() {
      return "Sioctl";
    }

    @Override
    public void setMajorFunction(MajorFunction function, DriverDispatch routine) {
      dispatch.put(function, routine);
    }

    @Override
    public DriverDispatch majorFunction(MajorFunction function) {
      return dispatch.get(function);
    }

    @Override
    public void setAddDevice(DriverAddDevice routine) {}

    @Override
    public void setDriverStartIo(DriverStartIo routine) {}

    @Override
    public void setDriverUnload(DriverUnload routine) {
      this.unload = routine;
    }

    @Override
    public DriverUnload driverUnload() {
      return unload;
    }

    @Override
    public DeviceObject deviceObject() {
      return null;
    }

    @Override
    public KernelServices kernel() {
      return kernel;
    }
  }

  /** An IRP with a status block and no buffers. Public: the generated services count on it. */
  public static final class FakeIrp implements Irp, IoStatusBlock {
    NtStatus status = NtStatus.PENDING;
    long information;
    public int completions;

    @Override
    public IoStatusBlock ioStatus() {
      return this;
    }

    @Override
    public NtStatus status() {
      return status;
    }

    @Override
    public void setStatus(NtStatus status) {
      this.status = status;
    }

    @Override
    public long information() {
      return information;
    }

    @Override
    public void setInformation(long information) {
      this.information = information;
    }

    @Override
    public ByteBuffer systemBuffer() {
      return null;
    }

    @Override
    public Mdl mdlAddress() {
      return null;
    }

    @Override
    public ByteBuffer userBuffer() {
      return null;
    }

    @Override
    public boolean pendingReturned() {
      return false;
    }

    @Override
    public boolean cancel() {
      return false;
    }

    @Override
    public int stackCount() {
      return 1;
    }

    @Override
    public int currentLocation() {
      return 1;
    }

    @Override
    public Object driverContext(int index) {
      return null;
    }

    @Override
    public void setDriverContext(int index, Object value) {}
  }

  /**
   * Kernel services for a driver run outside a kernel: IoCompleteRequest counts the completion on
   * a {@link FakeIrp}; a service returning NtStatus succeeds; every other service returns its
   * type's zero (null for objects), so a DriverEntry that allocates fails cleanly.
   *
   * <p>A plain class, generated from the {@link KernelServices} interface at setup and compiled
   * in-process, so it follows the interface as it grows and the JIT sees an ordinary final class
   * (a dynamic proxy would put a reflective {@code Method} comparison and argument boxing on the
   * measured path).
   */
  static KernelServices services() {
    StringBuilder source = new StringBuilder()
        .append("package io.jwdm.benchmarks.generated;\n")
        .append("public final class LeanServices implements io.jwdm.kernel.KernelServices {\n");
    for (Method method : KernelServices.class.getMethods()) {
      if (method.isDefault() || Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      source.append("  @Override public ").append(typeName(method.getGenericReturnType()))
          .append(' ').append(method.getName()).append('(');
      java.lang.reflect.Type[] parameters = method.getGenericParameterTypes();
      for (int i = 0; i < parameters.length; i++) {
        source.append(i == 0 ? "" : ", ").append(typeName(parameters[i])).append(" a").append(i);
      }
      source.append(") {");
      Class<?> type = method.getReturnType();
      if (method.getName().equals("ioCompleteRequest")) {
        source.append(" ((io.jwdm.benchmarks.Fakes.FakeIrp) a0).completions++;");
      } else if (type == NtStatus.class) {
        source.append(" return io.jwdm.kernel.NtStatus.SUCCESS;");
      } else if (type == boolean.class) {
        source.append(" return false;");
      } else if (type.isPrimitive() && type != void.class) {
        source.append(" return (").append(type.getName()).append(") 0;");
      } else if (type != void.class) {
        source.append(" return null;");
      }
      source.append(" }\n");
    }
    source.append("}\n");
    String className = "io.jwdm.benchmarks.generated.LeanServices";
    try (InMemoryCompiler javac = new InMemoryCompiler()) {
      InMemoryCompiler.Output output = javac.compile(
          List.of(InMemoryCompiler.source(className, source.toString())),
          System.getProperty("java.class.path"), null);
      ClassLoader loader = new ClassLoader(Fakes.class.getClassLoader()) {
        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
          byte[] bytes = output.classes.get(name);
          if (bytes == null) {
            throw new ClassNotFoundException(name);
          }
          return defineClass(name, bytes, 0, bytes.length);
        }
      };
      return (KernelServices) loader.loadClass(className).getDeclaredConstructor().newInstance();
    } catch (java.io.IOException | ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build the stand-in kernel services", e);
    }
  }

  /** A type as Java source: {@code java.util.List<java.lang.String>}, nested types with dots. */
  private static String typeName(java.lang.reflect.Type type) {
    return type.getTypeName().replace('$', '.');
  }
}

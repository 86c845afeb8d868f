package io.jwdm.processor.harness;

import io.jwdm.kernel.DeviceObject;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.Irp;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * Device objects and IRPs for glue tests. Glue only passes them through, so only their identity
 * matters: a fake answers {@code name()} and {@code driverObject()}, and any other kernel method
 * fails loudly.
 */
public final class KernelFakes {
  private KernelFakes() {}

  /** A device object named {@code name}, owned by {@code driverObject}. */
  public static DeviceObject device(String name, DriverObject driverObject) {
    return fake(DeviceObject.class, "device " + name, Map.of("name", name, "driverObject", driverObject));
  }

  /** An IRP known by {@code name} in failure messages. */
  public static Irp irp(String name) {
    return fake(Irp.class, "irp " + name, Map.of());
  }

  private static <T> T fake(Class<T> type, String description, Map<String, Object> answers) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "toString":
              return description;
            case "hashCode":
              return System.identityHashCode(proxy);
            case "equals":
              return proxy == args[0];
            default:
              if (method.getParameterCount() == 0 && answers.containsKey(method.getName())) {
                return answers.get(method.getName());
              }
              throw new UnsupportedOperationException(
                  description + ": " + method.getName() + " is not faked for glue tests");
          }
        };
    return type.cast(Proxy.newProxyInstance(KernelFakes.class.getClassLoader(), new Class<?>[] {type}, handler));
  }
}

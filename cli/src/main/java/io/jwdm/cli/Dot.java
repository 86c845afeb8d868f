package io.jwdm.cli;

import io.jwdm.host.DeviceNode;
import io.jwdm.host.DriverInfo;
import io.jwdm.host.Kernel;
import io.jwdm.spi.DriverModel;
import java.util.List;

/**
 * The device tree as a Graphviz DOT graph: the root bus, each device node with its stack
 * bottom-up (the PDO, then each driver's device), and each legacy driver's devices.
 */
final class Dot {
  private Dot() {}

  static String render(Kernel kernel) {
    StringBuilder out = new StringBuilder();
    out.append("digraph devices {\n");
    out.append("  rankdir=TB;\n");
    out.append("  node [shape=box, fontname=\"Helvetica\"];\n");
    out.append("  root [label=\"Root\", shape=ellipse];\n");
    int n = 0;
    for (DeviceNode node : kernel.deviceNodes()) {
      String id = "node" + n++;
      out.append("  ").append(id).append(" [label=\"").append(escape(node.instanceId()))
          .append("\\n").append(node.state()).append(node.problemCode() == 0 ? ""
              : " (code " + node.problemCode() + ")").append("\\n")
          .append(escape(String.join(", ", node.hardwareIds())))
          .append("\", shape=folder];\n");
      out.append("  root -> ").append(id).append(";\n");
      String below = id + "_pdo";
      out.append("  ").append(below).append(" [label=\"PDO ").append(escape(node.pdoName()))
          .append("\\n(root bus)\"];\n");
      out.append("  ").append(id).append(" -> ").append(below).append(" [label=\"stack\"];\n");
      List<String> drivers = node.driverNames();
      for (int i = 0; i < drivers.size(); i++) {
        String device = id + "_d" + i;
        out.append("  ").append(device).append(" [label=\"").append(escape(drivers.get(i)))
            .append("\"];\n");
        out.append("  ").append(device).append(" -> ").append(below)
            .append(" [label=\"attached to\"];\n");
        below = device;
      }
    }
    int l = 0;
    for (DriverInfo driver : kernel.drivers()) {
      if (driver.model() != DriverModel.LEGACY) {
        continue;
      }
      for (String name : driver.deviceNames()) {
        String id = "legacy" + l++;
        out.append("  ").append(id).append(" [label=\"").append(escape(name)).append("\\n")
            .append(escape(driver.name())).append(" (legacy)\"];\n");
        out.append("  root -> ").append(id).append(";\n");
      }
    }
    out.append("}\n");
    return out.toString();
  }

  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }
}

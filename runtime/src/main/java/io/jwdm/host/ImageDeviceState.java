package io.jwdm.host;

import java.util.List;
import java.util.Objects;

/**
 * A device node as it stood after an image operation: its state, its problem code and the drivers
 * of its stack.
 *
 * @param node the device node
 * @param state its state then
 * @param problemCode its Device Manager problem code then, 0 if none (37: a DriverEntry failed)
 * @param driverNames the drivers of its stack then, bottom-up
 */
public record ImageDeviceState(DeviceNode node, DeviceNode.State state, int problemCode,
    List<String> driverNames) {
  /** Compact constructor: checks and copies. */
  public ImageDeviceState {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(state, "state");
    driverNames = List.copyOf(driverNames);
  }

  static ImageDeviceState of(DeviceNode node) {
    return new ImageDeviceState(node, node.state(), node.problemCode(), node.driverNames());
  }

  @Override
  public String toString() {
    return node.instanceId() + " " + state + (problemCode == 0 ? "" : " code " + problemCode)
        + " " + driverNames;
  }
}

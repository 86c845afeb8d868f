package io.jwdm.processor.harness;

import io.jwdm.kernel.Irp;

/** An IRP for glue tests; only its identity matters. */
public record FakeIrp(String name) implements Irp {
  @Override
  public String toString() {
    return "irp " + name;
  }
}

package io.jwdm.examples.stress;

import io.jwdm.annotation.DriverRole;
import io.jwdm.kernel.DriverDispatch;
import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.DriverUnload;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.spi.DriverGlue;
import io.jwdm.spi.DriverModel;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An example driver's generated glue, with every dispatch routine and the Unload routine of each
 * driver instance wrapped to check, independently of the kernel's own bookkeeping, that no dispatch
 * routine starts once Unload has begun and that Unload never runs at the same time as a dispatch
 * routine. For a driver that completes every IRP in its dispatch routine ({@code
 * completesInDispatch}), it also checks that each dispatch routine that did not return PENDING
 * completed its IRP: after completion an IRP's current location is one past its stack count.
 *
 * <p>The glue keeps no state of its own: each DriverEntry creates a fresh {@link Watch}.
 */
final class InstrumentedGlue implements DriverGlue {
  private final DriverGlue delegate;
  private final StressCounters counters;
  private final boolean completesInDispatch;

  InstrumentedGlue(DriverGlue delegate, StressCounters counters, boolean completesInDispatch) {
    this.delegate = delegate;
    this.counters = counters;
    this.completesInDispatch = completesInDispatch;
  }

  /** One driver instance's state: its running dispatch routines and whether Unload has begun. */
  private static final class Watch {
    final AtomicInteger activeDispatches = new AtomicInteger();
    volatile boolean unloadBegun;
    volatile boolean unloadRunning;
  }

  @Override
  public NtStatus driverEntry(DriverObject driverObject, String registryPath) {
    // Before DriverEntry every entry of the dispatch table is the I/O manager's default routine.
    DriverDispatch defaultRoutine = driverObject.majorFunction(MajorFunction.CREATE);
    NtStatus status = delegate.driverEntry(driverObject, registryPath);
    if (!status.isSuccess()) {
      return status;
    }
    Watch watch = new Watch();
    String name = delegate.driverName();
    Set<MajorFunction> wrapped = EnumSet.noneOf(MajorFunction.class);
    for (MajorFunction function : MajorFunction.values()) {
      DriverDispatch routine = driverObject.majorFunction(function);
      if (routine != defaultRoutine) {
        driverObject.setMajorFunction(function, dispatch(name, watch, routine));
        wrapped.add(function);
      }
    }
    DriverUnload unload = driverObject.driverUnload();
    if (unload != null) {
      driverObject.setDriverUnload(unloadWrapper(name, watch, unload));
    }
    return status;
  }

  private DriverDispatch dispatch(String name, Watch watch, DriverDispatch routine) {
    return (device, irp) -> {
      counters.dispatches.increment();
      if (watch.unloadBegun) {
        counters.problem(counters.afterUnload, name + ": a dispatch routine started after Unload began");
      }
      watch.activeDispatches.incrementAndGet();
      if (watch.unloadRunning) {
        counters.problem(counters.overlaps, name + ": a dispatch routine started while Unload ran");
      }
      try {
        NtStatus result = routine.dispatch(device, irp);
        if (completesInDispatch && !NtStatus.PENDING.equals(result) && !completed(irp)) {
          counters.problem(counters.notCompletedByDispatch,
              name + ": a dispatch routine returned " + result + " without completing " + irp);
        }
        return result;
      } finally {
        watch.activeDispatches.decrementAndGet();
      }
    };
  }

  /** True once completion has gone past the top of the IRP's stack. */
  private static boolean completed(Irp irp) {
    return irp.currentLocation() == irp.stackCount() + 1;
  }

  private DriverUnload unloadWrapper(String name, Watch watch, DriverUnload unload) {
    return driverObject -> {
      counters.unloads.increment();
      watch.unloadBegun = true;
      watch.unloadRunning = true;
      if (watch.activeDispatches.get() > 0) {
        counters.problem(counters.overlaps, name + ": Unload began while "
            + watch.activeDispatches.get() + " dispatch routine(s) ran");
      }
      try {
        unload.unload(driverObject);
      } finally {
        watch.unloadRunning = false;
        if (watch.activeDispatches.get() > 0) {
          counters.problem(counters.overlaps, name + ": a dispatch routine ran as Unload ended");
        }
      }
    };
  }

  @Override
  public int spiVersion() {
    return delegate.spiVersion();
  }

  @Override
  public String driverName() {
    return delegate.driverName();
  }

  @Override
  public DriverModel model() {
    return delegate.model();
  }

  @Override
  public List<String> hardwareIds() {
    return delegate.hardwareIds();
  }

  @Override
  public DriverRole role() {
    return delegate.role();
  }

  @Override
  public boolean permanent() {
    return delegate.permanent();
  }

  @Override
  public Class<?> driverClass() {
    return delegate.driverClass();
  }

  @Override
  public String toString() {
    return "Instrumented " + delegate;
  }
}

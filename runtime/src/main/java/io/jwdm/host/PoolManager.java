package io.jwdm.host;

import io.jwdm.kernel.Irql;
import io.jwdm.kernel.PoolMemory;
import io.jwdm.kernel.Wdm;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pool allocator: ExAllocatePool2, ExAllocatePoolWithTag and ExFreePoolWithTag, with the
 * checks Windows and Driver Verifier make. Every live block is tracked with its owner, tag, size
 * and creation stack, so a leak names where it came from.
 */
final class PoolManager {
  /** The largest block jwdm allocates: 256 MiB. Larger requests fail as low resources. */
  static final long MAX_BLOCK = 256L << 20;

  private final KernelCore core;
  private final Verifier verifier;
  /** Live blocks by address, in allocation order. Guarded by the kernel lock. */
  private final Map<Long, PoolBlock> live = new LinkedHashMap<>();

  PoolManager(KernelCore core, Verifier verifier) {
    this.core = core;
    this.verifier = verifier;
  }

  static boolean validTag(String tag) {
    if (tag == null || tag.isEmpty() || tag.length() > 4) {
      return false;
    }
    for (int i = 0; i < tag.length(); i++) {
      char c = tag.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  PoolMemory allocate(boolean paged, long size, String tag, String service) {
    KernelCore.KThread thread = core.thread();
    DriverObjectImpl driver = thread.currentDriver;
    Irql irql = thread.irql;
    int poolType = paged ? Wdm.PAGED_POOL : Wdm.NON_PAGED_POOL;
    Irql limit = paged ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL;
    if (irql.isAbove(limit)) {
      if (verifier.enabled(driver, VerifierFlags.FORCE_IRQL_CHECKING | VerifierFlags.POOL_TRACKING
          | VerifierFlags.SPECIAL_POOL)) {
        throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, paged ? 0x01 : 0x02,
            irql.level(), poolType, size, driver, service + " allocated " + (paged ? "paged"
                : "nonpaged") + " pool at " + irql + "; the limit is " + limit, null);
      }
      throw core.bugCheck(BugCheck.IRQL_NOT_LESS_OR_EQUAL, 0, irql.level(), 0, 0, driver,
          service + " was called at " + irql + "; for " + (paged ? "paged" : "nonpaged")
              + " pool it may be called at most at " + limit, null);
    }
    if (size == 0 && verifier.enabled(driver, VerifierFlags.POOL_TRACKING
        | VerifierFlags.SPECIAL_POOL)) {
      throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x00, irql.level(),
          poolType, 0, driver, service + " requested a zero-byte allocation", null);
    }
    if (driver != null && driver.state == DriverObjectImpl.State.UNLOADING
        && verifier.enabled(driver, VerifierFlags.POOL_TRACKING)) {
      throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x61, driver.address(),
          size, 0, driver, driver.name() + " allocated pool (tag '" + tag
              + "') while it was unloading", null);
    }
    if (!validTag(tag) || size < 0 || size > MAX_BLOCK) {
      core.trace("PoolRefused", driver == null ? "system" : driver.name(), service + " of " + size
          + " bytes with tag '" + tag + "'" + (validTag(tag) ? "" : ": the tag must be 1 to 4"
              + " printable ASCII characters"));
      return null;
    }
    if (verifier.failAllocation(driver, service, tag)) {
      return null;
    }
    PoolBlock block = new PoolBlock(core, driver, tag, paged, (int) size, core.allocateAddress(),
        verifier.enabled(driver, VerifierFlags.SPECIAL_POOL), KernelCore.creationStack());
    synchronized (core.lock) {
      live.put(block.address, block);
    }
    return block;
  }

  void free(PoolMemory memory, String tag, String service) {
    KernelCore.KThread thread = core.thread();
    DriverObjectImpl driver = thread.currentDriver;
    boolean checked = verifier.enabled(driver, VerifierFlags.POOL_TRACKING
        | VerifierFlags.SPECIAL_POOL);
    if (!(memory instanceof PoolBlock) || !((PoolBlock) memory).belongsTo(core)) {
      throw core.bugCheck(checked ? BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION
          : BugCheck.BAD_POOL_CALLER, checked ? 0x10 : 0x46, 0, 0, 0, driver,
          service + " was given " + memory + ", which is not a pool block of this kernel", null);
    }
    PoolBlock block = (PoolBlock) memory;
    Irql limit = block.paged() ? Irql.APC_LEVEL : Irql.DISPATCH_LEVEL;
    if (thread.irql.isAbove(limit)) {
      throw core.bugCheck(checked ? BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION
          : BugCheck.IRQL_NOT_LESS_OR_EQUAL, checked ? (block.paged() ? 0x11 : 0x12) : 0,
          thread.irql.level(), block.paged() ? Wdm.PAGED_POOL : Wdm.NON_PAGED_POOL,
          block.address, driver, service + " freed " + (block.paged() ? "paged" : "nonpaged")
              + " pool at " + thread.irql + "; the limit is " + limit, null);
    }
    synchronized (core.lock) {
      if (block.freed) {
        throw core.bugCheck(checked ? BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION
            : BugCheck.BAD_POOL_CALLER, checked ? 0x13 : 0x07, 0, block.address, 0, driver,
            service + " freed pool block " + String.format("%016x", block.address) + " (tag '"
                + block.tag() + "') twice", null, List.of(block.leak("freed twice")));
      }
      if (tag != null && !tag.equals(block.tag())) {
        throw core.bugCheck(BugCheck.BAD_POOL_CALLER, 0x0A, block.address, 0, 0, driver,
            service + " freed pool block " + String.format("%016x", block.address)
                + " with tag '" + tag + "', but it was allocated with tag '" + block.tag() + "'",
            null, List.of(block.leak("freed with the wrong tag")));
      }
      block.freed = true;
      live.remove(block.address);
    }
  }

  /** The live blocks {@code driver} allocated, in allocation order. */
  List<PoolBlock> liveBlocks(DriverObjectImpl driver) {
    synchronized (core.lock) {
      List<PoolBlock> blocks = new ArrayList<>();
      for (PoolBlock block : live.values()) {
        if (block.owner == driver) {
          blocks.add(block);
        }
      }
      return blocks;
    }
  }

  /** Frees leaked blocks after they were reported. */
  void reclaim(List<PoolBlock> blocks) {
    synchronized (core.lock) {
      for (PoolBlock block : blocks) {
        block.freed = true;
        live.remove(block.address);
      }
    }
  }
}

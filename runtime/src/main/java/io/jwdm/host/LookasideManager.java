package io.jwdm.host;

import io.jwdm.kernel.LookasideList;
import io.jwdm.kernel.PoolMemory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * The kernel's nonpaged lookaside lists over the pool.
 *
 * <p>A list hands out nonpaged pool blocks of its size and tag, allocated through the pool
 * manager on behalf of the calling driver, so pool tracking, special pool and the low-resources
 * simulation apply to them. A block freed to the list is kept for reuse while the list holds
 * fewer than its depth (0, what the WDK asks drivers to pass, means {@value #DEFAULT_DEPTH});
 * beyond that it goes back to the pool. Under special pool the list keeps nothing, so every
 * block is fresh special pool and a use after free is caught, as Driver Verifier does.
 *
 * <p>A list is tracked as a pending operation from ExInitializeNPagedLookasideList until
 * ExDeleteNPagedLookasideList: one not deleted when its driver unloads is bug check 0xCE with the
 * stack that created it. Deleting frees the cached blocks; blocks still handed out remain the
 * driver's pool (a leak at unload, like any pool).
 *
 * <p>Misuse, and its bug check:
 * <ul>
 *   <li>a size below 1 byte: with any verifier flag 0xC4 / 0xCD (P2 list, P3 size, P4 the minimum,
 *       1); otherwise 0x1E with STATUS_INVALID_PARAMETER. A tag that is not 1 to 4 printable
 *       characters: 0x1E with STATUS_INVALID_PARAMETER.
 *   <li>freeing to a list a block it did not hand out (another list's, another size, plain pool):
 *       with pool tracking or special pool 0xC4 / 0x16 (P3 the block), otherwise 0xC2 / 0x46
 *       (P2 the block).
 *   <li>freeing a block twice: with pool tracking or special pool 0xC4 / 0x13 (P3 the block),
 *       otherwise 0xC2 / 0x07 (P4 the block).
 *   <li>deleting a list twice: with any verifier flag 0xC4 / 0xCB (P2 the list); otherwise, and
 *       for allocating from or freeing to a deleted list, 0x1E with STATUS_ACCESS_VIOLATION.
 * </ul>
 */
final class LookasideManager {
  /** How many freed blocks a list keeps when its depth is 0. */
  static final int DEFAULT_DEPTH = 4;
  private static final long STATUS_INVALID_PARAMETER = 0xC000000DL;
  private static final long STATUS_ACCESS_VIOLATION = 0xC0000005L;

  private final KernelCore core;
  private final Services services;

  LookasideManager(KernelCore core, Services services) {
    this.core = core;
    this.services = services;
  }

  /** An {@code NPAGED_LOOKASIDE_LIST}. Its mutable state is guarded by the kernel lock. */
  final class LookasideImpl implements LookasideList {
    final DriverObjectImpl owner;
    final long address;
    final List<StackTraceElement> creationStack;
    final int size;
    final String tag;
    final int depth;
    final ArrayDeque<PoolBlock> cached = new ArrayDeque<>();
    final Set<PoolBlock> outstanding = Collections.newSetFromMap(new IdentityHashMap<>());
    boolean deleted;

    LookasideImpl(DriverObjectImpl owner, long address, List<StackTraceElement> creationStack,
        int size, String tag, int depth) {
      this.owner = owner;
      this.address = address;
      this.creationStack = creationStack;
      this.size = size;
      this.tag = tag;
      this.depth = depth;
    }

    @Override
    public int size() {
      return size;
    }

    LookasideManager manager() {
      return LookasideManager.this;
    }

    Leak object(String when) {
      return new Leak("LookasideList", owner == null ? "system" : owner.name(), toString(), when,
          tag, size, creationStack);
    }

    @Override
    public String toString() {
      return String.format("NPAGED_LOOKASIDE_LIST %016x (%d-byte blocks, tag '%s')", address,
          size, tag);
    }
  }

  LookasideList initialize(int flags, int size, String tag, int depth) {
    DriverObjectImpl owner = core.thread().currentDriver;
    long address = core.allocateAddress();
    List<StackTraceElement> stack = KernelCore.creationStack();
    if (size < 1) {
      if (services.verifier().flags(owner) != 0) {
        throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0xCD, address, size, 1,
            owner, "ExInitializeNPagedLookasideList with a block size of " + size + " bytes",
            null);
      }
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, STATUS_INVALID_PARAMETER,
          owner == null ? 0 : owner.address(), 0, 0, owner,
          "ExInitializeNPagedLookasideList with a block size of " + size + " bytes", null);
    }
    if (!PoolManager.validTag(tag)) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, STATUS_INVALID_PARAMETER,
          owner == null ? 0 : owner.address(), 0, 0, owner, "ExInitializeNPagedLookasideList"
              + " with tag '" + tag + "': a pool tag is 1 to 4 printable ASCII characters", null);
    }
    LookasideImpl list = new LookasideImpl(owner, address, stack, size, tag,
        depth <= 0 ? DEFAULT_DEPTH : depth);
    core.track(new Tracked("LookasideList", owner, address, list + " not deleted",
        Tracked.Category.PENDING_OPERATION, stack, () -> reclaim(list)));
    core.trace("ExInitializeNPagedLookasideList", name(owner), list.toString());
    return list;
  }

  PoolMemory allocate(LookasideList lookaside) {
    LookasideImpl list = list(lookaside, "ExAllocateFromNPagedLookasideList");
    PoolBlock block;
    synchronized (core.lock) {
      block = list.cached.poll();
      if (block != null) {
        list.outstanding.add(block);
        return block;
      }
    }
    PoolMemory memory = services.pool().allocate(false, list.size, list.tag,
        "ExAllocateFromNPagedLookasideList");
    if (memory == null) {
      return null;
    }
    block = (PoolBlock) memory;
    synchronized (core.lock) {
      list.outstanding.add(block);
    }
    return block;
  }

  void free(LookasideList lookaside, PoolMemory entry) {
    LookasideImpl list = list(lookaside, "ExFreeToNPagedLookasideList");
    DriverObjectImpl driver = core.thread().currentDriver;
    boolean checked = services.verifier().enabled(driver, VerifierFlags.POOL_TRACKING
        | VerifierFlags.SPECIAL_POOL);
    PoolBlock block = entry instanceof PoolBlock && ((PoolBlock) entry).belongsTo(core)
        ? (PoolBlock) entry : null;
    boolean cache;
    synchronized (core.lock) {
      boolean handedOut = block != null && list.outstanding.contains(block);
      if (!handedOut || block.freed) {
        boolean twice = block != null && (block.freed || list.cached.contains(block));
        throw twice ? freedTwice(list, block, driver, checked)
            : notFromList(list, entry, block, driver, checked);
      }
      list.outstanding.remove(block);
      cache = list.cached.size() < list.depth
          && !services.verifier().enabled(list.owner, VerifierFlags.SPECIAL_POOL);
      if (cache) {
        list.cached.push(block);
      }
    }
    if (!cache) {
      services.pool().free(block, list.tag, "ExFreeToNPagedLookasideList");
    }
  }

  void delete(LookasideList lookaside) {
    DriverObjectImpl driver = core.thread().currentDriver;
    if (lookaside instanceof LookasideImpl && ((LookasideImpl) lookaside).manager() == this) {
      LookasideImpl list = (LookasideImpl) lookaside;
      boolean deleted;
      synchronized (core.lock) {
        deleted = list.deleted;
      }
      if (deleted && services.verifier().flags(driver) != 0) {
        throw core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0xCB, list.address, 0,
            0, driver, "ExDeleteNPagedLookasideList on " + list + ", which is deleted already",
            null, List.of(list.object("deleted twice")));
      }
    }
    LookasideImpl list = list(lookaside, "ExDeleteNPagedLookasideList");
    List<PoolBlock> blocks;
    synchronized (core.lock) {
      list.deleted = true;
      blocks = new ArrayList<>(list.cached);
      list.cached.clear();
    }
    core.untrack(list.address);
    for (PoolBlock block : blocks) {
      services.pool().free(block, list.tag, "ExDeleteNPagedLookasideList");
    }
    core.trace("ExDeleteNPagedLookasideList", name(list.owner), list.toString());
  }

  /** A list left at unload: deleted by the kernel; its cached blocks go back to the pool. */
  private void reclaim(LookasideImpl list) {
    List<PoolBlock> blocks;
    synchronized (core.lock) {
      list.deleted = true;
      blocks = new ArrayList<>(list.cached);
      list.cached.clear();
    }
    services.pool().reclaim(blocks);
  }

  /** Casts a driver's list, stopping the system for a foreign or deleted one. */
  private LookasideImpl list(LookasideList lookaside, String service) {
    DriverObjectImpl driver = core.thread().currentDriver;
    if (!(lookaside instanceof LookasideImpl) || ((LookasideImpl) lookaside).manager() != this) {
      throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, STATUS_ACCESS_VIOLATION, 0, 0, 0,
          driver, service + " was given " + (lookaside == null ? "null"
              : lookaside instanceof LookasideImpl ? "a lookaside list of another kernel"
              : "a foreign object") + " instead of a lookaside list of this kernel", null);
    }
    LookasideImpl list = (LookasideImpl) lookaside;
    synchronized (core.lock) {
      if (!list.deleted) {
        return list;
      }
    }
    throw core.bugCheck(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, STATUS_ACCESS_VIOLATION,
        driver == null ? 0 : driver.address(), list.address, 0, driver, service + " on " + list
            + ", which was deleted", null, List.of(list.object("used after delete")));
  }

  private KernelCore.BugCheckUnwind freedTwice(LookasideImpl list, PoolBlock block,
      DriverObjectImpl driver, boolean checked) {
    String message = "ExFreeToNPagedLookasideList freed pool block "
        + String.format("%016x", block.address) + " of " + list + " twice";
    List<Leak> objects = List.of(block.leak("freed twice"), list.object("freed to twice"));
    if (checked) {
      return core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x13, 0, block.address, 0,
          driver, message, null, objects);
    }
    return core.bugCheck(BugCheck.BAD_POOL_CALLER, 0x07, 0, 0, block.address, driver, message,
        null, objects);
  }

  private KernelCore.BugCheckUnwind notFromList(LookasideImpl list, PoolMemory entry,
      PoolBlock block, DriverObjectImpl driver, boolean checked) {
    long address = block == null ? 0 : block.address;
    String message = "ExFreeToNPagedLookasideList on " + list + " was given "
        + (block != null ? block.toString() : entry == null ? "null" : "a foreign object")
        + ", which the list did not hand out" + (block != null && block.size() != list.size
            ? " (it is " + block.size() + " bytes; the list's blocks are " + list.size + ")" : "");
    List<Leak> objects = block == null ? List.of(list.object("freed a foreign block to"))
        : List.of(block.leak("freed to the wrong lookaside list"), list.object("freed to"));
    if (checked) {
      return core.bugCheck(BugCheck.DRIVER_VERIFIER_DETECTED_VIOLATION, 0x16, 0, address, 0,
          driver, message, null, objects);
    }
    return core.bugCheck(BugCheck.BAD_POOL_CALLER, 0x46, address, 0, 0, driver, message, null,
        objects);
  }

  private static String name(DriverObjectImpl driver) {
    return driver == null ? "system" : driver.name();
  }
}

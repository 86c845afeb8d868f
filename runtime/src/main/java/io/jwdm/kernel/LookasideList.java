package io.jwdm.kernel;

/**
 * A nonpaged lookaside list ({@code NPAGED_LOOKASIDE_LIST}), from
 * {@link KernelServices#exInitializeNPagedLookasideList}: fixed-size blocks, recycled. It must be
 * deleted before its driver unloads.
 */
public interface LookasideList {
  /** The size of each block. */
  int size();
}

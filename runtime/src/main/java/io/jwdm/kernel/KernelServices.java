package io.jwdm.kernel;

import java.nio.ByteBuffer;

/**
 * The kernel's services, named after the WDK routines they mirror ({@code IoCreateDevice} is
 * {@link #ioCreateDevice}). A driver reaches them from the objects its routines receive
 * ({@link DriverObject#kernel()}, {@link DeviceObject#kernel()}); it needs no global.
 *
 * <p>Statuses cross this boundary, never exceptions: a service reports failure with an
 * {@link NtStatus}, as its WDK counterpart does. Misuse that Windows punishes with a bug check (such
 * as completing an IRP twice) stops the simulated system with that bug check. Each method's
 * javadoc names the routine it mirrors and its IRQL limit.
 */
public interface KernelServices {

  // ---------------------------------------------------------------------------------------------
  // Device objects and names

  /**
   * {@code IoCreateDevice}: creates a device object for {@code driver}. IRQL: PASSIVE_LEVEL.
   *
   * <p>The new device has {@link Wdm#DO_DEVICE_INITIALIZING} set; the driver clears it when the
   * device is ready (for a device created in DriverEntry, the I/O manager clears it when DriverEntry
   * returns).
   *
   * @param deviceExtension the driver's per-device state ({@code DeviceExtension}); may be null
   * @param deviceName a name such as {@code \Device\Sioctl}, or null for an unnamed device
   * @param exclusive true to allow only one open handle at a time
   * @param deviceObject receives the new device object
   * @return SUCCESS; OBJECT_NAME_INVALID for a malformed name; OBJECT_NAME_COLLISION if the name
   *     exists; DELETE_PENDING if the driver is unloading; INSUFFICIENT_RESOURCES when low on
   *     resources
   */
  NtStatus ioCreateDevice(DriverObject driver, Object deviceExtension, String deviceName,
      int deviceType, int deviceCharacteristics, boolean exclusive, Out<DeviceObject> deviceObject);

  /**
   * {@code IoDeleteDevice}: deletes a device object. Its name disappears at once; the object itself
   * goes when its last reference (open handle, outstanding IRP) is released. IRQL: PASSIVE_LEVEL.
   */
  void ioDeleteDevice(DeviceObject device);

  /**
   * {@code IoCreateSymbolicLink}: creates {@code symbolicLinkName} (such as {@code \DosDevices\Sioctl}
   * or {@code \??\Sioctl}) pointing to {@code deviceName}. IRQL: PASSIVE_LEVEL.
   *
   * @return SUCCESS, OBJECT_NAME_INVALID or OBJECT_NAME_COLLISION
   */
  NtStatus ioCreateSymbolicLink(String symbolicLinkName, String deviceName);

  /**
   * {@code IoDeleteSymbolicLink}. IRQL: PASSIVE_LEVEL.
   *
   * @return SUCCESS, or OBJECT_NAME_NOT_FOUND if there is no such link
   */
  NtStatus ioDeleteSymbolicLink(String symbolicLinkName);

  /**
   * {@code IoAttachDeviceToDeviceStack}: attaches {@code sourceDevice} to the top of the stack that
   * {@code targetDevice} belongs to. IRQL: PASSIVE_LEVEL.
   *
   * @return the device object {@code sourceDevice} was attached to (the one to pass IRPs to), or
   *     null if the target stack is being removed or its driver is unloading
   */
  DeviceObject ioAttachDeviceToDeviceStack(DeviceObject sourceDevice, DeviceObject targetDevice);

  /**
   * {@code IoDetachDevice}: detaches the device attached above {@code targetDevice} (the device
   * {@link #ioAttachDeviceToDeviceStack} returned). IRQL: PASSIVE_LEVEL.
   */
  void ioDetachDevice(DeviceObject targetDevice);

  // ---------------------------------------------------------------------------------------------
  // IRPs

  /**
   * {@code IoGetCurrentIrpStackLocation}: this driver's stack location of {@code irp}. Any IRQL.
   */
  IoStackLocation ioGetCurrentIrpStackLocation(Irp irp);

  /**
   * {@code IoGetNextIrpStackLocation}: the stack location of the next-lower driver. Any IRQL.
   */
  IoStackLocation ioGetNextIrpStackLocation(Irp irp);

  /**
   * {@code IoSkipCurrentIrpStackLocation}: lets the next-lower driver reuse this driver's stack
   * location, when passing an IRP down without a completion routine. Any IRQL.
   */
  void ioSkipCurrentIrpStackLocation(Irp irp);

  /**
   * {@code IoCopyCurrentIrpStackLocationToNext}: copies this driver's stack location to the next
   * one, except the completion routine, when passing an IRP down with one. Any IRQL.
   */
  void ioCopyCurrentIrpStackLocationToNext(Irp irp);

  /**
   * {@code IoSetCompletionRoutine}: sets a routine to run when the next-lower driver completes
   * {@code irp}. Call it after setting up the next stack location. Any IRQL.
   */
  void ioSetCompletionRoutine(Irp irp, IoCompletionRoutine routine, Object context,
      boolean invokeOnSuccess, boolean invokeOnError, boolean invokeOnCancel);

  /**
   * {@code IoCallDriver}: passes {@code irp} to the driver of {@code device}, moving to the next
   * stack location. IRQL: at most DISPATCH_LEVEL.
   *
   * @return the status the called dispatch routine returned
   */
  NtStatus ioCallDriver(DeviceObject device, Irp irp);

  /**
   * {@code IoForwardIrpSynchronously}: copies the stack location to the next, sends {@code irp} to
   * {@code device} and waits until the lower drivers complete it. The IRP then belongs to the
   * caller again, which completes it. IRQL: PASSIVE_LEVEL.
   *
   * @return true if the IRP was forwarded (its final status is in {@code irp.ioStatus()})
   */
  boolean ioForwardIrpSynchronously(DeviceObject device, Irp irp);

  /**
   * {@code IoCompleteRequest}: completes {@code irp}, running the completion routines of the drivers
   * above. An IRP is completed exactly once: completing it again is bug check 0x44
   * (MULTIPLE_IRP_COMPLETE_REQUESTS). IRQL: at most DISPATCH_LEVEL.
   */
  void ioCompleteRequest(Irp irp, int priorityBoost);

  /**
   * {@code IoMarkIrpPending}: marks this driver's stack location pending. The dispatch routine must
   * then return {@link NtStatus#PENDING}. Any IRQL.
   */
  void ioMarkIrpPending(Irp irp);

  /**
   * {@code IoSetCancelRoutine}: sets (or, with null, clears) the routine that cancels {@code irp}
   * while the driver holds it queued. Any IRQL.
   *
   * @return the previous cancel routine; null when clearing means the cancel routine already ran
   *     or is about to, so the IRP must be left to it
   */
  DriverCancel ioSetCancelRoutine(Irp irp, DriverCancel routine);

  /**
   * {@code IoCancelIrp}: sets {@link Irp#cancel()} and calls the IRP's cancel routine, if any.
   * IRQL: at most DISPATCH_LEVEL.
   *
   * @return true if a cancel routine was called
   */
  boolean ioCancelIrp(Irp irp);

  /**
   * {@code IoStartPacket}: hands {@code irp} to the driver's StartIo routine now if the device is
   * idle, or queues it in the device queue. Call it after IoMarkIrpPending. IRQL: at most
   * DISPATCH_LEVEL.
   */
  void ioStartPacket(DeviceObject device, Irp irp, DriverCancel cancelFunction);

  /**
   * {@code IoStartNextPacket}: called by StartIo's completion path to start the next queued IRP.
   * IRQL: DISPATCH_LEVEL.
   */
  void ioStartNextPacket(DeviceObject device, boolean cancelable);

  /**
   * {@code MmGetSystemAddressForMdlSafe}: maps the buffer an MDL describes. IRQL: at most
   * DISPATCH_LEVEL.
   *
   * @return the buffer, or null if it cannot be mapped (low resources)
   */
  ByteBuffer mmGetSystemAddressForMdlSafe(Mdl mdl, int priority);

  // ---------------------------------------------------------------------------------------------
  // Pool

  /**
   * {@code ExAllocatePool2}: allocates pool memory, zeroed unless {@link
   * Wdm#POOL_FLAG_UNINITIALIZED} is given. IRQL: at most APC_LEVEL for paged pool, at most
   * DISPATCH_LEVEL for nonpaged pool.
   *
   * @param flags {@link Wdm#POOL_FLAG_NON_PAGED} or {@link Wdm#POOL_FLAG_PAGED}, optionally with
   *     {@link Wdm#POOL_FLAG_UNINITIALIZED}
   * @param tag one to four printable ASCII characters identifying the allocation
   * @return the memory, or null when the allocation fails (low resources): check it
   */
  PoolMemory exAllocatePool2(long flags, long numberOfBytes, String tag);

  /**
   * {@code ExAllocatePoolWithTag}: allocates pool memory (not zeroed). IRQL as
   * {@link #exAllocatePool2}.
   *
   * @param poolType {@link Wdm#NON_PAGED_POOL}, {@link Wdm#NON_PAGED_POOL_NX} or
   *     {@link Wdm#PAGED_POOL}
   * @return the memory, or null when the allocation fails
   */
  PoolMemory exAllocatePoolWithTag(int poolType, long numberOfBytes, String tag);

  /**
   * {@code ExFreePoolWithTag}: frees pool memory allocated with {@code tag}. Freeing twice is bug
   * check 0xC2 BAD_POOL_CALLER (0xC4 under Driver Verifier). IRQL: at most DISPATCH_LEVEL
   * (APC_LEVEL for paged pool).
   */
  void exFreePoolWithTag(PoolMemory memory, String tag);

  /** {@code ExFreePool}: {@link #exFreePoolWithTag} without checking the tag. */
  void exFreePool(PoolMemory memory);

  // ---------------------------------------------------------------------------------------------
  // Timers and DPCs

  /** {@code KeInitializeTimer}: a notification timer, not set. IRQL: at most DISPATCH_LEVEL. */
  KTimer keInitializeTimer();

  /**
   * {@code KeSetTimer}: sets a one-shot timer. When it expires it becomes signaled and queues
   * {@code dpc} (if not null). IRQL: at most DISPATCH_LEVEL.
   *
   * @param dueTime negative: relative, in 100-ns units ({@link Wdm#RELATIVE_MILLISECONDS}); positive:
   *     absolute kernel time
   * @return true if the timer was already set (it is reset)
   */
  boolean keSetTimer(KTimer timer, long dueTime, KDpc dpc);

  /**
   * {@code KeSetTimerEx}: as {@link #keSetTimer}, then again every {@code period} milliseconds
   * while {@code period} is positive. IRQL: at most DISPATCH_LEVEL.
   */
  boolean keSetTimerEx(KTimer timer, long dueTime, int period, KDpc dpc);

  /**
   * {@code KeCancelTimer}: takes a timer out of the timer queue. IRQL: at most DISPATCH_LEVEL.
   *
   * @return true if it was set
   */
  boolean keCancelTimer(KTimer timer);

  /** {@code KeInitializeDpc}. IRQL: any. */
  KDpc keInitializeDpc(KDeferredRoutine deferredRoutine, Object deferredContext);

  /**
   * {@code KeInsertQueueDpc}: queues a DPC to run at DISPATCH_LEVEL. IRQL: any.
   *
   * @return false if it was already queued
   */
  boolean keInsertQueueDpc(KDpc dpc, Object systemArgument1, Object systemArgument2);

  /**
   * {@code KeRemoveQueueDpc}: takes a queued DPC out of the queue. IRQL: any.
   *
   * @return true if it was queued
   */
  boolean keRemoveQueueDpc(KDpc dpc);

  /** {@code KeFlushQueuedDpcs}: returns when every queued DPC has run. IRQL: PASSIVE_LEVEL. */
  void keFlushQueuedDpcs();

  // ---------------------------------------------------------------------------------------------
  // Work items and system threads

  /**
   * {@code IoAllocateWorkItem}: a work item for {@code device}. IRQL: at most DISPATCH_LEVEL.
   *
   * @return the work item, or null when low on resources
   */
  IoWorkItem ioAllocateWorkItem(DeviceObject device);

  /**
   * {@code IoQueueWorkItem}: runs {@code routine} at PASSIVE_LEVEL in a system worker thread. The
   * queued item holds a reference on its device until the routine returns. IRQL: at most
   * DISPATCH_LEVEL.
   */
  void ioQueueWorkItem(IoWorkItem item, IoWorkItemRoutine routine, int queueType, Object context);

  /** {@code IoFreeWorkItem}. IRQL: at most DISPATCH_LEVEL. */
  void ioFreeWorkItem(IoWorkItem item);

  /**
   * {@code PsCreateSystemThread}: starts a system thread running {@code startRoutine} at
   * PASSIVE_LEVEL. (jwdm hands back the thread object itself where Windows hands back a handle to
   * reference.) A driver must make its threads end, and wait for them, before it unloads. IRQL:
   * PASSIVE_LEVEL.
   *
   * @return SUCCESS, or INSUFFICIENT_RESOURCES
   */
  NtStatus psCreateSystemThread(Out<KThreadObject> thread, KStartRoutine startRoutine,
      Object startContext);

  /**
   * {@code PsTerminateSystemThread}: ends the calling system thread; it does not return. Called
   * from any other thread it returns INVALID_PARAMETER. IRQL: PASSIVE_LEVEL.
   */
  NtStatus psTerminateSystemThread(NtStatus exitStatus);

  /**
   * {@code KeDelayExecutionThread}: puts the calling thread to sleep. IRQL: at most APC_LEVEL.
   *
   * @param interval negative: relative, in 100-ns units
   */
  NtStatus keDelayExecutionThread(int waitMode, boolean alertable, long interval);

  // ---------------------------------------------------------------------------------------------
  // Events and waits

  /** {@code KeInitializeEvent}. IRQL: any. */
  KEvent keInitializeEvent(EventType type, boolean state);

  /**
   * {@code KeSetEvent}: signals an event. IRQL: at most DISPATCH_LEVEL.
   *
   * @return the previous state: nonzero if it was signaled
   */
  int keSetEvent(KEvent event, int increment, boolean wait);

  /** {@code KeClearEvent}: sets an event to not signaled. IRQL: at most DISPATCH_LEVEL. */
  void keClearEvent(KEvent event);

  /** {@code KeReadStateEvent}: nonzero if signaled. IRQL: at most DISPATCH_LEVEL. */
  int keReadStateEvent(KEvent event);

  /**
   * {@code KeWaitForSingleObject}: waits until {@code object} is signaled or the timeout passes.
   * IRQL: at most APC_LEVEL, or DISPATCH_LEVEL with a zero timeout.
   *
   * @param timeout null to wait forever; negative: relative, in 100-ns units; 0 to test
   * @return SUCCESS when signaled, TIMEOUT when the timeout passed
   */
  NtStatus keWaitForSingleObject(DispatcherObject object, int waitReason, int waitMode,
      boolean alertable, Long timeout);

  /** {@code KeQueryInterruptTime}: the kernel's clock, in 100-ns units since boot. IRQL: any. */
  long keQueryInterruptTime();

  // ---------------------------------------------------------------------------------------------
  // Locks

  /** {@code KeInitializeSpinLock}. IRQL: any. */
  KSpinLock keInitializeSpinLock();

  /**
   * {@code KeAcquireSpinLock}: raises to DISPATCH_LEVEL and takes the lock. IRQL: at most
   * DISPATCH_LEVEL.
   *
   * @return the previous IRQL, to give to {@link #keReleaseSpinLock}
   */
  Irql keAcquireSpinLock(KSpinLock spinLock);

  /** {@code KeReleaseSpinLock}: releases the lock and returns to {@code newIrql}. */
  void keReleaseSpinLock(KSpinLock spinLock, Irql newIrql);

  /** {@code ExInitializeFastMutex}. IRQL: at most DISPATCH_LEVEL. */
  FastMutex exInitializeFastMutex();

  /** {@code ExAcquireFastMutex}: raises to APC_LEVEL and takes the mutex. IRQL: at most APC_LEVEL. */
  void exAcquireFastMutex(FastMutex fastMutex);

  /** {@code ExReleaseFastMutex}: releases the mutex and returns to the IRQL before acquiring. */
  void exReleaseFastMutex(FastMutex fastMutex);

  // ---------------------------------------------------------------------------------------------
  // Interrupts

  /**
   * {@code IoConnectInterrupt}: connects {@code serviceRoutine} to interrupt {@code vector}. The ISR
   * runs at {@code irql} when the simulated device raises the interrupt. IRQL: PASSIVE_LEVEL.
   *
   * @return SUCCESS, INVALID_PARAMETER, or INSUFFICIENT_RESOURCES if the vector is taken and not
   *     shared
   */
  NtStatus ioConnectInterrupt(Out<KInterrupt> interruptObject, KServiceRoutine serviceRoutine,
      Object serviceContext, KSpinLock spinLock, int vector, Irql irql, Irql synchronizeIrql,
      int interruptMode, boolean shareVector, long processorEnableMask, boolean floatingSave);

  /** {@code IoDisconnectInterrupt}. IRQL: PASSIVE_LEVEL. */
  void ioDisconnectInterrupt(KInterrupt interruptObject);

  /** {@code IoInitializeDpcRequest}: sets the device's DpcForIsr routine. IRQL: PASSIVE_LEVEL. */
  void ioInitializeDpcRequest(DeviceObject device, IoDpcRoutine dpcRoutine);

  /** {@code IoRequestDpc}: queues the device's DpcForIsr, from an ISR. IRQL: DIRQL. */
  void ioRequestDpc(DeviceObject device, Irp irp, Object context);

  // ---------------------------------------------------------------------------------------------
  // Callbacks

  /**
   * {@code PsSetCreateProcessNotifyRoutineEx}: registers ({@code remove} false) or removes a
   * process notify routine. IRQL: PASSIVE_LEVEL.
   *
   * <p>Removal matches the very object registered: keep the routine in a field, since two
   * evaluations of a method reference such as {@code this::onProcess} are two objects.
   *
   * @return SUCCESS, INVALID_PARAMETER (removing one not registered), or INSUFFICIENT_RESOURCES
   */
  NtStatus psSetCreateProcessNotifyRoutineEx(CreateProcessNotifyRoutine notifyRoutine,
      boolean remove);

  /**
   * {@code CmRegisterCallbackEx}: registers a registry callback. IRQL: PASSIVE_LEVEL.
   *
   * @param cookie receives the cookie for {@link #cmUnRegisterCallback}
   */
  NtStatus cmRegisterCallbackEx(RegistryCallback function, String altitude, DriverObject driver,
      Object context, Out<Long> cookie);

  /** {@code CmUnRegisterCallback}. IRQL: PASSIVE_LEVEL. */
  NtStatus cmUnRegisterCallback(long cookie);

  /**
   * {@code IoRegisterShutdownNotification}: the device receives IRP_MJ_SHUTDOWN at system
   * shutdown. IRQL: PASSIVE_LEVEL.
   */
  NtStatus ioRegisterShutdownNotification(DeviceObject device);

  /** {@code IoUnregisterShutdownNotification}. IRQL: PASSIVE_LEVEL. */
  void ioUnregisterShutdownNotification(DeviceObject device);

  /**
   * {@code IoRegisterPlugPlayNotification}: calls {@code callback} when device interfaces arrive or
   * are removed. IRQL: PASSIVE_LEVEL.
   *
   * @param notificationEntry receives the entry for {@link #ioUnregisterPlugPlayNotificationEx}
   */
  NtStatus ioRegisterPlugPlayNotification(int eventCategory, int eventCategoryFlags,
      String eventCategoryData, DriverObject driver, PlugPlayNotificationCallback callback,
      Object context, Out<Object> notificationEntry);

  /** {@code IoUnregisterPlugPlayNotificationEx}. IRQL: PASSIVE_LEVEL. */
  NtStatus ioUnregisterPlugPlayNotificationEx(Object notificationEntry);

  /** {@code KeInitializeCallbackRecord}. IRQL: any. */
  KBugCheckCallbackRecord keInitializeCallbackRecord();

  /**
   * {@code KeRegisterBugCheckCallback}: {@code callbackRoutine} runs when the system stops.
   * IRQL: at most DISPATCH_LEVEL.
   *
   * @return false if the record is registered already
   */
  boolean keRegisterBugCheckCallback(KBugCheckCallbackRecord callbackRecord,
      BugCheckCallback callbackRoutine, Object buffer, int length, String component);

  /** {@code KeDeregisterBugCheckCallback}. IRQL: at most DISPATCH_LEVEL. */
  boolean keDeregisterBugCheckCallback(KBugCheckCallbackRecord callbackRecord);

  // ---------------------------------------------------------------------------------------------
  // Lookaside lists

  /**
   * {@code ExInitializeNPagedLookasideList}: a list of {@code size}-byte nonpaged blocks tagged
   * {@code tag}, keeping up to {@code depth} free blocks. IRQL: at most DISPATCH_LEVEL.
   */
  LookasideList exInitializeNPagedLookasideList(int flags, int size, String tag, int depth);

  /**
   * {@code ExAllocateFromNPagedLookasideList}. IRQL: at most DISPATCH_LEVEL.
   *
   * @return a block, or null when low on resources
   */
  PoolMemory exAllocateFromNPagedLookasideList(LookasideList lookaside);

  /** {@code ExFreeToNPagedLookasideList}. IRQL: at most DISPATCH_LEVEL. */
  void exFreeToNPagedLookasideList(LookasideList lookaside, PoolMemory entry);

  /** {@code ExDeleteNPagedLookasideList}: frees the list's cached blocks. IRQL: at most DISPATCH_LEVEL. */
  void exDeleteNPagedLookasideList(LookasideList lookaside);

  // ---------------------------------------------------------------------------------------------
  // Remove locks

  /**
   * {@code IoInitializeRemoveLock}: creates a remove lock for a device extension. IRQL:
   * PASSIVE_LEVEL.
   *
   * @param allocateTag a four-character pool tag identifying the driver's acquisitions
   */
  IoRemoveLock ioInitializeRemoveLock(String allocateTag, int maxLockedMinutes, int highWatermark);

  /**
   * {@code IoAcquireRemoveLock}: takes the remove lock for an IRP. IRQL: at most DISPATCH_LEVEL.
   *
   * @param tag identifies this acquisition (usually the IRP); release with the same tag
   * @return SUCCESS, or DELETE_PENDING once the device is being removed: complete the IRP with it
   */
  NtStatus ioAcquireRemoveLock(IoRemoveLock removeLock, Object tag);

  /** {@code IoReleaseRemoveLock}. IRQL: at most DISPATCH_LEVEL. */
  void ioReleaseRemoveLock(IoRemoveLock removeLock, Object tag);

  /**
   * {@code IoReleaseRemoveLockAndWait}: for REMOVE_DEVICE. Releases the caller's acquisition, makes
   * further acquisitions fail, and waits until every other holder has released the lock.
   * IRQL: PASSIVE_LEVEL.
   */
  void ioReleaseRemoveLockAndWait(IoRemoveLock removeLock, Object tag);

  // ---------------------------------------------------------------------------------------------
  // IRQL and bug checks

  /** {@code KeGetCurrentIrql}: the IRQL of the calling thread. */
  Irql keGetCurrentIrql();

  /**
   * {@code KeRaiseIrql}: raises the calling thread's IRQL. Raising to a lower level is bug check
   * 0x9 (IRQL_NOT_GREATER_OR_EQUAL).
   *
   * @return the previous IRQL, to pass to {@link #keLowerIrql}
   */
  Irql keRaiseIrql(Irql newIrql);

  /** {@code KeLowerIrql}: returns to an IRQL saved by {@link #keRaiseIrql}. */
  void keLowerIrql(Irql newIrql);

  /**
   * {@code KeBugCheckEx}: stops the system with the given bug check. Does not return: the calling
   * routine is unwound.
   */
  void keBugCheckEx(int bugCheckCode, long parameter1, long parameter2, long parameter3,
      long parameter4);

  /** {@code DbgPrint}: writes a line to the kernel debugger log (the kernel's trace). */
  void dbgPrint(String message);
}

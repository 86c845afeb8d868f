package io.jwdm.kernel;

/** A registry callback ({@code EX_CALLBACK_FUNCTION}), registered with CmRegisterCallbackEx. */
@FunctionalInterface
public interface RegistryCallback {
  /**
   * Called for a registry operation. Returning an error status blocks a pre-operation.
   *
   * @param notifyClass the {@code REG_NOTIFY_CLASS} value, such as {@link Wdm#REG_NT_PRE_SET_VALUE_KEY}
   * @param keyPath the path of the key operated on
   */
  NtStatus callback(Object callbackContext, int notifyClass, String keyPath);
}

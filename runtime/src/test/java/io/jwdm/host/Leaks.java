package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Assertions on {@link Kernel#leaks()}. */
final class Leaks {
  private Leaks() {}

  /** The one leak of {@code kind} ("DeviceObject", "SymbolicLink"). */
  static Leak only(List<Leak> leaks, String kind) {
    List<Leak> ofKind = leaks.stream().filter(leak -> leak.kind().equals(kind)).toList();
    assertEquals(1, ofKind.size(), () -> "leaks of kind " + kind + ": " + leaks);
    return ofKind.get(0);
  }

  /**
   * Asserts that the leak's creation stack names {@code method} of {@code type}: the test method
   * itself or a lambda declared in it ({@code lambda$method$0}).
   */
  static void assertCreatedIn(Leak leak, Class<?> type, String method) {
    boolean found = leak.creationStack().stream().anyMatch(frame ->
        frame.getClassName().equals(type.getName())
            && (frame.getMethodName().equals(method)
                || frame.getMethodName().startsWith("lambda$" + method + "$")));
    assertTrue(found, () -> "the creation stack should name " + type.getSimpleName() + "."
        + method + " (or a lambda in it):\n" + leak.render());
  }
}

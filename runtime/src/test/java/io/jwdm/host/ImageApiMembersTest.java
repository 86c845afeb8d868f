package io.jwdm.host;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.DriverObject;
import io.jwdm.kernel.NtStatus;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The members an image may use on a jwdm API class: declared by the class or a supertype, its own
 * constructors, by name and exact descriptor; computed once per API class.
 */
@DisplayName("Image API members")
class ImageApiMembersTest {
  private static final String STATUS = "io/jwdm/kernel/NtStatus";

  private static ImageClassFile.MemberRef method(String owner, String name, String descriptor) {
    return new ImageClassFile.MemberRef(owner, name, descriptor, false);
  }

  @Test
  void declaredAndInheritedMembersResolveByExactDescriptor() {
    ImageApiMembers status = ImageApiMembers.of(NtStatus.class);

    assertTrue(status.has(method(STATUS, "isSuccess", "()Z")));
    assertTrue(status.has(method(STATUS, "of", "(I)Lio/jwdm/kernel/NtStatus;")));
    assertTrue(status.has(method(STATUS, "hashCode", "()I")), "from Object");
    assertTrue(status.has(method(STATUS, "<init>", "(ILjava/lang/String;)V")));
    assertTrue(status.has(new ImageClassFile.MemberRef(STATUS, "SUCCESS",
        "Lio/jwdm/kernel/NtStatus;", true)));

    assertFalse(status.has(method(STATUS, "isSuccess", "()I")), "another descriptor");
    assertFalse(status.has(method(STATUS, "newerService", "()I")));
    assertFalse(status.has(method(STATUS, "SUCCESS", "Lio/jwdm/kernel/NtStatus;")),
        "a field is not a method");
    assertFalse(status.has(new ImageClassFile.MemberRef(STATUS, "isSuccess", "()Z", true)),
        "a method is not a field");
    assertFalse(status.has(method(STATUS, "<init>", "()V")), "Object's constructor is not its");
  }

  @Test
  void anInterfaceHasItsSuperinterfacesAndObjectsMethods() {
    ImageApiMembers driver = ImageApiMembers.of(DriverObject.class);

    assertTrue(driver.has(method("io/jwdm/kernel/DriverObject", "driverName",
        "()Ljava/lang/String;")));
    assertTrue(driver.has(method("io/jwdm/kernel/DriverObject", "toString",
        "()Ljava/lang/String;")));
  }

  @Test
  void anApiClassIsDescribedOnceForEveryImageAndKernel() {
    assertSame(ImageApiMembers.of(NtStatus.class), ImageApiMembers.of(NtStatus.class));
  }
}

package io.jwdm.host.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.DriverImage;
import io.jwdm.host.ImageLoadException;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Driver signature enforcement, as on 64-bit Windows: jar signing checked by the JDK against the
 * trust store the kernel was booted with, and test-signing mode. The keys are made by keytool in a
 * temporary directory for this run.
 */
class ImageSigningTest {
  @TempDir static Path keys;
  @TempDir Path dir;

  private static TestKeys.Store publisher;
  private static TestKeys.Store rogue;
  private static TestKeys.Store ca;
  private static TestKeys.Store issued;
  private static Path unsigned;

  @BeforeAll
  static void makeKeysAndImage() {
    unsigned = TestImage.legacy("Echo").version("signed").jar(keys);
    publisher = TestKeys.selfSigned(keys, "publisher", "Trusted Driver Publisher", false);
    rogue = TestKeys.selfSigned(keys, "rogue", "Rogue Publisher", false);
    ca = TestKeys.selfSigned(keys, "ca", "Driver Signing CA", true);
    issued = TestKeys.issuedBy(keys, ca, "vendor", "Vendor Signed By CA");
  }

  private static Kernel enforcing(KeyStore trustStore) {
    return Kernel.boot(KernelOptions.builder().trustStore(trustStore).build());
  }

  private static Kernel testSigning() {
    return Kernel.boot(KernelOptions.builder().testSigning(true).build());
  }

  private static Path unsigned() {
    return unsigned;
  }

  private Path signedBy(TestKeys.Store store) {
    return TestKeys.sign(unsigned(), store, dir.resolve("echo-" + store.alias() + ".jar"));
  }

  private static ImageLoadException refusal(Kernel kernel, Path image) {
    ImageLoadException refused = assertThrows(ImageLoadException.class,
        () -> kernel.loadImage(image));
    assertEquals(List.of(), kernel.images());
    assertEquals(List.of(), kernel.drivers());
    return refused;
  }

  @Test
  void anImageSignedByATrustedKeyLoads() {
    Kernel kernel = enforcing(TestKeys.trustStore(publisher.certificate()));

    DriverImage image = kernel.loadImage(signedBy(publisher));

    assertEquals(DriverImage.Signing.TRUSTED, image.signing());
    assertTrue(image.signers().get(0).contains("CN=Trusted Driver Publisher"), image.toString());
    assertEquals("signed #1", Io.ask(kernel, "\\\\.\\Echo"));
  }

  @Test
  void anImageSignedByAKeyACertifiedAuthorityIssuedLoadsWhenOnlyTheAuthorityIsTrusted() {
    Kernel kernel = enforcing(TestKeys.trustStore(ca.certificate()));

    DriverImage image = kernel.loadImage(signedBy(issued));

    assertEquals(DriverImage.Signing.TRUSTED, image.signing());
    assertTrue(image.signers().get(0).contains("CN=Vendor Signed By CA"), image.toString());
  }

  @Test
  void anUnsignedImageIsRefused() {
    Kernel kernel = enforcing(TestKeys.trustStore(publisher.certificate()));

    ImageLoadException refused = refusal(kernel, unsigned());

    assertEquals(ImageLoadException.Kind.UNSIGNED, refused.kind(), refused.getMessage());
  }

  @Test
  void anImageSignedByAnUntrustedKeyIsRefused() {
    Kernel kernel = enforcing(TestKeys.trustStore(publisher.certificate()));

    ImageLoadException refused = refusal(kernel, signedBy(rogue));

    assertEquals(ImageLoadException.Kind.UNTRUSTED, refused.kind(), refused.getMessage());
    assertTrue(refused.getMessage().contains("CN=Rogue Publisher"), refused.getMessage());
  }

  @Test
  void aKernelWithoutATrustStoreRefusesEverySignedImage() {
    Kernel kernel = Kernel.boot();

    ImageLoadException refused = refusal(kernel, signedBy(publisher));

    assertEquals(ImageLoadException.Kind.UNTRUSTED, refused.kind(), refused.getMessage());
    assertTrue(refused.getMessage().contains("trusts no certificate"), refused.getMessage());
  }

  @Test
  void anImageWithAClassModifiedAfterSigningIsRefusedAsTampered() {
    Kernel kernel = enforcing(TestKeys.trustStore(publisher.certificate()));
    Path tampered = TestKeys.tamper(signedBy(publisher), "img/echo/Echo.class",
        dir.resolve("tampered.jar"));

    ImageLoadException refused = refusal(kernel, tampered);

    assertEquals(ImageLoadException.Kind.TAMPERED, refused.kind(), refused.getMessage());
    assertTrue(refused.getMessage().contains("img/echo/Echo.class"), refused.getMessage());
  }

  @Test
  void anImageWithAnEntryAddedAfterSigningIsRefusedAsTampered() {
    Kernel kernel = enforcing(TestKeys.trustStore(publisher.certificate()));
    Path added = TestKeys.tamper(signedBy(publisher), "img/echo/Extra.class",
        dir.resolve("added.jar"));

    ImageLoadException refused = refusal(kernel, added);

    assertEquals(ImageLoadException.Kind.TAMPERED, refused.kind(), refused.getMessage());
    assertTrue(refused.getMessage().contains("img/echo/Extra.class"), refused.getMessage());
  }

  @Test
  void aClassesDirectoryIsRefusedUnlessTheKernelIsInTestSigningMode() {
    Kernel kernel = enforcing(TestKeys.trustStore(publisher.certificate()));

    ImageLoadException refused = refusal(kernel,
        TestImage.legacy("Echo").directory(dir));

    assertEquals(ImageLoadException.Kind.UNSIGNED, refused.kind());
    assertTrue(refused.getMessage().contains("test-signing"), refused.getMessage());
  }

  @Test
  void testSigningModeLoadsImagesSignedByAnyKeyAndUnsignedOnes() {
    Kernel kernel = testSigning();

    DriverImage rogueSigned = kernel.loadImage(signedBy(rogue));
    assertEquals(DriverImage.Signing.TEST_SIGNED, rogueSigned.signing());
    assertTrue(kernel.unloadImage(rogueSigned).isGone());

    DriverImage plain = kernel.loadImage(unsigned());
    assertEquals(DriverImage.Signing.UNSIGNED, plain.signing());
    assertEquals(List.of(), plain.signers());
  }

  @Test
  void testSigningModeStillRefusesATamperedImage() {
    Kernel kernel = testSigning();
    Path tampered = TestKeys.tamper(signedBy(rogue), "img/echo/Echo.class",
        dir.resolve("tampered.jar"));

    ImageLoadException refused = refusal(kernel, tampered);

    assertEquals(ImageLoadException.Kind.TAMPERED, refused.kind());
  }

  @Test
  void theTrustStoreIsCopiedAtBootAndLaterChangesDoNotCount() throws Exception {
    KeyStore store = TestKeys.trustStore(publisher.certificate());
    KernelOptions options = KernelOptions.builder().trustStore(store).build();
    store.deleteEntry("trusted0");

    assertEquals(List.of(publisher.certificate()), options.trustedCertificates());
    assertTrue(Files.exists(publisher.file()));
  }
}

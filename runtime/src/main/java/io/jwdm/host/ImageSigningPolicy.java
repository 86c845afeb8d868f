package io.jwdm.host;

import java.security.KeyStoreException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Driver signature enforcement as a kernel is booted with it: the certificates a signer's chain
 * must be anchored in, and whether test-signing mode is on. Immutable.
 */
final class ImageSigningPolicy {
  /** No trusted certificate, test-signing off: every image is refused until configured. */
  static final ImageSigningPolicy DEFAULT = new ImageSigningPolicy(List.of(), false);

  private final List<X509Certificate> trusted;
  private final boolean testSigning;

  private ImageSigningPolicy(List<X509Certificate> trusted, boolean testSigning) {
    this.trusted = List.copyOf(trusted);
    this.testSigning = testSigning;
  }

  List<X509Certificate> trusted() {
    return trusted;
  }

  boolean testSigning() {
    return testSigning;
  }

  ImageSigningPolicy withTrusted(List<X509Certificate> certificates) {
    return new ImageSigningPolicy(certificates, testSigning);
  }

  ImageSigningPolicy withTestSigning(boolean on) {
    return new ImageSigningPolicy(trusted, on);
  }

  /** The X.509 certificates of the trusted-certificate entries of {@code store}, by alias. */
  static List<X509Certificate> trustedCertificates(KeyStore store) {
    try {
      List<String> aliases = Collections.list(store.aliases());
      Collections.sort(aliases);
      List<X509Certificate> certificates = new ArrayList<>();
      for (String alias : aliases) {
        if (!store.isCertificateEntry(alias)) {
          continue;
        }
        Certificate certificate = store.getCertificate(alias);
        if (certificate instanceof X509Certificate) {
          certificates.add((X509Certificate) certificate);
        }
      }
      return certificates;
    } catch (KeyStoreException notLoaded) {
      throw new IllegalArgumentException("the trust store cannot be read: " + notLoaded.getMessage(),
          notLoaded);
    }
  }
}

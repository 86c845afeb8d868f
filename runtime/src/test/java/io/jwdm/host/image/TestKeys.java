package io.jwdm.host.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertPath;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import jdk.security.jarsigner.JarSigner;

/**
 * Throwaway signing keys, made at test time with the JDK's {@code keytool}, and jar signing with
 * the JDK's {@link JarSigner}. Nothing here is committed: every key lives in a test's temporary
 * directory.
 */
final class TestKeys {
  static final String PASSWORD = "throwaway";

  private TestKeys() {}

  /** A PKCS#12 key store with one key entry, as keytool made it. */
  record Store(Path file, String alias) {
    /** The key entry's certificate. */
    X509Certificate certificate() {
      try {
        return (X509Certificate) load(file).getCertificate(alias);
      } catch (GeneralSecurityException failed) {
        throw new IllegalStateException(failed);
      }
    }
  }

  /** Runs the JDK's keytool with {@code arguments}; fails on a non-zero exit. */
  static void keytool(String... arguments) {
    boolean windows = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("win");
    Path tool = Path.of(System.getProperty("java.home"), "bin", windows ? "keytool.exe" : "keytool");
    List<String> command = new ArrayList<>();
    command.add(tool.toString());
    command.addAll(Arrays.asList(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException("keytool " + Arrays.toString(arguments) + " failed: "
            + new String(output, java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(interrupted);
    }
  }

  /** A self-signed EC (P-256) key pair, in its own key store in {@code dir}. */
  static Store selfSigned(Path dir, String alias, String commonName, boolean ca) {
    Path file = dir.resolve(alias + ".p12");
    List<String> arguments = new ArrayList<>(List.of("-genkeypair", "-alias", alias,
        "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
        "-validity", "30", "-dname", "CN=" + commonName + ", O=jwdm tests", "-storetype", "PKCS12", "-keystore",
        file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD));
    if (ca) {
      arguments.addAll(List.of("-ext", "bc:c"));
    }
    keytool(arguments.toArray(new String[0]));
    return new Store(file, alias);
  }

  /**
   * A key pair whose certificate {@code ca} issued (keytool {@code -certreq}, then
   * {@code -gencert} by the CA): its chain is [leaf, CA].
   */
  static Store issuedBy(Path dir, Store ca, String alias, String commonName) {
    Store leaf = selfSigned(dir, alias, commonName, false);
    Path request = dir.resolve(alias + ".csr");
    Path issued = dir.resolve(alias + ".cer");
    keytool("-certreq", "-alias", alias, "-keystore", leaf.file().toString(), "-storepass",
        PASSWORD, "-file", request.toString());
    keytool("-gencert", "-alias", ca.alias(), "-keystore", ca.file().toString(), "-storepass",
        PASSWORD, "-infile", request.toString(), "-outfile", issued.toString(), "-validity", "30",
        "-ext", "ku:c=digitalSignature", "-rfc");
    try (InputStream in = Files.newInputStream(issued); OutputStream out =
        Files.newOutputStream(leaf.file().resolveSibling(alias + "-chain.p12"))) {
      Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
      KeyStore store = load(leaf.file());
      PrivateKey key = (PrivateKey) store.getKey(alias, PASSWORD.toCharArray());
      store.setKeyEntry(alias, key, PASSWORD.toCharArray(),
          new Certificate[] {certificate, ca.certificate()});
      store.store(out, PASSWORD.toCharArray());
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    } catch (GeneralSecurityException failed) {
      throw new IllegalStateException(failed);
    }
    return new Store(leaf.file().resolveSibling(alias + "-chain.p12"), alias);
  }

  static KeyStore load(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException failed) {
      throw new IllegalStateException(failed);
    }
  }

  /** An in-memory trust store holding {@code certificates} as trusted-certificate entries. */
  static KeyStore trustStore(X509Certificate... certificates) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < certificates.length; i++) {
        store.setCertificateEntry("trusted" + i, certificates[i]);
      }
      return store;
    } catch (IOException | GeneralSecurityException failed) {
      throw new IllegalStateException(failed);
    }
  }

  /** Signs {@code jar} with the key of {@code store} into {@code signed}, as jarsigner does. */
  static Path sign(Path jar, Store store, Path signed) {
    try {
      KeyStore keys = load(store.file());
      PrivateKey key = (PrivateKey) keys.getKey(store.alias(), PASSWORD.toCharArray());
      Certificate[] chain = keys.getCertificateChain(store.alias());
      CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain));
      JarSigner signer = new JarSigner.Builder(key, path).digestAlgorithm("SHA-256")
          .signatureAlgorithm("SHA256withECDSA").signerName(signerName(store.alias()))
          .build();
      try (ZipFile in = new ZipFile(jar.toFile()); OutputStream out = Files.newOutputStream(signed)) {
        signer.sign(in, out);
      }
      return signed;
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    } catch (GeneralSecurityException failed) {
      throw new IllegalStateException(failed);
    }
  }

  /** A signature file name: at most 8 characters. */
  private static String signerName(String alias) {
    String name = alias.toUpperCase(Locale.ROOT);
    return name.length() <= 8 ? name : name.substring(0, 8);
  }

  /**
   * Copies a jar, changing entry {@code name} (a byte appended) or, if it does not exist, adding
   * it: what tampering after signing looks like.
   */
  static Path tamper(Path jar, String name, Path out) {
    try (ZipFile in = new ZipFile(jar.toFile());
        ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(out))) {
      boolean found = false;
      Enumeration<? extends ZipEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        byte[] bytes;
        try (InputStream data = in.getInputStream(entry)) {
          bytes = data.readAllBytes();
        }
        if (entry.getName().equals(name)) {
          found = true;
          bytes = Arrays.copyOf(bytes, bytes.length + 1);
        }
        zip.putNextEntry(new ZipEntry(entry.getName()));
        zip.write(bytes);
        zip.closeEntry();
      }
      if (!found) {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(new byte[] {1, 2, 3});
        zip.closeEntry();
      }
      return out;
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
  }
}

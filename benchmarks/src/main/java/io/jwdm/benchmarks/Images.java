package io.jwdm.benchmarks;

import io.jwdm.host.KernelOptions;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.jar.JarFile;

/** The examples' driver image and how a kernel is booted to trust it. */
final class Images {
  private Images() {}

  /** The examples jar: {@code -Djwdm.examples.jar}, else the examples build's output. */
  static Path examplesJar() {
    Path jar = Paths.get(System.getProperty("jwdm.examples.jar",
        "examples/target/jwdm-examples-0.1.0-SNAPSHOT.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("no examples jar at " + jar.toAbsolutePath()
          + ": build the repository first (mvn -B install -DskipTests), run from its root, or set"
          + " -Djwdm.examples.jar");
    }
    return jar;
  }

  /** The examples build's throwaway test-signing key store (see examples/pom.xml), if present. */
  static Path testSigningStore(Path jar) {
    return jar.toAbsolutePath().getParent().resolve("test-signing.p12");
  }

  /**
   * Kernel options that load the examples image with signature enforcement on: the examples
   * build's test-signing certificate as the only trusted root. Without that key store, the kernel
   * boots in test-signing mode (the jar's signature, if any, is still verified).
   */
  static KernelOptions.Builder trusting(Path jar) {
    KernelOptions.Builder options = KernelOptions.builder();
    Path store = testSigningStore(jar);
    if (!Files.isRegularFile(store)) {
      return options.testSigning(true);
    }
    try (InputStream in = Files.newInputStream(store)) {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, "jwdm-test-signing".toCharArray());
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      for (String alias : java.util.Collections.list(keys.aliases())) {
        Certificate certificate = keys.getCertificate(alias);
        if (certificate != null) {
          trusted.setCertificateEntry(alias, certificate);
        }
      }
      return options.trustStore(trusted);
    } catch (IOException | GeneralSecurityException unreadable) {
      throw new IllegalStateException("cannot read " + store, unreadable);
    }
  }

  /**
   * A jar of {@code driver} and its {@code glue} (and their nested classes), with the glue listed
   * in {@code META-INF/services/io.jwdm.spi.DriverGlue}, in a temporary file.
   */
  static Path oneDriverJar(Class<?> driver, Class<?> glue) throws IOException {
    Path jar = Files.createTempFile("jwdm-bench-image", ".jar");
    java.util.jar.Manifest manifest = new java.util.jar.Manifest();
    manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
    try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(
        Files.newOutputStream(jar), manifest)) {
      java.util.List<Class<?>> classes = new java.util.ArrayList<>(java.util.List.of(driver, glue));
      classes.addAll(java.util.List.of(driver.getDeclaredClasses()));
      classes.addAll(java.util.List.of(glue.getDeclaredClasses()));
      for (Class<?> type : classes) {
        String entry = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(entry)) {
          out.putNextEntry(new java.util.jar.JarEntry(entry));
          out.write(in.readAllBytes());
          out.closeEntry();
        }
      }
      out.putNextEntry(new java.util.jar.JarEntry("META-INF/services/io.jwdm.spi.DriverGlue"));
      out.write((glue.getName() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  /**
   * {@link #oneDriverJar} signed as the examples jar is (see examples/pom.xml): with the examples
   * build's test-signing key, SHA-256 digests and its key's default signature algorithm, so a kernel
   * booted with {@link #trusting} that jar's options loads it as trusted.
   *
   * @param examplesJar the examples jar, beside which the build left its test-signing key store
   * @throws IllegalStateException if the key store is missing or cannot sign
   */
  static Path signedOneDriverJar(Class<?> driver, Class<?> glue, Path examplesJar)
      throws IOException {
    Path store = testSigningStore(examplesJar);
    if (!Files.isRegularFile(store)) {
      throw new IllegalStateException("no test-signing key store at " + store.toAbsolutePath()
          + ": build the examples module first (its package phase makes and uses it)");
    }
    Path unsigned = oneDriverJar(driver, glue);
    Path signed = Files.createTempFile("jwdm-bench-image-signed", ".jar");
    try (InputStream in = Files.newInputStream(store);
        java.util.zip.ZipFile jar = new java.util.zip.ZipFile(unsigned.toFile());
        java.io.OutputStream out = Files.newOutputStream(signed)) {
      char[] password = "jwdm-test-signing".toCharArray();
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(in, password);
      String alias = "jwdm-test";
      java.security.PrivateKey key = (java.security.PrivateKey) keys.getKey(alias, password);
      if (key == null) {
        throw new IllegalStateException("no key " + alias + " in " + store);
      }
      java.security.cert.CertPath chain = java.security.cert.CertificateFactory
          .getInstance("X.509").generateCertPath(List.of(keys.getCertificateChain(alias)));
      jdk.security.jarsigner.JarSigner signer =
          new jdk.security.jarsigner.JarSigner.Builder(key, chain)
              .digestAlgorithm("SHA-256")
              .signerName("JWDM-TES")
              .build();
      signer.sign(jar, out);
    } catch (GeneralSecurityException | jdk.security.jarsigner.JarSignerException failed) {
      Files.deleteIfExists(signed);
      throw new IllegalStateException("cannot sign " + unsigned + " with " + store, failed);
    } catch (IOException unwritable) {
      Files.deleteIfExists(signed);
      throw unwritable;
    } finally {
      Files.deleteIfExists(unsigned);
    }
    return signed;
  }

  /** How many classes the jar holds: each image load defines and links them all. */
  static int classCount(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      return (int) file.stream().filter(e -> e.getName().endsWith(".class")).count();
    } catch (IOException unreadable) {
      throw new IllegalStateException("cannot read " + jar, unreadable);
    }
  }

  /**
   * The GC proof, outside the timed part: after {@code cycles} image cycles, full collections are
   * requested (at most 10) until the JVM has unloaded at least {@code cycles * classesPerImage}
   * classes since {@code unloadedBefore}: every image's class loader was collected.
   *
   * @return the number of collections it took
   * @throws IllegalStateException if the classes stay loaded
   */
  static int proveCollected(long unloadedBefore, long cycles, int classesPerImage) {
    ClassLoadingMXBean classes = ManagementFactory.getClassLoadingMXBean();
    long expected = cycles * classesPerImage;
    for (int collection = 0; collection <= 10; collection++) {
      if (classes.getUnloadedClassCount() - unloadedBefore >= expected) {
        return collection;
      }
      System.gc();
    }
    throw new IllegalStateException("GC proof failed: " + cycles + " image cycles of "
        + classesPerImage + " classes each, but only "
        + (classes.getUnloadedClassCount() - unloadedBefore) + " classes were unloaded");
  }
}

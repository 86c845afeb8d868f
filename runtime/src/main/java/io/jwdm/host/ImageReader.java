package io.jwdm.host;

import io.jwdm.host.ImageLoadException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipException;

/**
 * Reads a driver image into memory and enforces driver signing, with the JDK's own jar
 * verification: the jar is opened with {@code JarFile(file, true)}, every entry is read in full
 * (which is when the JDK checks its digest against the signed manifest), and every entry but the
 * signature files must then have code signers. A signer is trusted when a certificate chain of it
 * validates (PKIX, without revocation checking) against the trusted certificates of the kernel's
 * trust store.
 *
 * <p>Verdicts: a digest mismatch, an invalid signature file, or an entry no signature covers
 * while others are signed (added after signing) is {@link Kind#TAMPERED}, refused in every mode;
 * no signature the JDK accepts is {@link Kind#UNSIGNED}; a valid signature whose chain is not
 * anchored is {@link Kind#UNTRUSTED}.
 * In test-signing mode the last two load, as {@link DriverImage.Signing#UNSIGNED} and
 * {@link DriverImage.Signing#TEST_SIGNED}. A classes directory cannot be signed, so it loads only in
 * test-signing mode.
 */
final class ImageReader {
  /** The largest entry, by the zip directory's word, read into an array of its size at once. */
  private static final int PRESIZED_LIMIT = 1 << 20;

  private ImageReader() {}

  static ImageContents read(Path source, ImageSigningPolicy policy) {
    if (Files.isDirectory(source)) {
      return readDirectory(source, policy);
    }
    if (!Files.isRegularFile(source)) {
      throw new ImageLoadException(source, Kind.NOT_AN_IMAGE, "no such file");
    }
    return readJar(source, policy);
  }

  // ---------------------------------------------------------------------------------------------
  // Jars

  private static ImageContents readJar(Path source, ImageSigningPolicy policy) {
    Map<String, byte[]> entries;
    Map<String, CodeSigner[]> signersByEntry;
    boolean hasSignatureFiles = false;
    Manifest manifest;
    try (JarFile jar = new JarFile(source.toFile(), true)) {
      try {
        manifest = jar.getManifest();
      } catch (IOException malformed) {
        throw new ImageLoadException(source, Kind.NOT_AN_IMAGE,
            "its manifest is malformed: " + malformed.getMessage(), malformed);
      }
      int capacity = (int) Math.min(1 << 16, jar.size() * 4L / 3 + 1);
      entries = new LinkedHashMap<>(capacity);
      signersByEntry = new LinkedHashMap<>(capacity);
      Enumeration<JarEntry> all = jar.entries();
      while (all.hasMoreElements()) {
        JarEntry entry = all.nextElement();
        String name = entry.getName();
        if (entry.isDirectory()) {
          continue;
        }
        checkName(source, name);
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
          bytes = readFully(in, entry.getSize());
        } catch (SecurityException mismatch) {
          throw new ImageLoadException(source, Kind.TAMPERED, "entry " + name
              + " does not match the signature: " + mismatch.getMessage(), mismatch);
        }
        if (isSignatureFile(name)) {
          hasSignatureFiles |= name.toUpperCase(Locale.ROOT).endsWith(".SF");
          if (name.equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
            entries.put(name, bytes);
          }
          continue;
        }
        entries.put(name, bytes);
        signersByEntry.put(name, entry.getCodeSigners());
      }
    } catch (ImageLoadException refused) {
      throw refused;
    } catch (SecurityException invalid) {
      throw new ImageLoadException(source, Kind.TAMPERED,
          "its signature is invalid: " + invalid.getMessage(), invalid);
    } catch (ZipException corrupt) {
      throw new ImageLoadException(source, Kind.NOT_AN_IMAGE,
          "not a jar, or a corrupt zip: " + corrupt.getMessage(), corrupt);
    } catch (IOException unreadable) {
      throw new ImageLoadException(source, Kind.NOT_AN_IMAGE,
          "cannot be read: " + unreadable, unreadable);
    }
    return judge(source, policy, entries, manifest, signersByEntry, hasSignatureFiles);
  }

  /**
   * All of an entry's bytes, read to the end of its stream (which is when the JDK checks a signed
   * entry's digest). An entry up to {@value #PRESIZED_LIMIT} bytes by the zip directory is read
   * into an array of that size, without the copies of a growing buffer; the directory's size is
   * only a hint (a larger one is not trusted with an allocation, a wrong one is corrected).
   */
  private static byte[] readFully(InputStream in, long size) throws IOException {
    if (size < 0 || size > PRESIZED_LIMIT) {
      return in.readAllBytes();
    }
    byte[] bytes = new byte[(int) size];
    int read = in.readNBytes(bytes, 0, bytes.length);
    if (read < bytes.length) {
      return Arrays.copyOf(bytes, read);
    }
    int next = in.read();
    if (next < 0) {
      return bytes;
    }
    byte[] rest = in.readAllBytes();
    byte[] all = Arrays.copyOf(bytes, bytes.length + 1 + rest.length);
    all[bytes.length] = (byte) next;
    System.arraycopy(rest, 0, all, bytes.length + 1, rest.length);
    return all;
  }

  /** Entry names an image may not have: absolute, or climbing out of the image. */
  private static void checkName(Path source, String name) {
    if (name.startsWith("/") || name.contains("\\") || name.equals("..") || name.startsWith("../")
        || name.contains("/../") || name.endsWith("/..")) {
      throw new ImageLoadException(source, Kind.NOT_AN_IMAGE, "bad entry name " + name);
    }
  }

  /** The manifest and the signature files and blocks of jar signing, which sign the rest. */
  static boolean isSignatureFile(String name) {
    if (!name.regionMatches(true, 0, "META-INF/", 0, "META-INF/".length())) {
      return false;
    }
    String upper = name.toUpperCase(Locale.ROOT);
    if (!upper.startsWith("META-INF/")) {
      return false;
    }
    String rest = upper.substring("META-INF/".length());
    if (rest.contains("/")) {
      return false;
    }
    return rest.equals("MANIFEST.MF") || rest.equals("INDEX.LIST") || rest.endsWith(".SF")
        || rest.endsWith(".RSA") || rest.endsWith(".DSA") || rest.endsWith(".EC")
        || rest.startsWith("SIG-");
  }

  private static ImageContents judge(Path source, ImageSigningPolicy policy,
      Map<String, byte[]> entries, Manifest manifest, Map<String, CodeSigner[]> signersByEntry,
      boolean hasSignatureFiles) {
    List<String> unsigned = new ArrayList<>();
    Set<CodeSigner> signers = new LinkedHashSet<>();
    for (Map.Entry<String, CodeSigner[]> entry : signersByEntry.entrySet()) {
      CodeSigner[] entrySigners = entry.getValue();
      if (entrySigners == null || entrySigners.length == 0) {
        unsigned.add(entry.getKey());
      } else {
        signers.addAll(List.of(entrySigners));
      }
    }
    URL location = location(source);
    if (signers.isEmpty()) {
      if (!policy.testSigning()) {
        throw new ImageLoadException(source, Kind.UNSIGNED, (hasSignatureFiles
            ? "it has signature files, but the JDK accepts no signature of its entries (a"
                + " disabled algorithm, such as SHA-1, makes the JDK treat a jar as unsigned)"
            : "the image is not signed") + ", and the kernel enforces driver signing (boot it"
            + " with testSigning(true) to load unsigned images)");
      }
      return new ImageContents(source, location, entries, manifest, DriverImage.Signing.UNSIGNED,
          List.of());
    }
    if (!unsigned.isEmpty()) {
      throw new ImageLoadException(source, Kind.TAMPERED, "entries not covered by its signature"
          + " (added or renamed after signing): " + String.join(", ", first(unsigned, 5)));
    }
    Set<CodeSigner> trustedSigners = new HashSet<>();
    List<String> reasons = new ArrayList<>();
    for (CodeSigner signer : signers) {
      String reason = untrustedReason(signer, policy.trusted());
      if (reason == null) {
        trustedSigners.add(signer);
      } else {
        reasons.add(subject(signer) + ": " + reason);
      }
    }
    boolean allTrusted = true;
    for (Map.Entry<String, CodeSigner[]> entry : signersByEntry.entrySet()) {
      boolean trustedEntry = false;
      for (CodeSigner signer : entry.getValue()) {
        trustedEntry |= trustedSigners.contains(signer);
      }
      allTrusted &= trustedEntry;
    }
    DriverImage.Signing signing;
    if (allTrusted) {
      signing = DriverImage.Signing.TRUSTED;
    } else if (policy.testSigning()) {
      signing = DriverImage.Signing.TEST_SIGNED;
    } else {
      throw new ImageLoadException(source, Kind.UNTRUSTED, "its signer is not trusted by this"
          + " kernel's trust store: " + String.join("; ", reasons));
    }
    return new ImageContents(source, location, entries, manifest, signing,
        List.copyOf(signers));
  }

  private static List<String> first(List<String> names, int count) {
    if (names.size() <= count) {
      return names;
    }
    List<String> shown = new ArrayList<>(names.subList(0, count));
    shown.add("and " + (names.size() - count) + " more");
    return shown;
  }

  /** The subject of a signer's certificate. */
  static String subject(CodeSigner signer) {
    List<? extends Certificate> chain = signer.getSignerCertPath().getCertificates();
    if (!chain.isEmpty() && chain.get(0) instanceof X509Certificate) {
      return ((X509Certificate) chain.get(0)).getSubjectX500Principal().getName();
    }
    return signer.toString();
  }

  /** Null if a chain of {@code signer} is anchored in {@code trusted}; otherwise why not. */
  private static String untrustedReason(CodeSigner signer, List<X509Certificate> trusted) {
    if (trusted.isEmpty()) {
      return "the kernel trusts no certificate";
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate certificate : signer.getSignerCertPath().getCertificates()) {
      if (!(certificate instanceof X509Certificate)) {
        return "its certificate is not an X.509 certificate";
      }
      chain.add((X509Certificate) certificate);
    }
    if (chain.isEmpty()) {
      return "it has no certificate";
    }
    try {
      if (trusted.contains(chain.get(0))) {
        chain.get(0).checkValidity();
        return null;
      }
      while (chain.size() > 1 && trusted.contains(chain.get(chain.size() - 1))) {
        chain.remove(chain.size() - 1);
      }
      Set<TrustAnchor> anchors = new HashSet<>();
      for (X509Certificate certificate : trusted) {
        anchors.add(new TrustAnchor(certificate, null));
      }
      PKIXParameters parameters = new PKIXParameters(anchors);
      parameters.setRevocationEnabled(false);
      CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(chain);
      CertPathValidator.getInstance("PKIX").validate(path, parameters);
      return null;
    } catch (GeneralSecurityException notAnchored) {
      return String.valueOf(notAnchored.getMessage());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Classes directories

  private static ImageContents readDirectory(Path source, ImageSigningPolicy policy) {
    if (!policy.testSigning()) {
      throw new ImageLoadException(source, Kind.UNSIGNED, "a classes directory cannot be signed;"
          + " it loads only in a kernel booted in test-signing mode");
    }
    Map<String, byte[]> entries = new LinkedHashMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(source)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException unreadable) {
      throw new ImageLoadException(source, Kind.NOT_AN_IMAGE, "cannot be read: " + unreadable,
          unreadable);
    }
    Manifest manifest = null;
    try {
      for (Path file : files) {
        StringBuilder name = new StringBuilder();
        for (Path part : source.relativize(file)) {
          name.append(name.length() == 0 ? "" : "/").append(part);
        }
        String entry = name.toString();
        if (isSignatureFile(entry) && !entry.equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
          continue;
        }
        byte[] bytes = Files.readAllBytes(file);
        entries.put(entry, bytes);
        if (entry.equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
          try {
            manifest = new Manifest(new java.io.ByteArrayInputStream(bytes));
          } catch (IOException malformed) {
            throw new ImageLoadException(source, Kind.NOT_AN_IMAGE,
                "its manifest is malformed: " + malformed.getMessage(), malformed);
          }
        }
      }
    } catch (IOException unreadable) {
      throw new ImageLoadException(source, Kind.NOT_AN_IMAGE, "cannot be read: " + unreadable,
          unreadable);
    }
    return new ImageContents(source, location(source), entries, manifest,
        DriverImage.Signing.UNSIGNED, List.of());
  }

  private static URL location(Path source) {
    try {
      return source.toAbsolutePath().toUri().toURL();
    } catch (MalformedURLException | IllegalArgumentException notAUrl) {
      return null;
    }
  }
}

package io.jwdm.host;

import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.util.List;
import java.util.Map;
import java.util.jar.Manifest;

/**
 * A driver image read into memory and checked against the kernel's signing policy: every entry's
 * bytes, exactly the bytes whose signature was verified, so what runs is what was checked.
 *
 * @param source the jar or directory
 * @param location the image's URL, for its classes' code source
 * @param entries entry name ({@code a/b/C.class}, {@code META-INF/services/...}) to bytes, without
 *     directories and signature files
 * @param manifest the manifest, or null if the image has none
 * @param signing how the signature was judged
 * @param signers the image's signers (empty if unsigned)
 */
record ImageContents(Path source, URL location, Map<String, byte[]> entries, Manifest manifest,
    DriverImage.Signing signing, List<CodeSigner> signers) {
  /** The services file that registers glue. */
  static final String GLUE_SERVICES = "META-INF/services/io.jwdm.spi.DriverGlue";
}

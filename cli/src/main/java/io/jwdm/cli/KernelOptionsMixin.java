package io.jwdm.cli;

import io.jwdm.host.KernelOptions;
import io.jwdm.host.LowResources;
import io.jwdm.host.VerifierFlags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import picocli.CommandLine.Option;

/** The options that boot the kernel, shared by run, check and shell. */
final class KernelOptionsMixin {
  @Option(names = "--verifier", paramLabel = "FLAGS", defaultValue = "standard",
      description = "Driver Verifier flags for every driver: standard (0x1|0x2|0x8|0x10|0x20|"
          + "0x800), a hex value such as 0x8, a decimal value, or 0 for off."
          + " Default: ${DEFAULT-VALUE}.")
  String verifier;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
      description = "Seed of every random choice (scheduling, low resources); the same seed"
          + " replays the run. Default: ${DEFAULT-VALUE}.")
  long seed;

  @Option(names = "--low-resources", paramLabel = "P",
      description = "Fail each eligible allocation with probability P (0 to 1): Driver"
          + " Verifier's randomized low-resources simulation, for every loaded driver.")
  Double lowResources;

  @Option(names = "--test-signing",
      description = "Boot in test-signing mode: accept test-signed and unsigned images and"
          + " classes directories (the examples' jar is test-signed).")
  boolean testSigning;

  @Option(names = "--trust-store", paramLabel = "FILE",
      description = "A key store (PKCS12 or JKS) whose certificates are the roots trusted for"
          + " driver signing.")
  Path trustStore;

  @Option(names = "--trust-store-password", paramLabel = "PASSWORD",
      description = "The trust store's password, if it has one.")
  String trustStorePassword;

  @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long synchronous I/O waits for a pending request, and a kernel wait"
          + " before it is declared hung. Default: ${DEFAULT-VALUE}.")
  String waitTimeout;

  /** True if the low-resources simulation is on. */
  boolean lowResourcesOn() {
    return lowResources != null && lowResources > 0;
  }

  /**
   * The kernel options these flags say.
   *
   * @throws UsageException for a bad value
   */
  KernelOptions build() {
    int flags;
    try {
      flags = VerifierFlags.parse(verifier);
    } catch (IllegalArgumentException bad) {
      throw new UsageException("--verifier: " + bad.getMessage(),
          "use --verifier standard, a value such as 0x8 (pool tracking), or 0 for off");
    }
    KernelOptions.Builder builder = KernelOptions.builder().seed(seed).testSigning(testSigning)
        .traceCapacity(1_000_000);
    if (lowResources != null) {
      if (!(lowResources >= 0 && lowResources <= 1)) {
        throw new UsageException("--low-resources: the probability must be between 0 and 1: "
            + lowResources, "for example --low-resources 0.1 fails one eligible call in ten");
      }
      if (lowResources > 0) {
        flags |= VerifierFlags.RANDOMIZED_LOW_RESOURCES;
        builder.lowResources(LowResources.builder().probability(lowResources).build());
      }
    }
    builder.verifierForAll(flags);
    java.time.Duration timeout;
    try {
      timeout = Syntax.duration(waitTimeout);
    } catch (UsageException bad) {
      throw new UsageException("--wait-timeout: " + bad.getMessage(), bad.hint());
    }
    if (timeout.isZero()) {
      throw new UsageException("--wait-timeout must be positive", "for example 10s");
    }
    builder.waitTimeout(timeout);
    if (trustStore != null) {
      builder.trustStore(loadTrustStore());
    } else if (trustStorePassword != null) {
      throw new UsageException("--trust-store-password needs --trust-store",
          "give the key store with --trust-store FILE, or leave out the password");
    }
    return builder.build();
  }

  private KeyStore loadTrustStore() {
    if (!Files.isRegularFile(trustStore)) {
      throw new UsageException("--trust-store: no such file: " + trustStore,
          "give a PKCS12 or JKS key store with the trusted root certificates");
    }
    try {
      char[] password = trustStorePassword == null ? null : trustStorePassword.toCharArray();
      return KeyStore.getInstance(trustStore.toFile(), password);
    } catch (IOException | GeneralSecurityException unreadable) {
      throw new UsageException("--trust-store: cannot read " + trustStore + ": "
          + unreadable.getMessage(), "check the file and --trust-store-password");
    }
  }

  /** The verifier setting in words, for the first line of output. */
  String describe(KernelOptions options) {
    int flags = options.verifierFlags("any driver");
    return (flags == 0 ? "verifier off" : flags == VerifierFlags.STANDARD
        ? String.format("verifier standard (0x%X)", flags)
        : String.format("verifier 0x%X %s", flags, VerifierFlags.describe(flags)))
        + ", seed " + seed + (testSigning ? ", test signing" : "")
        + (lowResourcesOn() ? ", low resources " + lowResources : "");
  }
}

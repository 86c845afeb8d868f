package io.jwdm.host.image;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.BugCheck;
import io.jwdm.host.DeviceNode;
import io.jwdm.host.DriverImage;
import io.jwdm.host.ImageLoadException;
import io.jwdm.host.Kernel;
import io.jwdm.host.KernelOptions;
import io.jwdm.host.SystemStoppedException;
import io.jwdm.kernel.NtStatus;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading a driver image into its own class loader, and every kind of bad image refused with the
 * kernel left exactly as it was. These kernels run in test-signing mode; signing has its own test.
 */
class ImageLoadingTest {
  @TempDir Path dir;

  private final Kernel kernel = Kernel.boot(KernelOptions.builder().testSigning(true)
      .waitTimeout(Duration.ofSeconds(2)).build());

  // ---------------------------------------------------------------------------------------------
  // Loading

  @Test
  void aLegacyImageLoadsInstallsAndRunsDriverEntryThenServesIo() {
    Path jar = TestImage.legacy("Echo").version("v1").jar(dir);

    DriverImage image = kernel.loadImage(jar);

    assertAll(
        () -> assertEquals(List.of("Echo"), image.driverNames()),
        () -> assertEquals(jar, image.source()),
        () -> assertTrue(image.id().startsWith("echo-v1.jar@"), image.id()),
        () -> assertEquals(DriverImage.Signing.UNSIGNED, image.signing()),
        () -> assertTrue(kernel.isLoaded("Echo")),
        () -> assertEquals(List.of(image), kernel.images()),
        () -> assertEquals(image, kernel.imageOf("Echo").orElseThrow()));
    assertEquals("v1 #1", Io.ask(kernel, "\\\\.\\Echo"));
    assertEquals("v1 #2", Io.ask(kernel, "\\\\.\\Echo"));
  }

  @Test
  void aWdmImageIsInstalledAndThePnpManagerLoadsItForItsDevices() {
    Path jar = TestImage.wdm("Toast", "ROOT\\IMGTOAST").jar(dir);
    DeviceNode early = kernel.plugIn("ROOT\\IMGTOAST");
    assertEquals(DeviceNode.CODE_NO_DRIVER, early.problemCode());

    kernel.loadImage(jar);

    assertFalse(kernel.isLoaded("Toast"), "a PnP driver loads for a device, not at install");
    DeviceNode node = kernel.plugIn("ROOT\\IMGTOAST");
    assertEquals(DeviceNode.State.STARTED, node.state());
    assertEquals(List.of("Toast"), node.driverNames());
    assertEquals("v1 #1", Io.ask(kernel, "\\Device\\Toast"));
    assertEquals(NtStatus.SUCCESS, kernel.remove(node));
    assertEquals(NtStatus.SUCCESS, kernel.enable(early), "a device plugged in before starts");
    assertEquals(List.of("Toast"), early.driverNames());
  }

  @Test
  void aClassesDirectoryLoadsInTestSigningMode() {
    Path classes = TestImage.legacy("Echo").version("dir").directory(dir);

    DriverImage image = kernel.loadImage(classes);

    assertEquals(DriverImage.Signing.UNSIGNED, image.signing());
    assertEquals("dir #1", Io.ask(kernel, "\\\\.\\Echo"));
  }

  @Test
  void anImageSeesTheJwdmApiAndItsOwnServicesButNotTheHostNorOtherImages() {
    kernel.loadImage(TestImage.legacy("Echo").jar(dir));
    Path probe = TestImage.legacy("Probe")
        .set("REPLY", "probe()")
        .set("MEMBERS", """
            String probe() {
              StringBuilder out = new StringBuilder();
              ClassLoader loader = getClass().getClassLoader();
              for (String name : new String[] {"io.jwdm.kernel.NtStatus", "io.jwdm.host.Kernel",
                  "io.jwdm.host.image.TestImage", "org.junit.jupiter.api.Test", "img.echo.Echo"}) {
                try {
                  Class.forName(name, false, loader);
                  out.append(name).append("=visible ");
                } catch (ClassNotFoundException hidden) {
                  out.append(name).append("=hidden ");
                }
              }
              try {
                out.append("services=").append(java.util.Collections.list(
                    loader.getResources("META-INF/services/io.jwdm.spi.DriverGlue")).size());
              } catch (java.io.IOException e) {
                out.append("services=error");
              }
              return out.toString();
            }
            """)
        .jar(dir);
    kernel.loadImage(probe);

    String seen = Io.ask(kernel, "\\\\.\\Probe");

    assertEquals("io.jwdm.kernel.NtStatus=visible io.jwdm.host.Kernel=hidden"
        + " io.jwdm.host.image.TestImage=hidden org.junit.jupiter.api.Test=hidden"
        + " img.echo.Echo=hidden services=1", seen);
  }

  @Test
  void twoImagesWithTheSameClassNamesLoadSideBySide() {
    Path first = TestImage.legacy("EchoA").set("PACKAGE", "img.same").set("CLASS", "Same")
        .version("a").jar(dir);
    Path second = TestImage.legacy("EchoB").set("PACKAGE", "img.same").set("CLASS", "Same")
        .version("b").jar(dir);

    kernel.loadImage(first);
    kernel.loadImage(second);

    assertEquals("a #1", Io.ask(kernel, "\\\\.\\EchoA"));
    assertEquals("b #1", Io.ask(kernel, "\\\\.\\EchoB"));
    assertEquals(2, kernel.images().size());
  }

  // ---------------------------------------------------------------------------------------------
  // Bad images: each refused with its kind, the kernel unchanged

  private ImageLoadException refused(Path image, ImageLoadException.Kind kind, String... words) {
    String before = kernel.deviceTree();
    ImageLoadException refusal = assertThrows(ImageLoadException.class,
        () -> kernel.loadImage(image));
    assertAll(
        () -> assertEquals(kind, refusal.kind(), refusal::getMessage),
        () -> assertEquals(image, refusal.image()),
        () -> assertTrue(refusal.getMessage().contains(image.toString()), refusal::getMessage),
        () -> {
          for (String word : words) {
            assertTrue(refusal.getMessage().contains(word),
                () -> "'" + word + "' not in: " + refusal.getMessage());
          }
        },
        () -> assertEquals(List.of(), kernel.images()),
        () -> assertEquals(List.of(), kernel.drivers()),
        () -> assertEquals(List.of(), kernel.leaks()),
        () -> assertEquals(before, kernel.deviceTree()));
    return refusal;
  }

  /** The refused image's class loader was not kept: not by the kernel, not by the exception. */
  private static void loaderCollected(String token) {
    WeakReference<ClassLoader> loader = LoaderProbe.take(token);
    assertTrue(LoaderProbe.collected(loader), "the refused image's class loader is still alive");
  }

  @Test
  void aFileThatIsNotAJarIsRefused() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.jar"), "not a zip at all");

    refused(text, ImageLoadException.Kind.NOT_AN_IMAGE, "not a jar, or a corrupt zip");
  }

  @Test
  void aCorruptZipIsRefused() throws IOException {
    byte[] jar = Files.readAllBytes(TestImage.legacy("Echo").jar(dir));
    Path truncated = Files.write(dir.resolve("truncated.jar"),
        Arrays.copyOf(jar, jar.length / 2));

    refused(truncated, ImageLoadException.Kind.NOT_AN_IMAGE, "corrupt zip");
  }

  @Test
  void aMissingFileIsRefused() {
    refused(dir.resolve("nowhere.jar"), ImageLoadException.Kind.NOT_AN_IMAGE, "no such file");
  }

  @Test
  void anImageWithoutAServicesFileIsRefused() {
    refused(TestImage.legacy("Echo").noServices().jar(dir), ImageLoadException.Kind.NO_GLUE,
        "META-INF/services/io.jwdm.spi.DriverGlue");
  }

  @Test
  void anImageWhoseServicesFileNamesNoClassIsRefused() {
    refused(TestImage.legacy("Echo").services("# no glue here\n\n").jar(dir),
        ImageLoadException.Kind.NO_GLUE);
  }

  @Test
  void aGlueClassMissingFromTheImageIsRefused() {
    Path image = TestImage.legacy("Echo").services("img.ghost.Ghost_DriverGlue\n").jar(dir);

    refused(image, ImageLoadException.Kind.LINK_FAILED, "img.ghost.Ghost_DriverGlue");
  }

  @Test
  void aGlueWhoseDriverClassIsMissingFailsToLinkAndIsRefused() {
    Path image = TestImage.legacy("Echo").drop("img/echo/Echo.class").jar(dir);

    refused(image, ImageLoadException.Kind.LINK_FAILED,
        "refers to img.echo.Echo, which is neither in the image nor visible to it");
  }

  @Test
  void aTypeOnlyAMethodSignatureNamesIsResolvedAtLoadAndRefusedIfMissing() {
    Path image = TestImage.legacy("Echo")
        .source("img.echo.Parcel", "package img.echo;\npublic final class Parcel {}\n")
        .set("MEMBERS", "static int weigh(Parcel[] parcels) { return 0; }")
        .drop("img/echo/Parcel.class")
        .jar(dir);

    refused(image, ImageLoadException.Kind.LINK_FAILED,
        "refers to img.echo.Parcel, which is neither in the image nor visible to it");
  }

  @Test
  void anImageReferringToTheHostsClassesIsRefused() {
    Path image = TestImage.legacy("Echo")
        .set("MEMBERS", "static String host() { return io.jwdm.host.Kernel.class.getName(); }")
        .jar(dir);

    refused(image, ImageLoadException.Kind.LINK_FAILED,
        "refers to io.jwdm.host.Kernel, which an image cannot see");
  }

  @Test
  void aGlueThatThrowsWhenInstantiatedIsRefusedAndItsExceptionDoesNotKeepTheImage() {
    String token = LoaderProbe.token();
    Path image = TestImage.legacy("Echo")
        .set("GLUE_MEMBERS", "public Echo_DriverGlue() { throw new IllegalStateException("
            + "\"broken glue\"); }")
        .probe(token)
        .jar(dir);

    ImageLoadException refusal = refused(image, ImageLoadException.Kind.LINK_FAILED,
        "broken glue");

    assertTrue(String.valueOf(refusal.getCause()).contains("ServiceConfigurationError"),
        String.valueOf(refusal.getCause()));
    loaderCollected(token);
    assertEquals(ImageLoadException.Kind.LINK_FAILED, refusal.kind(), "still held here");
  }

  @Test
  void glueGeneratedForAnotherSpiVersionIsRefused() {
    String token = LoaderProbe.token();
    Path image = TestImage.legacy("Echo").probe(token).set("SPI", "99").jar(dir);

    refused(image, ImageLoadException.Kind.INCOMPATIBLE_VERSION, "SPI version 99");
    loaderCollected(token);
  }

  @Test
  void anImageWhoseManifestNamesAnotherSpiVersionIsRefusedBeforeAnyClassLoads() {
    Path image = TestImage.legacy("Echo").manifest(DriverImage.SPI_VERSION_ATTRIBUTE, "2")
        .jar(dir);

    refused(image, ImageLoadException.Kind.INCOMPATIBLE_VERSION, "Jwdm-Spi-Version: 2");
  }

  @Test
  void anImageUsingAnApiMemberThisRuntimeLacksIsRefusedAsBuiltForAnotherVersion()
      throws IOException {
    Path stubSources = Files.createDirectories(dir.resolve("stub-src/io/jwdm/kernel"));
    Path stub = Files.writeString(stubSources.resolve("Irql.java"),
        "package io.jwdm.kernel;\npublic final class Irql {\n"
            + "  public static int newerService() { return 1; }\n}\n");
    Path stubClasses = Files.createDirectories(dir.resolve("stub-classes"));
    TestImage.compile(List.of(stub), stubClasses, List.of());
    Path image = TestImage.legacy("Newer").compileAgainst(stubClasses)
        .set("MEMBERS", "static int newer() { return io.jwdm.kernel.Irql.newerService(); }")
        .jar(dir);

    refused(image, ImageLoadException.Kind.INCOMPATIBLE_VERSION,
        "io.jwdm.kernel.Irql.newerService()I", "another jwdm version");
  }

  @Test
  void anImageDefiningClassesInTheRuntimesPackagesIsRefused() {
    Path image = TestImage.legacy("Echo")
        .source("io.jwdm.kernel.Sneaky", "package io.jwdm.kernel;\npublic class Sneaky {}\n")
        .jar(dir);

    refused(image, ImageLoadException.Kind.LINK_FAILED, "io.jwdm.kernel.Sneaky");
  }

  @Test
  void aDriverWhoseNameIsLoadedAlreadyIsRefusedAndTheFirstKeepsRunning() {
    kernel.loadImage(TestImage.legacy("Echo").version("first").jar(dir));
    String token = LoaderProbe.token();
    Path second = TestImage.legacy("Echo").version("second").probe(token).jar(dir);

    ImageLoadException refusal = assertThrows(ImageLoadException.class,
        () -> kernel.loadImage(second));

    assertEquals(ImageLoadException.Kind.NAME_IN_USE, refusal.kind());
    assertEquals("Echo", refusal.driverName().orElseThrow());
    assertEquals(1, kernel.images().size());
    assertEquals("first #1", Io.ask(kernel, "\\\\.\\Echo"));
    loaderCollected(token);
  }

  @Test
  void aFailingDriverEntryRefusesTheImageAndLeavesNothingBehind() {
    String token = LoaderProbe.token();
    Path image = TestImage.legacy("Echo").probe(token).entryStatus("UNSUCCESSFUL").jar(dir);

    ImageLoadException refusal = refused(image, ImageLoadException.Kind.DRIVER_ENTRY_FAILED,
        "DriverEntry of Echo returned");

    assertEquals(NtStatus.UNSUCCESSFUL, refusal.status().orElseThrow());
    assertEquals(NtStatus.OBJECT_NAME_NOT_FOUND, kernel.loadDriver("Echo"), "not installed");
    assertTrue(kernel.trace().stream().anyMatch(e -> e.kind().equals("ImageRefused")));
    loaderCollected(token);
  }

  @Test
  void aThrowingDriverEntryIsBugCheck0x1eAsForEveryRoutine() {
    Path image = TestImage.legacy("Echo")
        .set("ON_ENTRY", "if (registryPath != null) { throw new IllegalStateException(\"boom\"); }")
        .jar(dir);

    SystemStoppedException stopped = assertThrows(SystemStoppedException.class,
        () -> kernel.loadImage(image));

    assertEquals(BugCheck.KMODE_EXCEPTION_NOT_HANDLED, stopped.bugCheck().code());
    assertTrue(stopped.bugCheck().message().contains("DriverEntry"), stopped.bugCheck().message());
  }
}

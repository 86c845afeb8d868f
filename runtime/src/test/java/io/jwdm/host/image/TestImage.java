package io.jwdm.host.image;

import io.jwdm.spi.DriverGlue;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a driver image at test time: fills a source template of {@code src/test/resources/image}
 * (a legacy driver after sioctl, or a WDM function driver after toaster, each with hand-written
 * glue), compiles it with the JDK's compiler against the runtime's classes, and writes a jar with
 * its {@code META-INF/services/io.jwdm.spi.DriverGlue}, or a classes directory.
 *
 * <pre>{@code
 * Path v1 = TestImage.legacy("Echo").version("v1").jar(dir);
 * }</pre>
 */
final class TestImage {
  /** The IOCTL every test driver answers with its version and request count. */
  static final int IOCTL_ECHO = io.jwdm.kernel.Wdm.CTL_CODE(io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN,
      0x800, io.jwdm.kernel.Wdm.METHOD_BUFFERED, io.jwdm.kernel.Wdm.FILE_ANY_ACCESS);

  private final String template;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> extraSources = new LinkedHashMap<>();
  private final Map<String, String> manifest = new LinkedHashMap<>();
  private final List<String> dropped = new ArrayList<>();
  private final List<Path> classPath = new ArrayList<>();
  private String services;

  private TestImage(String template, String name) {
    this.template = template;
    String simple = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    values.put("PACKAGE", "img." + name.toLowerCase(Locale.ROOT));
    values.put("CLASS", simple);
    values.put("NAME", name);
    values.put("DEVICE", name);
    values.put("VERSION", "v1");
    values.put("ENTRY", "SUCCESS");
    values.put("SPI", "DriverGlue.SPI_VERSION");
    values.put("PERMANENT", "false");
    values.put("SET_UNLOAD", "driverObject.setDriverUnload(driver::unload);");
    values.put("EXTENSION", "null");
    values.put("REPLY", "VERSION + \" #\" + requests");
    values.put("ON_ENTRY", "");
    values.put("ON_UNLOAD", "");
    values.put("MEMBERS", "");
    values.put("GLUE_MEMBERS", "");
  }

  /** A legacy driver named {@code name}: device {@code \Device\<name>}, link {@code \\.\<name>}. */
  static TestImage legacy(String name) {
    return new TestImage("legacy", name);
  }

  /** A WDM function driver named {@code name} for {@code hardwareId}: device {@code \Device\<name>}. */
  static TestImage wdm(String name, String hardwareId) {
    TestImage image = new TestImage("wdm", name);
    image.values.put("HARDWARE_ID", hardwareId.replace("\\", "\\\\"));
    return image;
  }

  /** The driver's package. */
  String packageName() {
    return values.get("PACKAGE");
  }

  /** The glue's binary class name. */
  String glueClass() {
    return packageName() + "." + values.get("CLASS") + "_DriverGlue";
  }

  /** The driver's binary class name. */
  String driverClass() {
    return packageName() + "." + values.get("CLASS");
  }

  /** The version string the driver answers with. */
  TestImage version(String version) {
    return set("VERSION", version);
  }

  /** The NtStatus constant DriverEntry returns when everything else succeeded. */
  TestImage entryStatus(String constant) {
    return set("ENTRY", constant);
  }

  /** Sets a template value: see the templates for the keys. */
  TestImage set(String key, String value) {
    values.put(key, value);
    return this;
  }

  /**
   * Makes the glue's static initializer publish a weak reference to the image's class loader as
   * the system property {@link LoaderProbe#key(String) LoaderProbe.key(token)}, so a test can
   * tell whether the loader was collected; a weak reference does not keep it.
   */
  TestImage probe(String token) {
    return set("GLUE_MEMBERS", values.get("GLUE_MEMBERS") + "\n  static {\n"
        + "    System.getProperties().put(\"" + LoaderProbe.key(token) + "\",\n"
        + "        new java.lang.ref.WeakReference<ClassLoader>(" + values.get("CLASS")
        + "_DriverGlue.class.getClassLoader()));\n  }\n");
  }

  /** Adds a source file to the image. */
  TestImage source(String className, String code) {
    extraSources.put(className, code);
    return this;
  }

  /** Adds a main attribute to the manifest. */
  TestImage manifest(String attribute, String value) {
    manifest.put(attribute, value);
    return this;
  }

  /** Leaves an entry out of the jar, such as {@code img/echo/Echo.class}. */
  TestImage drop(String entryName) {
    dropped.add(entryName);
    return this;
  }

  /** Replaces the services file's text; null leaves the file out. */
  TestImage services(String text) {
    this.services = text;
    return this;
  }

  /** Compiles against these class directories too (before the runtime's), but does not jar them. */
  TestImage compileAgainst(Path classes) {
    classPath.add(classes);
    return this;
  }

  /** Builds the image as a jar named {@code <name>-<version>.jar} in {@code dir}. */
  Path jar(Path dir) {
    return jar(dir, values.get("NAME").toLowerCase(Locale.ROOT) + "-" + values.get("VERSION")
        + ".jar");
  }

  /** Builds the image as the jar {@code fileName} in {@code dir}. */
  Path jar(Path dir, String fileName) {
    try {
      Path classes = compile(Files.createTempDirectory(dir, "classes"));
      Path jar = dir.resolve(fileName);
      Manifest mf = new Manifest();
      mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
      for (Map.Entry<String, String> attribute : manifest.entrySet()) {
        mf.getMainAttributes().putValue(attribute.getKey(), attribute.getValue());
      }
      try (OutputStream file = Files.newOutputStream(jar);
          JarOutputStream out = new JarOutputStream(file, mf);
          Stream<Path> walk = Files.walk(classes)) {
        for (Path each : walk.filter(Files::isRegularFile).sorted().toList()) {
          String name = classes.relativize(each).toString().replace('\\', '/');
          if (dropped.contains(name) || name.equals("META-INF/MANIFEST.MF")) {
            continue;
          }
          JarEntry entry = new JarEntry(name);
          entry.setTime(0L);
          out.putNextEntry(entry);
          out.write(Files.readAllBytes(each));
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
  }

  /** Builds the image as a classes directory in {@code dir}. */
  Path directory(Path dir) {
    try {
      Path classes = compile(Files.createTempDirectory(dir, "image"));
      for (String name : dropped) {
        Files.deleteIfExists(classes.resolve(name));
      }
      return classes;
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
  }

  /** Compiles the sources into {@code out} and writes the services file there. */
  Path compile(Path out) throws IOException {
    Path sources = Files.createTempDirectory(out.getParent(), "src");
    List<Path> files = new ArrayList<>();
    files.add(write(sources, driverClass(), fill(template + "/Driver.java.txt")));
    files.add(write(sources, glueClass(), fill(template + "/Glue.java.txt")));
    for (Map.Entry<String, String> extra : extraSources.entrySet()) {
      files.add(write(sources, extra.getKey(), extra.getValue()));
    }
    compile(files, out, classPath);
    String servicesText = services == null && !values.containsKey("NO_SERVICES")
        ? glueClass() + "\n" : services;
    if (servicesText != null) {
      Path file = out.resolve("META-INF/services/io.jwdm.spi.DriverGlue");
      Files.createDirectories(file.getParent());
      Files.writeString(file, servicesText, StandardCharsets.UTF_8);
    }
    return out;
  }

  /** Leaves the services file out entirely. */
  TestImage noServices() {
    values.put("NO_SERVICES", "true");
    services = null;
    return this;
  }

  private static Path write(Path root, String className, String code) throws IOException {
    Path file = root.resolve(className.replace('.', '/') + ".java");
    Files.createDirectories(file.getParent());
    Files.writeString(file, code, StandardCharsets.UTF_8);
    return file;
  }

  private String fill(String resource) {
    String text;
    try (InputStream in = TestImage.class.getResourceAsStream("/image/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("no template " + resource);
      }
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    }
    for (Map.Entry<String, String> value : values.entrySet()) {
      text = text.replace("${" + value.getKey() + "}", value.getValue());
    }
    if (text.contains("${")) {
      throw new IllegalStateException("unfilled placeholder in " + resource + ": "
          + text.substring(text.indexOf("${"), Math.min(text.length(), text.indexOf("${") + 30)));
    }
    return text;
  }

  /** The runtime's classes, as the build put them: what a driver is compiled against. */
  static Path runtimeClasses() {
    try {
      return Path.of(DriverGlue.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException impossible) {
      throw new IllegalStateException(impossible);
    }
  }

  /** Compiles {@code files} into {@code out} against the runtime's classes and {@code extra}. */
  static void compile(List<Path> sources, Path out, List<Path> extra) throws IOException {
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("these tests need a JDK, with its compiler");
    }
    StringBuilder path = new StringBuilder();
    for (Path each : extra) {
      path.append(each).append(java.io.File.pathSeparator);
    }
    path.append(runtimeClasses());
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager manager = compiler.getStandardFileManager(diagnostics, null,
        StandardCharsets.UTF_8)) {
      List<String> options = List.of("--release", "17", "-proc:none", "-classpath",
          path.toString(), "-d", out.toString());
      boolean ok = compiler.getTask(null, manager, diagnostics, options, null,
          manager.getJavaFileObjectsFromPaths(sources)).call();
      if (!ok) {
        StringBuilder report = new StringBuilder("test image does not compile:\n");
        for (Diagnostic<? extends JavaFileObject> each : diagnostics.getDiagnostics()) {
          report.append(each).append('\n');
        }
        throw new IllegalStateException(report.toString());
      }
    }
  }
}

package io.jwdm.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.felix.framework.FrameworkFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Row 3's peer: Apache Felix doing install → start → stop → uninstall → refresh of a bundle with
 * one activator, the OSGi counterpart of the image cycle. The bundle jar is built at setup: its
 * activator is compiled in-process against the framework's API and written with a manifest.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public class FelixBenchmark {
  static final String ACTIVATOR = "bench.activator.Activator";
  static final String ACTIVATOR_SOURCE = """
      package bench.activator;

      import org.osgi.framework.BundleActivator;
      import org.osgi.framework.BundleContext;

      public class Activator implements BundleActivator {
        private volatile String name;

        @Override
        public void start(BundleContext context) {
          name = context.getBundle().getSymbolicName();
        }

        @Override
        public void stop(BundleContext context) {
          name = null;
        }
      }
      """;

  private Path storage;
  private Framework framework;
  private BundleContext context;
  private FrameworkWiring wiring;
  private byte[] bundle;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    bundle = bundleJar();
    storage = Files.createTempDirectory("jwdm-bench-felix");
    Map<String, String> config = new HashMap<>();
    config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
    config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
    framework = new FrameworkFactory().newFramework(config);
    framework.init();
    framework.start();
    context = framework.getBundleContext();
    wiring = framework.adapt(FrameworkWiring.class);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    framework.stop();
    framework.waitForStop(10_000);
    try (Stream<Path> files = Files.walk(storage)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  /** One cycle: install, start (the activator runs), stop, uninstall, refresh (waited for). */
  @Benchmark
  public Bundle bundleCycle() throws BundleException, InterruptedException {
    Bundle installed = context.installBundle("jwdm-bench:activator",
        new ByteArrayInputStream(bundle));
    installed.start();
    if (installed.getState() != Bundle.ACTIVE) {
      throw new IllegalStateException("bundle not active: " + installed.getState());
    }
    installed.stop();
    installed.uninstall();
    CountDownLatch refreshed = new CountDownLatch(1);
    wiring.refreshBundles(List.of(installed), event -> {
      if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
        refreshed.countDown();
      }
    });
    if (!refreshed.await(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("refresh did not finish");
    }
    return installed;
  }

  /** The bundle: the activator compiled against the OSGi API, and its manifest. */
  static byte[] bundleJar() throws IOException {
    byte[] activator;
    try (InMemoryCompiler javac = new InMemoryCompiler()) {
      InMemoryCompiler.Output output = javac.compile(
          List.of(InMemoryCompiler.source(ACTIVATOR, ACTIVATOR_SOURCE)),
          InMemoryCompiler.locationOf(BundleContext.class), null);
      activator = output.classes.get(ACTIVATOR);
    }
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
    main.putValue(Constants.BUNDLE_SYMBOLICNAME, "jwdm.bench.activator");
    main.putValue(Constants.BUNDLE_VERSION, "1.0.0");
    main.putValue(Constants.BUNDLE_ACTIVATOR, ACTIVATOR);
    main.putValue(Constants.IMPORT_PACKAGE, "org.osgi.framework;version=\"[1.8,2)\"");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
      jar.putNextEntry(new JarEntry(ACTIVATOR.replace('.', '/') + ".class"));
      jar.write(activator);
      jar.closeEntry();
    }
    return bytes.toByteArray();
  }
}

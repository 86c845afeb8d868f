package io.jwdm.benchmarks;

import io.jwdm.processor.JwdmProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Row 4, what the processor adds to a build: javac compiles N driver sources in-process (class
 * files and generated sources kept in memory) with {@code -proc:none}, with a processor that
 * claims the same annotations as jwdm's and does nothing, and with the jwdm processor (which checks
 * every rule and generates N glue classes and the services file, compiled in a second round).
 * Each measurement is one whole compilation; the medians of the warm runs are reported.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(1)
@State(Scope.Benchmark)
public class ProcessorBenchmark {
  @Param({"10", "100", "1000"})
  public int drivers;

  @Param({"none", "noop", "jwdm"})
  public String processing;

  private List<JavaFileObject> sources;
  private String classPath;
  private InMemoryCompiler javac;

  @Setup(Level.Trial)
  public void setUp() {
    sources = new ArrayList<>();
    for (int i = 0; i < drivers; i++) {
      sources.add(InMemoryCompiler.source(DriverSources.className(i), DriverSources.source(i)));
    }
    classPath = InMemoryCompiler.locationOf(io.jwdm.kernel.NtStatus.class);
    javac = new InMemoryCompiler();
    warmUp();
  }

  /**
   * Warms javac and the processors up before JMH's own warm-up iterations: a single compilation of
   * 10 drivers is far too short for the JIT. Every fork compiles the same 200-driver set with all
   * three settings, in turn, for at least {@value #WARM_UP_SECONDS} seconds, whatever it measures.
   */
  private void warmUp() {
    List<JavaFileObject> warm = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      warm.add(InMemoryCompiler.source("warm." + DriverSources.className(i),
          DriverSources.source(i).replaceFirst("package gen", "package warm.gen")));
    }
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WARM_UP_SECONDS);
    do {
      javac.compile(warm, classPath, null);
      javac.compile(warm, classPath, List.of(new NoOpProcessor()));
      javac.compile(warm, classPath, List.of(new JwdmProcessor()));
    } while (System.nanoTime() < end);
  }

  static final int WARM_UP_SECONDS = 5;

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    javac.close();
  }

  @Benchmark
  public InMemoryCompiler.Output compile() {
    List<Processor> processors = switch (processing) {
      case "none" -> null;
      case "noop" -> List.of(new NoOpProcessor());
      default -> List.of(new JwdmProcessor());
    };
    InMemoryCompiler.Output output = javac.compile(sources, classPath, processors);
    int expected = processing.equals("jwdm") ? 2 * drivers : drivers;
    if (output.classes.size() < expected) {
      throw new IllegalStateException("expected at least " + expected + " classes, got "
          + output.classes.size());
    }
    return output;
  }

  /** Claims what the jwdm processor claims, and does nothing: javac's own cost of processing. */
  public static final class NoOpProcessor extends AbstractProcessor {
    private static final Set<String> TYPES = new JwdmProcessor().getSupportedAnnotationTypes();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return TYPES;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return false;
    }
  }
}

package io.jwdm.processor.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jwdm.processor.harness.CompilerKind;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fuzzes the processor: mutants of valid drivers ({@link DriverMutator}) are compiled under javac
 * and ECJ with the processor, and none may crash it ({@link FuzzOutcome#crashes()}).
 *
 * <p>The build runs a fixed-seed sample of {@value #DEFAULT_COUNT} mutants. The full run is
 *
 * <pre>
 * mvn -B -o -pl processor test -Dtest=ProcessorFuzzTest -Djwdm.fuzz.count=10000
 * </pre>
 *
 * <p>with {@code -Djwdm.fuzz.seed=N} for another sample and {@code -Djwdm.fuzz.only=I} to compile
 * and print mutant {@code I} alone. It prints, per compiler, the mutants compiled, those compiled
 * clean, with jwdm findings, with compiler errors, and the crashes; see {@code docs/reliability.md}.
 */
@DisplayName("Processor fuzzing")
class ProcessorFuzzTest {
  static final long DEFAULT_SEED = 0x6A77646DL;
  static final int DEFAULT_COUNT = 300;

  /** The most members a LARGE_CLASS mutation adds. */
  private static final int LARGE_LIMIT = 400;

  /** How long one compilation may take before the run counts it as hung. */
  private static final long COMPILE_TIMEOUT_SECONDS = 60;

  /** Crashes shown in full in a failure message; the rest are counted. */
  private static final int SHOWN_CRASHES = 5;

  /** One thread per compiler: javac and ECJ compile each mutant at the same time. */
  private final Map<CompilerKind, ExecutorService> workers = new EnumMap<>(CompilerKind.class);

  @AfterEach
  void stopWorkers() {
    workers.values().forEach(ExecutorService::shutdownNow);
  }

  private ExecutorService worker(CompilerKind kind) {
    return workers.computeIfAbsent(kind, k -> Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, threadName(k));
      thread.setDaemon(true);
      return thread;
    }));
  }

  private static String threadName(CompilerKind kind) {
    return "jwdm-fuzz-" + kind;
  }

  @Test
  @DisplayName("every seed compiles clean, with glue, under javac and ECJ")
  void seedsCompileClean() {
    for (CompilerKind kind : CompilerKind.values()) {
      try (FuzzCompiler compiler = new FuzzCompiler(kind)) {
        for (FuzzSeeds.Seed seed : FuzzSeeds.ALL) {
          FuzzOutcome outcome = compiler.compile(seed.qualifiedName(), seed.source());
          assertTrue(outcome.clean() && !outcome.crashed(),
              () -> seed.qualifiedName() + " is not a clean seed:\n" + outcome.describe());
          assertFalse(outcome.generatedFiles().isEmpty(),
              () -> seed.qualifiedName() + " got no glue:\n" + outcome.describe());
        }
      }
    }
  }

  @Test
  @DisplayName("a mutant is the same text on every run, and mutants differ from their seeds")
  void mutantsAreReproducible() {
    DriverMutator one = new DriverMutator(DEFAULT_SEED);
    DriverMutator two = new DriverMutator(DEFAULT_SEED);
    int changed = 0;
    for (int i = 0; i < 200; i++) {
      DriverMutator.Mutant a = one.mutant(i, LARGE_LIMIT);
      assertEquals(a, two.mutant(i, LARGE_LIMIT));
      if (!a.source().equals(a.seed().source())) {
        changed++;
      }
    }
    assertTrue(changed > 180, "only " + changed + " of 200 mutants differ from their seed");
    assertFalse(new DriverMutator(DEFAULT_SEED + 1).mutant(0, LARGE_LIMIT).source()
        .equals(one.mutant(0, LARGE_LIMIT).source()));
  }

  /** What a misbehaving processor next to jwdm's does, to prove the oracle sees each crash. */
  enum Misbehaviour {
    THROWS("thrown out of the compiler|stack trace in a diagnostic|internal compiler error"),
    REPORTS_INTERNAL_ERROR("internal error reported"),
    PRINTS_STACK_TRACE("stack trace in a diagnostic"),
    UNKNOWN_ID("unknown jwdm ID"),
    NO_ID("processor message without a jwdm ID"),
    BROKEN_GLUE("generated glue does not compile");

    final String reason;

    Misbehaviour(String reason) {
      this.reason = reason;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Misbehaviour.class)
  @DisplayName("the oracle reports each kind of processor crash, under javac and ECJ")
  void oracleSeesCrashes(Misbehaviour misbehaviour) {
    for (CompilerKind kind : CompilerKind.values()) {
      try (FuzzCompiler compiler = new FuzzCompiler(kind)) {
        FuzzSeeds.Seed seed = FuzzSeeds.BEEP;
        FuzzOutcome fine = compiler.compile(seed.qualifiedName(), seed.source());
        assertFalse(fine.crashed(), fine::describe);

        FuzzOutcome outcome = compiler.compile(seed.qualifiedName(), seed.source(),
            List.of(() -> new MisbehavingProcessor(misbehaviour)));
        assertTrue(outcome.crashes().stream().anyMatch(r -> r.split(":")[0].matches(misbehaviour.reason)),
            () -> kind + " " + misbehaviour + " not seen as a crash; reasons " + outcome.crashes()
                + "\n" + outcome.describe());
      }
    }
  }

  @Test
  @DisplayName("the processor never crashes on a mutant, under javac or ECJ")
  void processorNeverCrashesOnMutants() throws Exception {
    long seed = Long.getLong("jwdm.fuzz.seed", DEFAULT_SEED);
    int count = Integer.getInteger("jwdm.fuzz.count", DEFAULT_COUNT);
    Integer only = Integer.getInteger("jwdm.fuzz.only");
    DriverMutator mutator = new DriverMutator(seed);

    Map<CompilerKind, Tally> tallies = new EnumMap<>(CompilerKind.class);
    List<String> crashes = new ArrayList<>();
    List<String> crashIndex = new ArrayList<>();
    Set<DriverMutator.Mutation> applied = EnumSet.noneOf(DriverMutator.Mutation.class);
    long started = System.nanoTime();
    List<FuzzCompiler> compilers = List.of(
        new FuzzCompiler(CompilerKind.JAVAC), new FuzzCompiler(CompilerKind.ECJ));
    try {
      int from = only == null ? 0 : only;
      int to = only == null ? count : only + 1;
      for (int i = from; i < to; i++) {
        if (only == null && count >= 10 * DEFAULT_COUNT && i > 0 && i % (count / 10) == 0) {
          System.out.printf("jwdm processor fuzz: %,d of %,d mutants, %d crash(es) so far%n", i,
              count, crashes.size());
        }
        DriverMutator.Mutant mutant = mutator.mutant(i, LARGE_LIMIT);
        for (String m : mutant.mutations()) {
          if (!m.endsWith("(no target)")) {
            applied.add(DriverMutator.Mutation.valueOf(m.split(" ")[0]));
          }
        }
        if (only != null) {
          System.out.println(mutant + ":\n" + mutant.source());
        }
        List<Future<FuzzOutcome>> outcomes = new ArrayList<>();
        for (FuzzCompiler compiler : compilers) {
          outcomes.add(worker(compiler.kind()).submit(() -> {
            long compileStarted = System.nanoTime();
            FuzzOutcome outcome = compiler.compile(mutant.qualifiedName(), mutant.source());
            return outcome.withNanos(System.nanoTime() - compileStarted);
          }));
        }
        for (int c = 0; c < compilers.size(); c++) {
          FuzzOutcome outcome = await(compilers.get(c).kind(), outcomes.get(c), mutant);
          tallies.computeIfAbsent(outcome.compiler(), k -> new Tally()).add(outcome);
          if (only != null) {
            System.out.println(outcome.describe());
          }
          if (outcome.crashed()) {
            crashes.add(describeCrash(seed, mutant, outcome));
            String reason = outcome.crashes().get(0);
            crashIndex.add(outcome.compiler() + " " + mutant.index() + " " + mutant.mutations() + ": "
                + reason.substring(0, Math.min(160, reason.length())).replace('\n', ' '));
          }
        }
      }
    } finally {
      compilers.forEach(FuzzCompiler::close);
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    System.out.printf("jwdm processor fuzz: seed %d, %d mutant(s), %.1f s%n", seed,
        only == null ? count : 1, seconds);
    System.out.printf("  %-6s %8s %8s %14s %16s %8s %12s%n", "", "mutants", "clean",
        "jwdm findings", "compiler errors", "crashes", "ms/compile");
    tallies.forEach((kind, t) -> System.out.printf("  %-6s %8d %8d %14d %16d %8d %12.1f%n", kind,
        t.mutants, t.clean, t.jwdmFindings, t.compilerErrors, t.crashes,
        t.nanos / 1e6 / Math.max(1, t.mutants)));

    if (!crashIndex.isEmpty()) {
      System.out.println("  crashes (compiler, mutant, mutations: first reason):");
      crashIndex.forEach(line -> System.out.println("    " + line));
    }
    if (!crashes.isEmpty()) {
      fail(crashes.size() + " crash(es); the first " + Math.min(SHOWN_CRASHES, crashes.size())
          + ":\n\n" + String.join("\n\n", crashes.subList(0, Math.min(SHOWN_CRASHES, crashes.size()))));
    }
    if (only == null && count >= DEFAULT_COUNT) {
      // A sample this size exercises every mutation and every kind of outcome; if it does not,
      // the mutator has stopped finding its targets and the run proves little.
      assertEquals(EnumSet.allOf(DriverMutator.Mutation.class), applied, "mutations applied");
      for (Tally t : tallies.values()) {
        assertTrue(t.clean > 0 && t.jwdmFindings > 0 && t.compilerErrors > 0,
            "a sample should have clean mutants, jwdm findings and compiler errors: " + tallies);
      }
    }
  }

  private static FuzzOutcome await(CompilerKind kind, Future<FuzzOutcome> result,
      DriverMutator.Mutant mutant) throws InterruptedException {
    try {
      return result.get(COMPILE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException hung) {
      StringBuilder dump = new StringBuilder();
      for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
        if (info.getThreadName().equals(threadName(kind))) {
          for (StackTraceElement frame : info.getStackTrace()) {
            dump.append("\n    at ").append(frame);
          }
        }
      }
      throw new AssertionError(kind + " did not finish " + mutant + " in "
          + COMPILE_TIMEOUT_SECONDS + " s; the compiler thread:" + dump + "\nsource:\n"
          + mutant.source());
    } catch (ExecutionException e) {
      throw new AssertionError("the fuzz harness failed on " + mutant, e.getCause());
    }
  }

  private static String describeCrash(long seed, DriverMutator.Mutant mutant, FuzzOutcome outcome) {
    String source = mutant.source();
    if (source.length() > 6000) {
      source = source.substring(0, 6000) + "\n... (" + source.length() + " chars)";
    }
    return outcome.compiler() + " crashed on " + mutant + " (rerun: -Djwdm.fuzz.seed=" + seed
        + " -Djwdm.fuzz.only=" + mutant.index() + ")\nwhy: " + String.join("\n     ", outcome.crashes())
        + "\n" + outcome.describe() + "source:\n" + source;
  }

  /** The counts of one compiler. A mutant can have both jwdm findings and compiler errors. */
  private static final class Tally {
    int mutants;
    int clean;
    int jwdmFindings;
    int compilerErrors;
    int crashes;
    long nanos;

    void add(FuzzOutcome outcome) {
      mutants++;
      nanos += outcome.nanos();
      if (outcome.crashed()) {
        crashes++;
        return;
      }
      if (outcome.clean()) {
        clean++;
      }
      if (!outcome.jwdmFindings().isEmpty()) {
        jwdmFindings++;
      }
      if (!outcome.compilerErrors().isEmpty()) {
        compilerErrors++;
      }
    }

    @Override
    public String toString() {
      return mutants + " mutants: " + clean + " clean, " + jwdmFindings + " with jwdm findings, "
          + compilerErrors + " with compiler errors, " + crashes + " crashes";
    }
  }

  /** A processor that runs next to jwdm's and misbehaves as told, once, in its first round. */
  static final class MisbehavingProcessor extends AbstractProcessor {
    private final Misbehaviour misbehaviour;
    private boolean done;

    MisbehavingProcessor(Misbehaviour misbehaviour) {
      this.misbehaviour = misbehaviour;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment roundEnv) {
      if (done || roundEnv.processingOver()) {
        return false;
      }
      done = true;
      switch (misbehaviour) {
        case THROWS:
          throw new IllegalStateException("a processor bug");
        case REPORTS_INTERNAL_ERROR:
          error("[InternalError] jwdm processor bug while processing x: java.lang.NullPointerException");
          break;
        case PRINTS_STACK_TRACE:
          error("[DriverShape] something\n\tat io.jwdm.processor.Foo.bar(Foo.java:12)");
          break;
        case UNKNOWN_ID:
          error("[NoSuchRule] a finding of a rule that does not exist");
          break;
        case NO_ID:
          warning("a processor message without an ID");
          break;
        case BROKEN_GLUE:
          try (var writer = processingEnv.getFiler().createSourceFile("fuzz.Broken_DriverGlue").openWriter()) {
            writer.write("package fuzz; public final class Broken_DriverGlue { int x = ; }");
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
          break;
        default:
          throw new AssertionError(misbehaviour);
      }
      return false;
    }

    private void error(String message) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message);
    }

    private void warning(String message) {
      processingEnv.getMessager().printMessage(Diagnostic.Kind.WARNING, message);
    }
  }
}

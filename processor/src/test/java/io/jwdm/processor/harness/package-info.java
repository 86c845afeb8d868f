/**
 * The test harness of the jwdm processor: every test compiles real sources under javac and ECJ
 * ({@link io.jwdm.processor.harness.CompilerKind}, {@link io.jwdm.processor.harness.CompilerTest}),
 * then asserts on the result through one API for both
 * ({@link io.jwdm.processor.harness.JwdmCompilationSubject}).
 *
 * <p>Glue tests load the generated classes ({@link io.jwdm.processor.harness.CompilationResult#newGlue})
 * and drive them with a {@link io.jwdm.processor.harness.FakeDriverObject}; the drivers they compile
 * report their routine calls to it. Generated glue is pinned in golden files
 * ({@link io.jwdm.processor.harness.GoldenFiles}); rewrite them with {@code -Djwdm.updateGolden=true}.
 */
package io.jwdm.processor.harness;

package io.jwdm.processor.harness;

import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;

/**
 * The compilers every processor test runs under: the JDK's javac and Eclipse's ECJ. Each test
 * method annotated {@link CompilerTest} receives one of them and runs once per compiler.
 */
public enum CompilerKind {
  JAVAC("javac") {
    @Override
    JavaCompiler tool() {
      return ToolProvider.getSystemJavaCompiler();
    }

    @Override
    List<String> languageLevelOptions() {
      return List.of("--release", "17");
    }
  },

  ECJ("ecj") {
    @Override
    JavaCompiler tool() {
      return new EclipseCompiler();
    }

    @Override
    List<String> languageLevelOptions() {
      return List.of("-17");
    }
  };

  private final String displayName;

  CompilerKind(String displayName) {
    this.displayName = displayName;
  }

  abstract JavaCompiler tool();

  abstract List<String> languageLevelOptions();

  /** Compiles {@code sources} with the jwdm processor. */
  public CompilationResult compile(SourceFile... sources) {
    return compile(List.of(sources));
  }

  /** Compiles {@code sources} with the jwdm processor. */
  public CompilationResult compile(List<SourceFile> sources) {
    return compiler().compile(sources);
  }

  /** A compiler that can be given more processors to run next to the jwdm processor. */
  public TestCompiler compiler() {
    return new TestCompiler(this);
  }

  @Override
  public String toString() {
    return displayName;
  }
}

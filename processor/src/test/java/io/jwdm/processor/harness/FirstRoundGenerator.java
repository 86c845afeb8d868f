package io.jwdm.processor.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;

/**
 * Another project's processor, for tests of round handling: it writes the given sources in its
 * first round and nothing after, so the compiler sees them only from the second round on.
 */
public final class FirstRoundGenerator extends AbstractProcessor {
  private final Map<String, String> sources;
  private boolean generated;

  /** Generates {@code sources}, each text by the qualified name of its top-level type. */
  public FirstRoundGenerator(Map<String, String> sources) {
    this.sources = new TreeMap<>(sources);
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
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (generated) {
      return false;
    }
    generated = true;
    sources.forEach(
        (name, text) -> {
          try (Writer writer = processingEnv.getFiler().createSourceFile(name).openWriter()) {
            writer.write(text);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    return false;
  }
}

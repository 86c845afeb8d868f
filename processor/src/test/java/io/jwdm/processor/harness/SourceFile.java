package io.jwdm.processor.harness;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A Java source file given to a test compilation: the qualified name of its top-level type and its
 * text.
 */
public record SourceFile(String qualifiedName, String content) {
  public SourceFile {
    requireNonNull(qualifiedName);
    requireNonNull(content);
  }

  /** A source file for the top-level type {@code qualifiedName}, such as {@code "test.Toaster"}. */
  public static SourceFile source(String qualifiedName, String content) {
    return new SourceFile(qualifiedName, content);
  }

  /** The file's path relative to the source root, such as {@code test/Toaster.java}. */
  public String path() {
    return qualifiedName.replace('.', '/') + ".java";
  }

  /** The file's lines; line {@code n} is at index {@code n - 1}. */
  public List<String> lines() {
    return content.lines().toList();
  }

  @Override
  public String toString() {
    return path();
  }
}

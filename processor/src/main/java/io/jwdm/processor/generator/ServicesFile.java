package io.jwdm.processor.generator;

import io.jwdm.processor.model.Names;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.SortedSet;
import javax.annotation.processing.Filer;
import javax.lang.model.element.Element;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The {@code META-INF/services/io.jwdm.spi.DriverGlue} file that lets {@link
 * java.util.ServiceLoader} find every glue class of a compilation: one binary name per line,
 * sorted, each line ending in a newline. Written once, when processing is over.
 */
public final class ServicesFile {
  /** The resource path of the file in the class output. */
  public static final String PATH = "META-INF/services/" + Names.DRIVER_GLUE;

  private ServicesFile() {}

  /** The file's contents for the given glue class names. */
  public static String contents(SortedSet<String> glueClasses) {
    StringBuilder contents = new StringBuilder();
    for (String glueClass : glueClasses) {
      contents.append(glueClass).append('\n');
    }
    return contents.toString();
  }

  /** Writes the file to the class output. */
  public static void write(
      Filer filer, SortedSet<String> glueClasses, Element... originatingElements)
      throws IOException {
    FileObject file =
        filer.createResource(StandardLocation.CLASS_OUTPUT, "", PATH, originatingElements);
    try (Writer writer = new OutputStreamWriter(file.openOutputStream(), StandardCharsets.UTF_8)) {
      writer.write(contents(glueClasses));
    }
  }
}

package io.jwdm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The texts of {@code jwdm explain}: the processor's rule pages (docs/rules, copied into the jar
 * at build time) and the bug check explanations ({@code bugchecks.md} beside this class).
 */
final class Explanations {
  private Explanations() {}

  private static final String RULES = "io/jwdm/cli/rules/";
  private static final String BUG_CHECKS = "bugchecks.md";

  /**
   * The explanation of a rule ID or a bug check, or null if there is none.
   *
   * @param id a rule ID ({@code MissingUnload}, any case, brackets allowed), a bug check code with
   *     or without its first parameter ({@code 0xC4/0x62}, {@code c4/62}, {@code 0xCE}) or its
   *     name ({@code KMODE_EXCEPTION_NOT_HANDLED})
   */
  static String explain(String id) {
    String trimmed = id.trim().replace("[", "").replace("]", "");
    for (String rule : ruleIds()) {
      if (rule.equalsIgnoreCase(trimmed)) {
        return read(RULES + rule + ".md");
      }
    }
    Map<String, String> bugChecks = bugChecks();
    String key = bugCheckKey(trimmed);
    if (key != null) {
      if (bugChecks.containsKey(key)) {
        return bugChecks.get(key);
      }
      int slash = key.indexOf('/');
      if (slash > 0 && bugChecks.containsKey(key.substring(0, slash))) {
        return bugChecks.get(key.substring(0, slash)) + "\n(There is no page of its own for "
            + key + "; the parameter is explained above where jwdm raises it.)\n";
      }
    }
    if (trimmed.matches("[A-Za-z_]+")) {
      String name = trimmed.toUpperCase(Locale.ROOT);
      for (Map.Entry<String, String> entry : bugChecks.entrySet()) {
        String title = entry.getValue().lines().findFirst().orElse("");
        if (!entry.getKey().contains("/") && title.matches(".*\\b" + name + "\\b.*")) {
          return entry.getValue();
        }
      }
    }
    return null;
  }

  /** Every known ID, as lines to print. */
  static String knownIds() {
    return "  processor rules: " + String.join(", ", ruleIds()) + System.lineSeparator()
        + "  bug checks:      " + String.join(", ", bugChecks().keySet());
  }

  /** The canonical key of a bug check ID ({@code 0xC4/0x62}), or null if it is not one. */
  static String bugCheckKey(String id) {
    String[] parts = id.trim().split("/");
    if (parts.length > 2) {
      return null;
    }
    StringBuilder key = new StringBuilder();
    for (String part : parts) {
      String digits = part.trim().toLowerCase(Locale.ROOT);
      if (digits.startsWith("0x")) {
        digits = digits.substring(2);
      }
      long value;
      try {
        value = Long.parseLong(digits, 16);
      } catch (NumberFormatException notHex) {
        return null;
      }
      if (key.length() > 0) {
        key.append('/');
      }
      key.append(String.format("0x%X", value));
    }
    return key.toString();
  }

  /** The IDs of the rule pages in the jar, sorted. */
  static List<String> ruleIds() {
    List<String> ids = new ArrayList<>();
    for (String name : resourceNames(RULES)) {
      if (name.endsWith(".md") && !name.equals("README.md")) {
        ids.add(name.substring(0, name.length() - 3));
      }
    }
    Collections.sort(ids);
    return ids;
  }

  /** The bug check explanations by key, in file order. */
  static Map<String, String> bugChecks() {
    Map<String, String> sections = new LinkedHashMap<>();
    String text = read("io/jwdm/cli/" + BUG_CHECKS);
    String key = null;
    StringBuilder section = new StringBuilder();
    boolean fenced = false;
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      }
      if (!fenced && line.startsWith("# ")) {
        if (key != null) {
          sections.put(key, section.toString().stripTrailing() + "\n");
        }
        String title = line.substring(2).trim();
        int space = title.indexOf(' ');
        key = bugCheckKey(space > 0 ? title.substring(0, space) : title);
        section.setLength(0);
      }
      if (key != null) {
        section.append(line).append('\n');
      }
    }
    if (key != null) {
      sections.put(key, section.toString().stripTrailing() + "\n");
    }
    return sections;
  }

  private static String read(String resource) {
    try (InputStream in = Explanations.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource + " in the jwdm jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
  }

  /** The names of the resources directly in {@code folder}, from this class's jar or folder. */
  private static List<String> resourceNames(String folder) {
    List<String> names = new ArrayList<>();
    CodeSource source = Explanations.class.getProtectionDomain().getCodeSource();
    if (source == null) {
      return names;
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      if (Files.isDirectory(location)) {
        Path dir = location.resolve(folder);
        if (Files.isDirectory(dir)) {
          try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> names.add(file.getFileName().toString()));
          }
        }
      } else {
        try (ZipFile jar = new ZipFile(location.toFile())) {
          Enumeration<? extends ZipEntry> entries = jar.entries();
          while (entries.hasMoreElements()) {
            String name = entries.nextElement().getName();
            if (name.startsWith(folder) && name.length() > folder.length()
                && name.indexOf('/', folder.length()) < 0) {
              names.add(name.substring(folder.length()));
            }
          }
        }
      }
    } catch (IOException | URISyntaxException | IllegalArgumentException unreadable) {
      return names;
    }
    return names;
  }
}

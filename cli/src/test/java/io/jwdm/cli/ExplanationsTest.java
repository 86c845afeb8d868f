package io.jwdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.host.BugCheck;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The texts of {@code jwdm explain}. */
@DisplayName("explanations")
class ExplanationsTest {
  @Test
  @DisplayName("every rule page of docs/rules is in the jar, under its ID")
  void everyRulePage() throws IOException {
    List<String> pages;
    try (Stream<Path> files = Files.list(Path.of("..", "docs", "rules"))) {
      pages = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".md"))
          .filter(n -> !n.equals("README.md")).map(n -> n.substring(0, n.length() - 3)).sorted()
          .collect(Collectors.toList());
    }
    assertTrue(pages.contains("MissingUnload"), pages::toString);
    assertEquals(pages, Explanations.ruleIds());
    for (String id : pages) {
      assertEquals(Files.readString(Path.of("..", "docs", "rules", id + ".md")),
          Explanations.explain(id.toLowerCase()), id);
    }
  }

  @Test
  @DisplayName("every bug check code jwdm raises has an explanation with a wrong and a right")
  void everyBugCheck() throws IllegalAccessException {
    Map<String, String> explained = Explanations.bugChecks();
    for (Field field : BugCheck.class.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class) {
        String key = String.format("0x%X", field.getInt(null));
        String text = Explanations.explain(key);
        assertNotNull(text, field.getName() + " " + key + " has no explanation");
        assertTrue(explained.containsKey(key), key);
        assertTrue(text.lines().findFirst().orElse("").contains(" " + field.getName() + " "),
            key + " is titled with its name");
      }
    }
    for (Map.Entry<String, String> entry : explained.entrySet()) {
      String text = entry.getValue();
      assertTrue(text.startsWith("# " + entry.getKey() + " "), entry.getKey());
      assertTrue(text.contains("**What it means.**") && text.contains("**Why.**"),
          entry.getKey());
      assertTrue(text.contains("## Wrong"), entry.getKey());
    }
  }

  @Test
  @DisplayName("codes in any spelling, names, and a parameter without a page of its own")
  void lookups() {
    assertEquals("0xC4/0x62", Explanations.bugCheckKey("c4/62"));
    assertEquals("0xC4/0x62", Explanations.bugCheckKey(" 0XC4/0x0062 "));
    assertNull(Explanations.bugCheckKey("MissingUnload"));
    assertEquals(Explanations.explain("0x1E"), Explanations.explain("KMODE_EXCEPTION_NOT_HANDLED"));
    String parameterWithoutPage = Explanations.explain("0xC9/0x243");
    assertTrue(parameterWithoutPage.startsWith("# 0xC9 "), parameterWithoutPage);
    assertTrue(parameterWithoutPage.contains("no page of its own for 0xC9/0x243"));
    assertNull(Explanations.explain("0x12345"));
    assertNull(Explanations.explain("NotARule"));
  }
}

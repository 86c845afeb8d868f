package io.jwdm.processor.rules;

import io.jwdm.processor.model.TypeDescriptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/**
 * The findings of one round, printed together in a deterministic order: by the class the element
 * belongs to (qualified name), then the element's position in that class (the class itself first),
 * then ID and message. Identical findings are printed once.
 */
public final class Report {
  private final List<Finding> findings = new ArrayList<>();

  /** Adds a finding. */
  public void add(Finding finding) {
    findings.add(finding);
  }

  /** The findings, sorted and without duplicates. */
  public List<Finding> findings() {
    List<Keyed> keyed = new ArrayList<>();
    for (Finding finding : findings) {
      keyed.add(new Keyed(finding));
    }
    keyed.sort(Keyed.ORDER);
    List<Finding> sorted = new ArrayList<>();
    Keyed previous = null;
    for (Keyed k : keyed) {
      if (previous == null
          || Keyed.ORDER.compare(previous, k) != 0
          || !sameTarget(previous.finding, k.finding)) {
        sorted.add(k.finding);
      }
      previous = k;
    }
    return List.copyOf(sorted);
  }

  /** Whether there is an error on the driver with the given qualified name. */
  public boolean hasErrors(String driver) {
    return findings.stream().anyMatch(f -> f.isError() && f.driver().equals(driver));
  }

  /** Prints every finding, in order, on its element. */
  public void printTo(Messager messager) {
    for (Finding finding : findings()) {
      if (finding.element() == null) {
        messager.printMessage(finding.kind(), finding.text());
      } else if (finding.annotation().isEmpty()) {
        messager.printMessage(finding.kind(), finding.text(), finding.element());
      } else if (finding.value().isEmpty()) {
        messager.printMessage(
            finding.kind(), finding.text(), finding.element(), finding.annotation().get());
      } else {
        messager.printMessage(
            finding.kind(),
            finding.text(),
            finding.element(),
            finding.annotation().get(),
            finding.value().get());
      }
    }
  }

  private static boolean sameTarget(Finding a, Finding b) {
    return a.element().equals(b.element())
        && a.annotation().equals(b.annotation())
        && a.value().equals(b.value())
        && a.kind() == b.kind();
  }

  /** A finding with the position of its element, computed once. */
  private static final class Keyed {
    static final Comparator<Keyed> ORDER =
        Comparator.<Keyed, String>comparing(k -> k.owner)
            .thenComparingInt(k -> k.position)
            .thenComparing(k -> k.finding.id())
            .thenComparing(k -> k.finding.message());

    final Finding finding;
    final String owner;
    final int position;

    Keyed(Finding finding) {
      this.finding = finding;
      Element element = finding.element();
      if (element == null) {
        owner = "";
        position = -1;
      } else if (element instanceof TypeElement) {
        owner = TypeDescriptions.qualifiedName((TypeElement) element);
        position = -1;
      } else {
        Element enclosing = element.getEnclosingElement();
        if (enclosing instanceof TypeElement) {
          owner = TypeDescriptions.qualifiedName((TypeElement) enclosing);
          position = enclosing.getEnclosedElements().indexOf(element);
        } else {
          owner = String.valueOf(enclosing);
          position = -1;
        }
      }
    }
  }
}

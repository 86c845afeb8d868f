package io.jwdm.processor.rules;

import io.jwdm.processor.model.Driver;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code DuplicateDriverName}: two drivers with the same name in one compilation. Of the drivers
 * sharing a name, every one but the first by qualified name is reported, on the class at its driver
 * annotation. Drivers of earlier rounds take part: such a driver is reported only when a driver of
 * this round sorts before it and no earlier one does, since otherwise it was reported already.
 */
final class DuplicateDriverNameRule {
  static final String ID = "DuplicateDriverName";

  void check(List<Driver> current, List<Driver> earlier, Report report) {
    Map<String, List<Driver>> byName = new TreeMap<>();
    for (Driver driver : current) {
      byName.computeIfAbsent(driver.name(), n -> new ArrayList<>()).add(driver);
    }
    for (Driver driver : earlier) {
      if (byName.containsKey(driver.name())) {
        byName.get(driver.name()).add(driver);
      }
    }
    Set<String> earlierNames = new HashSet<>();
    for (Driver driver : earlier) {
      earlierNames.add(driver.qualifiedName());
    }
    for (List<Driver> drivers : byName.values()) {
      drivers.sort(Comparator.comparing(Driver::qualifiedName));
      boolean earlierSeen = earlierNames.contains(drivers.get(0).qualifiedName());
      for (Driver driver : drivers.subList(1, drivers.size())) {
        boolean isEarlier = earlierNames.contains(driver.qualifiedName());
        if (!isEarlier || !earlierSeen) {
          report(driver, drivers.get(0), report);
        }
        earlierSeen |= isEarlier;
      }
    }
  }

  private static void report(Driver driver, Driver first, Report report) {
    String suggestion = driver.name() + "2";
    report.add(
        Finding.error(
            ID,
            driver.qualifiedName(),
            driver.element(),
            driver.annotation(),
            driver.describeCapitalized()
                + " has the same name as driver class "
                + first.qualifiedName()
                + ". A driver's name is its service name and the name of its driver object"
                + " (\\Driver\\"
                + driver.name()
                + "), and the kernel loads only one driver of a name. Fix: give one of them a"
                + " distinct name, such as "
                + driver.kind().annotation()
                + "(name = \""
                + suggestion
                + "\")."));
  }
}

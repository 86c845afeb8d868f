package io.jwdm.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jwdm.host.BugCheck;
import io.jwdm.host.DriverInfo;
import io.jwdm.host.InjectedFailure;
import io.jwdm.host.KernelReport;
import io.jwdm.host.Leak;
import io.jwdm.host.TraceEvent;
import java.util.List;

/**
 * Renders a {@link KernelReport} as JSON, with the stable keys documented in
 * {@code docs/report-schema.md}. The output is deterministic: the same report gives the same
 * bytes. Numbers that Windows shows in hex (bug check code and parameters, addresses) are strings
 * such as {@code "0x000000c4"}, so no JSON reader loses their 64 bits.
 */
public final class ReportJson {
  /** The version of the schema; bumped only when a key changes meaning or disappears. */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  /** The report as a JSON document. */
  public static String render(KernelReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("verdict", report.bugCheck() != null ? "stopped"
        : report.leaks().isEmpty() ? "clean" : "leaked");
    root.put("seed", report.seed());
    if (report.bugCheck() == null) {
      root.putNull("bugCheck");
    } else {
      root.set("bugCheck", bugCheck(report.bugCheck()));
    }
    root.set("leaks", leaks(report.leaks()));
    ArrayNode failures = root.putArray("injectedFailures");
    for (InjectedFailure failure : report.injectedFailures()) {
      ObjectNode node = failures.addObject();
      node.put("service", failure.service());
      node.put("driver", failure.driverName());
      node.put("tag", failure.tag());
      node.put("seed", failure.seed());
      node.put("callIndex", failure.callIndex());
      node.put("systematic", failure.systematic());
      node.set("stack", stack(failure.stack()));
    }
    ArrayNode drivers = root.putArray("drivers");
    for (DriverInfo driver : report.drivers()) {
      ObjectNode node = drivers.addObject();
      node.put("name", driver.name());
      node.put("model", driver.model().name());
      node.put("role", driver.role().name());
      node.put("state", driver.state().name());
      ArrayNode devices = node.putArray("devices");
      driver.deviceNames().forEach(devices::add);
    }
    ArrayNode trace = root.putArray("trace");
    for (TraceEvent event : report.trace()) {
      ObjectNode node = trace.addObject();
      node.put("sequence", event.sequence());
      node.put("kind", event.kind());
      node.put("subject", event.subject());
      node.put("detail", event.detail());
    }
    try {
      return MAPPER.writeValueAsString(root) + System.lineSeparator();
    } catch (JsonProcessingException impossible) {
      throw new IllegalStateException("a JSON tree failed to serialize", impossible);
    }
  }

  private static ObjectNode bugCheck(BugCheck check) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("code", hex(check.code() & 0xFFFFFFFFL, 8));
    node.put("name", check.codeName());
    ArrayNode parameters = node.putArray("parameters");
    for (long parameter : new long[] {check.parameter1(), check.parameter2(), check.parameter3(),
        check.parameter4()}) {
      parameters.add(hex(parameter, 16));
    }
    node.put("driver", check.driverName());
    node.put("message", check.message());
    if (check.cause() == null) {
      node.putNull("exception");
    } else {
      ObjectNode exception = node.putObject("exception");
      exception.put("type", check.cause().getClass().getName());
      exception.put("message", check.cause().getMessage());
      exception.set("stack", stack(List.of(check.cause().getStackTrace())));
    }
    node.set("objects", leaks(check.objects()));
    return node;
  }

  private static ArrayNode leaks(List<Leak> leaks) {
    ArrayNode array = MAPPER.createArrayNode();
    for (Leak leak : leaks) {
      ObjectNode node = array.addObject();
      node.put("kind", leak.kind());
      node.put("driver", leak.driverName());
      node.put("object", leak.description());
      node.put("when", leak.when());
      node.put("tag", leak.tag());
      if (leak.size() < 0) {
        node.putNull("size");
      } else {
        node.put("size", leak.size());
      }
      node.set("stack", stack(leak.creationStack()));
    }
    return array;
  }

  private static ArrayNode stack(List<StackTraceElement> frames) {
    ArrayNode array = MAPPER.createArrayNode();
    for (StackTraceElement frame : frames) {
      array.add(frame.toString());
    }
    return array;
  }

  private static String hex(long value, int digits) {
    return String.format("0x%0" + digits + "x", value);
  }
}

package io.jwdm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jwdm.host.BugCheck;
import io.jwdm.host.InjectedFailure;
import io.jwdm.host.KernelReport;
import io.jwdm.host.Leak;
import io.jwdm.host.TraceEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportJsonTest {
  private static final StackTraceElement FRAME =
      new StackTraceElement("com.example.Toaster", "addDevice", "Toaster.java", 42);

  private static KernelReport stoppedReport() {
    Leak pool = new Leak("Pool", "Toaster", "ffffa00000001200 (nonpaged)", "Unload", "Toas", 64,
        List.of(FRAME));
    BugCheck check = new BugCheck(0xC4, 0x62, 0xFFFFA00000001000L, 0, 1, "Toaster",
        "Toaster left 1 pool allocation(s) at Unload", null, List.of(pool));
    InjectedFailure failure = new InjectedFailure("ExAllocatePool2", "Toaster", "Toas", 7, 3,
        false, List.of(FRAME));
    return new KernelReport(7, check, List.of(pool), List.of(failure), List.of(),
        List.of(new TraceEvent(1, "DriverEntry", "Toaster", "calling")));
  }

  @Test
  void aStoppedReportHasTheDocumentedKeysInTheDocumentedOrder() throws Exception {
    JsonNode root = new ObjectMapper().readTree(ReportJson.render(stoppedReport()));

    assertEquals(List.of("schemaVersion", "verdict", "seed", "bugCheck", "leaks",
        "injectedFailures", "drivers", "trace"), names(root));
    assertEquals(ReportJson.SCHEMA_VERSION, root.get("schemaVersion").asInt());
    assertEquals("stopped", root.get("verdict").asText());
    JsonNode check = root.get("bugCheck");
    assertEquals(List.of("code", "name", "parameters", "driver", "message", "exception",
        "objects"), names(check));
    assertEquals("0x000000c4", check.get("code").asText());
    assertEquals("DRIVER_VERIFIER_DETECTED_VIOLATION", check.get("name").asText());
    assertEquals("0x0000000000000062", check.get("parameters").get(0).asText());
    assertEquals("0xffffa00000001000", check.get("parameters").get(1).asText());
    JsonNode object = check.get("objects").get(0);
    assertEquals(List.of("kind", "driver", "object", "when", "tag", "size", "stack"),
        names(object));
    assertEquals("Toas", object.get("tag").asText());
    assertEquals(64, object.get("size").asLong());
    assertEquals("com.example.Toaster.addDevice(Toaster.java:42)",
        object.get("stack").get(0).asText());
    JsonNode failure = root.get("injectedFailures").get(0);
    assertEquals(3, failure.get("callIndex").asLong());
    assertEquals(7, failure.get("seed").asLong());
  }

  @Test
  void aCleanReportSaysCleanWithANullBugCheck() throws Exception {
    KernelReport clean = new KernelReport(0, null, List.of(), List.of(), List.of(), List.of());
    JsonNode root = new ObjectMapper().readTree(ReportJson.render(clean));

    assertEquals("clean", root.get("verdict").asText());
    assertTrue(root.get("bugCheck").isNull());
    assertEquals(0, root.get("leaks").size());
  }

  @Test
  void theSameReportRendersToTheSameBytes() {
    assertEquals(ReportJson.render(stoppedReport()), ReportJson.render(stoppedReport()));
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}

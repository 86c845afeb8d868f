package io.jwdm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Wdm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The value syntax of scenarios and the shell. */
@DisplayName("scenario values")
class SyntaxTest {
  @Test
  @DisplayName("tokens split at spaces, keep quoted parts whole, and stop at a comment")
  void tokenize() {
    assertEquals(List.of("write", "h", "text:\"a b # c\""),
        Syntax.tokenize("  write h text:\"a b # c\"   # a comment"));
    assertEquals(List.of("open", "\\\\.\\IoctlTest"), Syntax.tokenize("open \\\\.\\IoctlTest"));
    assertEquals(List.of("text:\"say \\\"hi\\\"\""),
        Syntax.tokenize("text:\"say \\\"hi\\\"\""));
    assertEquals(List.of(), Syntax.tokenize("# only a comment"));
    UsageException open = assertThrows(UsageException.class,
        () -> Syntax.tokenize("write h text:\"no end"));
    assertTrue(open.getMessage().startsWith("unterminated quote"), open.getMessage());
  }

  @Test
  @DisplayName("buffers: hex with separators, text with escapes, round trip through format")
  void buffers() {
    assertArrayEquals(new byte[] {0x0A, 0x0B, (byte) 0xFF}, Syntax.data("hex:0A0b_FF"));
    assertArrayEquals(new byte[] {1, 2}, Syntax.data("hex:\"01 02\""));
    assertArrayEquals(new byte[0], Syntax.data("hex:"));
    assertArrayEquals("a\"b\\c\n\0".getBytes(StandardCharsets.US_ASCII),
        Syntax.data("text:\"a\\\"b\\\\c\\n\\0\""));
    assertArrayEquals(new byte[] {'x', (byte) 0x80}, Syntax.data("text:\"x\\x80\""));
    assertArrayEquals("plain".getBytes(StandardCharsets.US_ASCII), Syntax.data("text:plain"));
    assertArrayEquals("é".getBytes(StandardCharsets.UTF_8), Syntax.data("text:\"é\""));
    assertThrows(UsageException.class, () -> Syntax.data("hex:0A0"));
    assertThrows(UsageException.class, () -> Syntax.data("hex:GG"));
    assertThrows(UsageException.class, () -> Syntax.data("base64:AAAA"));

    assertEquals("text:\"This String\\0\"",
        Syntax.format("This String\0".getBytes(StandardCharsets.US_ASCII)));
    assertEquals("hex:0A000000", Syntax.format(new byte[] {0x0A, 0, 0, 0}));
    assertEquals("hex:41004200", Syntax.format(new byte[] {'A', 0, 'B', 0}));
    for (String buffer : new String[] {"text:\"tab\\there \\\"quoted\\\"\\n\"", "hex:00FF10"}) {
      assertEquals(buffer, Syntax.format(Syntax.data(buffer)));
    }
  }

  @Test
  @DisplayName("statuses by name, with or without STATUS_, or by value")
  void statuses() {
    assertEquals(NtStatus.SUCCESS, Syntax.status("success"));
    assertEquals(NtStatus.DEVICE_BUSY, Syntax.status("STATUS_DEVICE_BUSY"));
    assertEquals(NtStatus.INVALID_DEVICE_REQUEST, Syntax.status("0xC0000010"));
    assertEquals(0xC0001234, Syntax.status("0xc0001234").value());
    UsageException unknown = assertThrows(UsageException.class,
        () -> Syntax.status("FINE"));
    assertTrue(unknown.hint().contains("INVALID_DEVICE_REQUEST"), unknown.hint());
  }

  @Test
  @DisplayName("durations and I/O control codes")
  void durationsAndCodes() {
    assertEquals(Duration.ofMillis(100), Syntax.duration("100ms"));
    assertEquals(Duration.ofNanos(250_000), Syntax.duration("250us"));
    assertEquals(Duration.ofMinutes(2), Syntax.duration("2min"));
    assertThrows(UsageException.class, () -> Syntax.duration("1.5s"));
    assertThrows(UsageException.class, () -> Syntax.duration("100"));

    assertEquals(Wdm.CTL_CODE(40000, 0x902, Wdm.METHOD_BUFFERED, Wdm.FILE_ANY_ACCESS),
        Syntax.ioControlCode("CTL_CODE(40000,0x902,METHOD_BUFFERED,FILE_ANY_ACCESS)"));
    assertEquals(Wdm.CTL_CODE(Wdm.FILE_DEVICE_UNKNOWN, 0x801, 0, 1),
        Syntax.ioControlCode("ctl_code(FILE_DEVICE_UNKNOWN,0x801,0,FILE_READ_ACCESS)"));
    assertEquals(0x9C402408, Syntax.ioControlCode("0x9C402408"));
    assertEquals(0x9C402408, Syntax.ioControlCode("\"CTL_CODE(40000, 0x902, 0, 0)\""));
    assertThrows(UsageException.class, () -> Syntax.ioControlCode("CTL_CODE(1,2,METHOD_FAST,0)"));
    assertThrows(UsageException.class, () -> Syntax.ioControlCode("CTL_CODE(0x10000,0,0,0)"));
    assertThrows(UsageException.class, () -> Syntax.ioControlCode("IOCTL_X"));
  }
}

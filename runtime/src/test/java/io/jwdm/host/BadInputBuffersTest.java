package io.jwdm.host;

import static io.jwdm.kernel.Wdm.CTL_CODE;
import static io.jwdm.kernel.Wdm.FILE_ANY_ACCESS;
import static io.jwdm.kernel.Wdm.FILE_DEVICE_UNKNOWN;
import static io.jwdm.kernel.Wdm.METHOD_NEITHER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bad buffers from a caller: null, negative, oversized (more than the I/O manager's 64 MiB) and
 * huge lengths, on every request a handle sends; and a driver reporting more bytes than the
 * caller's buffer holds. Each gets a clear status; a request the I/O manager refuses never reaches
 * the driver.
 */
@DisplayName("Bad input: buffers")
class BadInputBuffersTest extends BadInputTest {
  private static final int MAX_BUFFER = 64 << 20;
  private static final int IOCTL_NEITHER =
      CTL_CODE(FILE_DEVICE_UNKNOWN, 0x801, METHOD_NEITHER, FILE_ANY_ACCESS);
  private static final int IOCTL_OVERSTATE = CTL_CODE(FILE_DEVICE_UNKNOWN, 0x802,
      io.jwdm.kernel.Wdm.METHOD_BUFFERED, FILE_ANY_ACCESS);

  private Handle handle;

  /**
   * "Subject": a legacy device that notes the lengths each request carries as {@code "in=N out=M"}
   * and completes it; IOCTL_OVERSTATE reports as many bytes transferred as the input asks for.
   */
  @BeforeEach
  void openSubject() {
    kernel.loadDriver(TestDriver.legacyDevice("Subject", journal)
        .dispatch(MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
          var location = self.k.ioGetCurrentIrpStackLocation(irp);
          self.note("in=" + location.inputBufferLength() + " out=" + location.outputBufferLength());
          if (location.ioControlCode() == IOCTL_OVERSTATE) {
            long claimed = irp.systemBuffer().getLong(0);
            return Routines.complete(self, irp, NtStatus.SUCCESS, claimed);
          }
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .dispatch(MajorFunction.READ, (self, device, irp) -> {
          self.note("read=" + self.k.ioGetCurrentIrpStackLocation(irp).length());
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .dispatch(MajorFunction.WRITE, (self, device, irp) -> {
          self.note("write=" + self.k.ioGetCurrentIrpStackLocation(irp).length());
          return Routines.complete(self, irp, NtStatus.SUCCESS, 0);
        })
        .build());
    handle = kernel.open("\\\\.\\Subject");
  }

  /** What the subject's routines saw, after the CREATE. */
  private List<String> seen() {
    List<String> events = journal.eventsOf("Subject");
    return events.subList(events.indexOf("IRP_MJ_CREATE") + 1, events.size()).stream()
        .filter(e -> !e.startsWith("IRP_MJ_")).toList();
  }

  private void assertRefused(NtStatus expected, IoResult result) {
    assertEquals(expected, result.status());
    assertEquals(0, result.information());
    assertEquals(0, result.output().length);
    assertEquals(List.of(), seen(), "a refused request reached the driver");
    handle.close();
  }

  @Test
  @DisplayName("IOCTL with a null input buffer: the driver sees an empty one")
  void ioctlNullInput() {
    IoResult result = handle.deviceIoControl(IOCTL_ECHO, null, 16);
    assertEquals(NtStatus.SUCCESS, result.status());
    assertEquals(List.of("in=0 out=16"), seen());
    handle.close();
  }

  @Test
  @DisplayName("METHOD_NEITHER IOCTL with null input and no output: the driver sees empty buffers")
  void neitherIoctlNullBuffers() {
    IoResult result = handle.deviceIoControl(IOCTL_NEITHER, null, 0);
    assertEquals(NtStatus.SUCCESS, result.status());
    assertEquals(List.of("in=0 out=0"), seen());
    handle.close();
  }

  @Test
  @DisplayName("IOCTL with a negative output length: INVALID_PARAMETER")
  void ioctlNegativeOutputLength() {
    assertRefused(NtStatus.INVALID_PARAMETER, handle.deviceIoControl(IOCTL_ECHO, new byte[4], -1));
  }

  @Test
  @DisplayName("IOCTL with output length Integer.MIN_VALUE: INVALID_PARAMETER")
  void ioctlMinValueOutputLength() {
    assertRefused(NtStatus.INVALID_PARAMETER,
        handle.deviceIoControl(IOCTL_ECHO, null, Integer.MIN_VALUE));
  }

  @Test
  @DisplayName("overlapped IOCTL with a negative output length: completed at once with INVALID_PARAMETER")
  void overlappedIoctlNegativeOutputLength() {
    IoRequest request = handle.submitDeviceIoControl(IOCTL_ECHO, null, -1);
    assertTrue(request.isDone());
    assertRefused(NtStatus.INVALID_PARAMETER, request.result());
  }

  @Test
  @DisplayName("IOCTL with an output buffer over 64 MiB: INSUFFICIENT_RESOURCES")
  void ioctlOversizedOutput() {
    assertRefused(NtStatus.INSUFFICIENT_RESOURCES,
        handle.deviceIoControl(IOCTL_ECHO, null, MAX_BUFFER + 1));
  }

  @Test
  @DisplayName("IOCTL with an input buffer over 64 MiB: INSUFFICIENT_RESOURCES")
  void ioctlOversizedInput() {
    assertRefused(NtStatus.INSUFFICIENT_RESOURCES,
        handle.deviceIoControl(IOCTL_ECHO, new byte[MAX_BUFFER + 1], 0));
  }

  @Test
  @DisplayName("IOCTL with output length Integer.MAX_VALUE: INSUFFICIENT_RESOURCES, nothing allocated")
  void ioctlHugeOutput() {
    assertRefused(NtStatus.INSUFFICIENT_RESOURCES,
        handle.deviceIoControl(IOCTL_ECHO, null, Integer.MAX_VALUE));
  }

  @Test
  @DisplayName("overlapped IOCTL with a huge output length: completed at once with INSUFFICIENT_RESOURCES")
  void overlappedIoctlHugeOutput() {
    IoRequest request = handle.submitDeviceIoControl(IOCTL_ECHO, null, Integer.MAX_VALUE);
    assertTrue(request.isDone());
    assertRefused(NtStatus.INSUFFICIENT_RESOURCES, request.result());
  }

  @Test
  @DisplayName("IOCTL with exactly 64 MiB of output: accepted")
  void ioctlLargestOutput() {
    IoResult result = handle.deviceIoControl(IOCTL_ECHO, null, MAX_BUFFER);
    assertEquals(NtStatus.SUCCESS, result.status());
    assertEquals(List.of("in=0 out=" + MAX_BUFFER), seen());
    handle.close();
  }

  @Test
  @DisplayName("an unknown control code with every bit set reaches the driver, which decides")
  void ioctlAllBitsCode() {
    IoResult result = handle.deviceIoControl(-1, new byte[8], 8);
    assertEquals(NtStatus.SUCCESS, result.status());
    assertEquals(List.of("in=8 out=8"), seen());
    handle.close();
  }

  @Test
  @DisplayName("a driver claiming more bytes than the output buffer holds: the caller gets its buffer, no more")
  void driverOverstatesInformation() {
    byte[] claim = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putLong(Long.MAX_VALUE).array();
    IoResult result = handle.deviceIoControl(IOCTL_OVERSTATE, claim, 8);
    assertEquals(NtStatus.SUCCESS, result.status());
    assertEquals(8, result.data().length);
    handle.close();
  }

  @Test
  @DisplayName("a driver reporting a negative byte count: the caller gets no data")
  void driverReportsNegativeInformation() {
    byte[] claim = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putLong(-1).array();
    IoResult result = handle.deviceIoControl(IOCTL_OVERSTATE, claim, 8);
    assertEquals(NtStatus.SUCCESS, result.status());
    assertEquals(0, result.data().length);
    handle.close();
  }

  @Test
  @DisplayName("read with a negative length: INVALID_PARAMETER")
  void readNegativeLength() {
    assertRefused(NtStatus.INVALID_PARAMETER, handle.read(-1));
  }

  @Test
  @DisplayName("read with a huge length: INSUFFICIENT_RESOURCES")
  void readHugeLength() {
    assertRefused(NtStatus.INSUFFICIENT_RESOURCES, handle.read(Integer.MAX_VALUE));
  }

  @Test
  @DisplayName("overlapped read with a negative length: completed at once with INVALID_PARAMETER")
  void overlappedReadNegativeLength() {
    IoRequest request = handle.submitRead(-1);
    assertTrue(request.isDone());
    assertRefused(NtStatus.INVALID_PARAMETER, request.result());
  }

  @Test
  @DisplayName("write of null: the driver sees an empty write")
  void writeNull() {
    assertEquals(NtStatus.SUCCESS, handle.write(null).status());
    assertEquals(List.of("write=0"), seen());
    handle.close();
  }

  @Test
  @DisplayName("write of more than 64 MiB: INSUFFICIENT_RESOURCES")
  void writeOversized() {
    assertRefused(NtStatus.INSUFFICIENT_RESOURCES, handle.write(new byte[MAX_BUFFER + 1]));
  }

  @Test
  @DisplayName("overlapped write of more than 64 MiB: completed at once with INSUFFICIENT_RESOURCES")
  void overlappedWriteOversized() {
    IoRequest request = handle.submitWrite(new byte[MAX_BUFFER + 1]);
    assertTrue(request.isDone());
    assertRefused(NtStatus.INSUFFICIENT_RESOURCES, request.result());
  }
}

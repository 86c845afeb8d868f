package io.jwdm.host;

import static io.jwdm.kernel.Wdm.CTL_CODE;
import static io.jwdm.kernel.Wdm.DEVICE_TYPE_FROM_CTL_CODE;
import static io.jwdm.kernel.Wdm.FILE_ANY_ACCESS;
import static io.jwdm.kernel.Wdm.FILE_READ_ACCESS;
import static io.jwdm.kernel.Wdm.FILE_WRITE_ACCESS;
import static io.jwdm.kernel.Wdm.FUNCTION_FROM_CTL_CODE;
import static io.jwdm.kernel.Wdm.METHOD_BUFFERED;
import static io.jwdm.kernel.Wdm.METHOD_FROM_CTL_CODE;
import static io.jwdm.kernel.Wdm.METHOD_IN_DIRECT;
import static io.jwdm.kernel.Wdm.METHOD_NEITHER;
import static io.jwdm.kernel.Wdm.METHOD_OUT_DIRECT;
import static io.jwdm.kernel.Wdm.NORMAL_PAGE_PRIORITY;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jwdm.kernel.IoStackLocation;
import io.jwdm.kernel.Irp;
import io.jwdm.kernel.MajorFunction;
import io.jwdm.kernel.NtStatus;
import io.jwdm.kernel.Wdm;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * How the I/O manager hands the caller's buffers to the driver: the IOCTL transfer methods and
 * READ/WRITE with DO_BUFFERED_IO or DO_DIRECT_IO, as {@link Irp} and {@link IoStackLocation}
 * document them.
 */
class IrpBufferTest {
  private static final byte[] INPUT = "input".getBytes(US_ASCII);

  private final Journal journal = new Journal();
  private final Kernel kernel = Kernel.boot();

  /** What the driver saw of one IRP. */
  private record Seen(IoStackLocation location, ByteBuffer systemBuffer, byte[] systemBytes,
      int mdlByteCount, ByteBuffer mdlBuffer, ByteBuffer type3Input, ByteBuffer userBuffer) {

    /** The first {@code length} bytes the system buffer held when the driver got the IRP. */
    byte[] systemInput(int length) {
      return Arrays.copyOf(systemBytes, length);
    }
  }

  private final AtomicReference<Seen> seen = new AtomicReference<>();

  /** Keeps what the driver sees of an IRP in {@link #seen}. */
  private Seen look(TestDriver.Instance self, Irp irp) {
    IoStackLocation location = self.k.ioGetCurrentIrpStackLocation(irp);
    ByteBuffer mapped = irp.mdlAddress() == null ? null
        : self.k.mmGetSystemAddressForMdlSafe(irp.mdlAddress(), NORMAL_PAGE_PRIORITY);
    ByteBuffer system = irp.systemBuffer();
    Seen s = new Seen(location, system, system == null ? null : bytes(system, system.capacity()),
        irp.mdlAddress() == null ? -1 : irp.mdlAddress().byteCount(), mapped,
        location.type3InputBuffer(), irp.userBuffer());
    seen.set(s);
    return s;
  }

  private static byte[] bytes(ByteBuffer buffer, int length) {
    byte[] out = new byte[length];
    buffer.get(0, out);
    return out;
  }

  /** Opens "Probe", whose device has {@code flags} and whose routine for {@code function} is given. */
  private Handle openProbe(int flags, MajorFunction function, TestDriver.Dispatch routine) {
    kernel.loadDriver(TestDriver.legacyDevice("Probe", journal)
        .entry(self -> Routines.createDevice(self, "\\Device\\Probe", "\\??\\Probe", flags))
        .dispatch(function, routine)
        .build());
    return kernel.open("\\\\.\\Probe");
  }

  @Test
  void ctlCodeMatchesTheWdkLayout() {
    assertEquals(0x222000, CTL_CODE(0x22, 0x800, METHOD_BUFFERED, FILE_ANY_ACCESS));
    // IOCTL_DISK_SET_DRIVE_LAYOUT: CTL_CODE(IOCTL_DISK_BASE, 0x004, METHOD_BUFFERED,
    // FILE_READ_ACCESS | FILE_WRITE_ACCESS) = 0x0007C010.
    assertEquals(0x0007C010, CTL_CODE(0x7, 0x004, METHOD_BUFFERED,
        FILE_READ_ACCESS | FILE_WRITE_ACCESS));
    // IOCTL_STORAGE_QUERY_PROPERTY = 0x002D1400.
    assertEquals(0x002D1400, CTL_CODE(0x2D, 0x500, METHOD_BUFFERED, FILE_ANY_ACCESS));
    int code = CTL_CODE(40000, 0x902, METHOD_OUT_DIRECT, FILE_ANY_ACCESS);
    assertEquals(0x9C40240A, code);
    assertEquals(METHOD_OUT_DIRECT, METHOD_FROM_CTL_CODE(code));
    assertEquals(40000, DEVICE_TYPE_FROM_CTL_CODE(code));
    assertEquals(0x902, FUNCTION_FROM_CTL_CODE(code));
    assertThrows(IllegalArgumentException.class, () -> CTL_CODE(0x22, 0x1000, METHOD_BUFFERED, 0));
    assertThrows(IllegalArgumentException.class, () -> CTL_CODE(0x10000, 0x800, METHOD_BUFFERED, 0));
  }

  @Test
  void methodBufferedSharesOneSystemBufferAndCopiesBackInformationBytes() {
    int ioctl = CTL_CODE(0x22, 0x900, METHOD_BUFFERED, FILE_ANY_ACCESS);
    Handle handle = openProbe(0, MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
      look(self, irp);
      // Output goes over the input in the same buffer; only Information bytes are copied back.
      irp.systemBuffer().put(0, "ABCDEFGH".getBytes(US_ASCII));
      return Routines.complete(self, irp, NtStatus.SUCCESS, 4);
    });

    IoResult result = handle.deviceIoControl(ioctl, INPUT, 8);

    Seen s = seen.get();
    assertEquals(ioctl, s.location().ioControlCode());
    assertEquals(INPUT.length, s.location().inputBufferLength());
    assertEquals(8, s.location().outputBufferLength());
    assertEquals(8, s.systemBuffer().capacity(), "the larger of the input and output lengths");
    assertArrayEquals(INPUT, s.systemInput(INPUT.length));
    assertEquals(-1, s.mdlByteCount());
    assertNull(s.type3Input());
    assertNull(s.userBuffer());
    assertEquals(NtStatus.SUCCESS, result.status());
    assertEquals(4, result.information());
    assertArrayEquals("ABCD\0\0\0\0".getBytes(US_ASCII), result.output());
    assertArrayEquals("ABCD".getBytes(US_ASCII), result.data());
  }

  @Test
  void methodInDirectPutsTheInputInTheSystemBufferAndTheOutputBufferBehindAnMdl() {
    int ioctl = CTL_CODE(0x22, 0x901, METHOD_IN_DIRECT, FILE_ANY_ACCESS);
    Handle handle = openProbe(0, MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
      Seen s = look(self, irp);
      s.mdlBuffer().put(0, (byte) 'z');
      return Routines.complete(self, irp, NtStatus.SUCCESS, 1);
    });

    IoResult result = handle.deviceIoControl(ioctl, INPUT, 6);

    Seen s = seen.get();
    assertEquals(INPUT.length, s.location().inputBufferLength());
    assertEquals(6, s.location().outputBufferLength());
    assertArrayEquals(INPUT, s.systemInput(INPUT.length));
    assertEquals(6, s.mdlByteCount());
    assertNotNull(s.mdlBuffer(), "MmGetSystemAddressForMdlSafe maps the MDL");
    assertEquals(6, s.mdlBuffer().capacity());
    assertNull(s.type3Input());
    assertEquals('z', result.output()[0]);
    assertEquals(1, result.information());
  }

  @Test
  void methodOutDirectPutsTheInputInTheSystemBufferAndTheOutputBehindAnMdl() {
    int ioctl = CTL_CODE(0x22, 0x902, METHOD_OUT_DIRECT, FILE_ANY_ACCESS);
    Handle handle = openProbe(0, MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
      Seen s = look(self, irp);
      s.mdlBuffer().put(0, "direct".getBytes(US_ASCII));
      return Routines.complete(self, irp, NtStatus.SUCCESS, 6);
    });

    IoResult result = handle.deviceIoControl(ioctl, INPUT, 10);

    Seen s = seen.get();
    assertArrayEquals(INPUT, s.systemInput(INPUT.length));
    assertEquals(10, s.mdlByteCount());
    assertNull(s.type3Input());
    assertNull(s.userBuffer());
    assertEquals(6, result.information());
    assertArrayEquals("direct".getBytes(US_ASCII), result.data());
    assertArrayEquals("direct\0\0\0\0".getBytes(US_ASCII), result.output());
  }

  @Test
  void methodNeitherPassesTheCallersBuffersAsTheyAre() {
    int ioctl = CTL_CODE(0x22, 0x903, METHOD_NEITHER, FILE_ANY_ACCESS);
    Handle handle = openProbe(0, MajorFunction.DEVICE_CONTROL, (self, device, irp) -> {
      Seen s = look(self, irp);
      irp.userBuffer().put(0, "raw".getBytes(US_ASCII));
      return Routines.complete(self, irp, NtStatus.SUCCESS, 3);
    });

    IoResult result = handle.deviceIoControl(ioctl, INPUT, 3);

    Seen s = seen.get();
    assertNull(s.systemBuffer());
    assertEquals(-1, s.mdlByteCount());
    assertArrayEquals(INPUT, bytes(s.type3Input(), INPUT.length));
    assertEquals(INPUT.length, s.location().inputBufferLength());
    assertEquals(3, s.userBuffer().capacity());
    assertArrayEquals("raw".getBytes(US_ASCII), result.output());
  }

  @Test
  void readAndWriteOnADoBufferedIoDeviceUseTheSystemBuffer() {
    kernel.loadDriver(TestDriver.legacyDevice("Probe", journal)
        .entry(self -> Routines.createDevice(self, "\\Device\\Probe", "\\??\\Probe",
            Wdm.DO_BUFFERED_IO))
        .dispatch(MajorFunction.WRITE, (self, device, irp) -> {
          Seen s = look(self, irp);
          return Routines.complete(self, irp, NtStatus.SUCCESS, s.location().length());
        })
        .dispatch(MajorFunction.READ, (self, device, irp) -> {
          look(self, irp);
          irp.systemBuffer().put(0, "readXX".getBytes(US_ASCII));
          return Routines.complete(self, irp, NtStatus.SUCCESS, 4);
        })
        .build());
    Handle handle = kernel.open("\\\\.\\Probe");

    IoResult written = handle.write(INPUT);
    Seen write = seen.get();
    IoResult read = handle.read(6);
    Seen readSeen = seen.get();

    assertEquals(INPUT.length, write.location().length());
    assertArrayEquals(INPUT, write.systemInput(INPUT.length));
    assertEquals(-1, write.mdlByteCount());
    assertNull(write.userBuffer());
    assertEquals(INPUT.length, written.information());
    assertEquals(6, readSeen.location().length());
    assertEquals(6, readSeen.systemBuffer().capacity());
    assertEquals(-1, readSeen.mdlByteCount());
    assertArrayEquals("read\0\0".getBytes(US_ASCII), read.output());
    assertEquals(4, read.information());
  }

  @Test
  void readAndWriteOnADoDirectIoDeviceUseAnMdl() {
    kernel.loadDriver(TestDriver.legacyDevice("Probe", journal)
        .entry(self -> Routines.createDevice(self, "\\Device\\Probe", "\\??\\Probe",
            Wdm.DO_DIRECT_IO))
        .dispatch(MajorFunction.WRITE, (self, device, irp) -> {
          Seen s = look(self, irp);
          return Routines.complete(self, irp, NtStatus.SUCCESS, s.mdlByteCount());
        })
        .dispatch(MajorFunction.READ, (self, device, irp) -> {
          Seen s = look(self, irp);
          s.mdlBuffer().put(0, "dma".getBytes(US_ASCII));
          return Routines.complete(self, irp, NtStatus.SUCCESS, 3);
        })
        .build());
    Handle handle = kernel.open("\\\\.\\Probe");

    IoResult written = handle.write(INPUT);
    Seen write = seen.get();
    IoResult read = handle.read(5);
    Seen readSeen = seen.get();

    assertNull(write.systemBuffer());
    assertEquals(INPUT.length, write.mdlByteCount());
    assertArrayEquals(INPUT, bytes(write.mdlBuffer(), INPUT.length));
    assertEquals(INPUT.length, written.information());
    assertNull(readSeen.systemBuffer());
    assertEquals(5, readSeen.mdlByteCount());
    assertEquals(5, readSeen.location().length());
    assertArrayEquals(Arrays.copyOf("dma".getBytes(US_ASCII), 5), read.output());
    assertEquals(3, read.information());
  }
}

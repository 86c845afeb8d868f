package io.jwdm.kernel;

/** An I/O request packet ({@code IRP}). */
public interface Irp {
}

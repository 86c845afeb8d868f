/**
 * The model of driver classes: {@link io.jwdm.processor.model.Driver} and its {@link
 * io.jwdm.processor.model.Routine}s, built once from the compiler's elements by {@link
 * io.jwdm.processor.model.DriverScanner}, which reads annotations only through annotation mirrors
 * and names runtime types only by canonical name. Models are immutable and judge nothing.
 */
package io.jwdm.processor.model;

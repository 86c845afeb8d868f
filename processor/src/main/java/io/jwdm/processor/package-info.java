/**
 * The jwdm annotation processor, {@link io.jwdm.processor.JwdmProcessor}: it checks driver classes
 * against the WDK's rules for driver routines at compile time and generates their glue.
 *
 * <p>The work is split in four: {@link io.jwdm.processor.model} builds a small immutable model of
 * each driver from its elements; {@link io.jwdm.processor.rules} checks the models, one rule per
 * class, into a report printed on exact elements; {@link io.jwdm.processor.generator} generates
 * glue for the drivers without errors; the processor runs the rounds.
 */
package io.jwdm.processor;

/**
 * Code generation: {@link io.jwdm.processor.generator.GlueGenerator} writes the glue of a driver
 * the rules found no error in, and {@link io.jwdm.processor.generator.ServicesFile} lists every
 * glue class for {@link java.util.ServiceLoader}. Output depends only on the models, never on the
 * order the compiler hands over sources.
 */
package io.jwdm.processor.generator;

/**
 * The rules a driver is checked against, one class each, run by {@link
 * io.jwdm.processor.rules.Rules}. A rule reads driver models and adds {@link
 * io.jwdm.processor.rules.Finding}s to a {@link io.jwdm.processor.rules.Report}: every message
 * starts with the rule's ID in brackets, then says what is wrong, the WDK rule behind it, and the
 * fix as code to paste.
 */
package io.jwdm.processor.rules;

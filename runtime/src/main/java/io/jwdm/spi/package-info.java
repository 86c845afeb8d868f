/**
 * The service-provider interface between generated driver glue and the jwdm kernel. Driver authors
 * never implement it: the jwdm processor does.
 */
package io.jwdm.spi;

package io.jwdm.testing;

import io.jwdm.host.Kernel;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a {@link KernelTest} class that receives each test's {@link Kernel}, set before
 * the {@code @BeforeEach} methods run.
 *
 * <pre>{@code
 * @KernelTest(drivers = Sioctl_DriverGlue.class)
 * class SioctlTest {
 *   @InjectKernel Kernel kernel;
 * }
 * }</pre>
 *
 * <p>The field must be an instance field, not final, of a type a {@link Kernel} is assignable to.
 * In a {@code @Nested} class, annotated fields of the enclosing instances receive the same kernel.
 * A test method may take the kernel as a parameter instead.
 */
@Target(ElementType.FIELD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface InjectKernel {}

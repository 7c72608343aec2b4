package dev.jnet.testkit;

import dev.jnet.spi.Capability;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a contract test only where the transport, under the current engine, has the capability;
 * elsewhere the test is skipped with a reason naming the transport, the engine and the missing
 * capability.
 */
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@ExtendWith(CapabilityCondition.class)
public @interface RequiresCapability {
  /**
   * Returns the needed capabilities.
   *
   * @return the capabilities
   */
  Capability[] value();
}

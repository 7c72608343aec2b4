package dev.jnet.testkit;

import dev.jnet.Net;
import dev.jnet.spi.Capability;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates {@link RequiresCapability} against the test instance's {@link TransportFixture}. */
public final class CapabilityCondition implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<Object> instance = context.getTestInstance();
    Optional<RequiresCapability> need =
        context
            .getElement()
            .flatMap(e -> AnnotationSupport.findAnnotation(e, RequiresCapability.class));
    if (need.isEmpty()) {
      need =
          context
              .getTestClass()
              .flatMap(c -> AnnotationSupport.findAnnotation(c, RequiresCapability.class));
    }
    if (instance.isEmpty() || need.isEmpty() || !(instance.get() instanceof ContractSupport cs)) {
      return ConditionEvaluationResult.enabled("no capability needed");
    }
    TransportFixture f = cs.fixture();
    for (Capability c : need.get().value()) {
      if (!f.capabilities().contains(c)) {
        return ConditionEvaluationResult.disabled(
            "transport "
                + f.name()
                + " under the "
                + Net.engine()
                + " engine lacks capability "
                + c);
      }
    }
    return ConditionEvaluationResult.enabled("capabilities present");
  }
}

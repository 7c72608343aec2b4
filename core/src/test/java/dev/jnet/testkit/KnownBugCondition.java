package dev.jnet.testkit;

import dev.jnet.Net;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Evaluates {@link KnownBug} against the test instance's {@link TransportFixture} and the engine in
 * use.
 */
public final class KnownBugCondition implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    List<KnownBug> bugs =
        context
            .getElement()
            .map(e -> AnnotationSupport.findRepeatableAnnotations(e, KnownBug.class))
            .orElse(List.of());
    Optional<Object> instance = context.getTestInstance();
    if (bugs.isEmpty() || instance.isEmpty() || !(instance.get() instanceof ContractSupport cs)) {
      return ConditionEvaluationResult.enabled("no known bug");
    }
    if ("run".equals(System.getProperty("jnet.stress.knownBugs"))) {
      return ConditionEvaluationResult.enabled(
          "known bugs run on request (jnet.stress.knownBugs=run)");
    }
    String transport = cs.fixture().name();
    String engine = Net.engine();
    for (KnownBug b : bugs) {
      if ((b.transports().length == 0 || Arrays.asList(b.transports()).contains(transport))
          && (b.engines().length == 0 || Arrays.asList(b.engines()).contains(engine))) {
        return ConditionEvaluationResult.disabled(
            b.value() + " (" + transport + ", " + engine + ")");
      }
    }
    return ConditionEvaluationResult.enabled(
        "no known bug shows on " + transport + " under " + engine);
  }
}

package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.internal.Checks;
import java.time.Duration;
import java.util.List;

/** What the router does after a failed call: wait and retry, try another model, or give up. */
public sealed interface FallbackDecision {

  /** Why the policy decided this, in words for the routing trace. */
  String reason();

  /**
   * Call the failed model again after {@code delay}.
   *
   * @param delay how long to wait first
   * @param reason why
   */
  record RetrySame(Duration delay, String reason) implements FallbackDecision {
    public RetrySame {
      Durations.notNegative(delay, "delay");
      Checks.notBlank(reason, "reason");
    }
  }

  /**
   * Call {@code model} next, at once.
   *
   * @param model one of the remaining candidates, never the failed model, never unusable
   * @param reason why
   * @param skipped the remaining candidates that may not be tried, each with its reason
   */
  record TryNext(ModelInfo model, String reason, List<SkippedCandidate> skipped)
      implements FallbackDecision {
    public TryNext {
      Checks.notNull(model, "model");
      Checks.notBlank(reason, "reason");
      skipped = Checks.listOf(skipped, "skipped");
    }
  }

  /**
   * Give up and return the failure to the caller.
   *
   * @param reason why
   * @param skipped the remaining candidates that could not be tried, each with its reason
   */
  record Stop(String reason, List<SkippedCandidate> skipped) implements FallbackDecision {
    public Stop {
      Checks.notBlank(reason, "reason");
      skipped = Checks.listOf(skipped, "skipped");
    }
  }
}

package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.List;

/**
 * Everything the policy decides from after a failed call.
 *
 * @param failedModel the model whose call failed
 * @param error the classified failure
 * @param attemptsOnFailedModel calls made to the failed model in this request, the failed one
 *     included (1 after its first failure)
 * @param totalAttempts calls made in this request on any model, the failed one included
 * @param timeLeft what remains of the request's deadline; zero or negative when it has passed
 * @param remainingCandidates candidates not yet tried, in the selector's rank order
 * @param state the health of deployments, taken after the failure was recorded
 * @param attemptDuration how long the failed call took, from its start to its failure
 * @param midStream whether the call was a stream that broke after some of its output reached the
 *     caller: the stream is then continued, on another model first
 */
public record FailureContext(
    ModelInfo failedModel,
    ProviderException error,
    int attemptsOnFailedModel,
    int totalAttempts,
    Duration timeLeft,
    List<ModelInfo> remainingCandidates,
    FallbackState state,
    Duration attemptDuration,
    boolean midStream) {

  public FailureContext {
    Checks.notNull(failedModel, "failed_model");
    Checks.notNull(error, "error");
    Checks.positive(attemptsOnFailedModel, "attempts_on_failed_model");
    Checks.require(
        totalAttempts >= attemptsOnFailedModel,
        "total_attempts",
        "must be at least attempts_on_failed_model "
            + attemptsOnFailedModel
            + ", was "
            + totalAttempts);
    Checks.notNull(timeLeft, "time_left");
    remainingCandidates = Checks.listOf(remainingCandidates, "remaining_candidates");
    Checks.notNull(state, "state");
    Durations.notNegative(attemptDuration, "attempt_duration");
  }

  /** A failure that came back at once, as refused connections and immediate errors do. */
  public FailureContext(
      ModelInfo failedModel,
      ProviderException error,
      int attemptsOnFailedModel,
      int totalAttempts,
      Duration timeLeft,
      List<ModelInfo> remainingCandidates,
      FallbackState state) {
    this(
        failedModel,
        error,
        attemptsOnFailedModel,
        totalAttempts,
        timeLeft,
        remainingCandidates,
        state,
        Duration.ZERO,
        false);
  }
}

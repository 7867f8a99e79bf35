package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.provider.ErrorClass;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Failures per deployment and providers taken out of service. Time is always passed in, never read,
 * so that an implementation holds no clock and a test chooses every instant. An interface so that a
 * store shared by several gateway replicas can implement it; implementations are thread-safe.
 *
 * <p>A model is excluded while it has at least {@code maxFailures} counted failures (the {@link
 * DeploymentFaults} classes) at or after {@code now - exclusionWindow} and after its last recorded
 * success. Other classes are kept for the statistics only.
 */
public interface FailureRegistry {

  void recordFailure(ModelKey model, ErrorClass error, Instant at);

  default void recordFailure(ModelInfo model, ErrorClass error, Instant at) {
    recordFailure(model.key(), error, at);
  }

  /** Failures before this success no longer count towards exclusion (they stay in statistics). */
  void recordSuccess(ModelKey model, Instant at);

  boolean isExcluded(ModelKey model, Instant now);

  Set<ModelKey> excludedModels(Instant now);

  /**
   * Takes every model of {@code provider} out of service until {@link #resetProvider}, or until
   * {@code providerRecheckAfter} has passed, when the next request tries it again.
   */
  void markProviderOut(ProviderId provider, String reason, Instant at);

  /**
   * The providers out of service at {@code now}, each with its reason and the instant it was
   * marked.
   */
  Map<ProviderId, String> providersOut(Instant now);

  /** Forgets the model's failures and its last success. */
  void resetModel(ModelKey model);

  void resetProvider(ProviderId provider);

  /**
   * Drops failure records older than {@code failureRetention} at {@code now}.
   *
   * @return how many failure records were dropped
   */
  int cleanUp(Instant now);

  /** Failures within {@code failureRetention} of {@code now}, whether or not cleaned up yet. */
  FailureStatistics statistics(Instant now);
}

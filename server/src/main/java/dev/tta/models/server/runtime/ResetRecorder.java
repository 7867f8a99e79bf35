package dev.tta.models.server.runtime;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.fallback.FailureRegistry;
import dev.tta.models.fallback.FailureStatistics;
import dev.tta.models.history.CallHistory;
import dev.tta.models.history.HistoryEntry;
import dev.tta.models.provider.ErrorClass;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;

/**
 * The registry routing and management use, which also writes every reset made by hand to the
 * history, so that a restarted gateway does not bring back failures that someone had forgiven.
 */
final class ResetRecorder implements FailureRegistry {

  private final FailureRegistry registry;
  private final CallHistory history;
  private final InstantSource time;

  ResetRecorder(FailureRegistry registry, CallHistory history, InstantSource time) {
    this.registry = registry;
    this.history = history;
    this.time = time;
  }

  @Override
  public void resetModel(ModelKey model) {
    registry.resetModel(model);
    history.append(new HistoryEntry.ModelReset(model, time.instant()));
  }

  @Override
  public void resetProvider(ProviderId provider) {
    registry.resetProvider(provider);
    history.append(new HistoryEntry.ProviderReset(provider, time.instant()));
  }

  @Override
  public void recordFailure(ModelKey model, ErrorClass error, Instant at) {
    registry.recordFailure(model, error, at);
  }

  @Override
  public void recordSuccess(ModelKey model, Instant at) {
    registry.recordSuccess(model, at);
  }

  @Override
  public boolean isExcluded(ModelKey model, Instant now) {
    return registry.isExcluded(model, now);
  }

  @Override
  public Set<ModelKey> excludedModels(Instant now) {
    return registry.excludedModels(now);
  }

  @Override
  public void markProviderOut(ProviderId provider, String reason, Instant at) {
    registry.markProviderOut(provider, reason, at);
  }

  @Override
  public Map<ProviderId, String> providersOut(Instant now) {
    return registry.providersOut(now);
  }

  @Override
  public int cleanUp(Instant now) {
    return registry.cleanUp(now);
  }

  @Override
  public FailureStatistics statistics(Instant now) {
    return registry.statistics(now);
  }
}

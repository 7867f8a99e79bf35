package dev.tta.models.state;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.fallback.FailureRegistry;
import dev.tta.models.fallback.FailureStatistics;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.internal.Checks;
import dev.tta.models.provider.ErrorClass;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A replica's failure registry and circuit breakers kept in step with the other replicas' through a
 * {@link RoutingState}: every change made here (a failure, a success, a provider taken out, a
 * reset, a circuit that opens) is published, and every change published by another replica is
 * applied here: its failures count towards exclusion here too, and its open circuit is held open
 * here until the same probe time. Reads never leave the process, so routing never waits on the
 * shared store, and when that store is gone each replica goes on with what it knows.
 */
public final class SharedRouting implements FailureRegistry {

  private record Out(String reason, Instant at) {}

  private final FailureRegistry local;
  private final ModelCircuitBreakers breakers;
  private final RoutingState state;
  private final InstantSource time;
  private final ConcurrentMap<ProviderId, Out> providersOut = new ConcurrentHashMap<>();

  /**
   * @param local this replica's own registry, which every read goes to
   */
  public SharedRouting(
      FailureRegistry local,
      ModelCircuitBreakers breakers,
      RoutingState state,
      InstantSource time) {
    this.local = Checks.notNull(local, "local");
    this.breakers = Checks.notNull(breakers, "breakers");
    this.state = Checks.notNull(state, "state");
    this.time = Checks.notNull(time, "time");
  }

  /** Publishes this replica's circuit openings and starts applying the others' changes. */
  public void start() {
    breakers.onOpened(
        (model, probeAfter) -> state.publish(new StateChange.CircuitOpened(model, probeAfter)));
    state.start(this::apply, this::snapshot);
  }

  /** Applies another replica's change to this replica's state, without publishing it again. */
  void apply(StateChange change) {
    switch (change) {
      case StateChange.CircuitOpened opened ->
          breakers.holdOpenUntil(opened.model(), opened.probeAfter());
      case StateChange.FailureRecorded failure ->
          local.recordFailure(failure.model(), failure.error(), failure.at());
      case StateChange.SuccessRecorded success ->
          local.recordSuccess(success.model(), success.at());
      case StateChange.ProviderOut out -> {
        providersOut.put(out.provider(), new Out(out.reason(), out.at()));
        local.markProviderOut(out.provider(), out.reason(), out.at());
      }
      case StateChange.ModelReset reset -> {
        local.resetModel(reset.model());
        breakers.reset(reset.model());
      }
      case StateChange.ProviderReset reset -> {
        providersOut.remove(reset.provider());
        local.resetProvider(reset.provider());
      }
    }
  }

  /** The circuits open now and the providers out now, as changes another replica can apply. */
  List<StateChange> snapshot() {
    List<StateChange> changes = new ArrayList<>();
    for (ModelKey model : breakers.openCircuits()) {
      breakers
          .probeAfter(model)
          .ifPresent(until -> changes.add(new StateChange.CircuitOpened(model, until)));
    }
    Set<ProviderId> stillOut = local.providersOut(time.instant()).keySet();
    providersOut.forEach(
        (provider, out) -> {
          if (stillOut.contains(provider)) {
            changes.add(new StateChange.ProviderOut(provider, out.reason(), out.at()));
          }
        });
    return changes;
  }

  @Override
  public void recordFailure(ModelKey model, ErrorClass error, Instant at) {
    local.recordFailure(model, error, at);
    state.publish(new StateChange.FailureRecorded(model, error, at));
  }

  @Override
  public void recordSuccess(ModelKey model, Instant at) {
    local.recordSuccess(model, at);
    state.publish(new StateChange.SuccessRecorded(model, at));
  }

  @Override
  public boolean isExcluded(ModelKey model, Instant now) {
    return local.isExcluded(model, now);
  }

  @Override
  public Set<ModelKey> excludedModels(Instant now) {
    return local.excludedModels(now);
  }

  @Override
  public void markProviderOut(ProviderId provider, String reason, Instant at) {
    local.markProviderOut(provider, reason, at);
    providersOut.put(provider, new Out(reason, at));
    state.publish(new StateChange.ProviderOut(provider, reason, at));
  }

  @Override
  public Map<ProviderId, String> providersOut(Instant now) {
    return local.providersOut(now);
  }

  @Override
  public void resetModel(ModelKey model) {
    local.resetModel(model);
    state.publish(new StateChange.ModelReset(model));
  }

  @Override
  public void resetProvider(ProviderId provider) {
    local.resetProvider(provider);
    providersOut.remove(provider);
    state.publish(new StateChange.ProviderReset(provider));
  }

  @Override
  public int cleanUp(Instant now) {
    int dropped = local.cleanUp(now);
    providersOut.keySet().retainAll(local.providersOut(now).keySet());
    return dropped;
  }

  @Override
  public FailureStatistics statistics(Instant now) {
    return local.statistics(now);
  }
}

package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.monitoring.ModelStats;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot of everything the policy needs to know about the health of deployments, taken by the
 * router before it asks; the policy itself reads no registry, breaker or clock.
 *
 * @param excludedModels models with too many recent counted failures (their circuits are held open,
 *     so they are also among {@code openCircuits} until a probe is due)
 * @param providersOut providers that may not be used, with the reason (a refused credential)
 * @param openCircuits models whose circuit breaker refuses calls now
 * @param measurements recent measurements per model, for the availability strategy
 */
public record FallbackState(
    Set<ModelKey> excludedModels,
    Map<ProviderId, String> providersOut,
    Set<ModelKey> openCircuits,
    Map<ModelKey, ModelStats> measurements) {

  private static final FallbackState EMPTY =
      new FallbackState(Set.of(), Map.of(), Set.of(), Map.of());

  public FallbackState {
    excludedModels = Set.copyOf(Checks.notNull(excludedModels, "excluded_models"));
    providersOut = Map.copyOf(Checks.notNull(providersOut, "providers_out"));
    openCircuits = Set.copyOf(Checks.notNull(openCircuits, "open_circuits"));
    measurements = Map.copyOf(Checks.notNull(measurements, "measurements"));
  }

  /** Nothing excluded, no provider out, every circuit closed, nothing measured. */
  public static FallbackState empty() {
    return EMPTY;
  }

  /** The state of a registry and a set of breakers at {@code now}, with the given measurements. */
  public static FallbackState capture(
      FailureRegistry registry,
      ModelCircuitBreakers breakers,
      Map<ModelKey, ModelStats> measurements,
      Instant now) {
    return new FallbackState(
        registry.excludedModels(now),
        registry.providersOut(now),
        breakers.openCircuits(),
        measurements);
  }
}

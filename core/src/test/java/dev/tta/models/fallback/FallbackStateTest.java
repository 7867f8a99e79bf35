package dev.tta.models.fallback;

import static dev.tta.models.fallback.Fixtures.model;
import static dev.tta.models.fallback.Fixtures.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FallbackStateTest {

  private static final ModelInfo GPT4O = model("openai", "gpt-4o");
  private static final ModelInfo CLAUDE = model("anthropic", "claude");

  @Test
  void empty_knowsNothing() {
    assertThat(FallbackState.empty())
        .isEqualTo(new FallbackState(Set.of(), Map.of(), Set.of(), Map.of()));
  }

  @Test
  void constructor_copiesItsCollections() {
    Set<ModelKey> excluded = new HashSet<>(Set.of(GPT4O.key()));
    Map<ProviderId, String> out = new HashMap<>(Map.of(ProviderId.of("openai"), "401"));
    FallbackState state = new FallbackState(excluded, out, Set.of(), Map.of());

    excluded.add(CLAUDE.key());
    out.clear();

    assertThat(state.excludedModels()).containsExactly(GPT4O.key());
    assertThat(state.providersOut()).containsOnlyKeys(ProviderId.of("openai"));
  }

  @Test
  void constructor_withoutACollection_isRejected() {
    assertThatThrownBy(() -> new FallbackState(null, Map.of(), Set.of(), Map.of()))
        .hasMessage("excluded_models: is required");
    assertThatThrownBy(() -> new FallbackState(Set.of(), null, Set.of(), Map.of()))
        .hasMessage("providers_out: is required");
    assertThatThrownBy(() -> new FallbackState(Set.of(), Map.of(), null, Map.of()))
        .hasMessage("open_circuits: is required");
    assertThatThrownBy(() -> new FallbackState(Set.of(), Map.of(), Set.of(), null))
        .hasMessage("measurements: is required");
  }

  @Test
  void capture_takesRegistryBreakersAndMeasurementsAtAnInstant() {
    Instant now = Instant.parse("2026-01-01T00:10:00Z");
    InMemoryFailureRegistry registry = new InMemoryFailureRegistry(FallbackConfig.defaults());
    for (int minute = 1; minute <= 3; minute++) {
      registry.recordFailure(GPT4O, ErrorClass.TIMEOUT, now.minus(Duration.ofMinutes(minute)));
    }
    registry.markProviderOut(ProviderId.of("mistral"), "401", now);
    ModelCircuitBreakers breakers =
        new ModelCircuitBreakers(CircuitBreakerSettings.defaults(), new ManualTimeSource());
    for (int i = 0; i < 5; i++) {
      breakers.tryAcquire(CLAUDE.key());
      breakers.onFailure(CLAUDE.key(), Duration.ofSeconds(1), ErrorClass.UNAVAILABLE);
    }
    Map<ModelKey, ModelStats> measured = Map.of(CLAUDE.key(), stats(5, 0, -1));

    assertThat(FallbackState.capture(registry, breakers, measured, now))
        .isEqualTo(
            new FallbackState(
                Set.of(GPT4O.key()),
                Map.of(
                    ProviderId.of("mistral"),
                    "401 (since 2026-01-01T00:10:00Z, recheck at 2026-01-01T00:15:00Z)"),
                Set.of(CLAUDE.key()),
                measured));
  }
}

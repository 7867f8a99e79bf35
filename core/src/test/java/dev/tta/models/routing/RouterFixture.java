package dev.tta.models.routing;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.fallback.FallbackPolicy;
import dev.tta.models.fallback.FallbackStrategy;
import dev.tta.models.fallback.InMemoryFailureRegistry;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.testing.ScriptedProvider;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A router over two scripted providers with settings chosen so that every delay can be worked out
 * by hand: no jitter, backoff 250 ms doubling, one retry per model, four attempts, 30 s deadline.
 *
 * <p>Catalog (all free, so cost terms are equal): {@code cloud/best} (remote, safety 9, performance
 * 9, context 8192), {@code cloud/good} (remote, safety 8, performance 8, context 16384), {@code
 * local/small} (local, safety 8, performance 6, context 4096). Ranked for general chat: best, good,
 * small.
 */
final class RouterFixture {

  static final Duration BACKOFF_BASE = Duration.ofMillis(250);
  static final Duration DEADLINE = Duration.ofSeconds(30);

  final ManualTimeSource clock = new ManualTimeSource();
  final ScriptedProvider cloud = new ScriptedProvider("cloud", ProviderType.OPENROUTER, clock);
  final ScriptedProvider local = new ScriptedProvider("local", ProviderType.LOCAL, clock);
  final List<RoutingEvent> events = new CopyOnWriteArrayList<>();
  final FallbackConfig fallbackConfig;
  final InMemoryFailureRegistry failures;
  final ModelCircuitBreakers breakers;
  final PerformanceMonitor monitor = new PerformanceMonitor(clock);
  final ModelRouter router;

  static final ModelKey BEST = ModelKey.of("cloud", "best");
  static final ModelKey GOOD = ModelKey.of("cloud", "good");
  static final ModelKey SMALL = ModelKey.of("local", "small");

  RouterFixture() {
    this(FallbackStrategy.PERFORMANCE, CircuitBreakerSettings.defaults(), Map.of());
  }

  RouterFixture(
      FallbackStrategy strategy,
      CircuitBreakerSettings breakerSettings,
      Map<ModelKey, List<ModelKey>> configuredFallbacks) {
    this(strategy, breakerSettings, configuredFallbacks, (builder, clock) -> builder);
  }

  /** Changes settings of the router's builder before it builds. */
  interface Customizer {
    ModelRouter.Builder apply(ModelRouter.Builder builder, ManualTimeSource clock);
  }

  RouterFixture(Customizer customize) {
    this(FallbackStrategy.PERFORMANCE, CircuitBreakerSettings.defaults(), Map.of(), customize);
  }

  RouterFixture(
      FallbackStrategy strategy,
      CircuitBreakerSettings breakerSettings,
      Map<ModelKey, List<ModelKey>> configuredFallbacks,
      Customizer customize) {
    cloud.add(
        "best",
        m -> m.contextLength(8192).free(true).therapeuticSafetyScore(9).performanceScore(9));
    cloud.add(
        "good",
        m -> m.contextLength(16384).free(true).therapeuticSafetyScore(8).performanceScore(8));
    local.add(
        "small",
        m -> m.contextLength(4096).free(true).therapeuticSafetyScore(8).performanceScore(6));
    fallbackConfig =
        FallbackConfig.builder()
            .strategy(strategy)
            .maxAttempts(4)
            .maxRetriesPerModel(1)
            .backoffBase(BACKOFF_BASE)
            .backoffMultiplier(2.0)
            .backoffMax(Duration.ofSeconds(2))
            .jitter(0.0)
            .maxRetryAfter(Duration.ofSeconds(5))
            .requestDeadline(DEADLINE)
            .build();
    failures = new InMemoryFailureRegistry(fallbackConfig);
    breakers = new ModelCircuitBreakers(breakerSettings, clock);
    router =
        customize
            .apply(
                ModelRouter.builder()
                    .providers(ProviderRegistry.of(new ArrayList<>(List.of(cloud, local))))
                    .selector(new ModelSelector(SelectionConfig.defaults()))
                    .policy(new FallbackPolicy(fallbackConfig, new SplittableRandom(7)))
                    .failures(failures)
                    .circuitBreakers(breakers)
                    .monitor(monitor)
                    .configuredFallbacks(configuredFallbacks)
                    .time(clock)
                    .sleeper(clock)
                    .alarms(clock)
                    .listener(events::add),
                clock)
            .build();
  }

  dev.tta.models.testing.ScriptedModel good() {
    return cloud.model("good");
  }

  dev.tta.models.testing.ScriptedModel small() {
    return local.model("small");
  }

  <T extends RoutingEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }
}

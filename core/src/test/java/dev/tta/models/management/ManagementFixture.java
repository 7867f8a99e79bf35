package dev.tta.models.management;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.fallback.FallbackPolicy;
import dev.tta.models.fallback.InMemoryFailureRegistry;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.hardware.HardwareRecommender;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.routing.ModelRouter;
import dev.tta.models.routing.ProviderRegistry;
import dev.tta.models.selection.CatalogCache;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.testing.ScriptedProvider;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Three scripted providers and a façade over them, one attempt per request so that every failure
 * shows in the statistics exactly once.
 *
 * <p>Catalog, in configuration order: {@code cloud/best} (OpenRouter type, free, safety 9,
 * performance 9), {@code cloud/paid} (input 0.001, output 0.002 per token, safety 8, performance 8,
 * capabilities "chat", "code"), {@code local/small} (free, safety 8, performance 6, 4 GiB), {@code
 * local/big} (free, safety 8, performance 7, 15 GiB), {@code filtered/cheap} (custom API, free,
 * safety 8) and {@code filtered/dear} (custom API, 0.0005 per token, safety 8).
 */
final class ManagementFixture {

  static final long GIB = 1L << 30;

  final ManualTimeSource clock = new ManualTimeSource();
  final ScriptedProvider cloud = new ScriptedProvider("cloud", ProviderType.OPENROUTER, clock);
  final ScriptedProvider local = new ScriptedProvider("local", ProviderType.LOCAL, clock);
  final FilterableProvider filtered =
      new FilterableProvider(new ScriptedProvider("filtered", ProviderType.CUSTOM_API, clock));
  final AtomicReference<Optional<HardwareProfile>> hardware =
      new AtomicReference<>(Optional.empty());
  final InMemoryFailureRegistry failures;
  final ModelCircuitBreakers breakers;
  final PerformanceMonitor monitor = new PerformanceMonitor(clock);
  final ModelRouter router;
  final ModelManagement management;

  ManagementFixture() {
    this(true);
  }

  ManagementFixture(boolean withFilterableProvider) {
    cloud.add("best", m -> m.free(true).therapeuticSafetyScore(9).performanceScore(9));
    cloud.add(
        "paid",
        m ->
            m.costPerToken(0.001, 0.002)
                .therapeuticSafetyScore(8)
                .performanceScore(8)
                .capabilities("code", "chat"));
    local.add(
        "small",
        m ->
            m.free(true)
                .therapeuticSafetyScore(8)
                .performanceScore(6)
                .estimatedMemoryBytes(4 * GIB));
    local.add(
        "big",
        m ->
            m.free(true)
                .therapeuticSafetyScore(8)
                .performanceScore(7)
                .estimatedMemoryBytes(15 * GIB));
    filtered.scripted.add("cheap", m -> m.free(true).therapeuticSafetyScore(8));
    filtered.scripted.add("dear", m -> m.costPerToken(0.0005, 0.0005).therapeuticSafetyScore(8));
    FallbackConfig config = FallbackConfig.builder().maxAttempts(1).jitter(0.0).build();
    failures = new InMemoryFailureRegistry(config);
    breakers = new ModelCircuitBreakers(CircuitBreakerSettings.defaults(), clock);
    List<ModelProvider> all = new ArrayList<>(List.of(cloud, local));
    if (withFilterableProvider) {
      all.add(filtered);
    }
    ProviderRegistry registry = ProviderRegistry.of(all);
    CatalogCache cache = new CatalogCache(clock);
    router =
        ModelRouter.builder()
            .providers(registry)
            .catalogCache(cache)
            .selector(new ModelSelector(SelectionConfig.defaults()))
            .policy(new FallbackPolicy(config, new SplittableRandom(7)))
            .failures(failures)
            .circuitBreakers(breakers)
            .monitor(monitor)
            .hardware(hardware::get)
            .time(clock)
            .sleeper(clock)
            .build();
    management =
        ModelManagement.builder()
            .providers(registry)
            .router(router)
            .monitor(monitor)
            .failures(failures)
            .circuitBreakers(breakers)
            .catalogCache(cache)
            .hardware(hardware::get)
            .recommender(new HardwareRecommender(0.9))
            .connectivityTimeout(Duration.ofSeconds(5))
            .time(clock)
            .build();
  }

  /** A provider with a free-model filter, as the OpenRouter provider has one. */
  static final class FilterableProvider implements ModelProvider, FreeModelFilterControl {
    final ScriptedProvider scripted;
    final List<String> unloaded = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile FreeModelFilter filter =
        new FreeModelFilter(false, false, OptionalDouble.empty());

    FilterableProvider(ScriptedProvider scripted) {
      this.scripted = scripted;
    }

    @Override
    public FreeModelFilter freeModelFilter() {
      return filter;
    }

    @Override
    public void freeModelFilter(FreeModelFilter filter) {
      this.filter = filter;
    }

    @Override
    public ProviderId id() {
      return scripted.id();
    }

    @Override
    public ProviderType type() {
      return scripted.type();
    }

    @Override
    public List<ModelInfo> listModels(ModelFilter requested) {
      FreeModelFilter current = filter;
      return scripted.listModels(
          new ModelFilter(current.showFreeOnly(), current.maxCostPerToken(), java.util.Set.of()));
    }

    @Override
    public ModelInstance load(String modelId, LoadOptions options) {
      return scripted.load(modelId, options);
    }

    @Override
    public void unload(String modelId) {
      unloaded.add(modelId);
    }

    @Override
    public ProviderHealth health() {
      return scripted.health();
    }

    @Override
    public void close() {
      scripted.close();
    }
  }
}

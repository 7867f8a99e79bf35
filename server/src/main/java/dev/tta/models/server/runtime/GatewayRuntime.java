package dev.tta.models.server.runtime;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.fallback.FailureRegistry;
import dev.tta.models.fallback.FallbackPolicy;
import dev.tta.models.fallback.InMemoryFailureRegistry;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.hardware.HardwareDetector;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.management.ModelManagement;
import dev.tta.models.monitoring.MonitorConfig;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.routing.AttemptTimeouts;
import dev.tta.models.routing.ModelRouter;
import dev.tta.models.routing.ProviderRegistry;
import dev.tta.models.selection.CatalogCache;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.config.ProviderSettings;
import dev.tta.models.server.config.RouteSettings;
import dev.tta.models.server.metrics.GatewayMetrics;
import dev.tta.models.time.TimeSource;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway without its HTTP surface: started providers, the router, the management
 * façade and the meters, built from one {@link GatewayConfig}. The HTTP server and the in-process
 * commands ({@code mm models}, {@code mm chat} ...) share it.
 */
public final class GatewayRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayRuntime.class);

  /**
   * How often failure records older than their retention are dropped: often enough that a model
   * that stopped failing holds no memory for long, rare enough to cost nothing.
   */
  static final Duration CLEAN_UP_INTERVAL = Duration.ofMinutes(1);

  /** How long a detection of the machine's hardware is used before it is made again. */
  static final Duration HARDWARE_REFRESH = Duration.ofSeconds(10);

  private final GatewayConfig config;
  private final ProviderRegistry providers;
  private final List<String> startProblems;
  private final ModelRouter router;
  private final ModelManagement management;
  private final GatewayMetrics metrics;
  private final CatalogCache catalog;
  private final FailureRegistry failures;
  private final ModelCircuitBreakers breakers;
  private final ScheduledExecutorService housekeeping;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Instant startedAt = Instant.now();

  private GatewayRuntime(
      GatewayConfig config,
      ProviderRegistry providers,
      List<String> startProblems,
      ModelRouter router,
      ModelManagement management,
      GatewayMetrics metrics,
      CatalogCache catalog,
      FailureRegistry failures,
      ModelCircuitBreakers breakers,
      ScheduledExecutorService housekeeping) {
    this.config = config;
    this.providers = providers;
    this.startProblems = List.copyOf(startProblems);
    this.router = router;
    this.management = management;
    this.metrics = metrics;
    this.catalog = catalog;
    this.failures = failures;
    this.breakers = breakers;
    this.housekeeping = housekeeping;
  }

  /**
   * Starts every configured provider and wires the rest. A provider that cannot start (a model
   * folder that is gone, say) is left out and reported in {@link #startProblems()}: one broken
   * provider must not keep the others from serving.
   */
  public static GatewayRuntime start(GatewayConfig config) {
    List<ModelProvider> started = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ProviderSettings settings : config.providers()) {
      try {
        started.add(settings.start());
      } catch (RuntimeException e) {
        String problem = "provider '" + settings.id() + "' did not start: " + e.getMessage();
        problems.add(problem);
        LOG.warn(problem);
      }
    }
    TimeSource time = TimeSource.system();
    ProviderRegistry registry = ProviderRegistry.of(started);
    GatewayMetrics metrics = new GatewayMetrics();
    CatalogCache catalog = new CatalogCache(time, CatalogCache.DEFAULT_TIME_TO_LIVE);
    PerformanceMonitor monitor =
        new PerformanceMonitor(time, MonitorConfig.defaults(), metrics.registry());
    InMemoryFailureRegistry failures = new InMemoryFailureRegistry(config.fallback());
    ModelCircuitBreakers breakers = new ModelCircuitBreakers(config.circuitBreaker(), time);
    Map<ProviderId, AttemptTimeouts> timeouts = new HashMap<>();
    for (ProviderSettings settings : config.providers()) {
      timeouts.put(settings.id(), settings.attemptTimeouts());
    }
    metrics.watch(breakers);
    Supplier<Optional<HardwareProfile>> hardware = hardware(config.dataDirectory());
    ModelRouter router =
        ModelRouter.builder()
            .providers(registry)
            .catalogCache(catalog)
            .selector(new ModelSelector(config.selection()))
            .policy(new FallbackPolicy(config.fallback()))
            .failures(failures)
            .circuitBreakers(breakers)
            .monitor(monitor)
            .configuredFallbacks(config.fallbacks())
            .hardware(hardware)
            .timeouts(
                model ->
                    timeouts.getOrDefault(
                        model.providerId(), AttemptTimeouts.defaults(model.local())))
            .time(time)
            .listener(metrics)
            .build();
    ModelManagement management =
        ModelManagement.builder()
            .providers(registry)
            .router(router)
            .monitor(monitor)
            .failures(failures)
            .circuitBreakers(breakers)
            .catalogCache(catalog)
            .hardware(hardware)
            .time(time)
            .build();
    ScheduledExecutorService housekeeping =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("mm-housekeeping").daemon().factory());
    housekeeping.scheduleWithFixedDelay(
        () -> failures.cleanUp(time.instant()),
        CLEAN_UP_INTERVAL.toMillis(),
        CLEAN_UP_INTERVAL.toMillis(),
        TimeUnit.MILLISECONDS);
    return new GatewayRuntime(
        config,
        registry,
        problems,
        router,
        management,
        metrics,
        catalog,
        failures,
        breakers,
        housekeeping);
  }

  /**
   * The machine's hardware as selection reads it, detected at most once per {@link
   * #HARDWARE_REFRESH}: detecting reads the file system (free disk, mounts) and memory, far more
   * work than a request's own routing, and what it finds changes slowly.
   */
  private static Supplier<Optional<HardwareProfile>> hardware(Path dataDirectory) {
    HardwareDetector detector = new HardwareDetector();
    AtomicReference<DetectedHardware> last = new AtomicReference<>();
    return () -> {
      long now = System.nanoTime();
      DetectedHardware known = last.get();
      if (known != null && now - known.atNanos() < HARDWARE_REFRESH.toNanos()) {
        return known.profile();
      }
      Optional<HardwareProfile> profile;
      try {
        profile = Optional.of(detector.detect(dataDirectory));
      } catch (RuntimeException e) {
        LOG.debug("hardware detection failed: {}", e.getMessage());
        profile = Optional.empty();
      }
      last.set(new DetectedHardware(now, profile));
      return profile;
    };
  }

  private record DetectedHardware(long atNanos, Optional<HardwareProfile> profile) {}

  public GatewayConfig config() {
    return config;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public ProviderRegistry providers() {
    return providers;
  }

  public List<String> startProblems() {
    return startProblems;
  }

  public ModelRouter router() {
    return router;
  }

  public ModelManagement management() {
    return management;
  }

  public GatewayMetrics metrics() {
    return metrics;
  }

  /** The failures held against models and the providers out of service. */
  public FailureRegistry failures() {
    return failures;
  }

  /** The circuit of every deployment. */
  public ModelCircuitBreakers circuitBreakers() {
    return breakers;
  }

  public Map<String, RouteSettings> routes() {
    return config.routes();
  }

  /**
   * Every provider's models (cached), skipping providers that cannot list right now; those are
   * named in the returned problems so that a caller can say why a provider has no models.
   */
  public Catalog catalog() {
    List<ModelInfo> models = new ArrayList<>();
    List<String> unavailable = new ArrayList<>();
    for (ModelProvider provider : providers.all()) {
      try {
        models.addAll(catalog.models(provider));
      } catch (ProviderException e) {
        unavailable.add(provider.id() + ": " + e.getMessage());
      }
    }
    return new Catalog(Collections.unmodifiableList(models), List.copyOf(unavailable));
  }

  /**
   * One provider's models (cached); empty when the provider is not configured or cannot list right
   * now.
   */
  public Optional<List<ModelInfo>> models(ProviderId provider) {
    Optional<ModelProvider> found = providers.get(provider);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(catalog.models(found.get()));
    } catch (ProviderException e) {
      return Optional.empty();
    }
  }

  /** The models listed now, and the providers that could not list (with why). */
  public record Catalog(List<ModelInfo> models, List<String> unavailable) {}

  /** Closes every provider (unloading local models); idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      housekeeping.shutdownNow();
      for (ModelProvider provider : providers.all()) {
        try {
          provider.close();
        } catch (RuntimeException e) {
          LOG.warn("provider '{}' did not close cleanly: {}", provider.id(), e.getMessage());
        }
      }
    }
  }
}

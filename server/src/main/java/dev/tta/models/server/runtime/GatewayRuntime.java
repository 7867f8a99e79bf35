package dev.tta.models.server.runtime;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.fallback.FailureRegistry;
import dev.tta.models.fallback.FallbackPolicy;
import dev.tta.models.fallback.InMemoryFailureRegistry;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.hardware.HardwareDetector;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.history.Budgets;
import dev.tta.models.history.CallHistory;
import dev.tta.models.history.HistoryEntry;
import dev.tta.models.history.SpendLedger;
import dev.tta.models.history.WarmStart;
import dev.tta.models.management.ModelManagement;
import dev.tta.models.monitoring.MonitorConfig;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.routing.AttemptTimeouts;
import dev.tta.models.routing.ModelRouter;
import dev.tta.models.routing.ProviderRegistry;
import dev.tta.models.routing.RoutingEvent;
import dev.tta.models.routing.RoutingListener;
import dev.tta.models.selection.CatalogCache;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.config.ProviderSettings;
import dev.tta.models.server.config.RouteSettings;
import dev.tta.models.server.dashboard.RecentTraces;
import dev.tta.models.server.metrics.GatewayMetrics;
import dev.tta.models.server.telemetry.GatewayTracing;
import dev.tta.models.state.RoutingState;
import dev.tta.models.state.SharedRouting;
import dev.tta.models.store.HistorySettings;
import dev.tta.models.store.memory.InMemoryRoutingState;
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

  /**
   * How long an answer waits for its calls to be written to the history: far more than a write
   * takes (a few milliseconds), little enough that a database in trouble does not hold answers.
   */
  public static final Duration HISTORY_WAIT = Duration.ofSeconds(2);

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
  private final PerformanceMonitor monitor;
  private final GatewayTracing tracing;
  private final RecentTraces recentTraces;
  private final Optional<SpendSource> spend;
  private final ScheduledExecutorService housekeeping;
  private final Optional<CallHistory> history;
  private final RoutingState state;
  private final Budgets budgets;
  private final Optional<WarmStart.Restored> restored;
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
      PerformanceMonitor monitor,
      GatewayTracing tracing,
      RecentTraces recentTraces,
      Optional<SpendSource> spend,
      ScheduledExecutorService housekeeping,
      Storage storage) {
    this.config = config;
    this.providers = providers;
    this.startProblems = List.copyOf(startProblems);
    this.router = router;
    this.management = management;
    this.metrics = metrics;
    this.catalog = catalog;
    this.failures = failures;
    this.breakers = breakers;
    this.monitor = monitor;
    this.tracing = tracing;
    this.recentTraces = recentTraces;
    this.spend = spend;
    this.housekeeping = housekeeping;
    this.history = storage.history();
    this.state = storage.state();
    this.budgets = storage.budgets();
    this.restored = storage.restored();
  }

  /** What the runtime keeps beyond routing: the history, the shared state, budgets. */
  private record Storage(
      Optional<CallHistory> history,
      RoutingState state,
      Budgets budgets,
      Optional<WarmStart.Restored> restored) {}

  /**
   * Starts every configured provider and wires the rest. A provider that cannot start (a model
   * folder that is gone, say) is left out and reported in {@link #startProblems()}: one broken
   * provider must not keep the others from serving.
   */
  public static GatewayRuntime start(GatewayConfig config) {
    return start(config, RuntimeOptions.defaults());
  }

  /**
   * Starts as {@link #start(GatewayConfig)} does, with the tracing and spend source of {@code
   * options} where they are given.
   */
  public static GatewayRuntime start(GatewayConfig config, RuntimeOptions options) {
    return start(config, options, false);
  }

  /**
   * Starts as {@link #start(GatewayConfig)} does, with the history and the routing state of {@code
   * storage}: the history is opened (and migrated), the monitor and the failure registry warm-start
   * from it, every call and reset is written to it, spend per key is read from it, and routing
   * changes are shared with the other replicas through the routing state. What {@code mm serve}
   * runs.
   *
   * @throws IllegalStateException when the history cannot be opened
   */
  public static GatewayRuntime startPersistent(GatewayConfig config) {
    return start(config, RuntimeOptions.defaults(), true);
  }

  private static GatewayRuntime start(
      GatewayConfig config, RuntimeOptions options, boolean persistent) {
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
    InMemoryFailureRegistry local = new InMemoryFailureRegistry(config.fallback());
    ModelCircuitBreakers breakers = new ModelCircuitBreakers(config.circuitBreaker(), time);
    Optional<CallHistory> history =
        persistent
            ? Optional.of(
                dev.tta.models.store.Storage.openHistory(
                    config.storage().history(),
                    new HistorySettings(
                        config.storage().retention(), HistorySettings.DEFAULT_QUEUE_CAPACITY),
                    time,
                    metrics.registry()))
            : Optional.empty();
    Optional<WarmStart.Restored> restored =
        history.map(
            h ->
                WarmStart.restore(
                    h,
                    time.instant(),
                    config.fallback().failureRetention(),
                    monitor,
                    local,
                    breakers));
    restored.ifPresent(
        r ->
            LOG.info(
                "warm start from {}: {} calls, {} resets; excluded now: {}",
                history.get().description(),
                r.calls(),
                r.resets(),
                r.excluded()));
    RoutingState state =
        persistent
            ? dev.tta.models.store.Storage.openState(config.storage().state())
            : new InMemoryRoutingState();
    SharedRouting shared = new SharedRouting(local, breakers, state, time);
    FailureRegistry failures =
        history.<FailureRegistry>map(h -> new ResetRecorder(shared, h, time)).orElse(shared);
    Budgets budgets =
        new Budgets(
            config.auth().budgets(),
            state,
            history.<SpendLedger>map(h -> h).orElse(NO_SPEND),
            time);
    shared.start();
    Map<ProviderId, AttemptTimeouts> timeouts = new HashMap<>();
    for (ProviderSettings settings : config.providers()) {
      timeouts.put(settings.id(), settings.attemptTimeouts());
    }
    metrics.watch(breakers);
    GatewayTracing tracing =
        options.tracing().orElseGet(() -> GatewayTracing.start(config.telemetry()));
    RecentTraces recentTraces = new RecentTraces(RecentTraces.DEFAULT_CAPACITY);
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
            .listener(listeners(metrics, recentTraces, tracing, recorder(history, budgets)))
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
        monitor,
        tracing,
        recentTraces,
        options.spend().or(() -> history.map(HistorySpend::new)),
        housekeeping,
        new Storage(history, state, budgets, restored));
  }

  /** The ledger of a runtime without a history: nothing was spent before it started. */
  private static final SpendLedger NO_SPEND =
      new SpendLedger() {
        @Override
        public double spent(String client, Instant from, Instant to) {
          return 0;
        }

        @Override
        public Map<String, Double> spentByClient(Instant from, Instant to) {
          return Map.of();
        }
      };

  /** For every recorded call: its history entry and its cost against its key's budget. */
  private static RoutingListener recorder(Optional<CallHistory> history, Budgets budgets) {
    return event -> {
      if (event instanceof RoutingEvent.CallRecorded recorded) {
        history.ifPresent(
            h ->
                h.append(
                    new HistoryEntry.Call(recorded.call(), recorded.attempt(), recorded.origin())));
        recorded
            .origin()
            .client()
            .ifPresent(
                client ->
                    budgets.spend(client, recorded.call().costUsd(), recorded.call().finishedAt()));
      }
    };
  }

  /**
   * Every reader of routing events, each on its own: one that throws does not keep the events from
   * the others. Tracing, when off, is not among them.
   */
  private static RoutingListener listeners(
      GatewayMetrics metrics,
      RecentTraces recentTraces,
      GatewayTracing tracing,
      RoutingListener recorder) {
    List<RoutingListener> all = new ArrayList<>(List.of(metrics, recentTraces, recorder));
    if (tracing.enabled()) {
      all.add(tracing.listener());
    }
    List<RoutingListener> listeners = List.copyOf(all);
    return event -> {
      for (RoutingListener listener : listeners) {
        try {
          listener.on(event);
        } catch (RuntimeException e) {
          LOG.warn("routing listener failed on {}", event.getClass().getSimpleName(), e);
        }
      }
    };
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

  /** Every provider call's measurements. */
  public PerformanceMonitor monitor() {
    return monitor;
  }

  /** The request and attempt spans, or {@link GatewayTracing#OFF}. */
  public GatewayTracing tracing() {
    return tracing;
  }

  /** The last requests' routing. */
  public RecentTraces recentTraces() {
    return recentTraces;
  }

  /** Spend per API key, when a history store is configured. */
  public Optional<SpendSource> spend() {
    return spend;
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

  /** The history calls are written to; empty for a runtime started without storage. */
  public Optional<CallHistory> history() {
    return history;
  }

  /** The state shared with other replicas (this process's memory by default). */
  public RoutingState routingState() {
    return state;
  }

  public Budgets budgets() {
    return budgets;
  }

  /** What the warm start restored; empty without a history. */
  public Optional<WarmStart.Restored> restored() {
    return restored;
  }

  /**
   * Waits (at most {@link #HISTORY_WAIT}) until every call recorded so far is in the history, so
   * that an answer is acknowledged only once its calls would survive the process being killed.
   * Returns at once without a history; a history that is slow or down delays no answer longer.
   */
  public void awaitHistory() {
    if (history.isEmpty()) {
      return;
    }
    try {
      if (!history.get().awaitWritten(HISTORY_WAIT)) {
        LOG.debug("history not written within {}; answering anyway", HISTORY_WAIT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closes every provider (unloading local models), the history and the state; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      housekeeping.shutdownNow();
      tracing.close();
      history.ifPresent(CallHistory::close);
      state.close();
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

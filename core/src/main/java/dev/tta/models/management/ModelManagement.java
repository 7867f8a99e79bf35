package dev.tta.models.management;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.fallback.FailureRegistry;
import dev.tta.models.fallback.FailureStatistics;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.hardware.HardwareRecommender;
import dev.tta.models.hardware.ModelFit;
import dev.tta.models.internal.Checks;
import dev.tta.models.monitoring.DurationStats;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.routing.ModelRouter;
import dev.tta.models.routing.ProviderRegistry;
import dev.tta.models.routing.RouteRequest;
import dev.tta.models.routing.RoutedResponse;
import dev.tta.models.selection.CatalogCache;
import dev.tta.models.selection.ScoredCandidate;
import dev.tta.models.selection.Selection;
import dev.tta.models.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What an operator can ask of and do to a running set of providers: listings, recommendations,
 * status, measurements, failure statistics, loading and unloading, the free-model filter. Plain
 * library code over the router and its collaborators; the HTTP API is a thin layer over it.
 * Thread-safe.
 */
public final class ModelManagement {

  /** What a connectivity test sends: one word, one token back, so that it costs next to nothing. */
  static final ChatRequest CONNECTIVITY_PROBE =
      ChatRequest.builder().addMessage(ChatMessage.user("ping")).maxTokens(1).build();

  private final ProviderRegistry providers;
  private final ModelRouter router;
  private final PerformanceMonitor monitor;
  private final FailureRegistry failures;
  private final ModelCircuitBreakers breakers;
  private final CatalogCache catalogCache;
  private final Supplier<Optional<HardwareProfile>> hardware;
  private final HardwareRecommender recommender;
  private final Duration connectivityTimeout;
  private final TimeSource time;
  private final Instant startedAt;
  private final Map<ModelKey, ModelInstance> loaded = new ConcurrentHashMap<>();

  private ModelManagement(Builder builder) {
    this.providers = Checks.notNull(builder.providers, "providers");
    this.router = Checks.notNull(builder.router, "router");
    this.monitor = Checks.notNull(builder.monitor, "monitor");
    this.failures = Checks.notNull(builder.failures, "failures");
    this.breakers = Checks.notNull(builder.breakers, "breakers");
    this.catalogCache = Checks.notNull(builder.catalogCache, "catalog_cache");
    this.hardware = Checks.notNull(builder.hardware, "hardware");
    this.recommender = Checks.notNull(builder.recommender, "recommender");
    this.connectivityTimeout = Checks.notNull(builder.connectivityTimeout, "connectivity_timeout");
    this.time = Checks.notNull(builder.time, "time");
    this.startedAt = time.instant();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Serves a request through the router, with its fallbacks. */
  public RoutedResponse generate(RouteRequest request) {
    return router.chat(request);
  }

  /**
   * Every model on offer now, optionally of one provider and free ones only.
   *
   * @throws ManagementException.UnknownProvider when {@code provider} names none configured
   */
  public List<ModelSummary> availableModels(Optional<String> provider, boolean freeOnly) {
    Optional<ProviderId> wanted = provider.map(this::providerId);
    return router.catalog().stream()
        .filter(m -> wanted.isEmpty() || m.providerId().equals(wanted.get()))
        .filter(m -> !freeOnly || m.free())
        .map(ModelSummary::of)
        .toList();
  }

  public List<ModelSummary> freeModels() {
    return availableModels(Optional.empty(), true);
  }

  /** Models whose larger per-token price is at most {@code maxCostPerToken}, cheapest first. */
  public List<ModelSummary> affordableModels(double maxCostPerToken) {
    Checks.notNegative(maxCostPerToken, "max_cost_per_token");
    return router.catalog().stream()
        .filter(m -> m.effectiveCostPerToken() <= maxCostPerToken)
        .sorted(Comparator.comparingDouble(ModelInfo::effectiveCostPerToken))
        .map(ModelSummary::of)
        .toList();
  }

  /** The free models of providers of the OpenRouter type. */
  public List<ModelSummary> openRouterFreeModels() {
    return router.catalog().stream()
        .filter(m -> m.providerType().equals(ProviderType.OPENROUTER) && m.free())
        .map(ModelSummary::of)
        .toList();
  }

  /**
   * The selector's ranking for the requirements, at most {@code limit} models. When the machine's
   * hardware is known, each local model carries the hardware recommender's judgement, and those
   * judged not to fit are listed apart instead of recommended.
   */
  public Recommendations recommend(ModelRequirements requirements, int limit) {
    Checks.positive(limit, "limit");
    Selection selection = router.select(requirements);
    Optional<HardwareProfile> machine = hardware.get();
    Map<ModelKey, ModelFit> fits = new HashMap<>();
    machine.ifPresent(
        profile -> {
          List<ModelInfo> ranked = selection.ranked().stream().map(ScoredCandidate::model).toList();
          for (ModelFit fit : recommender.recommend(profile, ranked)) {
            fits.put(fit.model().key(), fit);
          }
        });
    List<Recommendation> recommended = new ArrayList<>();
    List<Recommendation> notFitting = new ArrayList<>();
    for (ScoredCandidate candidate : selection.ranked()) {
      Optional<Recommendation.HardwareFit> fit =
          Optional.ofNullable(fits.get(candidate.model().key()))
              .map(
                  f ->
                      new Recommendation.HardwareFit(
                          f.requiredBytes(), f.availableBytes(), f.fits(), f.reason()));
      ModelSummary model = ModelSummary.of(candidate.model());
      if (!fit.map(Recommendation.HardwareFit::fits).orElse(true)) {
        notFitting.add(new Recommendation(notFitting.size() + 1, model, candidate.score(), fit));
      } else if (recommended.size() < limit) {
        recommended.add(new Recommendation(recommended.size() + 1, model, candidate.score(), fit));
      }
    }
    return new Recommendations(requirements.taskType().wireName(), recommended, notFitting);
  }

  /**
   * Makes one tiny real call to the model, straight to its provider (not through the router, so
   * that neither fallback nor the measurements are involved), and reports how it went.
   *
   * @throws ManagementException.UnknownModel when no provider offers the model
   */
  public ConnectivityResult testConnectivity(ModelKey model) {
    ModelProvider provider = providerOf(model);
    requireOffered(model);
    long start = time.nanoTime();
    try {
      ModelInstance instance = provider.load(model.modelId(), LoadOptions.DEFAULTS);
      String answer =
          instance.chat(CONNECTIVITY_PROBE, CallOptions.withTimeout(connectivityTimeout)).text();
      return new ConnectivityResult(
          model.toString(), true, elapsedMs(start), Optional.empty(), answer);
    } catch (ProviderException e) {
      return new ConnectivityResult(
          model.toString(),
          false,
          elapsedMs(start),
          Optional.of(e.errorClass().wireName()),
          e.getMessage());
    } catch (RuntimeException e) {
      return new ConnectivityResult(
          model.toString(),
          false,
          elapsedMs(start),
          Optional.of("unavailable"),
          "provider failed unexpectedly (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Providers with their health and model counts, loaded models and uptime. */
  public SystemStatus status() {
    Map<ProviderId, Integer> counts = new HashMap<>();
    for (ModelInfo model : router.catalog()) {
      counts.merge(model.providerId(), 1, Integer::sum);
    }
    Map<ProviderId, String> out = failures.providersOut(time.instant());
    List<ProviderStatus> statuses = new ArrayList<>();
    int healthy = 0;
    for (ModelProvider provider : providers.all()) {
      ProviderHealth health = provider.health();
      healthy += health.healthy() ? 1 : 0;
      statuses.add(
          new ProviderStatus(
              provider.id().value(),
              provider.type().name(),
              provider.type().local(),
              health.healthy(),
              health.detail(),
              counts.getOrDefault(provider.id(), 0),
              Optional.ofNullable(out.get(provider.id()))));
    }
    Instant now = time.instant();
    return new SystemStatus(
        startedAt,
        Duration.between(startedAt, now).toSeconds(),
        healthy,
        statuses,
        loaded.keySet().stream().sorted().map(ModelKey::toString).toList());
  }

  /** Healthy when every provider answers, degraded when some do, unhealthy when none does. */
  public Health health() {
    int total = providers.all().size();
    int healthy = (int) providers.all().stream().filter(p -> p.health().healthy()).count();
    String status = healthy == total ? "healthy" : healthy > 0 ? "degraded" : "unhealthy";
    return new Health(status, healthy, total);
  }

  /**
   * Loads the model on its provider.
   *
   * @throws ManagementException.UnknownProvider when its provider is not configured
   * @throws ManagementException.UnknownModel when the provider has no such model
   */
  public LoadedModel load(ModelKey model, LoadOptions options) {
    ModelProvider provider = providerOf(model);
    ModelInstance instance;
    try {
      instance = provider.load(model.modelId(), options);
    } catch (ProviderException.ModelNotFound e) {
      throw new ManagementException.UnknownModel(
          model.toString(), "is not offered by provider " + model.provider());
    }
    loaded.put(model, instance);
    return new LoadedModel(model.toString(), instance.status().wireName());
  }

  /**
   * Releases the model on its provider.
   *
   * @return whether it had been loaded through {@link #load}
   * @throws ManagementException.UnknownProvider when its provider is not configured
   */
  public boolean unload(ModelKey model) {
    providerOf(model).unload(model.modelId());
    return loaded.remove(model) != null;
  }

  /**
   * The model's measurements over the window; zero calls when it has not been called in it.
   *
   * @throws ManagementException.UnknownModel when neither the catalog nor the monitor knows it
   */
  public PerformanceReport modelPerformance(ModelKey model, TimeWindow window) {
    Optional<ModelStats> stats = monitor.modelStats(model, window);
    if (stats.isEmpty()) {
      requireOffered(model);
    }
    return PerformanceReport.of(
        windowName(window),
        stats.orElseGet(
            () ->
                new ModelStats(
                    window,
                    0,
                    0,
                    DurationStats.EMPTY,
                    DurationStats.EMPTY,
                    0,
                    0,
                    0,
                    0,
                    0,
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    OptionalDouble.empty(),
                    Map.of())));
  }

  public SystemPerformance systemPerformance(TimeWindow window) {
    String name = windowName(window);
    Map<String, PerformanceReport> byProvider = new TreeMap<>();
    monitor
        .providerStats(window)
        .forEach(
            (provider, stats) ->
                byProvider.put(provider.value(), PerformanceReport.of(name, stats)));
    Map<String, Long> byTask = new TreeMap<>();
    monitor.callsByTask(window).forEach((task, calls) -> byTask.put(task.wireName(), calls));
    return new SystemPerformance(
        PerformanceReport.of(name, monitor.systemStats(window)), byProvider, byTask);
  }

  public FallbackStatistics fallbackStatistics() {
    FailureStatistics stats = failures.statistics(time.instant());
    return new FallbackStatistics(
        stats.totalFailures(),
        byName(stats.byModel(), ModelKey::toString),
        byName(stats.byProvider(), ProviderId::value),
        byName(stats.byErrorClass(), e -> e.wireName()),
        stats.excludedModels().stream().map(ModelKey::toString).toList(),
        byName(stats.providersOut(), ProviderId::value),
        breakers.openCircuits().stream().sorted().map(ModelKey::toString).toList());
  }

  /**
   * Forgets the model's failures and closes its circuit, so that it is a candidate again at once.
   *
   * @throws ManagementException.UnknownProvider when its provider is not configured
   */
  public void resetFailures(ModelKey model) {
    providerOf(model);
    failures.resetModel(model);
    breakers.reset(model);
  }

  /**
   * Brings a provider back at once: lifts its being out of service (a refused credential) and
   * resets every one of its models as {@link #resetFailures} does.
   *
   * @throws ManagementException.UnknownProvider when it is not configured
   */
  public void resetProvider(ProviderId provider) {
    ModelProvider configured =
        providers
            .get(provider)
            .orElseThrow(() -> new ManagementException.UnknownProvider(provider.value()));
    failures.resetProvider(configured.id());
    for (ModelInfo model : router.catalog()) {
      if (model.providerId().equals(provider)) {
        failures.resetModel(model.key());
        breakers.reset(model.key());
      }
    }
  }

  /** The filter of every provider that has one, in configuration order. */
  public List<ProviderFreeFilter> freeModelFilters() {
    return filterControls(Optional.empty()).entrySet().stream()
        .map(e -> new ProviderFreeFilter(e.getKey().value(), e.getValue().freeModelFilter()))
        .toList();
  }

  /**
   * Sets the filter on the named provider, or on every provider that has one, and drops their
   * cached listings so that the next selection sees the change.
   *
   * @throws ManagementException.UnknownProvider when {@code provider} names none configured
   * @throws ManagementException.Unsupported when no (or not the named) provider has a filter
   */
  public List<ProviderFreeFilter> setFreeModelFilter(
      FreeModelFilter filter, Optional<String> provider) {
    Checks.notNull(filter, "filter");
    Map<ProviderId, FreeModelFilterControl> controls =
        filterControls(provider.map(this::providerId));
    controls.forEach(
        (id, control) -> {
          control.freeModelFilter(filter);
          catalogCache.refresh(id);
        });
    return controls.keySet().stream()
        .map(id -> new ProviderFreeFilter(id.value(), controls.get(id).freeModelFilter()))
        .toList();
  }

  /** Ranks the catalog for the requirements as a request would see it now, and says why. */
  public SelectionExplanation explain(ModelRequirements requirements) {
    Selection selection = router.select(requirements);
    List<SelectionExplanation.Ranked> ranked = new ArrayList<>();
    for (ScoredCandidate candidate : selection.ranked()) {
      ranked.add(
          new SelectionExplanation.Ranked(
              ranked.size() + 1,
              candidate.model().key().toString(),
              candidate.score(),
              candidate.terms().stream()
                  .map(t -> new SelectionExplanation.Term(t.name(), t.value(), t.derivation()))
                  .toList()));
    }
    List<SelectionExplanation.Dropped> dropped =
        selection.dropped().stream()
            .map(
                d ->
                    new SelectionExplanation.Dropped(
                        d.model().key().toString(),
                        d.rule().name().toLowerCase(Locale.ROOT),
                        d.detail()))
            .toList();
    return new SelectionExplanation(
        selection.requirementsText(), ranked, dropped, selection.explain());
  }

  /** The wire name of a window: {@code 1m}, {@code 1h} or {@code 1d}. */
  public static String windowName(TimeWindow window) {
    return switch (window) {
      case ONE_MINUTE -> "1m";
      case ONE_HOUR -> "1h";
      case ONE_DAY -> "1d";
    };
  }

  /**
   * The window of a wire name.
   *
   * @throws IllegalArgumentException naming the field {@code window} and the allowed names
   */
  public static TimeWindow window(String name) {
    for (TimeWindow window : TimeWindow.values()) {
      if (windowName(window).equals(name)) {
        return window;
      }
    }
    throw new IllegalArgumentException("window: must be one of 1m, 1h, 1d, was '" + name + "'");
  }

  private Map<ProviderId, FreeModelFilterControl> filterControls(Optional<ProviderId> only) {
    Map<ProviderId, FreeModelFilterControl> controls = new LinkedHashMap<>();
    for (ModelProvider provider : providers.all()) {
      if (provider instanceof FreeModelFilterControl control
          && only.map(provider.id()::equals).orElse(true)) {
        controls.put(provider.id(), control);
      }
    }
    if (controls.isEmpty() && only.isPresent()) {
      throw new ManagementException.Unsupported(
          "provider: '" + only.get() + "' has no free-model filter");
    }
    if (controls.isEmpty()) {
      throw new ManagementException.Unsupported(
          "no configured provider has a free-model filter (OpenRouter has one)");
    }
    return controls;
  }

  private static <K, V> Map<String, V> byName(Map<K, V> values, Function<K, String> name) {
    Map<String, V> named = new TreeMap<>();
    values.forEach((key, value) -> named.put(name.apply(key), value));
    return named;
  }

  private ProviderId providerId(String name) {
    ProviderId id;
    try {
      id = ProviderId.of(name);
    } catch (IllegalArgumentException e) {
      throw new ManagementException.UnknownProvider(name);
    }
    if (providers.get(id).isEmpty()) {
      throw new ManagementException.UnknownProvider(name);
    }
    return id;
  }

  private ModelProvider providerOf(ModelKey model) {
    return providers
        .get(model.provider())
        .orElseThrow(() -> new ManagementException.UnknownProvider(model.provider().value()));
  }

  private void requireOffered(ModelKey model) {
    providerOf(model);
    boolean offered = router.catalog().stream().anyMatch(m -> m.key().equals(model));
    if (!offered) {
      throw new ManagementException.UnknownModel(
          model.toString(), "is not offered by provider " + model.provider());
    }
  }

  private long elapsedMs(long startNanos) {
    return Duration.ofNanos(time.nanoTime() - startNanos).toMillis();
  }

  /**
   * Assembles the façade from the same collaborators the router was built with; all are required
   * except hardware (none known), the recommender (default margin), the connectivity timeout (10 s)
   * and time (the system clock).
   */
  public static final class Builder {
    private ProviderRegistry providers;
    private ModelRouter router;
    private PerformanceMonitor monitor;
    private FailureRegistry failures;
    private ModelCircuitBreakers breakers;
    private CatalogCache catalogCache;
    private Supplier<Optional<HardwareProfile>> hardware = Optional::empty;
    private HardwareRecommender recommender = new HardwareRecommender();
    private Duration connectivityTimeout = Duration.ofSeconds(10);
    private TimeSource time = TimeSource.system();

    private Builder() {}

    public Builder providers(ProviderRegistry providers) {
      this.providers = providers;
      return this;
    }

    public Builder router(ModelRouter router) {
      this.router = router;
      return this;
    }

    public Builder monitor(PerformanceMonitor monitor) {
      this.monitor = monitor;
      return this;
    }

    public Builder failures(FailureRegistry failures) {
      this.failures = failures;
      return this;
    }

    public Builder circuitBreakers(ModelCircuitBreakers breakers) {
      this.breakers = breakers;
      return this;
    }

    /** The cache the router reads, so that a filter change reaches the next selection. */
    public Builder catalogCache(CatalogCache catalogCache) {
      this.catalogCache = catalogCache;
      return this;
    }

    public Builder hardware(Supplier<Optional<HardwareProfile>> hardware) {
      this.hardware = hardware;
      return this;
    }

    public Builder recommender(HardwareRecommender recommender) {
      this.recommender = recommender;
      return this;
    }

    public Builder connectivityTimeout(Duration timeout) {
      this.connectivityTimeout = timeout;
      return this;
    }

    public Builder time(TimeSource time) {
      this.time = time;
      return this;
    }

    public ModelManagement build() {
      return new ModelManagement(this);
    }
  }
}

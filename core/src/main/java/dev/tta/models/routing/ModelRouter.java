package dev.tta.models.routing;

import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.chat.Usage;
import dev.tta.models.fallback.FailureRegistry;
import dev.tta.models.fallback.FallbackPolicy;
import dev.tta.models.fallback.FallbackState;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.internal.Checks;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.selection.CatalogCache;
import dev.tta.models.selection.DroppedModel;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.ScoredCandidate;
import dev.tta.models.selection.Selection;
import dev.tta.models.selection.SelectionSnapshot;
import dev.tta.models.time.Alarms;
import dev.tta.models.time.Sleeper;
import dev.tta.models.time.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a request with the best model that can serve it: plans the candidates (by requirements, an
 * explicit chain, or a model and its configured fallbacks), calls them one at a time through their
 * circuit breakers, asks the {@link FallbackPolicy} after each failure whether to retry, move on or
 * stop, and records every call in the {@link PerformanceMonitor}, whose measurements feed the next
 * selection. One end-to-end deadline covers all attempts; each attempt also has its own limits
 * ({@link AttemptTimeouts}). The loop itself is a {@link RoutingSession} per request. Thread-safe;
 * one router serves all requests.
 */
public final class ModelRouter {

  /** How long a snapshot of the monitor's measurements is reused before it is read again. */
  public static final Duration MEASUREMENT_REFRESH = Duration.ofSeconds(1);

  /** The window whose measurements selection and fallback read. */
  public static final TimeWindow MEASUREMENT_WINDOW = TimeWindow.ONE_HOUR;

  /** First tokens measured before their 95th percentile is trusted to start a hedge. */
  public static final int HEDGE_MIN_SAMPLES = 20;

  /**
   * The capability a model must declare to be ranked for, or fall back to, a request with tools.
   */
  public static final String TOOLS_CAPABILITY = "tools";

  private static final Logger LOG = LoggerFactory.getLogger(ModelRouter.class);

  private final ProviderRegistry providers;
  private final CatalogCache catalogCache;
  private final ModelSelector selector;
  private final FallbackPolicy policy;
  private final FailureRegistry failures;
  private final ModelCircuitBreakers breakers;
  private final PerformanceMonitor monitor;
  private final Map<ModelKey, List<ModelKey>> configuredFallbacks;
  private final Supplier<Optional<HardwareProfile>> hardware;
  private final Function<ModelInfo, AttemptTimeouts> timeouts;
  private final TimeSource time;
  private final Sleeper sleeper;
  private final Alarms alarms;
  private final RoutingListener listener;
  private final AtomicReference<TimedMeasurements> measurements = new AtomicReference<>();
  private final ConcurrentMap<ModelKey, AssistantPrefill> refusedPrefill =
      new ConcurrentHashMap<>();

  private record TimedMeasurements(long readAtNanos, Map<ModelKey, ModelStats> stats) {}

  private ModelRouter(Builder builder) {
    this.providers = Checks.notNull(builder.providers, "providers");
    this.time = Checks.notNull(builder.time, "time");
    this.catalogCache =
        builder.catalogCache != null
            ? builder.catalogCache
            : new CatalogCache(time, CatalogCache.DEFAULT_TIME_TO_LIVE);
    this.selector = Checks.notNull(builder.selector, "selector");
    this.policy = Checks.notNull(builder.policy, "policy");
    this.failures = Checks.notNull(builder.failures, "failures");
    this.breakers = Checks.notNull(builder.breakers, "breakers");
    this.monitor = Checks.notNull(builder.monitor, "monitor");
    this.configuredFallbacks = Map.copyOf(builder.configuredFallbacks);
    this.hardware = builder.hardware;
    this.timeouts = Checks.notNull(builder.timeouts, "timeouts");
    this.sleeper = Checks.notNull(builder.sleeper, "sleeper");
    this.alarms = Checks.notNull(builder.alarms, "alarms");
    this.listener = Checks.notNull(builder.listener, "listener");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Serves a non-streamed request.
   *
   * @throws RoutingException.NoEligibleModel when no model may be called
   * @throws RoutingException.AllCandidatesFailed when the policy stopped after a failure (a
   *     cancelled request ends so too, its last error {@link ProviderException.Cancelled})
   */
  public RoutedResponse chat(RouteRequest request) {
    RoutingSession session = open(request);
    try {
      return session.serve(new ChatCall());
    } finally {
      session.finish();
    }
  }

  /**
   * Opens a streamed answer. Returns once the first chunk with output has arrived, so that any
   * failure before it falls back to the next model without the caller noticing. A stream that
   * breaks after it (a cut connection, a stall past its limit, an error inside the stream, a chunk
   * that cannot be read) is continued on the next candidate, or on the same model when it is the
   * only one, from the text already delivered (see {@link RoutedStream}). With {@link
   * RouteRequest#hedge()}, a first token later than the model's measured 95th percentile starts the
   * next candidate as well, and the first to produce a token serves.
   *
   * @throws RoutingException.NoEligibleModel when no model may be called
   * @throws RoutingException.AllCandidatesFailed when the policy stopped after a failure
   */
  public RoutedStream stream(RouteRequest request) {
    RoutingSession session = open(request);
    StreamSegment first;
    try {
      first = session.serve(StreamOpening.fresh());
    } catch (RuntimeException e) {
      session.finish();
      throw e;
    }
    return new RoutedStream(session, first);
  }

  /** Ranks the catalog for the requirements as a request would see it now, with its explanation. */
  public Selection select(ModelRequirements requirements) {
    Map<ModelKey, ModelInfo> catalog = catalogByKey();
    Map<ModelKey, ModelStats> stats = measurements();
    FallbackState state = fallbackState(stats);
    return selector.select(
        List.copyOf(catalog.values()), requirements, selectionSnapshot(catalog, state, stats));
  }

  /** Every model every provider offers now (from the catalog cache). */
  public List<ModelInfo> catalog() {
    return List.copyOf(catalogByKey().values());
  }

  private RoutingSession open(RouteRequest request) {
    long startNanos = time.nanoTime();
    Duration budget = request.deadline().orElse(policy.config().requestDeadline());
    TraceBuilder trace = new TraceBuilder(time, startNanos);
    Map<ModelKey, ModelStats> stats = measurements();
    List<ModelInfo> candidates = plan(request, stats, trace);
    if (candidates.isEmpty()) {
      RoutingTrace failed = trace.build(Optional.empty());
      emit(new RoutingEvent.Failed(time.instant(), failed, "no eligible model"));
      throw new RoutingException.NoEligibleModel(failed);
    }
    return new RoutingSession(this, request, startNanos, budget, trace, stats, candidates);
  }

  /**
   * The requirements a candidate is checked against: the caller's, with the request's estimated
   * context, and the tools capability when the request offers tools. A model the caller named first
   * is checked without the tools capability: calling it is the caller's choice; ranking and
   * fallback only reach models that declare it.
   */
  private static ModelRequirements effective(RouteRequest request, boolean namedByCaller) {
    ModelRequirements requirements = request.requirements();
    ModelRequirements.Builder b =
        requirements.toBuilder()
            .contextLengthNeeded(
                Math.max(
                    requirements.contextLengthNeeded(), request.chat().estimatedContextTokens()));
    if (!namedByCaller && !request.chat().tools().isEmpty()) {
      List<String> capabilities = new ArrayList<>(requirements.requiredCapabilities());
      capabilities.add(TOOLS_CAPABILITY);
      b.requiredCapabilities(capabilities);
    }
    return b.build();
  }

  private List<ModelInfo> plan(
      RouteRequest request, Map<ModelKey, ModelStats> stats, TraceBuilder trace) {
    Map<ModelKey, ModelInfo> catalog = catalogByKey();
    FallbackState state = fallbackState(stats);
    SelectionSnapshot snapshot = selectionSnapshot(catalog, state, stats);
    return switch (request.source()) {
      case CandidateSource.ByRequirements ignored -> {
        Selection selection =
            selector.select(List.copyOf(catalog.values()), effective(request, false), snapshot);
        for (DroppedModel dropped : selection.dropped()) {
          skip(trace, dropped);
        }
        yield selection.ranked().stream().map(ScoredCandidate::model).toList();
      }
      case CandidateSource.ExplicitChain chain ->
          checkedChain(chain.models(), catalog, request, snapshot, trace);
      case CandidateSource.ConcreteModel concrete -> {
        List<ModelKey> chain = new ArrayList<>();
        chain.add(concrete.model());
        chain.addAll(configuredFallbacks.getOrDefault(concrete.model(), List.of()));
        yield checkedChain(chain, catalog, request, snapshot, trace);
      }
    };
  }

  private List<ModelInfo> checkedChain(
      List<ModelKey> keys,
      Map<ModelKey, ModelInfo> catalog,
      RouteRequest request,
      SelectionSnapshot snapshot,
      TraceBuilder trace) {
    List<ModelInfo> usable = new ArrayList<>();
    boolean first = true;
    for (ModelKey key : new LinkedHashSet<>(keys)) {
      ModelRequirements requirements = effective(request, first);
      first = false;
      ModelInfo model = catalog.get(key);
      if (model == null) {
        String reason =
            providers.get(key.provider()).isPresent()
                ? notOffered(key)
                : "no provider named " + key.provider();
        trace.skip(key, reason);
        emit(new RoutingEvent.Skipped(time.instant(), key, reason));
        continue;
      }
      Optional<DroppedModel> broken = selector.check(model, requirements, snapshot);
      if (broken.isPresent()) {
        skip(trace, broken.get());
      } else {
        usable.add(model);
      }
    }
    return usable;
  }

  /**
   * A model its provider's listing did not name: unknown to it, or, when that listing failed, not
   * known either way, which is the provider being unavailable rather than the client's mistake.
   */
  private String notOffered(ModelKey key) {
    return catalogCache
        .listingFailure(key.provider())
        .map(
            e ->
                "unavailable: provider "
                    + key.provider()
                    + " could not list its models ("
                    + e.errorClass().wireName()
                    + ": "
                    + e.getMessage()
                    + ")")
        .orElse("not offered by provider " + key.provider());
  }

  private void skip(TraceBuilder trace, DroppedModel dropped) {
    String reason = dropped.rule().name().toLowerCase(Locale.ROOT) + ": " + dropped.detail();
    trace.skip(dropped.model().key(), reason);
    emit(new RoutingEvent.Skipped(time.instant(), dropped.model().key(), reason));
  }

  private Map<ModelKey, ModelInfo> catalogByKey() {
    Map<ModelKey, ModelInfo> catalog = new LinkedHashMap<>();
    for (ModelProvider provider : providers.all()) {
      try {
        for (ModelInfo model : catalogCache.models(provider)) {
          catalog.putIfAbsent(model.key(), model);
        }
      } catch (ProviderException e) {
        LOG.debug(
            "provider {} could not list its models ({}): {}",
            provider.id(),
            e.errorClass().wireName(),
            e.getMessage());
      }
    }
    return catalog;
  }

  private SelectionSnapshot selectionSnapshot(
      Map<ModelKey, ModelInfo> catalog, FallbackState state, Map<ModelKey, ModelStats> stats) {
    Map<ModelKey, String> unavailable = new HashMap<>();
    for (ModelKey key : state.openCircuits()) {
      unavailable.put(
          key,
          state.excludedModels().contains(key)
              ? "circuit open (excluded after repeated failures)"
              : "circuit open");
    }
    for (ModelInfo model : catalog.values()) {
      String why = state.providersOut().get(model.providerId());
      if (why != null) {
        unavailable.put(model.key(), "provider out: " + why);
      }
    }
    return new SelectionSnapshot(stats, hardware.get(), unavailable);
  }

  FallbackState fallbackState(Map<ModelKey, ModelStats> stats) {
    return FallbackState.capture(failures, breakers, stats, time.instant());
  }

  private Map<ModelKey, ModelStats> measurements() {
    long now = time.nanoTime();
    TimedMeasurements cached = measurements.get();
    if (cached != null && now - cached.readAtNanos() < MEASUREMENT_REFRESH.toNanos()) {
      return cached.stats();
    }
    Map<ModelKey, ModelStats> fresh = Map.copyOf(monitor.allModelStats(MEASUREMENT_WINDOW));
    measurements.set(new TimedMeasurements(now, fresh));
    return fresh;
  }

  ModelProvider providerOf(ModelInfo model) {
    return providers
        .get(model.providerId())
        .orElseThrow(
            () ->
                new ProviderException.Unavailable(
                    model.providerId(),
                    model.id(),
                    "no provider named " + model.providerId() + " is configured",
                    null));
  }

  static ProviderException unexpected(ModelInfo model, RuntimeException e) {
    return new ProviderException.Unavailable(
        model.providerId(),
        model.id(),
        "provider failed unexpectedly (" + e.getClass().getSimpleName() + ")",
        e);
  }

  /**
   * Whether the model continues an answer sent as its last message: as declared, unless it refused
   * such a prefix since this router started.
   */
  AssistantPrefill assistantPrefill(ModelInfo model) {
    return refusedPrefill.getOrDefault(model.key(), model.assistantPrefill());
  }

  void prefillRefused(ModelInfo model) {
    refusedPrefill.put(model.key(), AssistantPrefill.UNSUPPORTED);
  }

  /** The model's measured time to first token, for hedging; empty with too few measurements. */
  Optional<Duration> timeToFirstTokenP95(ModelInfo model, Map<ModelKey, ModelStats> stats) {
    ModelStats measured = stats.get(model.key());
    if (measured == null || measured.timeToFirstToken().count() < HEDGE_MIN_SAMPLES) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(Math.round(measured.timeToFirstToken().p95Ms() * 1e6)));
  }

  void recordFailure(
      ModelInfo model,
      int attempt,
      RouteRequest request,
      ProviderException failure,
      Duration took) {
    Instant now = time.instant();
    if (failure.errorClass() == ErrorClass.CANCELLED) {
      breakers.release(model.key());
      return;
    }
    breakers.onFailure(model.key(), took, failure.errorClass());
    failures.recordFailure(model, failure.errorClass(), now);
    if (failures.isExcluded(model.key(), now)) {
      breakers.holdOpen(model.key());
    }
    if (failure.errorClass() == ErrorClass.AUTHENTICATION) {
      failures.markProviderOut(
          model.providerId(), "authentication failed: " + failure.getMessage(), now);
    }
    record(
        CallRecord.failure(
            model.key(), request.requirements().taskType(), now, took, failure.errorClass()),
        attempt,
        request);
  }

  private void record(CallRecord call, int attempt, RouteRequest request) {
    monitor.record(call);
    emit(new RoutingEvent.CallRecorded(call.finishedAt(), call, attempt, request.origin()));
  }

  void recordSuccess(
      ModelInfo model,
      int attempt,
      RouteRequest request,
      Duration took,
      Optional<Duration> timeToFirstToken,
      Optional<Usage> usage) {
    Instant now = time.instant();
    breakers.onSuccess(model.key(), took);
    failures.recordSuccess(model.key(), now);
    int prompt = usage.map(Usage::promptTokens).orElse(0);
    int completion = usage.map(Usage::completionTokens).orElse(0);
    double cost =
        usage
            .flatMap(u -> u.reportedCostUsd().isPresent() ? Optional.of(u) : Optional.empty())
            .map(u -> u.reportedCostUsd().getAsDouble())
            .orElse(prompt * model.inputCostPerToken() + completion * model.outputCostPerToken());
    record(
        CallRecord.success(
            model.key(),
            request.requirements().taskType(),
            now,
            took,
            timeToFirstToken,
            prompt,
            completion,
            cost),
        attempt,
        request);
  }

  void emit(RoutingEvent event) {
    try {
      listener.on(event);
    } catch (RuntimeException e) {
      LOG.warn("routing listener failed on {}", event.getClass().getSimpleName(), e);
    }
  }

  TimeSource time() {
    return time;
  }

  Alarms alarms() {
    return alarms;
  }

  Sleeper sleeper() {
    return sleeper;
  }

  FallbackPolicy policy() {
    return policy;
  }

  ModelCircuitBreakers breakers() {
    return breakers;
  }

  AttemptTimeouts timeoutsFor(ModelInfo model) {
    return timeouts.apply(model);
  }

  /** Assembles a router; every collaborator except the catalog cache and hardware is required. */
  public static final class Builder {
    private ProviderRegistry providers;
    private CatalogCache catalogCache;
    private ModelSelector selector;
    private FallbackPolicy policy;
    private FailureRegistry failures;
    private ModelCircuitBreakers breakers;
    private PerformanceMonitor monitor;
    private Map<ModelKey, List<ModelKey>> configuredFallbacks = Map.of();
    private Supplier<Optional<HardwareProfile>> hardware = Optional::empty;
    private Function<ModelInfo, AttemptTimeouts> timeouts =
        model -> AttemptTimeouts.defaults(model.local());
    private TimeSource time = TimeSource.system();
    private Sleeper sleeper = Sleeper.system();
    private Alarms alarms = Alarms.system();
    private RoutingListener listener = RoutingListener.NONE;

    private Builder() {}

    public Builder providers(ProviderRegistry providers) {
      this.providers = providers;
      return this;
    }

    public Builder catalogCache(CatalogCache catalogCache) {
      this.catalogCache = catalogCache;
      return this;
    }

    public Builder selector(ModelSelector selector) {
      this.selector = selector;
      return this;
    }

    public Builder policy(FallbackPolicy policy) {
      this.policy = policy;
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

    public Builder monitor(PerformanceMonitor monitor) {
      this.monitor = monitor;
      return this;
    }

    /** Where a concrete model goes when it fails, in order. */
    public Builder configuredFallbacks(Map<ModelKey, List<ModelKey>> fallbacks) {
      Map<ModelKey, List<ModelKey>> copy = new HashMap<>();
      fallbacks.forEach((model, chain) -> copy.put(model, List.copyOf(chain)));
      this.configuredFallbacks = copy;
      return this;
    }

    /** The machine's hardware for the hardware-fit bonus; read on every selection. */
    public Builder hardware(Supplier<Optional<HardwareProfile>> hardware) {
      this.hardware = Checks.notNull(hardware, "hardware");
      return this;
    }

    /**
     * Each model's per-attempt limits (its provider's); by default {@link AttemptTimeouts#defaults}
     * for a local or a remote model. A request's own limits go over these.
     */
    public Builder timeouts(Function<ModelInfo, AttemptTimeouts> timeouts) {
      this.timeouts = timeouts;
      return this;
    }

    /** What ends a stream's wait when a limit passes; a manual clock in tests. */
    public Builder alarms(Alarms alarms) {
      this.alarms = alarms;
      return this;
    }

    public Builder time(TimeSource time) {
      this.time = time;
      return this;
    }

    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = sleeper;
      return this;
    }

    public Builder listener(RoutingListener listener) {
      this.listener = listener;
      return this;
    }

    public ModelRouter build() {
      return new ModelRouter(this);
    }
  }
}

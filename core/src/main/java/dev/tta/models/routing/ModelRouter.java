package dev.tta.models.routing;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.Usage;
import dev.tta.models.fallback.FailureContext;
import dev.tta.models.fallback.FailureRegistry;
import dev.tta.models.fallback.FallbackDecision;
import dev.tta.models.fallback.FallbackPolicy;
import dev.tta.models.fallback.FallbackState;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.fallback.SkippedCandidate;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.internal.Checks;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.selection.CatalogCache;
import dev.tta.models.selection.DroppedModel;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.ScoredCandidate;
import dev.tta.models.selection.Selection;
import dev.tta.models.selection.SelectionSnapshot;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a request with the best model that can serve it: plans the candidates (by requirements, an
 * explicit chain, or a model and its configured fallbacks), calls them one at a time through their
 * circuit breakers, asks the {@link FallbackPolicy} after each failure whether to retry, move on or
 * stop, and records every call in the {@link PerformanceMonitor}, whose measurements feed the next
 * selection. One end-to-end deadline covers all attempts. Thread-safe; one router serves all
 * requests.
 */
public final class ModelRouter {

  /** How long a snapshot of the monitor's measurements is reused before it is read again. */
  public static final Duration MEASUREMENT_REFRESH = Duration.ofSeconds(1);

  /** The window whose measurements selection and fallback read. */
  public static final TimeWindow MEASUREMENT_WINDOW = TimeWindow.ONE_HOUR;

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
  private final TimeSource time;
  private final Sleeper sleeper;
  private final RoutingListener listener;
  private final AtomicReference<TimedMeasurements> measurements = new AtomicReference<>();

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
    this.sleeper = Checks.notNull(builder.sleeper, "sleeper");
    this.listener = Checks.notNull(builder.listener, "listener");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Serves a non-streamed request.
   *
   * @throws RoutingException.NoEligibleModel when no model may be called
   * @throws RoutingException.AllCandidatesFailed when the policy stopped after a failure
   */
  public RoutedResponse chat(RouteRequest request) {
    return route(request, new ChatCall());
  }

  /**
   * Opens a streamed answer. Returns once the first chunk with output has arrived, so that any
   * failure before it falls back to the next model without the caller noticing; after it, a failure
   * ends the stream with the provider's typed error.
   *
   * @throws RoutingException.NoEligibleModel when no model may be called
   * @throws RoutingException.AllCandidatesFailed when the policy stopped after a failure
   */
  public RoutedStream stream(RouteRequest request) {
    return route(request, new StreamCall());
  }

  /** Ranks the catalog for the requirements as a request would see it now, with its explanation. */
  public Selection select(ModelRequirements requirements) {
    Map<ModelKey, ModelInfo> catalog = catalogByKey();
    Map<ModelKey, ModelStats> stats = measurements();
    FallbackState state = fallbackState(time.instant(), stats);
    return selector.select(
        List.copyOf(catalog.values()), requirements, selectionSnapshot(catalog, state, stats));
  }

  /** Every model every provider offers now (from the catalog cache). */
  public List<ModelInfo> catalog() {
    return List.copyOf(catalogByKey().values());
  }

  private <T> T route(RouteRequest request, ModelCall<T> modelCall) {
    long startNanos = time.nanoTime();
    Duration budget = request.deadline().orElse(policy.config().requestDeadline());
    long deadlineNanos = startNanos + budget.toNanos();
    TraceBuilder trace = new TraceBuilder(time, startNanos);
    ModelRequirements requirements = withContextEstimate(request);
    Map<ModelKey, ModelStats> stats = measurements();
    List<ModelInfo> remaining = new ArrayList<>(plan(request.source(), requirements, stats, trace));
    if (remaining.isEmpty()) {
      RoutingTrace failed = trace.build(Optional.empty());
      emit(new RoutingEvent.Failed(time.instant(), failed, "no eligible model"));
      throw new RoutingException.NoEligibleModel(failed);
    }

    ModelInfo current = remaining.remove(0);
    int attemptsOnCurrent = 0;
    int attempts = 0;
    ProviderException lastError = null;
    while (true) {
      if (!breakers.tryAcquire(current.key())) {
        trace.skip(current.key(), "circuit open");
        emit(new RoutingEvent.Skipped(time.instant(), current.key(), "circuit open"));
        if (remaining.isEmpty()) {
          throw exhausted(trace, lastError, "every remaining candidate's circuit is open");
        }
        current = remaining.remove(0);
        attemptsOnCurrent = 0;
        continue;
      }
      long timeLeftNanos = deadlineNanos - time.nanoTime();
      if (timeLeftNanos <= 0) {
        breakers.release(current.key());
        String why = "the request deadline of " + budget.toMillis() + " ms has passed";
        throw exhausted(
            trace,
            new ProviderException.Timeout(current.providerId(), current.id(), why, null),
            why);
      }
      attemptsOnCurrent++;
      attempts++;
      emit(new RoutingEvent.AttemptStarted(time.instant(), current.key(), attempts));
      long attemptStart = time.nanoTime();
      ProviderException failure;
      try {
        ModelInstance instance = providerOf(current).load(current.id(), LoadOptions.DEFAULTS);
        return modelCall.call(
            new AttemptScope(
                request,
                current,
                attempts,
                attemptStart,
                trace,
                CallOptions.withTimeout(Duration.ofNanos(timeLeftNanos))),
            instance);
      } catch (ProviderException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = unexpected(current, e);
      }
      lastError = failure;
      Duration took = Duration.ofNanos(time.nanoTime() - attemptStart);
      recordFailure(current, request, failure, took);
      long leftAfter = deadlineNanos - time.nanoTime();
      FallbackDecision decision =
          policy.decide(
              new FailureContext(
                  current,
                  failure,
                  attemptsOnCurrent,
                  attempts,
                  Duration.ofNanos(Math.max(0, leftAfter)),
                  List.copyOf(remaining),
                  fallbackState(time.instant(), stats)));
      String described = describe(decision);
      trace.failed(attempts, current.key(), took, failure, described);
      emit(
          new RoutingEvent.AttemptFailed(
              time.instant(), current.key(), attempts, failure.errorClass(), described));
      switch (decision) {
        case FallbackDecision.RetrySame retry -> {
          emit(new RoutingEvent.Retried(time.instant(), current.key(), retry.delay()));
          try {
            sleeper.sleep(retry.delay());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw exhausted(
                trace,
                new ProviderException.Cancelled(
                    current.providerId(), current.id(), "interrupted while waiting to retry", e),
                "interrupted while waiting to retry");
          }
        }
        case FallbackDecision.TryNext next -> {
          skipAll(trace, remaining, next.skipped());
          remaining.remove(next.model());
          emit(
              new RoutingEvent.FellBack(
                  time.instant(), current.key(), next.model().key(), failure.errorClass()));
          current = next.model();
          attemptsOnCurrent = 0;
        }
        case FallbackDecision.Stop stop -> {
          skipAll(trace, remaining, stop.skipped());
          RoutingTrace failed = trace.build(Optional.empty());
          emit(new RoutingEvent.Failed(time.instant(), failed, stop.reason()));
          throw new RoutingException.AllCandidatesFailed(stop.reason(), failed, failure);
        }
      }
    }
  }

  private RoutingException exhausted(TraceBuilder trace, ProviderException lastError, String why) {
    RoutingTrace failed = trace.build(Optional.empty());
    emit(new RoutingEvent.Failed(time.instant(), failed, why));
    if (lastError == null) {
      return new RoutingException.NoEligibleModel(failed);
    }
    return new RoutingException.AllCandidatesFailed(why, failed, lastError);
  }

  private void skipAll(
      TraceBuilder trace, List<ModelInfo> remaining, List<SkippedCandidate> skipped) {
    for (SkippedCandidate skip : skipped) {
      trace.skip(skip.model(), skip.reason());
      emit(new RoutingEvent.Skipped(time.instant(), skip.model(), skip.reason()));
      remaining.removeIf(m -> m.key().equals(skip.model()));
    }
  }

  private static String describe(FallbackDecision decision) {
    return switch (decision) {
      case FallbackDecision.RetrySame retry ->
          "retry same after " + retry.delay().toMillis() + " ms: " + retry.reason();
      case FallbackDecision.TryNext next -> "try next " + next.model().key() + ": " + next.reason();
      case FallbackDecision.Stop stop -> "stop: " + stop.reason();
    };
  }

  private static ModelRequirements withContextEstimate(RouteRequest request) {
    ModelRequirements requirements = request.requirements();
    return requirements.toBuilder()
        .contextLengthNeeded(
            Math.max(requirements.contextLengthNeeded(), request.chat().estimatedContextTokens()))
        .build();
  }

  private List<ModelInfo> plan(
      CandidateSource source,
      ModelRequirements requirements,
      Map<ModelKey, ModelStats> stats,
      TraceBuilder trace) {
    Map<ModelKey, ModelInfo> catalog = catalogByKey();
    FallbackState state = fallbackState(time.instant(), stats);
    SelectionSnapshot snapshot = selectionSnapshot(catalog, state, stats);
    return switch (source) {
      case CandidateSource.ByRequirements ignored -> {
        Selection selection =
            selector.select(List.copyOf(catalog.values()), requirements, snapshot);
        for (DroppedModel dropped : selection.dropped()) {
          skip(trace, dropped);
        }
        yield selection.ranked().stream().map(ScoredCandidate::model).toList();
      }
      case CandidateSource.ExplicitChain chain ->
          checkedChain(chain.models(), catalog, requirements, snapshot, trace);
      case CandidateSource.ConcreteModel concrete -> {
        List<ModelKey> chain = new ArrayList<>();
        chain.add(concrete.model());
        chain.addAll(configuredFallbacks.getOrDefault(concrete.model(), List.of()));
        yield checkedChain(chain, catalog, requirements, snapshot, trace);
      }
    };
  }

  private List<ModelInfo> checkedChain(
      List<ModelKey> keys,
      Map<ModelKey, ModelInfo> catalog,
      ModelRequirements requirements,
      SelectionSnapshot snapshot,
      TraceBuilder trace) {
    List<ModelInfo> usable = new ArrayList<>();
    for (ModelKey key : new LinkedHashSet<>(keys)) {
      ModelInfo model = catalog.get(key);
      if (model == null) {
        String reason =
            providers.get(key.provider()).isPresent()
                ? "not offered by provider " + key.provider()
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
        LOG.warn(
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
      unavailable.put(key, "circuit open");
    }
    for (ModelKey key : state.excludedModels()) {
      unavailable.put(key, "excluded after repeated failures");
    }
    for (ModelInfo model : catalog.values()) {
      String why = state.providersOut().get(model.providerId());
      if (why != null) {
        unavailable.put(model.key(), "provider out: " + why);
      }
    }
    return new SelectionSnapshot(stats, hardware.get(), unavailable);
  }

  private FallbackState fallbackState(Instant now, Map<ModelKey, ModelStats> stats) {
    return FallbackState.capture(failures, breakers, stats, now);
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

  private ModelProvider providerOf(ModelInfo model) {
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

  private static ProviderException unexpected(ModelInfo model, RuntimeException e) {
    return new ProviderException.Unavailable(
        model.providerId(),
        model.id(),
        "provider failed unexpectedly (" + e.getClass().getSimpleName() + ")",
        e);
  }

  void recordFailure(
      ModelInfo model, RouteRequest request, ProviderException failure, Duration took) {
    Instant now = time.instant();
    if (failure.errorClass() == ErrorClass.CANCELLED) {
      breakers.release(model.key());
      return;
    }
    breakers.onFailure(model.key(), took, failure.errorClass());
    failures.recordFailure(model, failure.errorClass(), now);
    if (failure.errorClass() == ErrorClass.AUTHENTICATION) {
      failures.markProviderOut(
          model.providerId(), "authentication failed: " + failure.getMessage(), now);
    }
    monitor.record(
        CallRecord.failure(
            model.key(), request.requirements().taskType(), now, took, failure.errorClass()));
  }

  void recordSuccess(
      ModelInfo model,
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
    monitor.record(
        CallRecord.success(
            model.key(),
            request.requirements().taskType(),
            now,
            took,
            timeToFirstToken,
            prompt,
            completion,
            cost));
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

  /** What one attempt needs to know to call its model and report back. */
  record AttemptScope(
      RouteRequest request,
      ModelInfo model,
      int number,
      long startNanos,
      TraceBuilder trace,
      CallOptions options) {}

  /** The kind of call an attempt makes: the routing loop is the same for chat and streams. */
  private interface ModelCall<T> {
    T call(AttemptScope scope, ModelInstance instance);
  }

  private final class ChatCall implements ModelCall<RoutedResponse> {
    @Override
    public RoutedResponse call(AttemptScope scope, ModelInstance instance) {
      ChatResponse response = instance.chat(scope.request().chat(), scope.options());
      Duration took = Duration.ofNanos(time.nanoTime() - scope.startNanos());
      recordSuccess(scope.model(), scope.request(), took, Optional.empty(), response.usage());
      ModelKey served = scope.model().key();
      scope.trace().succeeded(scope.number(), served, took);
      emit(new RoutingEvent.AttemptSucceeded(time.instant(), served, scope.number(), took));
      RoutingTrace trace = scope.trace().build(Optional.of(served));
      emit(new RoutingEvent.Served(time.instant(), trace));
      return new RoutedResponse(response, served, trace);
    }
  }

  private final class StreamCall implements ModelCall<RoutedStream> {
    @Override
    public RoutedStream call(AttemptScope scope, ModelInstance instance) {
      ChatStream upstream = instance.stream(scope.request().chat(), scope.options());
      List<ChatChunk> firstChunks = new ArrayList<>();
      boolean ended = false;
      try {
        while (true) {
          Optional<ChatChunk> chunk = upstream.next();
          if (chunk.isEmpty()) {
            ended = true;
            break;
          }
          firstChunks.add(chunk.get());
          if (chunk.get().hasOutput() || chunk.get().finishReason().isPresent()) {
            break;
          }
        }
      } catch (RuntimeException e) {
        upstream.close();
        throw e;
      }
      Duration timeToFirstToken = Duration.ofNanos(time.nanoTime() - scope.startNanos());
      return new RoutedStream(
          ModelRouter.this, scope, upstream, firstChunks, ended, timeToFirstToken);
    }
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
    private TimeSource time = TimeSource.system();
    private Sleeper sleeper = Sleeper.system();
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

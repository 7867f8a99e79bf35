package dev.tta.models.monitoring;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.internal.Checks;
import dev.tta.models.time.TimeSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Measures every provider call: per model, per provider and for the whole system, over sliding
 * windows of a minute, an hour and a day ({@link TimeWindow}), with latency and time-to-first-token
 * percentiles from HdrHistogram; and publishes Micrometer meters named after the OpenTelemetry
 * GenAI semantic conventions.
 *
 * <p>Memory is bounded: at most {@link MonitorConfig#maxTrackedModels()} models (recording one more
 * evicts the model recorded least recently, with its meters), a fixed ring of buckets per window,
 * and histograms of a fixed range. Time comes only from the injected {@link TimeSource}: a call
 * counts in the bucket of its {@link CallRecord#finishedAt()}, and reads drop the buckets that
 * {@code time.instant()} has left behind.
 *
 * <p>Thread-safe. Recording locks the model's series and then the system series, each for a few
 * counter and histogram updates.
 */
public final class PerformanceMonitor {

  /** Precision of the histograms: values are exact to three significant digits (0.1 %). */
  public static final int SIGNIFICANT_DIGITS = 3;

  /** Timer, seconds: the duration of every call (OpenTelemetry GenAI semantic conventions). */
  public static final String OPERATION_DURATION = "gen_ai.client.operation.duration";

  /** Distribution summary, tokens per successful call, tagged input or output. */
  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";

  /** Timer, seconds: time to the first output of streamed successful calls. */
  public static final String TIME_TO_FIRST_TOKEN = "mm.time_to_first_token";

  /** Counter: calls, tagged with their outcome. */
  public static final String CALLS = "mm.calls";

  /** Counter, US dollars: what calls cost. */
  public static final String COST = "mm.cost";

  /** Counter: latencies above the highest trackable duration, recorded as that duration. */
  public static final String CLAMPED_VALUES = "mm.monitor.clamped_values";

  /** Counter: models evicted to stay within the tracked-model limit. */
  public static final String EVICTED_MODELS = "mm.monitor.evicted_models";

  /** Gauge: models tracked now. */
  public static final String TRACKED_MODELS = "mm.monitor.tracked_models";

  public static final String PROVIDER_NAME = "gen_ai.provider.name";
  public static final String REQUEST_MODEL = "gen_ai.request.model";
  public static final String OPERATION_NAME = "gen_ai.operation.name";
  public static final String OPERATION_CHAT = "chat";
  public static final String TOKEN_TYPE = "gen_ai.token.type";
  public static final String TOKEN_TYPE_INPUT = "input";
  public static final String TOKEN_TYPE_OUTPUT = "output";

  /**
   * The error class's wire name on failed calls; empty on successes. Prometheus requires every
   * series of a name to have the same label keys, and treats an empty label value as no label,
   * which is what the semantic conventions ask for on success.
   */
  public static final String ERROR_TYPE = "error.type";

  public static final String ERROR_TYPE_NONE = "";

  /** {@code success}, or the error class's wire name. */
  public static final String OUTCOME = "outcome";

  public static final String OUTCOME_SUCCESS = "success";

  private final TimeSource time;
  private final MonitorConfig config;
  private final MeterRegistry registry;
  private final DurationHistograms histograms;
  private final ConcurrentHashMap<ModelKey, Series> models = new ConcurrentHashMap<>();
  private final Series system;
  private final ReentrantLock admission = new ReentrantLock();
  private final AtomicLong recordedSequence = new AtomicLong();
  private final Counter evictedModels;

  public PerformanceMonitor(TimeSource time, MonitorConfig config, MeterRegistry registry) {
    this.time = Checks.notNull(time, "time");
    this.config = Checks.notNull(config, "config");
    this.registry = Checks.notNull(registry, "registry");
    this.histograms =
        new DurationHistograms(
            config.highestTrackableDuration(),
            Counter.builder(CLAMPED_VALUES)
                .description("Durations above the highest trackable one, recorded as that one")
                .register(registry));
    this.system = new Series(histograms, call -> {}, () -> {}, time.instant(), 0);
    this.evictedModels =
        Counter.builder(EVICTED_MODELS)
            .description("Models evicted to stay within the tracked-model limit")
            .register(registry);
    Gauge.builder(TRACKED_MODELS, models, Map::size)
        .description("Models measured now")
        .register(registry);
  }

  /** Default configuration, meters in a {@link SimpleMeterRegistry}. */
  public PerformanceMonitor(TimeSource time) {
    this(time, MonitorConfig.defaults(), new SimpleMeterRegistry());
  }

  public MonitorConfig config() {
    return config;
  }

  /** Adds one call to its model's, its provider's and the system's measurements. */
  public void record(CallRecord call) {
    add(call, true);
  }

  /**
   * Adds a call measured before this monitor started (read back from a history at start-up) to the
   * windows, as {@link #record} does, but not to the meters, which count this process's calls. A
   * call older than a window is left out of it, so restoring a day of history keeps the same memory
   * bound as recording it live.
   */
  public void restore(CallRecord call) {
    add(call, false);
  }

  private void add(CallRecord call, boolean measured) {
    Checks.notNull(call, "call");
    Instant now = time.instant();
    long latencyMicros =
        call.succeeded() ? histograms.micros(call.latency()) : DurationHistograms.NO_VALUE;
    long timeToFirstTokenMicros =
        call.succeeded()
            ? call.timeToFirstToken().map(histograms::micros).orElse(DurationHistograms.NO_VALUE)
            : DurationHistograms.NO_VALUE;
    long sequence = recordedSequence.incrementAndGet();
    Series series =
        models.computeIfAbsent(call.model(), model -> newModelSeries(model, now, sequence));
    evictBeyondLimit();
    series.record(call, latencyMicros, timeToFirstTokenMicros, now, sequence, measured);
    system.record(call, latencyMicros, timeToFirstTokenMicros, now, sequence, measured);
  }

  private Series newModelSeries(ModelKey model, Instant now, long sequence) {
    ModelMeters meters = new ModelMeters(registry, model);
    return new Series(histograms, meters::record, meters::remove, now, sequence);
  }

  /**
   * Evicts the least recently recorded models until at most the limit remain. Under a lock so that
   * two recorders admitting models at once evict one model each, not the same one twice.
   */
  private void evictBeyondLimit() {
    admission.lock();
    try {
      while (models.size() > config.maxTrackedModels()) {
        models.entrySet().stream()
            .min(Comparator.comparingLong(entry -> entry.getValue().lastRecorded()))
            .ifPresent(
                victim -> {
                  models.remove(victim.getKey());
                  victim.getValue().evict();
                  evictedModels.increment();
                });
      }
    } finally {
      admission.unlock();
    }
  }

  /** The model's measurements in the window; empty when it has no call there. */
  public Optional<ModelStats> modelStats(ModelKey model, TimeWindow window) {
    Checks.notNull(model, "model");
    Checks.notNull(window, "window");
    Series series = models.get(model);
    return series == null ? Optional.empty() : series.stats(window, time.instant());
  }

  /** Every tracked model with a call in the window, in model key order. */
  public Map<ModelKey, ModelStats> allModelStats(TimeWindow window) {
    Checks.notNull(window, "window");
    Instant now = time.instant();
    TreeMap<ModelKey, ModelStats> result = new TreeMap<>();
    models.forEach(
        (model, series) -> series.stats(window, now).ifPresent(stats -> result.put(model, stats)));
    return Collections.unmodifiableSortedMap(result);
  }

  /**
   * All calls together, evicted models' included; zero calls and empty durations when the window is
   * empty.
   */
  public ModelStats systemStats(TimeWindow window) {
    Checks.notNull(window, "window");
    return system
        .stats(window, time.instant())
        .orElseGet(() -> new Tally().toStats(window, DurationStats.EMPTY, DurationStats.EMPTY));
  }

  /** Calls per task in the window, all models together; tasks without calls left out. */
  public Map<TaskType, Long> callsByTask(TimeWindow window) {
    Checks.notNull(window, "window");
    return Collections.unmodifiableMap(new EnumMap<>(system.callsByTask(window, time.instant())));
  }

  /**
   * Each provider's tracked models merged, for providers with a call in the window, in provider
   * order. An evicted model's calls leave its provider's stats (they stay in {@link #systemStats}).
   */
  public Map<ProviderId, ModelStats> providerStats(TimeWindow window) {
    Checks.notNull(window, "window");
    Instant now = time.instant();
    TreeMap<ProviderId, StatsMerge> merges = new TreeMap<>();
    models.forEach(
        (model, series) ->
            series.addTo(
                merges.computeIfAbsent(model.provider(), p -> new StatsMerge(histograms)),
                window,
                now));
    TreeMap<ProviderId, ModelStats> result = new TreeMap<>();
    merges.forEach(
        (provider, merge) -> {
          if (merge.calls() > 0) {
            result.put(provider, merge.toStats(window));
          }
        });
    return Collections.unmodifiableSortedMap(result);
  }

  /** The models measured now, in key order. */
  public Set<ModelKey> trackedModels() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(models.keySet()));
  }

  /** Latencies and times to first token above the highest trackable duration, so far. */
  public long clampedValues() {
    return histograms.clampedValues();
  }

  /**
   * The bytes all histograms take now, as HdrHistogram estimates them; the histograms are most of
   * this monitor's memory (see docs/features/monitoring.md for the bound).
   */
  public long histogramFootprintBytes() {
    Instant now = time.instant();
    long bytes = system.histogramFootprintBytes(now);
    for (Series series : models.values()) {
      bytes += series.histogramFootprintBytes(now);
    }
    return bytes;
  }
}

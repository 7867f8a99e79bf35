package dev.tta.models.server.dashboard;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.management.ProviderStatus;
import dev.tta.models.management.SelectionExplanation;
import dev.tta.models.management.SystemStatus;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.server.metrics.GatewayMetrics;
import dev.tta.models.server.openai.RequirementHints;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.server.runtime.SpendSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * What the dashboard shows, in one snapshot: running totals (the page turns their differences into
 * rates), each model's last minute, selection score and circuit, providers' health, spend per key
 * when a history is configured, and recent routing traces. Provider health checks and the selection
 * ranking call out or read the machine, so they are reused for {@link #SLOW_PARTS_FOR} rather than
 * made on every poll.
 */
public final class DashboardData {

  static final Duration SLOW_PARTS_FOR = Duration.ofSeconds(5);
  static final Duration SPEND_WINDOW = Duration.ofHours(24);

  /** Counts since the gateway started. */
  public record Totals(
      long requests, long failedRequests, long fallbacks, long inputTokens, long outputTokens) {}

  /** A circuit now; the times only while it is open or probing. */
  public record Circuit(String state, Optional<Instant> openedAt, Optional<Instant> probeAfter) {}

  /** A model's last minute of calls. */
  public record LastMinute(
      long calls,
      double successRate,
      double p50Ms,
      double p95Ms,
      double timeToFirstTokenP50Ms,
      double timeToFirstTokenP95Ms,
      double tokensPerSecond) {}

  /**
   * One model.
   *
   * @param score its selection score for a general chat now; empty when dropped
   * @param dropped why selection drops it for a general chat, empty when it is ranked
   * @param callsTotal calls since the gateway started, all outcomes
   */
  public record ModelRow(
      String key,
      String provider,
      boolean local,
      boolean free,
      boolean loaded,
      OptionalDouble score,
      Optional<String> dropped,
      Circuit circuit,
      long callsTotal,
      LastMinute lastMinute) {}

  /** Spend per API key, or that no history is configured. */
  public record Spend(boolean configured, String window, List<SpendSource.KeySpend> byKey) {}

  /** Everything a poll of the dashboard reads. */
  public record Snapshot(
      Instant generatedAt,
      long uptimeSeconds,
      Totals totals,
      Map<String, Long> errorsByClass,
      Map<String, Long> fallbacksByClass,
      List<ModelRow> models,
      List<ProviderStatus> providers,
      List<String> unavailable,
      Spend spend,
      List<RecentTraces.TracedRequest> traces) {}

  private record Slow(Instant at, SystemStatus status, SelectionExplanation ranking) {}

  private final GatewayRuntime runtime;
  private volatile Slow slow;

  public DashboardData(GatewayRuntime runtime) {
    this.runtime = runtime;
  }

  public Snapshot snapshot() {
    Instant now = Instant.now();
    Slow parts = slowParts(now);
    MeterRegistry meters = runtime.metrics().registry();
    GatewayRuntime.Catalog catalog = runtime.catalog();
    Map<ModelKey, ModelStats> minute = runtime.monitor().allModelStats(TimeWindow.ONE_MINUTE);
    Map<String, Double> scores = new HashMap<>();
    parts.ranking().ranked().forEach(r -> scores.put(r.model(), r.score()));
    Map<String, String> dropped = new HashMap<>();
    parts.ranking().dropped().forEach(d -> dropped.put(d.model(), d.rule() + ": " + d.detail()));
    Map<String, Long> callsByModel = callsByModel(meters);
    List<ModelRow> models = new ArrayList<>();
    for (ModelInfo model : catalog.models()) {
      String key = model.key().toString();
      Double score = scores.get(key);
      models.add(
          new ModelRow(
              key,
              model.providerId().value(),
              model.local(),
              model.free(),
              parts.status().loadedModels().contains(key),
              score == null ? OptionalDouble.empty() : OptionalDouble.of(score),
              Optional.ofNullable(dropped.get(key)),
              circuit(runtime.circuitBreakers(), model.key()),
              callsByModel.getOrDefault(key, 0L),
              lastMinute(minute.get(model.key()))));
    }
    return new Snapshot(
        now,
        Duration.between(runtime.startedAt(), now).toSeconds(),
        totals(meters),
        countsBy(meters, PerformanceMonitor.CALLS, PerformanceMonitor.OUTCOME, true),
        countsBy(meters, GatewayMetrics.FALLBACKS, PerformanceMonitor.ERROR_TYPE, false),
        models,
        parts.status().providers(),
        catalog.unavailable(),
        spend(),
        runtime.recentTraces().recent());
  }

  private Slow slowParts(Instant now) {
    Slow current = slow;
    if (current == null || current.at().plus(SLOW_PARTS_FOR).isBefore(now)) {
      current =
          new Slow(
              now,
              runtime.management().status(),
              runtime.management().explain(RequirementHints.defaultsFor(TaskType.GENERAL_CHAT)));
      slow = current;
    }
    return current;
  }

  static Circuit circuit(ModelCircuitBreakers breakers, ModelKey model) {
    CircuitState state = breakers.state(model);
    return new Circuit(
        state.name().toLowerCase(Locale.ROOT),
        breakers.openedAt(model),
        breakers.probeAfter(model));
  }

  private static LastMinute lastMinute(ModelStats stats) {
    if (stats == null) {
      return new LastMinute(0, 1.0, 0, 0, 0, 0, 0);
    }
    return new LastMinute(
        stats.calls(),
        stats.successRate(),
        stats.latency().p50Ms(),
        stats.latency().p95Ms(),
        stats.timeToFirstToken().p50Ms(),
        stats.timeToFirstToken().p95Ms(),
        stats.tokensPerSecondMean());
  }

  private static Totals totals(MeterRegistry meters) {
    long requests = 0;
    long failed = 0;
    for (Counter counter : meters.find(GatewayMetrics.REQUESTS).counters()) {
      long count = Math.round(counter.count());
      requests += count;
      if (!PerformanceMonitor.OUTCOME_SUCCESS.equals(
          counter.getId().getTag(PerformanceMonitor.OUTCOME))) {
        failed += count;
      }
    }
    long fallbacks = 0;
    for (Counter counter : meters.find(GatewayMetrics.FALLBACKS).counters()) {
      fallbacks += Math.round(counter.count());
    }
    return new Totals(
        requests,
        failed,
        fallbacks,
        tokens(meters, PerformanceMonitor.TOKEN_TYPE_INPUT),
        tokens(meters, PerformanceMonitor.TOKEN_TYPE_OUTPUT));
  }

  private static long tokens(MeterRegistry meters, String type) {
    long sum = 0;
    for (DistributionSummary summary :
        meters
            .find(PerformanceMonitor.TOKEN_USAGE)
            .tag(PerformanceMonitor.TOKEN_TYPE, type)
            .summaries()) {
      sum += Math.round(summary.totalAmount());
    }
    return sum;
  }

  /** Counter totals by one tag's value, sorted; {@code failuresOnly} leaves out successes. */
  private static Map<String, Long> countsBy(
      MeterRegistry meters, String name, String tag, boolean failuresOnly) {
    Map<String, Long> counts = new TreeMap<>();
    for (Counter counter : meters.find(name).counters()) {
      String value = counter.getId().getTag(tag);
      if (value == null || (failuresOnly && value.equals(PerformanceMonitor.OUTCOME_SUCCESS))) {
        continue;
      }
      counts.merge(value, Math.round(counter.count()), Long::sum);
    }
    return counts;
  }

  private static Map<String, Long> callsByModel(MeterRegistry meters) {
    Map<String, Long> calls = new HashMap<>();
    for (Counter counter : meters.find(PerformanceMonitor.CALLS).counters()) {
      String key =
          counter.getId().getTag(PerformanceMonitor.PROVIDER_NAME)
              + "/"
              + counter.getId().getTag(PerformanceMonitor.REQUEST_MODEL);
      calls.merge(key, Math.round(counter.count()), Long::sum);
    }
    return calls;
  }

  private Spend spend() {
    return runtime
        .spend()
        .map(source -> new Spend(true, windowName(SPEND_WINDOW), source.spendByKey(SPEND_WINDOW)))
        .orElseGet(() -> new Spend(false, windowName(SPEND_WINDOW), List.of()));
  }

  private static String windowName(Duration window) {
    return window.toHours() + "h";
  }
}

package dev.tta.models.management;

import dev.tta.models.monitoring.DurationStats;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.provider.ErrorClass;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Measurements over one window, for a model, a provider or the whole system.
 *
 * @param window the window's name: {@code 1m}, {@code 1h} or {@code 1d}
 * @param successRate successes / calls; 1.0 when there were no calls
 * @param errors failures per error class wire name, sorted
 */
public record PerformanceReport(
    String window,
    long calls,
    long successes,
    double successRate,
    DurationStats latency,
    DurationStats timeToFirstToken,
    double tokensPerSecondMean,
    long promptTokens,
    long completionTokens,
    double costUsd,
    Map<String, Long> errors) {

  public PerformanceReport {
    errors = Collections.unmodifiableMap(new TreeMap<>(errors));
  }

  static PerformanceReport of(String window, ModelStats stats) {
    Map<String, Long> errors = new TreeMap<>();
    for (Map.Entry<ErrorClass, Long> entry : stats.errors().entrySet()) {
      errors.put(entry.getKey().wireName(), entry.getValue());
    }
    return new PerformanceReport(
        window,
        stats.calls(),
        stats.successes(),
        stats.successRate(),
        stats.latency(),
        stats.timeToFirstToken(),
        stats.tokensPerSecondMean(),
        stats.promptTokens(),
        stats.completionTokens(),
        stats.costUsd(),
        errors);
  }
}

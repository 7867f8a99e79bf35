package dev.tta.models.monitoring;

import java.time.Duration;

/**
 * Percentiles of a set of durations, in milliseconds; from an HdrHistogram, so values are exact to
 * three significant digits.
 */
public record DurationStats(
    long count,
    double minMs,
    double meanMs,
    double p50Ms,
    double p95Ms,
    double p99Ms,
    double maxMs) {

  public static final DurationStats EMPTY = new DurationStats(0, 0, 0, 0, 0, 0, 0);

  public Duration p50() {
    return Duration.ofNanos(Math.round(p50Ms * 1_000_000));
  }
}

package dev.tta.models.monitoring;

import java.time.Duration;

/**
 * The sliding windows measurements are aggregated over. Each is a ring of {@link #bucketCount()}
 * time buckets of {@link #bucketWidth()}; a window holds its last buckets, the one the present
 * falls in included, so it covers more than {@code length - bucketWidth} and at most {@code length}
 * of the past.
 */
public enum TimeWindow {
  ONE_MINUTE(Duration.ofMinutes(1), Duration.ofSeconds(5)),
  ONE_HOUR(Duration.ofHours(1), Duration.ofMinutes(1)),
  ONE_DAY(Duration.ofDays(1), Duration.ofHours(1));

  private final Duration length;
  private final Duration bucketWidth;

  TimeWindow(Duration length, Duration bucketWidth) {
    this.length = length;
    this.bucketWidth = bucketWidth;
  }

  public Duration length() {
    return length;
  }

  /** The resolution: how much time one bucket of the ring holds. */
  public Duration bucketWidth() {
    return bucketWidth;
  }

  /** Buckets in the ring: the length divided by the bucket width. */
  public int bucketCount() {
    return (int) length.dividedBy(bucketWidth);
  }
}

package dev.tta.models.store;

import java.time.Duration;

/**
 * How the history is kept.
 *
 * @param retention how long calls and resets are kept; older ones are deleted every {@link
 *     #CLEAN_UP_INTERVAL}
 * @param queueCapacity entries waiting to be written; one more is dropped and counted
 */
public record HistorySettings(Duration retention, int queueCapacity) {

  public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

  /**
   * Room for a minute of a thousand calls a second while the database pauses: far beyond a normal
   * load, whose entries are written within milliseconds.
   */
  public static final int DEFAULT_QUEUE_CAPACITY = 65_536;

  /** How often entries older than the retention are deleted. */
  public static final Duration CLEAN_UP_INTERVAL = Duration.ofHours(1);

  public HistorySettings {
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new IllegalArgumentException("retention: must be a positive duration");
    }
    if (queueCapacity < 1) {
      throw new IllegalArgumentException(
          "queue_capacity: must be at least 1, was " + queueCapacity);
    }
  }

  public static HistorySettings defaults() {
    return new HistorySettings(DEFAULT_RETENTION, DEFAULT_QUEUE_CAPACITY);
  }
}

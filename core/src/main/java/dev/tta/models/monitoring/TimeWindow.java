package dev.tta.models.monitoring;

import java.time.Duration;

/** The sliding windows measurements are aggregated over. */
public enum TimeWindow {
  ONE_MINUTE(Duration.ofMinutes(1)),
  ONE_HOUR(Duration.ofHours(1)),
  ONE_DAY(Duration.ofDays(1));

  private final Duration length;

  TimeWindow(Duration length) {
    this.length = length;
  }

  public Duration length() {
    return length;
  }
}

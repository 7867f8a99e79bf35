package dev.tta.models.monitoring;

import dev.tta.models.internal.Checks;
import java.time.Duration;

/**
 * How much a {@link PerformanceMonitor} keeps.
 *
 * @param maxTrackedModels models measured at once; recording one more evicts the model recorded
 *     least recently, together with its meters
 * @param highestTrackableDuration the longest latency or time to first token the histograms hold;
 *     longer values are recorded as this value and counted ({@link
 *     PerformanceMonitor#clampedValues()})
 */
public record MonitorConfig(int maxTrackedModels, Duration highestTrackableDuration) {

  public static final int DEFAULT_MAX_TRACKED_MODELS = 64;
  public static final Duration DEFAULT_HIGHEST_TRACKABLE_DURATION = Duration.ofMinutes(10);

  /** Below this, ordinary model calls would be clamped. */
  public static final Duration MIN_HIGHEST_TRACKABLE_DURATION = Duration.ofSeconds(1);

  /** Above this, no call is plausible; the histograms grow with the logarithm of this value. */
  public static final Duration MAX_HIGHEST_TRACKABLE_DURATION = Duration.ofDays(1);

  public MonitorConfig {
    Checks.positive(maxTrackedModels, "max_tracked_models");
    Checks.notNull(highestTrackableDuration, "highest_trackable_duration");
    Checks.require(
        highestTrackableDuration.compareTo(MIN_HIGHEST_TRACKABLE_DURATION) >= 0
            && highestTrackableDuration.compareTo(MAX_HIGHEST_TRACKABLE_DURATION) <= 0,
        "highest_trackable_duration",
        "must be between "
            + MIN_HIGHEST_TRACKABLE_DURATION
            + " and "
            + MAX_HIGHEST_TRACKABLE_DURATION
            + ", was "
            + highestTrackableDuration);
  }

  public static MonitorConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .maxTrackedModels(maxTrackedModels)
        .highestTrackableDuration(highestTrackableDuration);
  }

  /** Starts from the defaults. */
  public static final class Builder {
    private int maxTrackedModels = DEFAULT_MAX_TRACKED_MODELS;
    private Duration highestTrackableDuration = DEFAULT_HIGHEST_TRACKABLE_DURATION;

    private Builder() {}

    public Builder maxTrackedModels(int maxTrackedModels) {
      this.maxTrackedModels = maxTrackedModels;
      return this;
    }

    public Builder highestTrackableDuration(Duration highestTrackableDuration) {
      this.highestTrackableDuration = highestTrackableDuration;
      return this;
    }

    public MonitorConfig build() {
      return new MonitorConfig(maxTrackedModels, highestTrackableDuration);
    }
  }
}

package dev.tta.models.fallback;

import dev.tta.models.internal.Checks;
import java.time.Duration;

/**
 * The circuit breaker of each deployment: a count-based sliding window of its last calls.
 *
 * @param failureRateThreshold the percentage of counted failures in the window (once it holds
 *     {@code minimumCalls}) at or above which the circuit opens
 * @param slidingWindowSize how many of the last calls the rate is computed over
 * @param minimumCalls calls needed in the window before the rate is judged
 * @param waitInOpenState how long an open circuit refuses calls before it lets probes through
 *     (whole milliseconds, as Resilience4j counts it)
 * @param permittedCallsInHalfOpenState probes that decide whether the circuit closes again
 */
public record CircuitBreakerSettings(
    float failureRateThreshold,
    int slidingWindowSize,
    int minimumCalls,
    Duration waitInOpenState,
    int permittedCallsInHalfOpenState) {

  /** Half of the recent calls failing is an outage, not bad luck. */
  public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;

  /** Ten calls: recent enough to react within a burst, large enough to smooth single errors. */
  public static final int DEFAULT_SLIDING_WINDOW_SIZE = 10;

  /** Five calls before judging: three failures of the first five open the circuit. */
  public static final int DEFAULT_MINIMUM_CALLS = 5;

  /** Thirty seconds: a restarted server or a lifted rate limit is usually back by then. */
  public static final Duration DEFAULT_WAIT_IN_OPEN_STATE = Duration.ofSeconds(30);

  /**
   * One probe: each probe is a user's request that may have to fall back; if the model is still
   * broken, the window opens the circuit again after {@code minimumCalls} calls.
   */
  public static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE = 1;

  public CircuitBreakerSettings {
    Checks.require(
        failureRateThreshold > 0 && failureRateThreshold <= 100,
        "failure_rate_threshold",
        "must be above 0 and at most 100, was " + failureRateThreshold);
    Checks.positive(slidingWindowSize, "sliding_window_size");
    Checks.positive(minimumCalls, "minimum_calls");
    Checks.require(
        minimumCalls <= slidingWindowSize,
        "minimum_calls",
        "must not exceed sliding_window_size " + slidingWindowSize + ", was " + minimumCalls);
    Checks.notNull(waitInOpenState, "wait_in_open_state");
    Checks.require(
        waitInOpenState.toMillis() >= 1 && waitInOpenState.getNano() % 1_000_000 == 0,
        "wait_in_open_state",
        "must be a whole number of milliseconds, at least 1, was " + waitInOpenState);
    Checks.positive(permittedCallsInHalfOpenState, "permitted_calls_in_half_open_state");
  }

  public static CircuitBreakerSettings defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .failureRateThreshold(failureRateThreshold)
        .slidingWindowSize(slidingWindowSize)
        .minimumCalls(minimumCalls)
        .waitInOpenState(waitInOpenState)
        .permittedCallsInHalfOpenState(permittedCallsInHalfOpenState);
  }

  /** Starts from the defaults. */
  public static final class Builder {
    private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
    private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
    private int minimumCalls = DEFAULT_MINIMUM_CALLS;
    private Duration waitInOpenState = DEFAULT_WAIT_IN_OPEN_STATE;
    private int permittedCallsInHalfOpenState = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;

    private Builder() {}

    public Builder failureRateThreshold(float failureRateThreshold) {
      this.failureRateThreshold = failureRateThreshold;
      return this;
    }

    public Builder slidingWindowSize(int slidingWindowSize) {
      this.slidingWindowSize = slidingWindowSize;
      return this;
    }

    public Builder minimumCalls(int minimumCalls) {
      this.minimumCalls = minimumCalls;
      return this;
    }

    public Builder waitInOpenState(Duration waitInOpenState) {
      this.waitInOpenState = waitInOpenState;
      return this;
    }

    public Builder permittedCallsInHalfOpenState(int permittedCallsInHalfOpenState) {
      this.permittedCallsInHalfOpenState = permittedCallsInHalfOpenState;
      return this;
    }

    public CircuitBreakerSettings build() {
      return new CircuitBreakerSettings(
          failureRateThreshold,
          slidingWindowSize,
          minimumCalls,
          waitInOpenState,
          permittedCallsInHalfOpenState);
    }
  }
}

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
 * @param waitInOpenState how long a circuit that has just opened refuses calls before it lets a
 *     probe through (whole milliseconds, as Resilience4j counts it)
 * @param permittedCallsInHalfOpenState probes that decide whether the circuit closes again
 * @param openWaitMultiplier the factor by which the open wait grows each time a probe fails and the
 *     circuit opens again
 * @param maxWaitInOpenState the longest open wait, however many probes failed
 */
public record CircuitBreakerSettings(
    float failureRateThreshold,
    int slidingWindowSize,
    int minimumCalls,
    Duration waitInOpenState,
    int permittedCallsInHalfOpenState,
    double openWaitMultiplier,
    Duration maxWaitInOpenState) {

  /** Half of the recent calls failing is an outage, not bad luck. */
  public static final float DEFAULT_FAILURE_RATE_THRESHOLD = 50f;

  /** Ten calls: recent enough to react within a burst, large enough to smooth single errors. */
  public static final int DEFAULT_SLIDING_WINDOW_SIZE = 10;

  /** Five calls before judging: three failures of the first five open the circuit. */
  public static final int DEFAULT_MINIMUM_CALLS = 5;

  /**
   * Five seconds: long enough not to hammer a server that is down, short enough that a blip of a
   * few seconds costs a few seconds of traffic on the fallback, not half an hour.
   */
  public static final Duration DEFAULT_WAIT_IN_OPEN_STATE = Duration.ofSeconds(5);

  /** Doubling per failed probe: 5 s, 10 s, 20 s, ... */
  public static final double DEFAULT_OPEN_WAIT_MULTIPLIER = 2.0;

  /** Even a long outage is probed every five minutes, so its end is noticed within five. */
  public static final Duration DEFAULT_MAX_WAIT_IN_OPEN_STATE = Duration.ofMinutes(5);

  /**
   * One probe: each probe is a user's request that may have to fall back; its outcome alone closes
   * the circuit or opens it again, for a longer wait.
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
    Checks.require(
        Double.isFinite(openWaitMultiplier) && openWaitMultiplier >= 1,
        "open_wait_multiplier",
        "must be a finite number of at least 1, was " + openWaitMultiplier);
    Checks.notNull(maxWaitInOpenState, "max_wait_in_open_state");
    Checks.require(
        maxWaitInOpenState.compareTo(waitInOpenState) >= 0
            && maxWaitInOpenState.getNano() % 1_000_000 == 0,
        "max_wait_in_open_state",
        "must be a whole number of milliseconds, at least wait_in_open_state "
            + waitInOpenState
            + ", was "
            + maxWaitInOpenState);
  }

  /**
   * The open wait after the circuit opened for the {@code opens}-th time in a row (1 when it opens
   * from closed): {@code waitInOpenState x openWaitMultiplier^(opens - 1)}, capped.
   */
  public Duration openWait(int opens) {
    Checks.positive(opens, "opens");
    double millis =
        waitInOpenState.toMillis() * Math.pow(openWaitMultiplier, Math.min(opens - 1, 1_000));
    return Duration.ofMillis((long) Math.min(millis, maxWaitInOpenState.toMillis()));
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
        .permittedCallsInHalfOpenState(permittedCallsInHalfOpenState)
        .openWaitMultiplier(openWaitMultiplier)
        .maxWaitInOpenState(maxWaitInOpenState);
  }

  /** Starts from the defaults. */
  public static final class Builder {
    private float failureRateThreshold = DEFAULT_FAILURE_RATE_THRESHOLD;
    private int slidingWindowSize = DEFAULT_SLIDING_WINDOW_SIZE;
    private int minimumCalls = DEFAULT_MINIMUM_CALLS;
    private Duration waitInOpenState = DEFAULT_WAIT_IN_OPEN_STATE;
    private int permittedCallsInHalfOpenState = DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN_STATE;
    private double openWaitMultiplier = DEFAULT_OPEN_WAIT_MULTIPLIER;
    private Duration maxWaitInOpenState = DEFAULT_MAX_WAIT_IN_OPEN_STATE;

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

    public Builder openWaitMultiplier(double openWaitMultiplier) {
      this.openWaitMultiplier = openWaitMultiplier;
      return this;
    }

    public Builder maxWaitInOpenState(Duration maxWaitInOpenState) {
      this.maxWaitInOpenState = maxWaitInOpenState;
      return this;
    }

    public CircuitBreakerSettings build() {
      return new CircuitBreakerSettings(
          failureRateThreshold,
          slidingWindowSize,
          minimumCalls,
          waitInOpenState,
          permittedCallsInHalfOpenState,
          openWaitMultiplier,
          maxWaitInOpenState);
    }
  }
}

package dev.tta.models.fallback;

import dev.tta.models.internal.Checks;
import java.time.Duration;

/**
 * How far the fallback policy goes after a failed call, and how long failures are held against a
 * model. Every default is a named constant; {@code docs/features/fallback.md} gives the reason for
 * each.
 *
 * @param strategy how the next model is chosen among the usable candidates
 * @param exclusionWindow how far back counted failures are looked at for exclusion
 * @param maxFailures counted failures within the window that exclude a model
 * @param preferDifferentProvider whether candidates on another provider than the failed model's
 *     come first
 * @param maxAttempts calls per request, first attempt and retries and fallbacks together
 * @param maxRetriesPerModel retries of one model after its first attempt
 * @param backoffBase the delay before the first retry after an unavailable or timeout error
 * @param backoffMultiplier the factor between consecutive backoff delays
 * @param backoffMax the ceiling of a backoff delay before jitter
 * @param jitter the relative spread of a backoff delay: a uniform factor in {@code [1 - jitter, 1 +
 *     jitter]}
 * @param maxRetryAfter the longest provider retry-after the policy waits for on the same model
 * @param failureRetention how long failure records are kept for statistics
 * @param fallbackOnInvalidRequest whether an invalid request is tried on another model
 * @param requestDeadline the end-to-end time budget of one request, all attempts and waits included
 * @param fastFailureLimit how long a failed call may have taken to count as a fast failure (a
 *     refused or reset connection, an immediate 5xx), which is retried on the same model with
 *     backoff; a slower failure, and every timeout, moves to the next candidate at once and retries
 *     the same model only when no other candidate is usable
 * @param providerRecheckAfter how long a provider taken out for a refused credential stays out
 *     before the next request tries it again
 */
public record FallbackConfig(
    FallbackStrategy strategy,
    Duration exclusionWindow,
    int maxFailures,
    boolean preferDifferentProvider,
    int maxAttempts,
    int maxRetriesPerModel,
    Duration backoffBase,
    double backoffMultiplier,
    Duration backoffMax,
    double jitter,
    Duration maxRetryAfter,
    Duration failureRetention,
    boolean fallbackOnInvalidRequest,
    Duration requestDeadline,
    Duration fastFailureLimit,
    Duration providerRecheckAfter) {

  /** The selector already ranked the candidates; its order is the best guess of quality. */
  public static final FallbackStrategy DEFAULT_STRATEGY = FallbackStrategy.PERFORMANCE;

  /** The original's exclusion window. */
  public static final Duration DEFAULT_EXCLUSION_WINDOW = Duration.ofMinutes(30);

  /** The original's limit (its "max retries"). */
  public static final int DEFAULT_MAX_FAILURES = 3;

  /** A failed deployment often means its provider is in trouble; another provider is safer. */
  public static final boolean DEFAULT_PREFER_DIFFERENT_PROVIDER = true;

  /** The first call plus four more: enough for a retry and several fallbacks, still bounded. */
  public static final int DEFAULT_MAX_ATTEMPTS = 5;

  /** Two retries ride out a brief blip (a restarting local server) before moving on. */
  public static final int DEFAULT_MAX_RETRIES_PER_MODEL = 2;

  /** Long enough for a restarting upstream, short against a chat turn. */
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(250);

  /** Doubling: 250 ms, 500 ms, 1 s, ... */
  public static final double DEFAULT_BACKOFF_MULTIPLIER = 2.0;

  /** Beyond two seconds another model answers sooner than the same one recovers. */
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofSeconds(2);

  /** Spreads retries of concurrent requests so that they do not hit the upstream together. */
  public static final double DEFAULT_JITTER = 0.2;

  /** Waiting longer on one rate-limited model is worse for a user than trying another. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(5);

  /** A day of failures answers "what failed today" in the statistics. */
  public static final Duration DEFAULT_FAILURE_RETENTION = Duration.ofHours(24);

  /** A malformed request fails on every model; trying others only multiplies the failure. */
  public static final boolean DEFAULT_FALLBACK_ON_INVALID_REQUEST = false;

  /** A long answer from a local model on a CPU can take more than a minute. */
  public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(120);

  /**
   * Refused and reset connections and immediate 5xx answers come back within milliseconds; an
   * upstream that took seconds to fail is likely to take as long again.
   */
  public static final Duration DEFAULT_FAST_FAILURE_LIMIT = Duration.ofSeconds(2);

  /** A rotated key is usually fixed within minutes; sooner would spend requests on a refusal. */
  public static final Duration DEFAULT_PROVIDER_RECHECK_AFTER = Duration.ofMinutes(5);

  public FallbackConfig {
    Checks.notNull(strategy, "strategy");
    Durations.positive(exclusionWindow, "exclusion_window");
    Checks.positive(maxFailures, "max_failures");
    Checks.positive(maxAttempts, "max_attempts");
    Checks.notNegative(maxRetriesPerModel, "max_retries_per_model");
    Durations.positive(backoffBase, "backoff_base");
    Checks.require(
        Double.isFinite(backoffMultiplier) && backoffMultiplier >= 1,
        "backoff_multiplier",
        "must be a finite number of at least 1, was " + backoffMultiplier);
    Checks.notNull(backoffMax, "backoff_max");
    Checks.require(
        backoffMax.compareTo(backoffBase) >= 0,
        "backoff_max",
        "must not be shorter than backoff_base " + backoffBase + ", was " + backoffMax);
    Checks.inRange(jitter, 0, 1, "jitter");
    Durations.notNegative(maxRetryAfter, "max_retry_after");
    Checks.notNull(failureRetention, "failure_retention");
    Checks.require(
        failureRetention.compareTo(exclusionWindow) >= 0,
        "failure_retention",
        "must not be shorter than exclusion_window "
            + exclusionWindow
            + ", was "
            + failureRetention);
    Durations.positive(requestDeadline, "request_deadline");
    Durations.notNegative(fastFailureLimit, "fast_failure_limit");
    Durations.positive(providerRecheckAfter, "provider_recheck_after");
  }

  public static FallbackConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .strategy(strategy)
        .exclusionWindow(exclusionWindow)
        .maxFailures(maxFailures)
        .preferDifferentProvider(preferDifferentProvider)
        .maxAttempts(maxAttempts)
        .maxRetriesPerModel(maxRetriesPerModel)
        .backoffBase(backoffBase)
        .backoffMultiplier(backoffMultiplier)
        .backoffMax(backoffMax)
        .jitter(jitter)
        .maxRetryAfter(maxRetryAfter)
        .failureRetention(failureRetention)
        .fallbackOnInvalidRequest(fallbackOnInvalidRequest)
        .requestDeadline(requestDeadline)
        .fastFailureLimit(fastFailureLimit)
        .providerRecheckAfter(providerRecheckAfter);
  }

  /** Starts from the defaults. */
  public static final class Builder {
    private FallbackStrategy strategy = DEFAULT_STRATEGY;
    private Duration exclusionWindow = DEFAULT_EXCLUSION_WINDOW;
    private int maxFailures = DEFAULT_MAX_FAILURES;
    private boolean preferDifferentProvider = DEFAULT_PREFER_DIFFERENT_PROVIDER;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private int maxRetriesPerModel = DEFAULT_MAX_RETRIES_PER_MODEL;
    private Duration backoffBase = DEFAULT_BACKOFF_BASE;
    private double backoffMultiplier = DEFAULT_BACKOFF_MULTIPLIER;
    private Duration backoffMax = DEFAULT_BACKOFF_MAX;
    private double jitter = DEFAULT_JITTER;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private Duration failureRetention = DEFAULT_FAILURE_RETENTION;
    private boolean fallbackOnInvalidRequest = DEFAULT_FALLBACK_ON_INVALID_REQUEST;
    private Duration requestDeadline = DEFAULT_REQUEST_DEADLINE;
    private Duration fastFailureLimit = DEFAULT_FAST_FAILURE_LIMIT;
    private Duration providerRecheckAfter = DEFAULT_PROVIDER_RECHECK_AFTER;

    private Builder() {}

    public Builder strategy(FallbackStrategy strategy) {
      this.strategy = strategy;
      return this;
    }

    public Builder exclusionWindow(Duration exclusionWindow) {
      this.exclusionWindow = exclusionWindow;
      return this;
    }

    public Builder maxFailures(int maxFailures) {
      this.maxFailures = maxFailures;
      return this;
    }

    public Builder preferDifferentProvider(boolean preferDifferentProvider) {
      this.preferDifferentProvider = preferDifferentProvider;
      return this;
    }

    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = maxAttempts;
      return this;
    }

    public Builder maxRetriesPerModel(int maxRetriesPerModel) {
      this.maxRetriesPerModel = maxRetriesPerModel;
      return this;
    }

    public Builder backoffBase(Duration backoffBase) {
      this.backoffBase = backoffBase;
      return this;
    }

    public Builder backoffMultiplier(double backoffMultiplier) {
      this.backoffMultiplier = backoffMultiplier;
      return this;
    }

    public Builder backoffMax(Duration backoffMax) {
      this.backoffMax = backoffMax;
      return this;
    }

    public Builder jitter(double jitter) {
      this.jitter = jitter;
      return this;
    }

    public Builder maxRetryAfter(Duration maxRetryAfter) {
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    public Builder failureRetention(Duration failureRetention) {
      this.failureRetention = failureRetention;
      return this;
    }

    public Builder fallbackOnInvalidRequest(boolean fallbackOnInvalidRequest) {
      this.fallbackOnInvalidRequest = fallbackOnInvalidRequest;
      return this;
    }

    public Builder requestDeadline(Duration requestDeadline) {
      this.requestDeadline = requestDeadline;
      return this;
    }

    public Builder fastFailureLimit(Duration fastFailureLimit) {
      this.fastFailureLimit = fastFailureLimit;
      return this;
    }

    public Builder providerRecheckAfter(Duration providerRecheckAfter) {
      this.providerRecheckAfter = providerRecheckAfter;
      return this;
    }

    public FallbackConfig build() {
      return new FallbackConfig(
          strategy,
          exclusionWindow,
          maxFailures,
          preferDifferentProvider,
          maxAttempts,
          maxRetriesPerModel,
          backoffBase,
          backoffMultiplier,
          backoffMax,
          jitter,
          maxRetryAfter,
          failureRetention,
          fallbackOnInvalidRequest,
          requestDeadline,
          fastFailureLimit,
          providerRecheckAfter);
    }
  }
}

package dev.tta.models.fallback;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.fallback.FallbackDecision.RetrySame;
import dev.tta.models.fallback.FallbackDecision.Stop;
import dev.tta.models.fallback.FallbackDecision.TryNext;
import dev.tta.models.internal.Checks;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Decides what follows a failed call: a pure function of the {@link FailureContext} and the
 * configuration. It reads no clock, registry or breaker (the router passes their state in), keeps
 * no state, and its only source of variation is the jitter generator, so a test with a fixed
 * generator gets exact delays. Safe to share between threads when the generator is: {@link
 * #FallbackPolicy(FallbackConfig)} draws from each thread's own generator.
 */
public final class FallbackPolicy {

  private static final Function<ModelInfo, Optional<String>> ANY_CANDIDATE = m -> Optional.empty();

  private final FallbackConfig config;
  private final RandomGenerator jitter;

  /**
   * A policy whose jitter comes from the given generator; for a single thread (a test with a fixed
   * seed), or a generator that is itself thread-safe.
   */
  public FallbackPolicy(FallbackConfig config, RandomGenerator jitter) {
    this.config = Checks.notNull(config, "config");
    this.jitter = Checks.notNull(jitter, "jitter");
  }

  /** A policy whose jitter comes from the calling thread's {@link ThreadLocalRandom}. */
  public FallbackPolicy(FallbackConfig config) {
    this(config, () -> ThreadLocalRandom.current().nextLong());
  }

  public FallbackConfig config() {
    return config;
  }

  public FallbackDecision decide(FailureContext context) {
    Checks.notNull(context, "context");
    ModelInfo failed = context.failedModel();
    return switch (context.error()) {
      case ProviderException.Cancelled cancelled ->
          new Stop("cancelled: the caller went away", List.of());
      case ProviderException.ContentFiltered filtered ->
          new Stop(
              "content filtered by " + filtered.provider() + ": " + filtered.reason(), List.of());
      case ProviderException.InvalidRequest invalid ->
          config.fallbackOnInvalidRequest()
              ? withinBudget(
                  context,
                  () -> moveOn(context, "invalid request on " + failed.key(), ANY_CANDIDATE))
              : new Stop(
                  "invalid request, it would fail on any model: " + invalid.getMessage(),
                  List.of());
      case ProviderException.RateLimited limited ->
          withinBudget(
              context,
              () ->
                  context.midStream()
                      ? anotherFirst(context, "rate limited on " + failed.key() + " mid-stream")
                      : rateLimited(context, limited));
      case ProviderException.Unavailable unavailable ->
          withinBudget(
              context,
              () ->
                  fast(context)
                      ? backOff(context, failed.key() + " unavailable")
                      : anotherFirst(
                          context,
                          failed.key()
                              + (context.midStream()
                                  ? " broke mid-stream"
                                  : " unavailable after "
                                      + context.attemptDuration().toMillis()
                                      + " ms")));
      case ProviderException.Timeout timeout ->
          withinBudget(context, () -> anotherFirst(context, failed.key() + " timed out"));
      case ProviderException.ContextLengthExceeded exceeded -> {
        OptionalInt window =
            exceeded.contextLimit().isPresent() ? exceeded.contextLimit() : failed.contextLength();
        yield withinBudget(
            context,
            () ->
                moveOn(
                    context,
                    "context length exceeded on " + failed.key() + windowText(window),
                    candidate -> largerContext(candidate, window)));
      }
      case ProviderException.ModelNotFound notFound ->
          withinBudget(context, () -> moveOn(context, failed.key() + " not found", ANY_CANDIDATE));
      case ProviderException.Authentication refused ->
          withinBudget(
              context,
              () ->
                  moveOn(
                      context,
                      "authentication refused by " + failed.providerId(),
                      candidate -> otherProvider(candidate, failed.providerId())));
    };
  }

  /**
   * Why {@code candidate} may not be tried now: its provider is out, or its circuit is open (an
   * exclusion holds the circuit open, so its reason is told with it); empty when it may be tried.
   */
  public Optional<SkippedCandidate> unusable(ModelInfo candidate, FallbackState state) {
    return unusableReason(candidate, state)
        .map(reason -> new SkippedCandidate(candidate.key(), reason));
  }

  private Optional<String> unusableReason(ModelInfo candidate, FallbackState state) {
    ModelKey key = candidate.key();
    String outReason = state.providersOut().get(candidate.providerId());
    if (outReason != null) {
      return Optional.of("provider " + candidate.providerId() + " is out: " + outReason);
    }
    if (state.openCircuits().contains(key)) {
      return Optional.of(
          state.excludedModels().contains(key)
              ? "circuit open (excluded: "
                  + config.maxFailures()
                  + " or more failures within "
                  + config.exclusionWindow()
                  + ")"
              : "circuit open");
    }
    return Optional.empty();
  }

  private FallbackDecision withinBudget(FailureContext context, Supplier<FallbackDecision> next) {
    if (!context.timeLeft().isPositive()) {
      return new Stop(
          "deadline reached: no time left of the request's " + config.requestDeadline(), List.of());
    }
    if (context.totalAttempts() >= config.maxAttempts()) {
      return new Stop(
          "attempt limit reached: "
              + context.totalAttempts()
              + " of "
              + config.maxAttempts()
              + " attempts made",
          List.of());
    }
    return next.get();
  }

  private FallbackDecision rateLimited(
      FailureContext context, ProviderException.RateLimited error) {
    String cause = "rate limited on " + context.failedModel().key();
    Optional<Duration> retryAfter = error.retryAfter();
    if (retryAfter.isEmpty()) {
      return moveOn(context, cause + " without a retry-after", ANY_CANDIDATE);
    }
    Duration wait = retryAfter.get();
    if (wait.compareTo(config.maxRetryAfter()) > 0) {
      return moveOn(
          context,
          cause
              + ", retry-after "
              + wait
              + " is longer than the "
              + config.maxRetryAfter()
              + " allowed",
          ANY_CANDIDATE);
    }
    return retryOrMoveOn(context, cause, () -> wait, "retry-after");
  }

  /**
   * A failure worth retrying on the same model first: it came back at once, before any output
   * (after output, another model continues more safely than the one that just broke).
   */
  private boolean fast(FailureContext context) {
    return !context.midStream()
        && context.attemptDuration().compareTo(config.fastFailureLimit()) <= 0;
  }

  /**
   * The next usable candidate at once, without waiting on a model that was silent or slow; the same
   * model again (with backoff) only when no other is usable.
   */
  private FallbackDecision anotherFirst(FailureContext context, String cause) {
    FallbackDecision another = moveOn(context, cause + ", not retried", ANY_CANDIDATE);
    return another instanceof TryNext ? another : backOff(context, cause);
  }

  private FallbackDecision backOff(FailureContext context, String cause) {
    return retryOrMoveOn(
        context, cause, () -> backoffDelay(context.attemptsOnFailedModel()), "backoff");
  }

  private FallbackDecision retryOrMoveOn(
      FailureContext context, String cause, Supplier<Duration> delay, String delayKind) {
    int attempts = context.attemptsOnFailedModel();
    if (attempts > config.maxRetriesPerModel()) {
      return moveOn(
          context,
          cause + ", its " + config.maxRetriesPerModel() + " retries used up",
          ANY_CANDIDATE);
    }
    Optional<String> blocked = unusableReason(context.failedModel(), context.state());
    if (blocked.isPresent()) {
      return moveOn(context, cause + ", no retry: " + blocked.get(), ANY_CANDIDATE);
    }
    Duration wait = delay.get();
    if (wait.compareTo(context.timeLeft()) >= 0) {
      return moveOn(
          context,
          cause + ", a wait of " + wait + " does not fit in the " + context.timeLeft() + " left",
          ANY_CANDIDATE);
    }
    return new RetrySame(
        wait,
        cause
            + ", retry "
            + attempts
            + " of "
            + config.maxRetriesPerModel()
            + " after "
            + delayKind
            + " "
            + wait);
  }

  /**
   * {@code base x multiplier^(attempts - 1)}, capped at {@code backoffMax}, times a uniform factor
   * in {@code [1 - jitter, 1 + jitter)}.
   */
  private Duration backoffDelay(int attemptsOnFailedModel) {
    double exponential =
        config.backoffBase().toNanos()
            * Math.pow(config.backoffMultiplier(), attemptsOnFailedModel - 1);
    double capped = Math.min(exponential, config.backoffMax().toNanos());
    double factor = 1 - config.jitter() + 2 * config.jitter() * jitter.nextDouble();
    return Duration.ofNanos(Math.round(capped * factor));
  }

  private FallbackDecision moveOn(
      FailureContext context, String cause, Function<ModelInfo, Optional<String>> constraint) {
    ModelKey failedKey = context.failedModel().key();
    List<SkippedCandidate> skipped = new ArrayList<>();
    List<ModelInfo> usable = new ArrayList<>();
    for (ModelInfo candidate : context.remainingCandidates()) {
      Optional<String> reason =
          candidate.key().equals(failedKey)
              ? Optional.of("the model that just failed")
              : constraint.apply(candidate).or(() -> unusableReason(candidate, context.state()));
      reason.ifPresentOrElse(
          why -> skipped.add(new SkippedCandidate(candidate.key(), why)),
          () -> usable.add(candidate));
    }
    if (usable.isEmpty()) {
      return new Stop(cause + "; no usable candidate left", skipped);
    }
    usable.sort(order(context));
    ModelInfo next = usable.get(0);
    return new TryNext(next, cause + "; trying " + next.key() + " (" + orderName() + ")", skipped);
  }

  /**
   * The strategy's order, behind "another provider first" when that is preferred; stable sort keeps
   * rank order on ties.
   */
  private Comparator<ModelInfo> order(FailureContext context) {
    Comparator<ModelInfo> byStrategy =
        switch (config.strategy()) {
          case PERFORMANCE -> Comparator.comparingInt(candidate -> 0);
          case COST -> Comparator.comparingDouble(ModelInfo::effectiveCostPerToken);
          case AVAILABILITY -> byAvailability(context.state().measurements());
        };
    if (!config.preferDifferentProvider()) {
      return byStrategy;
    }
    ProviderId failedProvider = context.failedModel().providerId();
    return Comparator.comparing(
            (ModelInfo candidate) -> candidate.providerId().equals(failedProvider))
        .thenComparing(byStrategy);
  }

  private String orderName() {
    String strategy = "by " + config.strategy().name().toLowerCase(Locale.ROOT);
    return config.preferDifferentProvider() ? strategy + ", another provider first" : strategy;
  }

  private static Comparator<ModelInfo> byAvailability(Map<ModelKey, ModelStats> measurements) {
    Function<ModelInfo, Optional<ModelStats>> measured =
        candidate ->
            Optional.ofNullable(measurements.get(candidate.key()))
                .filter(stats -> stats.calls() > 0);
    Comparator<ModelInfo> bySuccessRate =
        Comparator.comparingDouble(
            (ModelInfo candidate) ->
                measured.apply(candidate).map(ModelStats::successRate).orElse(1.0));
    return bySuccessRate
        .reversed()
        .thenComparing(candidate -> measured.apply(candidate).isEmpty())
        .thenComparingDouble(
            candidate ->
                measured
                    .apply(candidate)
                    .filter(stats -> stats.latency().count() > 0)
                    .map(stats -> stats.latency().p50Ms())
                    .orElse(Double.POSITIVE_INFINITY));
  }

  /**
   * A candidate whose window is unknown may be larger, so it is tried; so is every candidate when
   * the failed model's window is unknown too.
   */
  private static Optional<String> largerContext(ModelInfo candidate, OptionalInt failedWindow) {
    OptionalInt window = candidate.contextLength();
    if (failedWindow.isEmpty() || window.isEmpty() || window.getAsInt() > failedWindow.getAsInt()) {
      return Optional.empty();
    }
    return Optional.of(
        "context window of "
            + window.getAsInt()
            + " tokens is not larger than the failed model's "
            + failedWindow.getAsInt());
  }

  private static String windowText(OptionalInt window) {
    return window.isPresent() ? " (window " + window.getAsInt() + " tokens)" : "";
  }

  private static Optional<String> otherProvider(ModelInfo candidate, ProviderId refused) {
    return candidate.providerId().equals(refused)
        ? Optional.of("same provider as the refused credential (" + refused + ")")
        : Optional.empty();
  }
}

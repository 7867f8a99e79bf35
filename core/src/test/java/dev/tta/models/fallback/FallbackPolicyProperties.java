package dev.tta.models.fallback;

import static dev.tta.models.fallback.Fixtures.error;
import static dev.tta.models.fallback.Fixtures.rateLimited;
import static dev.tta.models.fallback.Fixtures.stats;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.fallback.FallbackDecision.RetrySame;
import dev.tta.models.fallback.FallbackDecision.Stop;
import dev.tta.models.fallback.FallbackDecision.TryNext;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Generated edge cases are off: with this many parameters their combinations crowded out random
 * cases; the boundaries that matter (no time left, one nanosecond left, jitter 0 and 1, a
 * retry-after of 0) are mixed into the arbitraries instead.
 */
class FallbackPolicyProperties {

  private static final List<String> PROVIDERS = List.of("openai", "anthropic", "ollama");
  private static final List<ModelKey> KEYS =
      PROVIDERS.stream()
          .flatMap(p -> List.of("m0", "m1", "m2", "m3").stream().map(id -> ModelKey.of(p, id)))
          .toList();
  private static final Set<ErrorClass> RETRIABLE =
      EnumSet.of(ErrorClass.RATE_LIMITED, ErrorClass.UNAVAILABLE, ErrorClass.TIMEOUT);

  /** One failed call of the simulated router: its class, its retry-after, how long it took. */
  record Outcome(ErrorClass errorClass, Optional<Duration> retryAfter, Duration callTime) {
    ProviderException on(ModelInfo model) {
      return errorClass == ErrorClass.RATE_LIMITED
          ? rateLimited(model, retryAfter.orElse(null))
          : error(errorClass, model);
    }
  }

  @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
  void decide_neverPicksTheFailedModelNorAnUnusableOne(
      @ForAll("configs") FallbackConfig config,
      @ForAll("models") ModelInfo failed,
      @ForAll("candidates") List<ModelInfo> candidates,
      @ForAll @IntRange(min = -6, max = 6) int failedModelPosition,
      @ForAll("states") FallbackState state,
      @ForAll("outcomes") Outcome outcome,
      @ForAll @IntRange(min = 1, max = 4) int attemptsOnFailed,
      @ForAll @IntRange(min = 0, max = 4) int attemptsElsewhere,
      @ForAll("timeLeft") Duration timeLeft,
      @ForAll long seed) {
    FallbackPolicy policy = new FallbackPolicy(config, new SplittableRandom(seed));
    List<ModelInfo> remaining = withFailedModelAt(candidates, failed, failedModelPosition);
    int total = attemptsOnFailed + attemptsElsewhere;
    FailureContext context =
        new FailureContext(
            failed, outcome.on(failed), attemptsOnFailed, total, timeLeft, remaining, state);
    ErrorClass errorClass = outcome.errorClass();

    FallbackDecision decision = policy.decide(context);

    switch (decision) {
      case TryNext next -> {
        assertThat(next.model().key()).isNotEqualTo(failed.key());
        assertThat(policy.unusable(next.model(), state)).isEmpty();
        assertThat(remaining).contains(next.model());
        assertThat(timeLeft).isPositive();
        assertThat(total).isLessThan(config.maxAttempts());
        assertThat(errorClass).isNotIn(ErrorClass.CANCELLED, ErrorClass.CONTENT_FILTERED);
        if (errorClass == ErrorClass.INVALID_REQUEST) {
          assertThat(config.fallbackOnInvalidRequest()).isTrue();
        }
        if (errorClass == ErrorClass.AUTHENTICATION) {
          assertThat(next.model().providerId()).isNotEqualTo(failed.providerId());
        }
        if (errorClass == ErrorClass.CONTEXT_LENGTH_EXCEEDED) {
          assertThat(next.model().contextLength().getAsInt())
              .isGreaterThan(failed.contextLength().getAsInt());
        }
      }
      case RetrySame retry -> {
        assertThat(errorClass).isIn(RETRIABLE);
        assertThat(attemptsOnFailed).isLessThanOrEqualTo(config.maxRetriesPerModel());
        assertThat(retry.delay()).isLessThan(timeLeft);
        assertThat(policy.unusable(failed, state)).isEmpty();
        assertThat(total).isLessThan(config.maxAttempts());
      }
      case Stop stop -> assertThat(stop.reason()).isNotBlank();
    }
  }

  @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
  void decide_afterARefusedCredentialOrAnOverflow_movesOnlyWhereTheRequestCanSucceed(
      @ForAll("configs") FallbackConfig config,
      @ForAll("models") ModelInfo failed,
      @ForAll("candidates") List<ModelInfo> candidates,
      @ForAll @IntRange(min = -6, max = 6) int failedModelPosition,
      @ForAll("states") FallbackState state,
      @ForAll boolean refused) {
    FallbackPolicy policy = new FallbackPolicy(config, Fixtures.noRandomness());
    ErrorClass errorClass =
        refused ? ErrorClass.AUTHENTICATION : ErrorClass.CONTEXT_LENGTH_EXCEEDED;
    List<ModelInfo> remaining = withFailedModelAt(candidates, failed, failedModelPosition);

    FallbackDecision decision =
        policy.decide(
            new FailureContext(
                failed, error(errorClass, failed), 1, 1, Duration.ofMinutes(1), remaining, state));

    assertThat(decision).isNotInstanceOf(RetrySame.class);
    if (decision instanceof TryNext next) {
      assertThat(next.model().key()).isNotEqualTo(failed.key());
      assertThat(policy.unusable(next.model(), state)).isEmpty();
      if (refused) {
        assertThat(next.model().providerId()).isNotEqualTo(failed.providerId());
      } else {
        assertThat(next.model().contextLength().getAsInt())
            .isGreaterThan(failed.contextLength().getAsInt());
      }
    }
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void simulatedRouterLoop_staysWithinTheAttemptLimitAndTheDeadline(
      @ForAll("configs") FallbackConfig config,
      @ForAll("distinctCandidates") List<ModelInfo> candidates,
      @ForAll("states") FallbackState state,
      @ForAll("outcomeSequences") List<Outcome> outcomes,
      @ForAll long seed) {
    FallbackPolicy policy = new FallbackPolicy(config, new SplittableRandom(seed));
    Optional<ModelInfo> first =
        candidates.stream().filter(m -> policy.unusable(m, state).isEmpty()).findFirst();
    Assume.that(first.isPresent());
    Duration deadline = config.requestDeadline();
    List<ModelInfo> remaining = new ArrayList<>(candidates);
    ModelInfo current = first.get();
    remaining.remove(current);
    Duration elapsed = Duration.ZERO;
    Duration delays = Duration.ZERO;
    int attemptsOnCurrent = 0;
    int total = 0;
    boolean stopped = false;

    for (Outcome outcome : outcomes) {
      assertThat(elapsed).as("an attempt starts before the deadline").isLessThan(deadline);
      total++;
      attemptsOnCurrent++;
      elapsed = elapsed.plus(outcome.callTime());
      FallbackDecision decision =
          policy.decide(
              new FailureContext(
                  current,
                  outcome.on(current),
                  attemptsOnCurrent,
                  total,
                  deadline.minus(elapsed),
                  List.copyOf(remaining),
                  state));
      if (decision instanceof RetrySame retry) {
        delays = delays.plus(retry.delay());
        elapsed = elapsed.plus(retry.delay());
      } else if (decision instanceof TryNext next) {
        remaining.remove(next.model());
        current = next.model();
        attemptsOnCurrent = 0;
      } else {
        stopped = true;
        break;
      }
    }

    assertThat(stopped).as("the policy stops before the outcomes run out").isTrue();
    assertThat(total).isLessThanOrEqualTo(config.maxAttempts());
    assertThat(delays).isLessThanOrEqualTo(deadline);
  }

  @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
  void tryNext_noUsableCandidateComesBeforeTheChosenOne(
      @ForAll("configs") FallbackConfig config,
      @ForAll("models") ModelInfo failed,
      @ForAll("candidates") List<ModelInfo> remaining,
      @ForAll("states") FallbackState state) {
    FallbackPolicy policy = new FallbackPolicy(config, Fixtures.noRandomness());
    FallbackDecision decision =
        policy.decide(
            new FailureContext(
                failed,
                error(ErrorClass.MODEL_NOT_FOUND, failed),
                1,
                1,
                Duration.ofMinutes(1),
                remaining,
                state));
    Assume.that(decision instanceof TryNext);
    ModelInfo chosen = ((TryNext) decision).model();
    boolean chosenElsewhere = !chosen.providerId().equals(failed.providerId());

    for (ModelInfo other : remaining) {
      if (other.key().equals(failed.key()) || policy.unusable(other, state).isPresent()) {
        continue;
      }
      boolean otherElsewhere = !other.providerId().equals(failed.providerId());
      if (config.preferDifferentProvider() && chosenElsewhere != otherElsewhere) {
        assertThat(chosenElsewhere).isTrue();
        continue;
      }
      switch (config.strategy()) {
        case PERFORMANCE ->
            assertThat(remaining.indexOf(chosen)).isLessThanOrEqualTo(remaining.indexOf(other));
        case COST ->
            assertThat(chosen.effectiveCostPerToken())
                .isLessThanOrEqualTo(other.effectiveCostPerToken());
        case AVAILABILITY ->
            assertThat(successRate(chosen, state))
                .isGreaterThanOrEqualTo(successRate(other, state));
      }
    }
  }

  /**
   * The candidates with the failed model inserted at {@code position} (a router bug or an explicit
   * chain can list it again); a negative position leaves it out.
   */
  private static List<ModelInfo> withFailedModelAt(
      List<ModelInfo> candidates, ModelInfo failed, int position) {
    List<ModelInfo> remaining = new ArrayList<>(candidates);
    if (position >= 0) {
      remaining.add(Math.min(position, remaining.size()), failed);
    }
    return remaining;
  }

  private static double successRate(ModelInfo model, FallbackState state) {
    ModelStats stats = state.measurements().get(model.key());
    return stats == null ? 1.0 : stats.successRate();
  }

  @Provide
  Arbitrary<FallbackConfig> configs() {
    Arbitrary<FallbackConfig> core =
        Combinators.combine(
                Arbitraries.of(FallbackStrategy.class),
                Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 8),
                Arbitraries.integers().between(0, 3),
                millis(1, 1_000),
                Arbitraries.doubles().between(1.0, 3.0),
                Arbitraries.integers().between(1, 10),
                Arbitraries.oneOf(
                    Arbitraries.doubles().between(0.0, 1.0), Arbitraries.of(0.0, 1.0)))
            .as(
                (strategy, prefer, attempts, retries, base, multiplier, maxFactor, jitter) ->
                    FallbackConfig.builder()
                        .strategy(strategy)
                        .preferDifferentProvider(prefer)
                        .maxAttempts(attempts)
                        .maxRetriesPerModel(retries)
                        .backoffBase(base)
                        .backoffMultiplier(multiplier)
                        .backoffMax(base.multipliedBy(maxFactor))
                        .jitter(jitter)
                        .build());
    return Combinators.combine(
            core, millis(0, 10_000), Arbitraries.of(true, false), millis(1, 120_000))
        .as(
            (config, maxRetryAfter, onInvalid, deadline) ->
                config.toBuilder()
                    .maxRetryAfter(maxRetryAfter)
                    .fallbackOnInvalidRequest(onInvalid)
                    .requestDeadline(deadline)
                    .build());
  }

  @Provide
  Arbitrary<ModelInfo> models() {
    return Combinators.combine(
            Arbitraries.of(KEYS),
            Arbitraries.of(2_048, 4_096, 8_192, 32_768),
            Arbitraries.of(0.0, 1e-6, 5e-6),
            Arbitraries.of(0.0, 2e-6, 5e-6))
        .as(
            (key, context, input, output) ->
                ModelInfo.builder(key.provider(), ProviderType.CUSTOM_API, key.modelId())
                    .contextLength(context)
                    .costPerToken(input, output)
                    .build());
  }

  @Provide
  Arbitrary<List<ModelInfo>> candidates() {
    return models().list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<ModelInfo>> distinctCandidates() {
    return models().list().ofMinSize(1).ofMaxSize(6).uniqueElements(ModelInfo::key);
  }

  @Provide
  Arbitrary<FallbackState> states() {
    Arbitrary<ModelStats> measurements =
        Combinators.combine(
                Arbitraries.integers().between(0, 20),
                Arbitraries.integers().between(0, 20),
                Arbitraries.of(-1.0, 100.0, 400.0, 1_200.0))
            .as((calls, successes, p50) -> stats(calls, Math.min(calls, successes), p50));
    return Combinators.combine(
            Arbitraries.subsetOf(KEYS).ofMaxSize(4),
            Arbitraries.subsetOf(PROVIDERS).ofMaxSize(1),
            Arbitraries.subsetOf(KEYS).ofMaxSize(4),
            Arbitraries.maps(Arbitraries.of(KEYS), measurements).ofMaxSize(8))
        .as(
            (excluded, out, open, measured) ->
                new FallbackState(
                    excluded,
                    out.stream()
                        .collect(
                            java.util.stream.Collectors.toMap(ProviderId::of, p -> "revoked key")),
                    open,
                    measured));
  }

  @Provide
  Arbitrary<Outcome> outcomes() {
    return Combinators.combine(
            Arbitraries.of(ErrorClass.class), millis(0, 10_000).optional(0.7), millis(0, 30_000))
        .as(Outcome::new);
  }

  @Provide
  Arbitrary<List<Outcome>> outcomeSequences() {
    return outcomes().list().ofSize(40);
  }

  @Provide
  Arbitrary<Duration> timeLeft() {
    return Arbitraries.oneOf(
        millis(-1_000, 120_000), Arbitraries.of(Duration.ZERO, Duration.ofNanos(1)));
  }

  private static Arbitrary<Duration> millis(long min, long max) {
    return Arbitraries.longs().between(min, max).map(Duration::ofMillis);
  }
}

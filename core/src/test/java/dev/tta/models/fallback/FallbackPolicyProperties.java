package dev.tta.models.fallback;

import static dev.tta.models.fallback.Fixtures.error;
import static dev.tta.models.fallback.Fixtures.rateLimited;
import static dev.tta.models.fallback.Fixtures.stats;
import static dev.tta.models.testing.PropertyChecks.qt;
import static dev.tta.models.testing.PropertyChecks.subsetsOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.maps;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * QuickTheories tries all generators at their shrink targets, then all at their minima, then all at
 * their maxima, before random values; the boundaries that matter on their own (no time left, one
 * nanosecond left, jitter 0 and 1) are mixed into the generators so that they also meet random
 * values of everything else.
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

  /**
   * The model that failed and the candidates left after it, which may list it again (a router bug
   * or an explicit chain).
   */
  record Failure(ModelInfo model, List<ModelInfo> remaining) {

    @Override
    public String toString() {
      return "Failure[model=" + describe(model) + ", remaining=" + describe(remaining) + "]";
    }
  }

  /**
   * How the attempt failed, the attempts so far on the failed model and elsewhere, the time left,
   * and the seed of the policy's jitter.
   */
  record Attempt(
      Outcome outcome,
      int attemptsOnFailed,
      int attemptsElsewhere,
      Duration timeLeft,
      long randomSeed) {}

  /** The outcomes the simulated router meets in turn, and the seed of the policy's jitter. */
  record Calls(List<Outcome> outcomes, long randomSeed) {}

  @Test
  void decide_neverPicksTheFailedModelNorAnUnusableOne() {
    qt(1000)
        .forAll(configs(), failures(), states(), attempts())
        .checkAssert(
            (config, failure, state, attempt) -> {
              FallbackPolicy policy =
                  new FallbackPolicy(config, new SplittableRandom(attempt.randomSeed()));
              ModelInfo failed = failure.model();
              List<ModelInfo> remaining = failure.remaining();
              Outcome outcome = attempt.outcome();
              Duration timeLeft = attempt.timeLeft();
              int total = attempt.attemptsOnFailed() + attempt.attemptsElsewhere();
              FailureContext context =
                  new FailureContext(
                      failed,
                      outcome.on(failed),
                      attempt.attemptsOnFailed(),
                      total,
                      timeLeft,
                      remaining,
                      state);
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
                  assertThat(attempt.attemptsOnFailed())
                      .isLessThanOrEqualTo(config.maxRetriesPerModel());
                  assertThat(retry.delay()).isLessThan(timeLeft);
                  assertThat(policy.unusable(failed, state)).isEmpty();
                  assertThat(total).isLessThan(config.maxAttempts());
                }
                case Stop stop -> assertThat(stop.reason()).isNotBlank();
              }
            });
  }

  @Test
  void decide_afterARefusedCredentialOrAnOverflow_movesOnlyWhereTheRequestCanSucceed() {
    qt(500)
        .forAll(configs(), failures(), states(), booleans().all())
        .checkAssert(
            (config, failure, state, refused) -> {
              FallbackPolicy policy = new FallbackPolicy(config, Fixtures.noRandomness());
              ModelInfo failed = failure.model();
              ErrorClass errorClass =
                  refused ? ErrorClass.AUTHENTICATION : ErrorClass.CONTEXT_LENGTH_EXCEEDED;

              FallbackDecision decision =
                  policy.decide(
                      new FailureContext(
                          failed,
                          error(errorClass, failed),
                          1,
                          1,
                          Duration.ofMinutes(1),
                          failure.remaining(),
                          state));

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
            });
  }

  @Test
  void simulatedRouterLoop_staysWithinTheAttemptLimitAndTheDeadline() {
    qt(300)
        .forAll(configs(), distinctCandidates(), states(), calls())
        .checkAssert(
            (config, candidates, state, calls) -> {
              FallbackPolicy policy =
                  new FallbackPolicy(config, new SplittableRandom(calls.randomSeed()));
              Optional<ModelInfo> first =
                  candidates.stream().filter(m -> policy.unusable(m, state).isEmpty()).findFirst();
              if (first.isEmpty()) {
                // the router makes no call without a usable model, so there is no loop to check
                return;
              }
              Duration deadline = config.requestDeadline();
              List<ModelInfo> remaining = new ArrayList<>(candidates);
              ModelInfo current = first.get();
              remaining.remove(current);
              Duration elapsed = Duration.ZERO;
              Duration delays = Duration.ZERO;
              int attemptsOnCurrent = 0;
              int total = 0;
              boolean stopped = false;

              for (Outcome outcome : calls.outcomes()) {
                assertThat(elapsed)
                    .as("an attempt starts before the deadline")
                    .isLessThan(deadline);
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
            });
  }

  @Test
  void tryNext_noUsableCandidateComesBeforeTheChosenOne() {
    qt(300)
        .forAll(configs(), models(), candidates(), states())
        .checkAssert(
            (config, failed, remaining, state) -> {
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
              if (!(decision instanceof TryNext next)) {
                // no candidate chosen, so none can come before it
                return;
              }
              ModelInfo chosen = next.model();
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
                      assertThat(remaining.indexOf(chosen))
                          .isLessThanOrEqualTo(remaining.indexOf(other));
                  case COST ->
                      assertThat(chosen.effectiveCostPerToken())
                          .isLessThanOrEqualTo(other.effectiveCostPerToken());
                  case AVAILABILITY ->
                      assertThat(successRate(chosen, state))
                          .isGreaterThanOrEqualTo(successRate(other, state));
                }
              }
            });
  }

  /**
   * The candidates with the failed model inserted at {@code position}; a negative position leaves
   * it out.
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

  private static Gen<FallbackConfig> configs() {
    Gen<FallbackStrategy> strategies = Generate.enumValues(FallbackStrategy.class);
    Gen<Integer> maxAttempts = integers().between(1, 8);
    Gen<Integer> maxRetries = integers().between(0, 3);
    Gen<Duration> backoffBases = millis(1, 1_000);
    Gen<Double> multipliers = doubles().between(1.0, 3.0);
    Gen<Integer> maxFactors = integers().between(1, 10);
    Gen<Double> jitters =
        Generate.oneOf(doubles().between(0.0, 1.0), Generate.pick(List.of(0.0, 1.0)));
    Gen<Duration> maxRetryAfters = millis(0, 10_000);
    Gen<Duration> deadlines = millis(1, 120_000);
    Gen<Boolean> flags = booleans().all();
    // Gen.zip combines at most five generators; this draws all eleven from the one source alike
    return in -> {
      Duration backoffBase = backoffBases.generate(in);
      return FallbackConfig.builder()
          .strategy(strategies.generate(in))
          .preferDifferentProvider(flags.generate(in))
          .maxAttempts(maxAttempts.generate(in))
          .maxRetriesPerModel(maxRetries.generate(in))
          .backoffBase(backoffBase)
          .backoffMultiplier(multipliers.generate(in))
          .backoffMax(backoffBase.multipliedBy(maxFactors.generate(in)))
          .jitter(jitters.generate(in))
          .maxRetryAfter(maxRetryAfters.generate(in))
          .fallbackOnInvalidRequest(flags.generate(in))
          .requestDeadline(deadlines.generate(in))
          .build();
    };
  }

  private static Gen<ModelInfo> models() {
    return Generate.pick(KEYS)
        .zip(
            Generate.pick(List.of(2_048, 4_096, 8_192, 32_768)),
            Generate.pick(List.of(0.0, 1e-6, 5e-6)),
            Generate.pick(List.of(0.0, 2e-6, 5e-6)),
            (key, context, input, output) ->
                ModelInfo.builder(key.provider(), ProviderType.CUSTOM_API, key.modelId())
                    .contextLength(context)
                    .costPerToken(input, output)
                    .build())
        .describedAs(FallbackPolicyProperties::describe);
  }

  private static Gen<List<ModelInfo>> candidates() {
    return lists().of(models()).ofSizeBetween(0, 6);
  }

  /** 1 to 6 candidates with distinct keys: of models drawn with the same key, the first stays. */
  private static Gen<List<ModelInfo>> distinctCandidates() {
    return lists()
        .of(models())
        .ofSizeBetween(1, 6)
        .map(
            drawn -> {
              Map<ModelKey, ModelInfo> byKey = new LinkedHashMap<>();
              drawn.forEach(model -> byKey.putIfAbsent(model.key(), model));
              return List.copyOf(byKey.values());
            })
        .describedAs(FallbackPolicyProperties::describe);
  }

  private static Gen<Failure> failures() {
    return models()
        .zip(
            candidates(),
            integers().between(-6, 6),
            (failed, candidates, position) ->
                new Failure(failed, withFailedModelAt(candidates, failed, position)));
  }

  private static Gen<FallbackState> states() {
    Gen<ModelStats> measurements =
        integers()
            .between(0, 20)
            .zip(
                integers().between(0, 20),
                Generate.pick(List.of(-1.0, 100.0, 400.0, 1_200.0)),
                (calls, successes, p50) -> stats(calls, Math.min(calls, successes), p50));
    return subsetsOf(KEYS, 4)
        .zip(
            subsetsOf(PROVIDERS, 1),
            subsetsOf(KEYS, 4),
            maps().of(Generate.pick(KEYS), measurements).ofSizeBetween(0, 8),
            (excluded, out, open, measured) ->
                new FallbackState(
                    excluded,
                    out.stream().collect(Collectors.toMap(ProviderId::of, p -> "revoked key")),
                    open,
                    measured));
  }

  private static Gen<Outcome> outcomes() {
    return Generate.enumValues(ErrorClass.class)
        .zip(millis(0, 10_000).toOptionals(30), millis(0, 30_000), Outcome::new);
  }

  private static Gen<Calls> calls() {
    return lists().of(outcomes()).ofSize(40).zip(longs().all(), Calls::new);
  }

  private static Gen<Attempt> attempts() {
    return outcomes()
        .zip(
            integers().between(1, 4),
            integers().between(0, 4),
            timesLeft(),
            longs().all(),
            Attempt::new);
  }

  private static Gen<Duration> timesLeft() {
    return Generate.oneOf(
        millis(-1_000, 120_000), Generate.pick(List.of(Duration.ZERO, Duration.ofNanos(1))));
  }

  /**
   * What the generators vary of a model, so that a falsifying example stays readable: key, context
   * length, input and output cost per token.
   */
  private static String describe(ModelInfo model) {
    return model.key()
        + "("
        + model.contextLength().getAsInt()
        + ", "
        + model.inputCostPerToken()
        + "/"
        + model.outputCostPerToken()
        + ")";
  }

  private static String describe(List<ModelInfo> models) {
    return models.stream()
        .map(FallbackPolicyProperties::describe)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static Gen<Duration> millis(long min, long max) {
    return longs().between(min, max).map(Duration::ofMillis);
  }
}

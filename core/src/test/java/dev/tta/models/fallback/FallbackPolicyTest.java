package dev.tta.models.fallback;

import static dev.tta.models.fallback.Fixtures.error;
import static dev.tta.models.fallback.Fixtures.fixedUniform;
import static dev.tta.models.fallback.Fixtures.model;
import static dev.tta.models.fallback.Fixtures.noRandomness;
import static dev.tta.models.fallback.Fixtures.priced;
import static dev.tta.models.fallback.Fixtures.rateLimited;
import static dev.tta.models.fallback.Fixtures.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.fallback.FallbackDecision.RetrySame;
import dev.tta.models.fallback.FallbackDecision.Stop;
import dev.tta.models.fallback.FallbackDecision.TryNext;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FallbackPolicyTest {

  /** Spelled out rather than taken from the defaults, so that a changed default breaks no test. */
  private static final FallbackConfig CONFIG =
      FallbackConfig.builder()
          .strategy(FallbackStrategy.PERFORMANCE)
          .preferDifferentProvider(false)
          .exclusionWindow(Duration.ofMinutes(30))
          .maxFailures(3)
          .maxAttempts(5)
          .maxRetriesPerModel(2)
          .backoffBase(Duration.ofMillis(250))
          .backoffMultiplier(2.0)
          .backoffMax(Duration.ofSeconds(2))
          .jitter(0.2)
          .maxRetryAfter(Duration.ofSeconds(5))
          .fallbackOnInvalidRequest(false)
          .requestDeadline(Duration.ofSeconds(120))
          .build();

  private static final Duration PLENTY = Duration.ofSeconds(60);

  private static final ModelInfo GPT4O = model("openai", "gpt-4o", 8192);
  private static final ModelInfo MINI = model("openai", "gpt-4o-mini", 8192);
  private static final ModelInfo CLAUDE = model("anthropic", "claude", 8192);
  private static final ModelInfo LLAMA = model("ollama", "llama3.2", 8192);
  private static final ModelInfo QWEN = model("ollama", "qwen", 32768);

  private static FallbackPolicy policy(RandomGenerator random) {
    return new FallbackPolicy(CONFIG, random);
  }

  private static FailureContext context(
      ProviderException error,
      int attemptsOnFailed,
      int totalAttempts,
      Duration timeLeft,
      List<ModelInfo> remaining,
      FallbackState state) {
    return new FailureContext(
        GPT4O, error, attemptsOnFailed, totalAttempts, timeLeft, remaining, state);
  }

  /** GPT-4o failed on its attempt {@code attempts}, a minute left, Claude and Llama remaining. */
  private static FailureContext failure(ProviderException error, int attempts) {
    return context(
        error, attempts, attempts, PLENTY, List.of(CLAUDE, LLAMA), FallbackState.empty());
  }

  private static FailureContext failure(ErrorClass errorClass, int attempts) {
    return failure(error(errorClass, GPT4O), attempts);
  }

  private static TryNext tryNext(ModelInfo model, String reason) {
    return new TryNext(model, reason, List.of());
  }

  private static Stop stop(String reason) {
    return new Stop(reason, List.of());
  }

  @Nested
  class Cancelled {

    @Test
    void decide_cancelled_stopsAlthoughCandidatesRemain() {
      assertThat(policy(noRandomness()).decide(failure(ErrorClass.CANCELLED, 1)))
          .isEqualTo(stop("cancelled: the caller went away"));
    }

    @Test
    void decide_cancelledAtAttemptLimit_saysCancelled() {
      FailureContext atLimit =
          context(
              error(ErrorClass.CANCELLED, GPT4O),
              1,
              5,
              Duration.ZERO,
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(atLimit))
          .isEqualTo(stop("cancelled: the caller went away"));
    }
  }

  @Nested
  class ContentFiltered {

    private final ProviderException refusal =
        new ProviderException.ContentFiltered(
            GPT4O.providerId(), GPT4O.id(), "400 content_filter", "self-harm: refused", null);

    @Test
    void decide_contentFiltered_stopsWithTheProvidersReason() {
      assertThat(policy(noRandomness()).decide(failure(refusal, 1)))
          .isEqualTo(stop("content filtered by openai: self-harm: refused"));
    }

    @Test
    void decide_contentFilteredWithNoTimeLeft_stillGivesTheProvidersReason() {
      FailureContext late =
          context(refusal, 1, 1, Duration.ZERO, List.of(CLAUDE), FallbackState.empty());

      assertThat(policy(noRandomness()).decide(late))
          .isEqualTo(stop("content filtered by openai: self-harm: refused"));
    }
  }

  @Nested
  class InvalidRequest {

    private final ProviderException invalid =
        new ProviderException.InvalidRequest(
            GPT4O.providerId(), GPT4O.id(), "temperature: must be at most 2", null);

    @Test
    void decide_invalidRequestByDefault_stops() {
      assertThat(policy(noRandomness()).decide(failure(invalid, 1)))
          .isEqualTo(
              stop("invalid request, it would fail on any model: temperature: must be at most 2"));
    }

    @Test
    void decide_invalidRequestWithFallbackEnabled_triesTheNextCandidate() {
      FallbackPolicy lenient =
          new FallbackPolicy(
              CONFIG.toBuilder().fallbackOnInvalidRequest(true).build(), noRandomness());

      assertThat(lenient.decide(failure(invalid, 1)))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "invalid request on openai/gpt-4o; trying anthropic/claude (by performance)"));
    }

    @Test
    void decide_invalidRequestWithFallbackEnabledAtAttemptLimit_stops() {
      FallbackPolicy lenient =
          new FallbackPolicy(
              CONFIG.toBuilder().fallbackOnInvalidRequest(true).build(), noRandomness());
      FailureContext atLimit =
          context(invalid, 1, 5, PLENTY, List.of(CLAUDE), FallbackState.empty());

      assertThat(lenient.decide(atLimit))
          .isEqualTo(stop("attempt limit reached: 5 of 5 attempts made"));
    }
  }

  @Nested
  class ContextLengthExceeded {

    private final ModelInfo haiku = model("anthropic", "haiku", 4096);
    private final ModelInfo sameSize = model("ollama", "llama3.2", 8192);

    private FailureContext overflow(List<ModelInfo> remaining) {
      return context(
          error(ErrorClass.CONTEXT_LENGTH_EXCEEDED, GPT4O),
          1,
          1,
          PLENTY,
          remaining,
          FallbackState.empty());
    }

    @Test
    void decide_contextLengthExceeded_triesOnlyALargerContext() {
      assertThat(policy(noRandomness()).decide(overflow(List.of(haiku, sameSize, QWEN))))
          .isEqualTo(
              new TryNext(
                  QWEN,
                  "context length exceeded on openai/gpt-4o (window 8192 tokens); trying"
                      + " ollama/qwen (by performance)",
                  List.of(
                      new SkippedCandidate(
                          haiku.key(),
                          "context window of 4096 tokens is not larger than the failed model's 8192"),
                      new SkippedCandidate(
                          sameSize.key(),
                          "context window of 8192 tokens is not larger than the failed model's 8192"))));
    }

    @Test
    void decide_contextLengthExceeded_takesAContextOneTokenLarger() {
      ModelInfo oneMore = model("anthropic", "sonnet", 8193);

      assertThat(policy(noRandomness()).decide(overflow(List.of(sameSize, oneMore))))
          .isInstanceOfSatisfying(
              TryNext.class, next -> assertThat(next.model()).isEqualTo(oneMore));
    }

    @Test
    void decide_contextLengthExceeded_triesACandidateWhoseWindowIsUnknown() {
      ModelInfo unknown = model("custom", "unlisted");

      assertThat(policy(noRandomness()).decide(overflow(List.of(sameSize, unknown))))
          .isInstanceOfSatisfying(
              TryNext.class, next -> assertThat(next.model()).isEqualTo(unknown));
    }

    @Test
    void decide_contextLengthExceeded_theWindowTheErrorStatesWinsOverTheCatalogs() {
      // the catalog did not know gpt-4o's window; the provider said 16384
      ModelInfo unknownWindow = model("openai", "gpt-4o");
      ModelInfo large = model("anthropic", "sonnet", 16384);
      ModelInfo larger = model("anthropic", "opus", 16385);
      FailureContext context =
          new FailureContext(
              unknownWindow,
              new ProviderException.ContextLengthExceeded(
                  ProviderId.of("openai"),
                  "gpt-4o",
                  "This model's maximum context length is 16384 tokens",
                  16384,
                  null),
              1,
              1,
              PLENTY,
              List.of(large, larger),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(context))
          .isEqualTo(
              new TryNext(
                  larger,
                  "context length exceeded on openai/gpt-4o (window 16384 tokens); trying"
                      + " anthropic/opus (by performance)",
                  List.of(
                      new SkippedCandidate(
                          large.key(),
                          "context window of 16384 tokens is not larger than the failed model's"
                              + " 16384"))));
    }

    @Test
    void decide_contextLengthExceededWithTheFailedWindowUnknown_triesAnyOtherCandidate() {
      ModelInfo unknownWindow = model("openai", "gpt-4o");
      FailureContext context =
          new FailureContext(
              unknownWindow,
              error(ErrorClass.CONTEXT_LENGTH_EXCEEDED, unknownWindow),
              1,
              1,
              PLENTY,
              List.of(haiku, unknownWindow),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(context))
          .isEqualTo(
              new TryNext(
                  haiku,
                  "context length exceeded on openai/gpt-4o; trying anthropic/haiku (by"
                      + " performance)",
                  List.of(
                      new SkippedCandidate(unknownWindow.key(), "the model that just failed"))));
    }

    @Test
    void decide_contextLengthExceededWithNoLargerContext_stopsNamingTheSkips() {
      assertThat(policy(noRandomness()).decide(overflow(List.of(haiku, sameSize))))
          .isEqualTo(
              new Stop(
                  "context length exceeded on openai/gpt-4o (window 8192 tokens); no usable"
                      + " candidate left",
                  List.of(
                      new SkippedCandidate(
                          haiku.key(),
                          "context window of 4096 tokens is not larger than the failed model's 8192"),
                      new SkippedCandidate(
                          sameSize.key(),
                          "context window of 8192 tokens is not larger than the failed model's 8192"))));
    }
  }

  @Nested
  class RateLimited {

    @Test
    void decide_rateLimitedWithRetryAfter_retriesAfterIt() {
      assertThat(
              policy(noRandomness()).decide(failure(rateLimited(GPT4O, Duration.ofSeconds(2)), 1)))
          .isEqualTo(
              new RetrySame(
                  Duration.ofSeconds(2),
                  "rate limited on openai/gpt-4o, retry 1 of 2 after retry-after PT2S"));
    }

    @Test
    void decide_rateLimitedWithRetryAfterExactlyTheMaximum_retries() {
      assertThat(
              policy(noRandomness()).decide(failure(rateLimited(GPT4O, Duration.ofSeconds(5)), 1)))
          .isEqualTo(
              new RetrySame(
                  Duration.ofSeconds(5),
                  "rate limited on openai/gpt-4o, retry 1 of 2 after retry-after PT5S"));
    }

    @Test
    void decide_rateLimitedWithRetryAfterJustPastTheMaximum_triesNext() {
      assertThat(
              policy(noRandomness())
                  .decide(failure(rateLimited(GPT4O, Duration.ofMillis(5001)), 1)))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "rate limited on openai/gpt-4o, retry-after PT5.001S is longer than the PT5S"
                      + " allowed; trying anthropic/claude (by performance)"));
    }

    @Test
    void decide_rateLimitedWithoutRetryAfter_triesNext() {
      assertThat(policy(noRandomness()).decide(failure(rateLimited(GPT4O, null), 1)))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "rate limited on openai/gpt-4o without a retry-after; trying anthropic/claude"
                      + " (by performance)"));
    }

    @Test
    void decide_rateLimitedWithRetryAfterEqualToTimeLeft_triesNext() {
      FailureContext tight =
          context(
              rateLimited(GPT4O, Duration.ofSeconds(2)),
              1,
              1,
              Duration.ofSeconds(2),
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(tight))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "rate limited on openai/gpt-4o, a wait of PT2S does not fit in the PT2S left;"
                      + " trying anthropic/claude (by performance)"));
    }

    @Test
    void decide_rateLimitedWithRetryAfterJustUnderTimeLeft_retries() {
      FailureContext tight =
          context(
              rateLimited(GPT4O, Duration.ofSeconds(2)),
              1,
              1,
              Duration.ofMillis(2001),
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(tight))
          .isInstanceOfSatisfying(
              RetrySame.class, retry -> assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(2)));
    }

    @Test
    void decide_rateLimitedOnTheLastAllowedRetry_retries() {
      // attempt 2 failed; 2 <= maxRetriesPerModel 2, so a third call is allowed
      assertThat(
              policy(noRandomness()).decide(failure(rateLimited(GPT4O, Duration.ofSeconds(1)), 2)))
          .isEqualTo(
              new RetrySame(
                  Duration.ofSeconds(1),
                  "rate limited on openai/gpt-4o, retry 2 of 2 after retry-after PT1S"));
    }

    @Test
    void decide_rateLimitedWithRetriesUsedUp_triesNext() {
      // attempt 3 failed; 3 > maxRetriesPerModel 2
      assertThat(
              policy(noRandomness()).decide(failure(rateLimited(GPT4O, Duration.ofSeconds(1)), 3)))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "rate limited on openai/gpt-4o, its 2 retries used up; trying anthropic/claude"
                      + " (by performance)"));
    }
  }

  @Nested
  class UnavailableAndTimeout {

    @Test
    void decide_unavailableFirstAttempt_retriesAfterTheBase() {
      // 250 ms x 2^(1-1) = 250 ms; jitter factor 1 - 0.2 + 2 x 0.2 x 0.5 = 1.0
      assertThat(policy(fixedUniform(0.5)).decide(failure(ErrorClass.UNAVAILABLE, 1)))
          .isEqualTo(
              new RetrySame(
                  Duration.ofMillis(250),
                  "openai/gpt-4o unavailable, retry 1 of 2 after backoff PT0.25S"));
    }

    @Test
    void decide_withTheThreadsOwnGenerator_spreadsTheDelaysOverTheJitterRange() {
      FallbackPolicy threadLocal = new FallbackPolicy(CONFIG);
      Set<Duration> delays = new HashSet<>();
      for (int i = 0; i < 50; i++) {
        delays.add(((RetrySame) threadLocal.decide(failure(ErrorClass.UNAVAILABLE, 1))).delay());
      }

      // 250 ms x (1 - 0.2 + 2 x 0.2 x u), u in [0, 1): from 200 ms up to 300 ms, spread
      assertThat(delays)
          .hasSizeGreaterThan(1)
          .allSatisfy(d -> assertThat(d).isBetween(Duration.ofMillis(200), Duration.ofMillis(300)));
    }

    @Test
    void decide_midStreamBreak_continuesOnAnotherModelFirst_evenWhenFast() {
      FailureContext broken =
          new FailureContext(
              GPT4O,
              error(ErrorClass.UNAVAILABLE, GPT4O),
              1,
              1,
              PLENTY,
              List.of(CLAUDE, LLAMA),
              FallbackState.empty(),
              Duration.ofMillis(5),
              true);

      assertThat(policy(noRandomness()).decide(broken))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "openai/gpt-4o broke mid-stream, not retried; trying anthropic/claude (by"
                      + " performance)"));
    }

    @Test
    void decide_midStreamRateLimit_continuesOnAnotherModelRatherThanWaiting() {
      FailureContext limited =
          new FailureContext(
              GPT4O,
              rateLimited(GPT4O, Duration.ofSeconds(1)),
              1,
              1,
              PLENTY,
              List.of(CLAUDE),
              FallbackState.empty(),
              Duration.ofMillis(5),
              true);

      assertThat(policy(noRandomness()).decide(limited))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "rate limited on openai/gpt-4o mid-stream, not retried; trying"
                      + " anthropic/claude (by performance)"));
    }

    @Test
    void decide_midStreamBreakWithNoOtherModel_continuesOnTheSameOneAfterBackoff() {
      FailureContext alone =
          new FailureContext(
              GPT4O,
              error(ErrorClass.UNAVAILABLE, GPT4O),
              1,
              1,
              PLENTY,
              List.of(),
              FallbackState.empty(),
              Duration.ofMillis(5),
              true);

      // 250 ms x 2^0 x 1.0 = 250 ms
      assertThat(policy(fixedUniform(0.5)).decide(alone))
          .isEqualTo(
              new RetrySame(
                  Duration.ofMillis(250),
                  "openai/gpt-4o broke mid-stream, retry 1 of 2 after backoff PT0.25S"));
    }

    @Test
    void decide_unavailableSecondAttempt_doublesTheDelay() {
      // 250 ms x 2^(2-1) = 500 ms; factor 1.0
      assertThat(policy(fixedUniform(0.5)).decide(failure(ErrorClass.UNAVAILABLE, 2)))
          .isEqualTo(
              new RetrySame(
                  Duration.ofMillis(500),
                  "openai/gpt-4o unavailable, retry 2 of 2 after backoff PT0.5S"));
    }

    @Test
    void decide_unavailableWithLowestJitter_shortensTheDelay() {
      // 500 ms x (1 - 0.2 + 2 x 0.2 x 0.0 = 0.8) = 400 ms
      assertThat(delayOf(policy(fixedUniform(0.0)).decide(failure(ErrorClass.UNAVAILABLE, 2))))
          .isEqualTo(Duration.ofMillis(400));
    }

    @Test
    void decide_unavailableWithHighJitter_lengthensTheDelay() {
      // 500 ms x (1 - 0.2 + 2 x 0.2 x 0.75 = 1.1) = 550 ms
      assertThat(delayOf(policy(fixedUniform(0.75)).decide(failure(ErrorClass.UNAVAILABLE, 2))))
          .isEqualTo(Duration.ofMillis(550));
    }

    @Test
    void decide_timeout_movesToTheNextCandidateAtOnce() {
      assertThat(policy(noRandomness()).decide(failure(ErrorClass.TIMEOUT, 1)))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "openai/gpt-4o timed out, not retried; trying anthropic/claude (by"
                      + " performance)"));
    }

    @Test
    void decide_timeoutWithNoOtherCandidate_retriesAfterTheBase() {
      FailureContext alone =
          context(error(ErrorClass.TIMEOUT, GPT4O), 1, 1, PLENTY, List.of(), FallbackState.empty());

      // 250 ms x 2^0 x 1.0 = 250 ms
      assertThat(policy(fixedUniform(0.5)).decide(alone))
          .isEqualTo(
              new RetrySame(
                  Duration.ofMillis(250),
                  "openai/gpt-4o timed out, retry 1 of 2 after backoff PT0.25S"));
    }

    @Test
    void decide_unavailableThatTookLongerThanAFastFailure_movesOnAtOnce() {
      FailureContext slow =
          new FailureContext(
              GPT4O,
              error(ErrorClass.UNAVAILABLE, GPT4O),
              1,
              1,
              PLENTY,
              List.of(CLAUDE, LLAMA),
              FallbackState.empty(),
              Duration.ofMillis(2001),
              false);

      assertThat(policy(noRandomness()).decide(slow))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "openai/gpt-4o unavailable after 2001 ms, not retried; trying anthropic/claude"
                      + " (by performance)"));
    }

    @Test
    void decide_unavailableWithinTheFastFailureLimit_retries() {
      FailureContext fast =
          new FailureContext(
              GPT4O,
              error(ErrorClass.UNAVAILABLE, GPT4O),
              1,
              1,
              PLENTY,
              List.of(CLAUDE, LLAMA),
              FallbackState.empty(),
              Duration.ofMillis(2000),
              false);

      assertThat(policy(fixedUniform(0.5)).decide(fast))
          .isEqualTo(
              new RetrySame(
                  Duration.ofMillis(250),
                  "openai/gpt-4o unavailable, retry 1 of 2 after backoff PT0.25S"));
    }

    @Test
    void decide_unavailableManyRetries_growsThenCapsTheDelay() {
      FallbackPolicy patient =
          new FallbackPolicy(
              CONFIG.toBuilder().maxRetriesPerModel(10).maxAttempts(20).build(), fixedUniform(0.5));

      // 250 x 2^2 = 1000 ms; 250 x 2^3 = 2000 ms = the cap; 250 x 2^4 = 4000 ms -> capped to 2000
      assertThat(delayOf(patient.decide(failure(ErrorClass.UNAVAILABLE, 3))))
          .isEqualTo(Duration.ofMillis(1000));
      assertThat(delayOf(patient.decide(failure(ErrorClass.UNAVAILABLE, 4))))
          .isEqualTo(Duration.ofMillis(2000));
      assertThat(delayOf(patient.decide(failure(ErrorClass.UNAVAILABLE, 5))))
          .isEqualTo(Duration.ofMillis(2000));
    }

    @Test
    void decide_unavailablePastTheCap_appliesJitterAfterCapping() {
      FallbackPolicy patient =
          new FallbackPolicy(
              CONFIG.toBuilder().maxRetriesPerModel(10).maxAttempts(20).build(),
              fixedUniform(0.75));

      // 250 x 2^4 = 4000 ms, capped to 2000 ms, x 1.1 = 2200 ms
      assertThat(delayOf(patient.decide(failure(ErrorClass.UNAVAILABLE, 5))))
          .isEqualTo(Duration.ofMillis(2200));
    }

    @Test
    void decide_unavailableWithMultiplierThree_triplesPerAttempt() {
      FallbackPolicy tripling =
          new FallbackPolicy(
              CONFIG.toBuilder().backoffMultiplier(3.0).backoffMax(Duration.ofSeconds(10)).build(),
              fixedUniform(0.5));

      // 250 ms x 3^(2-1) = 750 ms
      assertThat(delayOf(tripling.decide(failure(ErrorClass.UNAVAILABLE, 2))))
          .isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void decide_unavailableWithoutJitter_ignoresTheDraw() {
      FallbackPolicy steady =
          new FallbackPolicy(CONFIG.toBuilder().jitter(0).build(), fixedUniform(0.9));

      // 500 ms x (1 - 0 + 0 x 0.9 = 1.0) = 500 ms
      assertThat(delayOf(steady.decide(failure(ErrorClass.UNAVAILABLE, 2))))
          .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void decide_unavailableWithRetriesUsedUp_triesNextWithoutDrawing() {
      assertThat(policy(noRandomness()).decide(failure(ErrorClass.UNAVAILABLE, 3)))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "openai/gpt-4o unavailable, its 2 retries used up; trying anthropic/claude (by"
                      + " performance)"));
    }

    @Test
    void decide_unavailableWithNoRetriesAllowed_triesNextAtOnce() {
      FallbackPolicy impatient =
          new FallbackPolicy(CONFIG.toBuilder().maxRetriesPerModel(0).build(), noRandomness());

      assertThat(impatient.decide(failure(ErrorClass.UNAVAILABLE, 1)))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "openai/gpt-4o unavailable, its 0 retries used up; trying anthropic/claude (by"
                      + " performance)"));
    }

    @Test
    void decide_unavailableWithRetriesUsedUpAndNoCandidate_stops() {
      FailureContext last =
          context(
              error(ErrorClass.UNAVAILABLE, GPT4O), 3, 3, PLENTY, List.of(), FallbackState.empty());

      assertThat(policy(noRandomness()).decide(last))
          .isEqualTo(
              stop("openai/gpt-4o unavailable, its 2 retries used up; no usable candidate left"));
    }

    @Test
    void decide_unavailableWithDelayEqualToTimeLeft_triesNext() {
      // 250 ms x 2^1 x 1.0 = 500 ms, not shorter than the 500 ms left
      FailureContext tight =
          context(
              error(ErrorClass.UNAVAILABLE, GPT4O),
              2,
              2,
              Duration.ofMillis(500),
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(policy(fixedUniform(0.5)).decide(tight))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "openai/gpt-4o unavailable, a wait of PT0.5S does not fit in the PT0.5S left;"
                      + " trying anthropic/claude (by performance)"));
    }

    @Test
    void decide_unavailableWithDelayJustUnderTimeLeft_retries() {
      FailureContext tight =
          context(
              error(ErrorClass.UNAVAILABLE, GPT4O),
              2,
              2,
              Duration.ofMillis(501),
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(delayOf(policy(fixedUniform(0.5)).decide(tight)))
          .isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void decide_unavailableOnAnExcludedModel_movesOnInsteadOfRetrying() {
      FallbackState excluded =
          new FallbackState(Set.of(GPT4O.key()), Map.of(), Set.of(GPT4O.key()), Map.of());
      FailureContext context =
          context(error(ErrorClass.UNAVAILABLE, GPT4O), 1, 1, PLENTY, List.of(CLAUDE), excluded);

      assertThat(policy(noRandomness()).decide(context))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "openai/gpt-4o unavailable, no retry: circuit open (excluded: 3 or more"
                      + " failures within PT30M); trying anthropic/claude (by performance)"));
    }

    @Test
    void decide_unavailableOnAModelWhoseCircuitJustOpened_movesOn() {
      FallbackState open = new FallbackState(Set.of(), Map.of(), Set.of(GPT4O.key()), Map.of());
      FailureContext context =
          context(error(ErrorClass.UNAVAILABLE, GPT4O), 1, 1, PLENTY, List.of(CLAUDE), open);

      assertThat(policy(noRandomness()).decide(context))
          .isEqualTo(
              tryNext(
                  CLAUDE,
                  "openai/gpt-4o unavailable, no retry: circuit open; trying anthropic/claude (by"
                      + " performance)"));
    }

    private static Duration delayOf(FallbackDecision decision) {
      assertThat(decision).isInstanceOf(RetrySame.class);
      return ((RetrySame) decision).delay();
    }
  }

  @Nested
  class ModelNotFound {

    @Test
    void decide_modelNotFound_triesTheNextCandidate() {
      assertThat(policy(noRandomness()).decide(failure(ErrorClass.MODEL_NOT_FOUND, 1)))
          .isEqualTo(
              tryNext(CLAUDE, "openai/gpt-4o not found; trying anthropic/claude (by performance)"));
    }
  }

  @Nested
  class Authentication {

    @Test
    void decide_authentication_neverTriesTheSameProvider() {
      FailureContext refused =
          context(
              error(ErrorClass.AUTHENTICATION, GPT4O),
              1,
              1,
              PLENTY,
              List.of(MINI, CLAUDE),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(refused))
          .isEqualTo(
              new TryNext(
                  CLAUDE,
                  "authentication refused by openai; trying anthropic/claude (by performance)",
                  List.of(
                      new SkippedCandidate(
                          MINI.key(), "same provider as the refused credential (openai)"))));
    }

    @Test
    void decide_authenticationWithOnlyTheSameProviderLeft_stops() {
      FailureContext refused =
          context(
              error(ErrorClass.AUTHENTICATION, GPT4O),
              1,
              1,
              PLENTY,
              List.of(MINI),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(refused))
          .isEqualTo(
              new Stop(
                  "authentication refused by openai; no usable candidate left",
                  List.of(
                      new SkippedCandidate(
                          MINI.key(), "same provider as the refused credential (openai)"))));
    }
  }

  @Nested
  class Budget {

    @Test
    void decide_noTimeLeft_stops() {
      FailureContext late =
          context(
              error(ErrorClass.UNAVAILABLE, GPT4O),
              1,
              1,
              Duration.ZERO,
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(late))
          .isEqualTo(stop("deadline reached: no time left of the request's PT2M"));
    }

    @Test
    void decide_deadlinePassed_stops() {
      FailureContext late =
          context(
              error(ErrorClass.MODEL_NOT_FOUND, GPT4O),
              1,
              1,
              Duration.ofMillis(-1),
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(late))
          .isEqualTo(stop("deadline reached: no time left of the request's PT2M"));
    }

    @Test
    void decide_oneNanosecondLeft_stillMovesOn() {
      FailureContext barely =
          context(
              error(ErrorClass.MODEL_NOT_FOUND, GPT4O),
              1,
              1,
              Duration.ofNanos(1),
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(barely)).isInstanceOf(TryNext.class);
    }

    @Test
    void decide_attemptLimitReached_stops() {
      FailureContext fifth =
          context(
              error(ErrorClass.MODEL_NOT_FOUND, GPT4O),
              1,
              5,
              PLENTY,
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(fifth))
          .isEqualTo(stop("attempt limit reached: 5 of 5 attempts made"));
    }

    @Test
    void decide_oneAttemptBelowTheLimit_movesOn() {
      FailureContext fourth =
          context(
              error(ErrorClass.MODEL_NOT_FOUND, GPT4O),
              1,
              4,
              PLENTY,
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(fourth)).isInstanceOf(TryNext.class);
    }

    @Test
    void decide_attemptLimitReachedDuringRetries_stopsRatherThanRetrying() {
      FailureContext fifth =
          context(
              error(ErrorClass.TIMEOUT, GPT4O),
              1,
              5,
              PLENTY,
              List.of(CLAUDE),
              FallbackState.empty());

      assertThat(policy(noRandomness()).decide(fifth))
          .isEqualTo(stop("attempt limit reached: 5 of 5 attempts made"));
    }
  }

  @Nested
  class Unusable {

    private final FallbackPolicy policy = policy(noRandomness());

    @Test
    void unusable_healthyCandidate_isEmpty() {
      FallbackState others =
          new FallbackState(
              Set.of(CLAUDE.key()),
              Map.of(ProviderId.of("ollama"), "x"),
              Set.of(LLAMA.key()),
              Map.of());

      assertThat(policy.unusable(MINI, others)).isEmpty();
    }

    @Test
    void unusable_providerOut_namesTheProviderAndReason() {
      FallbackState out =
          new FallbackState(
              Set.of(), Map.of(ProviderId.of("openai"), "401 invalid key"), Set.of(), Map.of());

      assertThat(policy.unusable(MINI, out))
          .contains(new SkippedCandidate(MINI.key(), "provider openai is out: 401 invalid key"));
    }

    @Test
    void unusable_excludedWithItsProbeDue_isUsable() {
      // an exclusion holds the circuit open; once the open wait is over, the probe may go
      FallbackState excluded = new FallbackState(Set.of(MINI.key()), Map.of(), Set.of(), Map.of());

      assertThat(policy.unusable(MINI, excluded)).isEmpty();
    }

    @Test
    void unusable_excludedUnderAnotherConfig_namesThatConfigsRule() {
      FallbackPolicy strict =
          new FallbackPolicy(
              CONFIG.toBuilder().maxFailures(1).exclusionWindow(Duration.ofMinutes(10)).build(),
              noRandomness());
      FallbackState excluded =
          new FallbackState(Set.of(MINI.key()), Map.of(), Set.of(MINI.key()), Map.of());

      assertThat(strict.unusable(MINI, excluded))
          .contains(
              new SkippedCandidate(
                  MINI.key(), "circuit open (excluded: 1 or more failures within PT10M)"));
    }

    @Test
    void unusable_circuitOpen_saysSo() {
      FallbackState open = new FallbackState(Set.of(), Map.of(), Set.of(MINI.key()), Map.of());

      assertThat(policy.unusable(MINI, open))
          .contains(new SkippedCandidate(MINI.key(), "circuit open"));
    }

    @Test
    void unusable_providerOutAndExcludedAndOpen_reportsTheProviderFirst() {
      FallbackState all =
          new FallbackState(
              Set.of(MINI.key()),
              Map.of(ProviderId.of("openai"), "revoked"),
              Set.of(MINI.key()),
              Map.of());

      assertThat(policy.unusable(MINI, all))
          .contains(new SkippedCandidate(MINI.key(), "provider openai is out: revoked"));
    }

    @Test
    void unusable_excludedAndOpen_reportsTheExclusion() {
      FallbackState both =
          new FallbackState(Set.of(MINI.key()), Map.of(), Set.of(MINI.key()), Map.of());

      assertThat(policy.unusable(MINI, both))
          .contains(
              new SkippedCandidate(
                  MINI.key(), "circuit open (excluded: 3 or more failures within PT30M)"));
    }

    @Test
    void decide_unusableCandidates_areSkippedInRankOrderWithTheirReasons() {
      FallbackState state =
          new FallbackState(
              Set.of(MINI.key()),
              Map.of(ProviderId.of("anthropic"), "revoked"),
              Set.of(MINI.key(), LLAMA.key()),
              Map.of());
      FailureContext context =
          context(
              error(ErrorClass.MODEL_NOT_FOUND, GPT4O),
              1,
              1,
              PLENTY,
              List.of(MINI, CLAUDE, GPT4O, LLAMA, QWEN),
              state);

      assertThat(policy.decide(context))
          .isEqualTo(
              new TryNext(
                  QWEN,
                  "openai/gpt-4o not found; trying ollama/qwen (by performance)",
                  List.of(
                      new SkippedCandidate(
                          MINI.key(), "circuit open (excluded: 3 or more failures within PT30M)"),
                      new SkippedCandidate(CLAUDE.key(), "provider anthropic is out: revoked"),
                      new SkippedCandidate(GPT4O.key(), "the model that just failed"),
                      new SkippedCandidate(LLAMA.key(), "circuit open"))));
    }

    @Test
    void decide_everyCandidateUnusable_stopsNamingThem() {
      FallbackState state =
          new FallbackState(
              Set.of(CLAUDE.key()), Map.of(), Set.of(CLAUDE.key(), LLAMA.key()), Map.of());
      FailureContext context =
          context(
              error(ErrorClass.MODEL_NOT_FOUND, GPT4O),
              1,
              1,
              PLENTY,
              List.of(CLAUDE, LLAMA),
              state);

      assertThat(policy.decide(context))
          .isEqualTo(
              new Stop(
                  "openai/gpt-4o not found; no usable candidate left",
                  List.of(
                      new SkippedCandidate(
                          CLAUDE.key(), "circuit open (excluded: 3 or more failures within PT30M)"),
                      new SkippedCandidate(LLAMA.key(), "circuit open"))));
    }
  }

  @Nested
  class Strategies {

    /** The order in which the policy would try {@code candidates} if each failed in turn. */
    private List<ModelKey> fallbackOrder(
        FallbackConfig config, ModelInfo failed, List<ModelInfo> candidates, FallbackState state) {
      FallbackPolicy policy = new FallbackPolicy(config, noRandomness());
      List<ModelInfo> remaining = new ArrayList<>(candidates);
      List<ModelKey> order = new ArrayList<>();
      while (policy.decide(
              new FailureContext(
                  failed,
                  error(ErrorClass.MODEL_NOT_FOUND, failed),
                  1,
                  1,
                  PLENTY,
                  remaining,
                  state))
          instanceof TryNext next) {
        order.add(next.model().key());
        remaining.remove(next.model());
      }
      return order;
    }

    private FallbackConfig config(FallbackStrategy strategy, boolean preferDifferentProvider) {
      return CONFIG.toBuilder()
          .strategy(strategy)
          .preferDifferentProvider(preferDifferentProvider)
          .maxAttempts(100)
          .build();
    }

    @Test
    void performance_keepsTheSelectorsRankOrder() {
      ModelInfo pricey = priced("anthropic", "opus", 15e-6, 75e-6);
      ModelInfo free = model("ollama", "llama3.2");
      ModelInfo middle = priced("mistral", "large", 2e-6, 6e-6);

      assertThat(
              fallbackOrder(
                  config(FallbackStrategy.PERFORMANCE, false),
                  GPT4O,
                  List.of(pricey, free, middle),
                  FallbackState.empty()))
          .containsExactly(pricey.key(), free.key(), middle.key());
    }

    @Test
    void cost_cheapestEffectivePriceFirstTiesInRankOrder() {
      // effective = max(input, output): a 3e-6, b 2e-6, c 0, d max(2e-6, 1e-6) = 2e-6
      ModelInfo a = priced("p1", "a", 1e-6, 3e-6);
      ModelInfo b = priced("p2", "b", 2e-6, 2e-6);
      ModelInfo c = priced("p3", "c", 0, 0);
      ModelInfo d = priced("p4", "d", 2e-6, 1e-6);

      // c (0) < b (2e-6, rank 2) = d (2e-6, rank 4) < a (3e-6)
      assertThat(
              fallbackOrder(
                  config(FallbackStrategy.COST, false),
                  GPT4O,
                  List.of(a, b, c, d),
                  FallbackState.empty()))
          .containsExactly(c.key(), b.key(), d.key(), a.key());
    }

    @Test
    void availability_successRateThenMeasuredFirstThenLatency() {
      ModelInfo g = model("p1", "g");
      ModelInfo f = model("p2", "f");
      ModelInfo a = model("p3", "a");
      ModelInfo b = model("p4", "b");
      ModelInfo c = model("p5", "c");
      ModelInfo d = model("p6", "d");
      ModelInfo e = model("p7", "e");
      Map<ModelKey, ModelStats> measured =
          Map.of(
              g.key(), stats(10, 5, 300), // 5/10 = 0.50
              f.key(), stats(10, 9, -1), // 9/10 = 0.90, no latency recorded
              a.key(), stats(100, 90, 800), // 90/100 = 0.90, p50 800 ms
              b.key(), stats(50, 50, 1200), // 50/50 = 1.00, measured
              d.key(), stats(20, 18, 400), // 18/20 = 0.90, p50 400 ms
              e.key(), stats(0, 0, -1)); // no calls: unmeasured, like c (absent)
      FallbackState state = new FallbackState(Set.of(), Map.of(), Set.of(), measured);

      // 1.00 measured b; 1.00 unmeasured c, e in rank order; 0.90 by p50: d 400, a 800, f unknown;
      // 0.50 g
      assertThat(
              fallbackOrder(
                  config(FallbackStrategy.AVAILABILITY, false),
                  GPT4O,
                  List.of(g, f, a, b, c, d, e),
                  state))
          .containsExactly(b.key(), c.key(), e.key(), d.key(), a.key(), f.key(), g.key());
    }

    @Test
    void availability_unmeasuredRanksAfterAPerfectMeasuredModel() {
      ModelInfo unmeasured = model("p1", "new");
      ModelInfo perfect = model("p2", "proven");
      FallbackState state =
          new FallbackState(Set.of(), Map.of(), Set.of(), Map.of(perfect.key(), stats(3, 3, 900)));

      // both 1.0; measured first
      assertThat(
              fallbackOrder(
                  config(FallbackStrategy.AVAILABILITY, false),
                  GPT4O,
                  List.of(unmeasured, perfect),
                  state))
          .containsExactly(perfect.key(), unmeasured.key());
    }

    @Test
    void availability_measuredWithoutLatencyStillRanksBeforeUnmeasured() {
      ModelInfo unmeasured = model("p1", "new");
      ModelInfo noLatency = model("p2", "proven");
      FallbackState state =
          new FallbackState(Set.of(), Map.of(), Set.of(), Map.of(noLatency.key(), stats(4, 4, -1)));

      // both 1.0 and both without a p50: the measured-first rule alone decides
      assertThat(
              fallbackOrder(
                  config(FallbackStrategy.AVAILABILITY, false),
                  GPT4O,
                  List.of(unmeasured, noLatency),
                  state))
          .containsExactly(noLatency.key(), unmeasured.key());
    }

    @Test
    void preferDifferentProvider_putsOtherProvidersFirst() {
      // failed on openai: mini is on openai, claude and llama are not
      assertThat(
              fallbackOrder(
                  config(FallbackStrategy.PERFORMANCE, true),
                  GPT4O,
                  List.of(MINI, CLAUDE, LLAMA),
                  FallbackState.empty()))
          .containsExactly(CLAUDE.key(), LLAMA.key(), MINI.key());
    }

    @Test
    void preferDifferentProviderOff_keepsTheSameProviderInRank() {
      assertThat(
              fallbackOrder(
                  config(FallbackStrategy.PERFORMANCE, false),
                  GPT4O,
                  List.of(MINI, CLAUDE, LLAMA),
                  FallbackState.empty()))
          .containsExactly(MINI.key(), CLAUDE.key(), LLAMA.key());
    }

    @Test
    void preferDifferentProvider_comesBeforeTheStrategy() {
      ModelInfo freeMini = model("openai", "gpt-4o-mini");
      ModelInfo pricey = priced("anthropic", "claude", 3e-6, 15e-6);
      ModelInfo freeLlama = model("ollama", "llama3.2");

      // other providers first (pricey 15e-6, freeLlama 0 -> freeLlama, pricey), then freeMini
      assertThat(
              fallbackOrder(
                  config(FallbackStrategy.COST, true),
                  GPT4O,
                  List.of(freeMini, pricey, freeLlama),
                  FallbackState.empty()))
          .containsExactly(freeLlama.key(), pricey.key(), freeMini.key());
    }

    @Test
    void preferDifferentProvider_usesTheRealProviderNotTheName() {
      // served by openrouter, named like an openai model
      ModelInfo routedGpt = model("openrouter", "openai/gpt-4o");
      ModelInfo routedClaude = model("openrouter", "anthropic/claude-3.5-sonnet");
      ModelInfo directMini = model("openai", "gpt-4o-mini");

      // the name would say openai/gpt-4o-mini is "the same provider"; the real provider says it is
      // the other one
      assertThat(
              fallbackOrder(
                  config(FallbackStrategy.PERFORMANCE, true),
                  routedGpt,
                  List.of(routedClaude, directMini),
                  FallbackState.empty()))
          .containsExactly(directMini.key(), routedClaude.key());
    }

    @Test
    void decide_withProviderPreference_saysSoInTheReason() {
      FallbackPolicy policy =
          new FallbackPolicy(config(FallbackStrategy.COST, true), noRandomness());

      assertThat(policy.decide(failure(ErrorClass.MODEL_NOT_FOUND, 1)).reason())
          .isEqualTo(
              "openai/gpt-4o not found; trying anthropic/claude (by cost, another provider first)");
    }
  }

  @Test
  void config_isTheOneGiven() {
    assertThat(policy(noRandomness()).config()).isSameAs(CONFIG);
  }

  @Test
  void constructor_withoutConfigOrGenerator_isRejected() {
    assertThatThrownBy(() -> new FallbackPolicy(null, noRandomness()))
        .hasMessage("config: is required");
    assertThatThrownBy(() -> new FallbackPolicy(CONFIG, null)).hasMessage("jitter: is required");
  }

  @Test
  void decide_withoutContext_isRejected() {
    assertThatThrownBy(() -> policy(noRandomness()).decide(null))
        .hasMessage("context: is required");
  }

  @Test
  void unusable_withNothingKnown_isEmpty() {
    assertThat(policy(noRandomness()).unusable(CLAUDE, FallbackState.empty()))
        .isEqualTo(Optional.empty());
  }
}

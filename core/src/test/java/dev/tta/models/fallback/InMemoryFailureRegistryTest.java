package dev.tta.models.fallback;

import static dev.tta.models.fallback.Fixtures.model;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.provider.ErrorClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InMemoryFailureRegistryTest {

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final FallbackConfig CONFIG =
      FallbackConfig.builder()
          .exclusionWindow(Duration.ofMinutes(30))
          .maxFailures(3)
          .failureRetention(Duration.ofHours(24))
          .build();

  private static final ModelInfo GPT4O = model("openai", "gpt-4o");
  private static final ModelInfo MINI = model("openai", "gpt-4o-mini");
  private static final ModelInfo CLAUDE = model("anthropic", "claude");

  private final InMemoryFailureRegistry registry = new InMemoryFailureRegistry(CONFIG);

  private static Instant at(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  private void fail(ModelInfo model, ErrorClass error, Instant... instants) {
    for (Instant instant : instants) {
      registry.recordFailure(model, error, instant);
    }
  }

  @Test
  void isExcluded_threeCountedFailures_excludes() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(0), at(1), at(2));

    assertThat(registry.isExcluded(GPT4O.key(), at(2))).isTrue();
  }

  @Test
  void isExcluded_twoCountedFailures_doesNotExclude() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(0), at(1));

    assertThat(registry.isExcluded(GPT4O.key(), at(1))).isFalse();
  }

  @Test
  void isExcluded_oldestFailureExactlyThirtyMinutesOld_stillExcludes() {
    fail(GPT4O, ErrorClass.TIMEOUT, at(0), at(1), at(2));

    // window [now - 30 min, now] = [00:00, 00:30]: the failure at 00:00 is on its edge and counts
    assertThat(registry.isExcluded(GPT4O.key(), at(30))).isTrue();
  }

  @Test
  void isExcluded_oldestFailureJustPastThirtyMinutes_noLongerExcludes() {
    fail(GPT4O, ErrorClass.TIMEOUT, at(0), at(1), at(2));

    // window starts at 00:00:00.000000001; only 00:01 and 00:02 remain: 2 < 3
    assertThat(registry.isExcluded(GPT4O.key(), at(30).plusNanos(1))).isFalse();
  }

  @ParameterizedTest
  @EnumSource(
      value = ErrorClass.class,
      names = {"UNAVAILABLE", "TIMEOUT", "RATE_LIMITED", "MODEL_NOT_FOUND"})
  void isExcluded_threeDeploymentFaultsOfOneClass_excludes(ErrorClass error) {
    fail(GPT4O, error, at(0), at(1), at(2));

    assertThat(registry.isExcluded(GPT4O.key(), at(2))).isTrue();
  }

  @ParameterizedTest
  @EnumSource(
      value = ErrorClass.class,
      names = {
        "INVALID_REQUEST",
        "CONTENT_FILTERED",
        "CONTEXT_LENGTH_EXCEEDED",
        "CANCELLED",
        "AUTHENTICATION"
      })
  void isExcluded_manyRequestProblems_doesNotExclude(ErrorClass error) {
    fail(GPT4O, error, at(0), at(1), at(2), at(3), at(4));

    assertThat(registry.isExcluded(GPT4O.key(), at(4))).isFalse();
  }

  @Test
  void isExcluded_mixedDeploymentFaults_countTogether() {
    fail(GPT4O, ErrorClass.TIMEOUT, at(0));
    fail(GPT4O, ErrorClass.RATE_LIMITED, at(1));
    fail(GPT4O, ErrorClass.INVALID_REQUEST, at(2));
    fail(GPT4O, ErrorClass.MODEL_NOT_FOUND, at(3));

    // timeout + rate limited + not found = 3 counted; the invalid request is not counted
    assertThat(registry.isExcluded(GPT4O.key(), at(3))).isTrue();
  }

  @Test
  void isExcluded_twoFaultsAndARequestProblem_doesNotExclude() {
    fail(GPT4O, ErrorClass.TIMEOUT, at(0), at(1));
    fail(GPT4O, ErrorClass.CONTENT_FILTERED, at(2));

    assertThat(registry.isExcluded(GPT4O.key(), at(2))).isFalse();
  }

  @Test
  void isExcluded_otherModelsFailures_doNotCount() {
    fail(MINI, ErrorClass.UNAVAILABLE, at(0), at(1), at(2));

    assertThat(registry.isExcluded(GPT4O.key(), at(2))).isFalse();
    assertThat(registry.isExcluded(MINI.key(), at(2))).isTrue();
  }

  @Test
  void isExcluded_withMaxFailuresOne_excludesAfterASingleFailureLikeTheOriginal() {
    InMemoryFailureRegistry original =
        new InMemoryFailureRegistry(CONFIG.toBuilder().maxFailures(1).build());
    original.recordFailure(GPT4O, ErrorClass.UNAVAILABLE, at(0));

    assertThat(original.isExcluded(GPT4O.key(), at(0))).isTrue();
    assertThat(original.isExcluded(GPT4O.key(), at(30).plusNanos(1))).isFalse();
  }

  @Test
  void isExcluded_modelNeverSeen_isFalse() {
    assertThat(registry.isExcluded(GPT4O.key(), at(0))).isFalse();
  }

  @Test
  void recordSuccess_forgivesEarlierFailures() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(0), at(1));
    registry.recordSuccess(GPT4O.key(), at(2));
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(3));

    // only 00:03 is after the success: 1 < 3
    assertThat(registry.isExcluded(GPT4O.key(), at(3))).isFalse();

    fail(GPT4O, ErrorClass.UNAVAILABLE, at(4), at(5));
    // 00:03, 00:04, 00:05 after the success: 3
    assertThat(registry.isExcluded(GPT4O.key(), at(5))).isTrue();
  }

  @Test
  void recordSuccess_atTheInstantOfAFailure_forgivesIt() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(0), at(1), at(2));
    registry.recordSuccess(GPT4O.key(), at(2));

    // counted failures must be strictly after the success at 00:02: 00:00, 00:01 and 00:02 are not
    assertThat(registry.isExcluded(GPT4O.key(), at(2))).isFalse();
  }

  @Test
  void recordSuccess_anOlderSuccessRecordedLater_keepsTheLatest() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(3), at(4));
    registry.recordSuccess(GPT4O.key(), at(5));
    registry.recordSuccess(GPT4O.key(), at(2));
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(6));

    // latest success 00:05: only 00:06 counts (had 00:02 won, 00:03, 00:04, 00:06 would exclude)
    assertThat(registry.isExcluded(GPT4O.key(), at(6))).isFalse();
  }

  @Test
  void recordSuccess_aLaterSuccess_replacesTheEarlierOne() {
    registry.recordSuccess(GPT4O.key(), at(2));
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(3), at(4));
    registry.recordSuccess(GPT4O.key(), at(5));
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(6));

    // latest success 00:05: only 00:06 counts (had 00:02 stayed, 00:03, 00:04, 00:06 would exclude)
    assertThat(registry.isExcluded(GPT4O.key(), at(6))).isFalse();
  }

  @Test
  void excludedModels_listsOnlyExcludedModelsSorted() {
    fail(MINI, ErrorClass.TIMEOUT, at(0), at(1), at(2));
    fail(CLAUDE, ErrorClass.TIMEOUT, at(0), at(1), at(2));
    fail(GPT4O, ErrorClass.TIMEOUT, at(0), at(1));

    assertThat(registry.excludedModels(at(2))).containsExactly(CLAUDE.key(), MINI.key());
  }

  @Test
  void excludedModels_afterTheWindow_isEmpty() {
    fail(MINI, ErrorClass.TIMEOUT, at(0), at(1), at(2));

    assertThat(registry.excludedModels(at(31))).isEmpty();
  }

  @Test
  void markProviderOut_isListedWithReasonAndInstantUntilReset() {
    registry.markProviderOut(ProviderId.of("openai"), "401 invalid key", at(5));

    assertThat(registry.providersOut(at(6)))
        .isEqualTo(
            Map.of(
                ProviderId.of("openai"),
                "401 invalid key (since 2026-01-01T00:05:00Z, recheck at 2026-01-01T00:10:00Z)"));

    registry.resetProvider(ProviderId.of("openai"));

    assertThat(registry.providersOut(at(6))).isEmpty();
  }

  @Test
  void markProviderOut_again_keepsTheLatestReason() {
    registry.markProviderOut(ProviderId.of("openai"), "401", at(5));
    registry.markProviderOut(ProviderId.of("openai"), "403", at(6));

    assertThat(registry.providersOut(at(6)))
        .containsExactly(
            Map.entry(
                ProviderId.of("openai"),
                "403 (since 2026-01-01T00:06:00Z, recheck at 2026-01-01T00:11:00Z)"));
  }

  @Test
  void providersOut_isSortedByProvider() {
    registry.markProviderOut(ProviderId.of("openrouter"), "401", at(0));
    registry.markProviderOut(ProviderId.of("anthropic"), "401", at(0));

    assertThat(registry.providersOut(at(0)).keySet())
        .containsExactly(ProviderId.of("anthropic"), ProviderId.of("openrouter"));
  }

  @Test
  void resetProvider_leavesOtherProvidersOut() {
    registry.markProviderOut(ProviderId.of("openai"), "401", at(0));
    registry.markProviderOut(ProviderId.of("anthropic"), "401", at(0));

    registry.resetProvider(ProviderId.of("openai"));

    assertThat(registry.providersOut(at(0)).keySet()).containsExactly(ProviderId.of("anthropic"));
  }

  @Test
  void resetModel_liftsTheExclusionAndForgetsItsFailures() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(0), at(1), at(2));
    fail(MINI, ErrorClass.UNAVAILABLE, at(0));

    registry.resetModel(GPT4O.key());

    assertThat(registry.isExcluded(GPT4O.key(), at(2))).isFalse();
    assertThat(registry.statistics(at(2)).byModel()).isEqualTo(Map.of(MINI.key(), 1L));
  }

  @Test
  void resetModel_forgetsTheLastSuccessToo() {
    registry.recordSuccess(GPT4O.key(), at(10));
    registry.resetModel(GPT4O.key());
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(1), at(2), at(3));

    // without the forgotten success at 00:10, the three failures count
    assertThat(registry.isExcluded(GPT4O.key(), at(11))).isTrue();
  }

  @Test
  void cleanUp_dropsOnlyRecordsOlderThanTheRetention() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(0), at(60), at(120));
    fail(CLAUDE, ErrorClass.TIMEOUT, at(0));

    // now 25:00, retention 24 h: cutoff 01:00; 00:00 (twice) dropped, 01:00 on the edge kept
    Instant now = at(25 * 60);
    assertThat(registry.cleanUp(now)).isEqualTo(2);
    assertThat(registry.cleanUp(now)).isZero();
    assertThat(registry.statistics(now).byModel()).isEqualTo(Map.of(GPT4O.key(), 2L));
  }

  @Test
  void cleanUp_forgetsAModelWhoseRecordsAllAgedOut() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(0));
    fail(CLAUDE, ErrorClass.TIMEOUT, at(0), at(120));
    assertThat(registry.modelsTracked()).isEqualTo(2);

    // cutoff 01:00 at 25:00: gpt-4o has nothing left, claude keeps 02:00
    registry.cleanUp(at(25 * 60));

    assertThat(registry.modelsTracked()).isEqualTo(1);
  }

  @Test
  void cleanUp_dropsSuccessesOlderThanTheRetention() {
    registry.recordSuccess(GPT4O.key(), at(0));
    registry.cleanUp(at(24 * 60).plusNanos(1));
    // a failure recorded late with an old timestamp: the dropped success no longer forgives it
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(-3), at(-2), at(-1));

    assertThat(registry.isExcluded(GPT4O.key(), at(0))).isTrue();
  }

  @Test
  void cleanUp_keepsSuccessesWithinTheRetention() {
    registry.recordSuccess(GPT4O.key(), at(0));
    registry.cleanUp(at(24 * 60));
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(-3), at(-2), at(-1));

    // the success at 00:00 is exactly 24 h old at the clean-up and stays: it forgives them
    assertThat(registry.isExcluded(GPT4O.key(), at(0))).isFalse();
  }

  @Test
  void statistics_countByModelProviderAndClass() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(40), at(50));
    fail(GPT4O, ErrorClass.TIMEOUT, at(55));
    fail(MINI, ErrorClass.INVALID_REQUEST, at(5));
    fail(CLAUDE, ErrorClass.CONTENT_FILTERED, at(10));
    fail(CLAUDE, ErrorClass.RATE_LIMITED, at(15));
    fail(CLAUDE, ErrorClass.UNAVAILABLE, at(-24 * 60)); // older than the 24 h retention at 01:00
    registry.markProviderOut(ProviderId.of("anthropic"), "401", at(57));

    FailureStatistics statistics = registry.statistics(at(60));

    // gpt-4o 3 + mini 1 + claude 2 = 6; openai 3 + 1 = 4, anthropic 2; gpt-4o has 3 faults in
    // [00:30, 01:00]
    assertThat(statistics)
        .isEqualTo(
            new FailureStatistics(
                6,
                Map.of(GPT4O.key(), 3L, MINI.key(), 1L, CLAUDE.key(), 2L),
                Map.of(ProviderId.of("openai"), 4L, ProviderId.of("anthropic"), 2L),
                Map.of(
                    ErrorClass.UNAVAILABLE, 2L,
                    ErrorClass.TIMEOUT, 1L,
                    ErrorClass.INVALID_REQUEST, 1L,
                    ErrorClass.CONTENT_FILTERED, 1L,
                    ErrorClass.RATE_LIMITED, 1L),
                Set.of(GPT4O.key()),
                Map.of(
                    ProviderId.of("anthropic"),
                    "401 (since 2026-01-01T00:57:00Z, recheck at 2026-01-01T01:02:00Z)")));
    assertThat(statistics.byModel().keySet())
        .containsExactly(CLAUDE.key(), GPT4O.key(), MINI.key());
  }

  @Test
  void statistics_failureExactlyAtTheRetentionEdge_counts() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(0));

    assertThat(registry.statistics(at(24 * 60)).totalFailures()).isEqualTo(1);
    assertThat(registry.statistics(at(24 * 60).plusNanos(1)).totalFailures()).isZero();
  }

  @Test
  void statistics_nothingRecorded_isAllZero() {
    assertThat(registry.statistics(at(0)))
        .isEqualTo(new FailureStatistics(0, Map.of(), Map.of(), Map.of(), Set.of(), Map.of()));
  }

  @Test
  void recordFailure_withoutClassOrInstant_isRejected() {
    assertThatThrownBy(() -> registry.recordFailure(GPT4O, null, at(0)))
        .hasMessage("error: is required");
    assertThatThrownBy(() -> registry.recordFailure(GPT4O, ErrorClass.TIMEOUT, null))
        .hasMessage("at: is required");
    assertThatThrownBy(() -> registry.recordSuccess(GPT4O.key(), null))
        .hasMessage("at: is required");
  }

  @Test
  void markProviderOut_withoutReasonProviderOrInstant_isRejected() {
    assertThatThrownBy(() -> registry.markProviderOut(ProviderId.of("openai"), " ", at(0)))
        .hasMessage("reason: must not be blank");
    assertThatThrownBy(() -> registry.markProviderOut(null, "401", at(0)))
        .hasMessage("provider: is required");
    assertThatThrownBy(() -> registry.markProviderOut(ProviderId.of("openai"), "401", null))
        .hasMessage("at: is required");
  }

  @Test
  void constructor_withoutConfig_isRejected() {
    assertThatThrownBy(() -> new InMemoryFailureRegistry(null)).hasMessage("config: is required");
  }

  @Test
  void recordFailure_concurrentWithCleanUp_losesNoRecentFailure() throws Exception {
    int writers = 4;
    int perWriter = 2_000;
    Instant now = at(25 * 60);
    Instant old = at(0); // older than the retention at 25:00
    Instant recent = at(24 * 60 + 30);
    List<ModelInfo> models = List.of(GPT4O, MINI);
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        ModelInfo model = models.get(w % models.size());
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perWriter; i++) {
                    registry.recordFailure(
                        model, ErrorClass.UNAVAILABLE, i % 2 == 0 ? old : recent);
                  }
                  return null;
                }));
      }
      Future<?> cleaner =
          pool.submit(
              () -> {
                start.await();
                while (writing.get()) {
                  registry.cleanUp(now);
                }
                return null;
              });
      start.countDown();
      for (Future<?> writer : done) {
        writer.get(30, TimeUnit.SECONDS);
      }
      writing.set(false);
      cleaner.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    registry.cleanUp(now);

    // half of 4 x 2000 are recent: 4000 kept, split evenly over the two models
    FailureStatistics statistics = registry.statistics(now);
    assertThat(statistics.totalFailures()).isEqualTo(4_000);
    assertThat(statistics.byModel()).isEqualTo(Map.of(GPT4O.key(), 2_000L, MINI.key(), 2_000L));
  }

  @Test
  void excludedModels_isUnmodifiable() {
    fail(GPT4O, ErrorClass.TIMEOUT, at(0), at(1), at(2));

    Set<ModelKey> excluded = registry.excludedModels(at(2));

    assertThatThrownBy(() -> excluded.add(MINI.key()))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aModelFailingWithoutEnd_holdsAtMostTheCapOfRecords() {
    // 4,096 + 10 failures a millisecond apart, all within the retention
    for (int i = 0; i < InMemoryFailureRegistry.MAX_RECORDS_PER_MODEL + 10; i++) {
      registry.recordFailure(GPT4O, ErrorClass.UNAVAILABLE, T0.plusMillis(i));
    }

    FailureStatistics statistics = registry.statistics(T0.plusSeconds(10));

    assertThat(statistics.totalFailures()).isEqualTo(InMemoryFailureRegistry.MAX_RECORDS_PER_MODEL);
    assertThat(registry.isExcluded(GPT4O.key(), T0.plusSeconds(10))).isTrue();
  }

  @Test
  void aNewFailure_dropsTheModelsRecordsOlderThanTheRetention() {
    fail(GPT4O, ErrorClass.UNAVAILABLE, at(0), at(1));

    // 24 h and one minute after the first: the 00:00 record is past the retention, 00:01 is not
    fail(GPT4O, ErrorClass.TIMEOUT, at(24 * 60 + 1));

    assertThat(registry.statistics(at(24 * 60 + 1)).totalFailures()).isEqualTo(2);
    assertThat(registry.cleanUp(at(24 * 60 + 1))).isZero();
  }

  @Test
  void providersOut_untilTheRecheckTime_thenTriedAgain() {
    registry.markProviderOut(ProviderId.of("openai"), "401", at(0));

    // out for the 5 minutes of provider_recheck_after, to the nanosecond
    assertThat(registry.providersOut(at(5).minusNanos(1))).containsKey(ProviderId.of("openai"));
    assertThat(registry.providersOut(at(5))).isEmpty();
  }

  @Test
  void cleanUp_forgetsProvidersWhoseRecheckTimeHasPassed() {
    registry.markProviderOut(ProviderId.of("openai"), "401", at(0));
    registry.markProviderOut(ProviderId.of("anthropic"), "401", at(3));

    registry.cleanUp(at(5));

    // openai is forgotten; anthropic (recheck at 00:08) would still be out had time stood still
    assertThat(registry.providersOut(at(4))).containsOnlyKeys(ProviderId.of("anthropic"));
  }
}

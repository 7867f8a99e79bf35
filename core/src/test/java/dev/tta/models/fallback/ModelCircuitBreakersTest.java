package dev.tta.models.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ModelCircuitBreakersTest {

  private static final ModelKey GPT4O = ModelKey.of("openai", "gpt-4o");
  private static final ModelKey CLAUDE = ModelKey.of("anthropic", "claude");
  private static final Duration CALL = Duration.ofMillis(800);

  /**
   * A window of 4 calls, all 4 needed, opens at 50 %, waits 30 s, then 60 s, 120 s and at most 200
   * s after failed probes, one probe.
   */
  private static final CircuitBreakerSettings SETTINGS =
      CircuitBreakerSettings.builder()
          .failureRateThreshold(50f)
          .slidingWindowSize(4)
          .minimumCalls(4)
          .waitInOpenState(Duration.ofSeconds(30))
          .permittedCallsInHalfOpenState(1)
          .openWaitMultiplier(2.0)
          .maxWaitInOpenState(Duration.ofSeconds(200))
          .build();

  private final ManualTimeSource time = new ManualTimeSource();
  private final ModelCircuitBreakers breakers = new ModelCircuitBreakers(SETTINGS, time);

  private void calls(ModelKey model, int failures, int successes) {
    for (int i = 0; i < failures; i++) {
      assertThat(breakers.tryAcquire(model)).isTrue();
      breakers.onFailure(model, CALL, ErrorClass.UNAVAILABLE);
    }
    for (int i = 0; i < successes; i++) {
      assertThat(breakers.tryAcquire(model)).isTrue();
      breakers.onSuccess(model, CALL);
    }
  }

  private void open(ModelKey model) {
    calls(model, 4, 0);
    assertThat(breakers.state(model)).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void state_modelNeverCalled_isClosedAndCreatesNoBreaker() {
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
    assertThat(breakers.openCircuits()).isEmpty();
    assertThat(breakers.registry().getAllCircuitBreakers()).isEmpty();
  }

  @Test
  void tryAcquire_newModel_isAllowedAndRegisteredUnderItsKey() {
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
    assertThat(breakers.registry().find("openai/gpt-4o")).isPresent();
  }

  @Test
  void onFailure_fourFailuresOfFour_opensTheCircuit() {
    calls(GPT4O, 4, 0);

    // 4 / 4 = 100 % >= 50 %
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.OPEN);
    assertThat(breakers.tryAcquire(GPT4O)).isFalse();
    assertThat(breakers.openCircuits()).containsExactly(GPT4O);
  }

  @Test
  void onFailure_rateExactlyAtTheThreshold_opens() {
    calls(GPT4O, 2, 2);

    // 2 / 4 = 50 % >= 50 %
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.OPEN);
  }

  @Test
  void onFailure_rateBelowTheThreshold_staysClosed() {
    calls(GPT4O, 1, 3);

    // 1 / 4 = 25 % < 50 %
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
  }

  @Test
  void onFailure_fewerCallsThanTheMinimum_staysClosed() {
    calls(GPT4O, 3, 0);

    // 3 calls < minimum 4: not judged yet
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
  }

  @ParameterizedTest
  @EnumSource(
      value = ErrorClass.class,
      names = {"UNAVAILABLE", "TIMEOUT", "RATE_LIMITED", "MODEL_NOT_FOUND"})
  void onFailure_deploymentFaults_count(ErrorClass error) {
    for (int i = 0; i < 4; i++) {
      breakers.tryAcquire(GPT4O);
      breakers.onFailure(GPT4O, CALL, error);
    }

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.OPEN);
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
  void onFailure_requestProblems_areIgnored(ErrorClass error) {
    for (int i = 0; i < 10; i++) {
      breakers.tryAcquire(GPT4O);
      breakers.onFailure(GPT4O, CALL, error);
    }

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
    assertThat(
            breakers
                .registry()
                .circuitBreaker("openai/gpt-4o")
                .getMetrics()
                .getNumberOfBufferedCalls())
        .isZero();
  }

  @Test
  void onSuccess_slowCalls_neverOpenTheCircuit() {
    for (int i = 0; i < 4; i++) {
      breakers.tryAcquire(GPT4O);
      breakers.onSuccess(GPT4O, Duration.ofMinutes(10));
    }

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void openCircuit_exactlyAtTheEndOfTheWait_stillRefuses() {
    open(GPT4O);
    time.advance(Duration.ofSeconds(30));

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.OPEN);
    assertThat(breakers.openCircuits()).containsExactly(GPT4O);
    assertThat(breakers.tryAcquire(GPT4O)).isFalse();
  }

  @Test
  void openCircuit_afterTheWait_letsOneProbeThroughAndASuccessCloses() {
    open(GPT4O);
    time.advance(Duration.ofSeconds(30).plusMillis(1));

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breakers.openCircuits()).isEmpty();
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breakers.tryAcquire(GPT4O)).isFalse();

    breakers.onSuccess(GPT4O, CALL);

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
  }

  @Test
  void halfOpenProbe_failing_reopensForADoubledWait() {
    open(GPT4O);
    time.advance(Duration.ofSeconds(31));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();

    breakers.onFailure(GPT4O, CALL, ErrorClass.TIMEOUT);

    // 30 s x 2 = 60 s from the failed probe
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.OPEN);
    assertThat(breakers.probeAfter(GPT4O))
        .contains(Instant.parse("2026-01-01T00:00:31Z").plusSeconds(60));
    time.advance(Duration.ofSeconds(60));
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.OPEN);
    assertThat(breakers.tryAcquire(GPT4O)).isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
  }

  @Test
  void openedAt_isWhenTheCircuitLastOpened_andEmptyOnceClosed() {
    assertThat(breakers.openedAt(GPT4O)).isEmpty();
    open(GPT4O);
    Instant first = time.instant();
    assertThat(breakers.openedAt(GPT4O)).contains(first);

    time.advance(Duration.ofSeconds(31));
    // half-open by time: still the opening that is waiting for its probe
    assertThat(breakers.openedAt(GPT4O)).contains(first);
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
    breakers.onFailure(GPT4O, CALL, ErrorClass.TIMEOUT);
    assertThat(breakers.openedAt(GPT4O)).contains(first.plusSeconds(31));

    time.advance(Duration.ofSeconds(61));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
    breakers.onSuccess(GPT4O, CALL);
    assertThat(breakers.openedAt(GPT4O)).isEmpty();
    assertThat(breakers.openedAt(CLAUDE)).isEmpty();
  }

  @Test
  void failedProbes_growTheWaitUpToTheCap() {
    open(GPT4O);
    // waits: 30 s, then after each failed probe 60 s, 120 s, 200 s (240 s capped), 200 s
    long[] waits = {30, 60, 120, 200, 200};
    for (int i = 0; i < waits.length; i++) {
      Instant openedAt = time.instant();
      assertThat(breakers.probeAfter(GPT4O))
          .as("wait %d", i)
          .contains(openedAt.plusSeconds(waits[i]));
      time.advance(Duration.ofSeconds(waits[i]).plusMillis(1));
      assertThat(breakers.tryAcquire(GPT4O)).isTrue();
      breakers.onFailure(GPT4O, CALL, ErrorClass.UNAVAILABLE);
    }
  }

  @Test
  void aSuccessfulProbe_closes_andTheNextOpeningStartsAgainFromTheFirstWait() {
    open(GPT4O);
    time.advance(Duration.ofSeconds(31));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
    breakers.onFailure(GPT4O, CALL, ErrorClass.UNAVAILABLE);
    time.advance(Duration.ofSeconds(61));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();

    breakers.onSuccess(GPT4O, CALL);

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
    assertThat(breakers.probeAfter(GPT4O)).isEmpty();
    Instant reopened = time.instant();
    open(GPT4O);
    assertThat(breakers.probeAfter(GPT4O)).contains(reopened.plusSeconds(30));
  }

  @Test
  void holdOpen_opensAClosedCircuit_forTheFirstWait() {
    breakers.tryAcquire(GPT4O);
    breakers.onSuccess(GPT4O, CALL);

    breakers.holdOpen(GPT4O);

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.OPEN);
    assertThat(breakers.openCircuits()).containsExactly(GPT4O);
    assertThat(breakers.probeAfter(GPT4O)).contains(time.instant().plusSeconds(30));
    time.advance(Duration.ofSeconds(30).plusMillis(1));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
  }

  @Test
  void holdOpen_leavesAProbingCircuitAsItIs() {
    open(GPT4O);
    time.advance(Duration.ofSeconds(31));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();

    breakers.holdOpen(GPT4O);

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.HALF_OPEN);
    breakers.onSuccess(GPT4O, CALL);
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void holdOpenUntil_aClosedCircuit_opensUntilThatInstant_withoutTellingTheListeners() {
    List<String> told = new ArrayList<>();
    breakers.onOpened((model, until) -> told.add(model + " " + until));
    Instant start = time.instant();

    breakers.holdOpenUntil(GPT4O, start.plusSeconds(90));

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.OPEN);
    assertThat(breakers.probeAfter(GPT4O)).contains(start.plusSeconds(90));
    assertThat(breakers.openCircuits()).containsExactly(GPT4O);
    assertThat(told).isEmpty();
    time.advance(Duration.ofSeconds(90));
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.OPEN);
    assertThat(breakers.tryAcquire(GPT4O)).isFalse();
    time.advance(Duration.ofMillis(1));
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
  }

  @Test
  void holdOpenUntil_thenAFailedProbe_opensForTheSecondWait_andTellsTheListeners() {
    List<String> told = new ArrayList<>();
    breakers.onOpened((model, until) -> told.add(model + " " + until));
    breakers.holdOpenUntil(GPT4O, time.instant().plusSeconds(90));
    time.advance(Duration.ofSeconds(91));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();

    breakers.onFailure(GPT4O, CALL, ErrorClass.UNAVAILABLE);

    // the held opening was the first: the next waits 30 s x 2 = 60 s, and is this process's own
    Instant probe = time.instant().plusSeconds(60);
    assertThat(breakers.probeAfter(GPT4O)).contains(probe);
    assertThat(told).containsExactly(GPT4O + " " + probe);
  }

  @Test
  void holdOpenUntil_aCircuitOpenUntilLater_isNotShortened() {
    Instant start = time.instant();
    open(GPT4O);

    breakers.holdOpenUntil(GPT4O, start.plusSeconds(10));
    breakers.holdOpenUntil(GPT4O, start.plusSeconds(30));

    assertThat(breakers.probeAfter(GPT4O)).contains(start.plusSeconds(30));
  }

  @Test
  void holdOpenUntil_aCircuitOpenUntilSooner_isHeldLonger_keepingItsCountOfOpenings() {
    Instant start = time.instant();
    open(GPT4O);

    breakers.holdOpenUntil(GPT4O, start.plusSeconds(100));

    assertThat(breakers.probeAfter(GPT4O)).contains(start.plusSeconds(100));
    time.advance(Duration.ofSeconds(31));
    assertThat(breakers.tryAcquire(GPT4O)).isFalse();
    time.advance(Duration.ofSeconds(70));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
    breakers.onFailure(GPT4O, CALL, ErrorClass.UNAVAILABLE);
    // still the second opening: 60 s
    assertThat(breakers.probeAfter(GPT4O)).contains(time.instant().plusSeconds(60));
  }

  @Test
  void holdOpenUntil_aProbingCircuit_isLeftAsItIs() {
    open(GPT4O);
    time.advance(Duration.ofSeconds(31));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();

    breakers.holdOpenUntil(GPT4O, time.instant().plusSeconds(100));

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void holdOpenUntil_anInstantNotInTheFuture_leavesTheCircuitClosed() {
    breakers.holdOpenUntil(GPT4O, time.instant());
    breakers.holdOpenUntil(GPT4O, time.instant().minusSeconds(1));

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
    assertThat(breakers.openCircuits()).isEmpty();
    assertThatThrownBy(() -> breakers.holdOpenUntil(GPT4O, null)).hasMessage("until: is required");
  }

  @Test
  void onOpened_isToldOfEveryOpeningByCalls_andByHoldOpen_withTheProbeTime() {
    List<String> told = new ArrayList<>();
    breakers.onOpened((model, until) -> told.add(model + " " + until));
    Instant start = time.instant();

    open(GPT4O);
    breakers.holdOpen(CLAUDE);

    assertThat(told)
        .containsExactly(GPT4O + " " + start.plusSeconds(30), CLAUDE + " " + start.plusSeconds(30));
  }

  @Test
  void halfOpenProbe_endingInARequestProblem_givesThePermissionBack() {
    open(GPT4O);
    time.advance(Duration.ofSeconds(31));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();

    breakers.onFailure(GPT4O, CALL, ErrorClass.INVALID_REQUEST);

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
  }

  @Test
  void release_ofAnUnusedProbe_letsTheNextProbeThrough() {
    open(GPT4O);
    time.advance(Duration.ofSeconds(31));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();

    breakers.release(GPT4O);

    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
    assertThat(breakers.tryAcquire(GPT4O)).isFalse();
  }

  @Test
  void reset_closesAnOpenCircuitAndForgetsItsWindow() {
    open(GPT4O);

    breakers.reset(GPT4O);

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
    breakers.onFailure(GPT4O, CALL, ErrorClass.UNAVAILABLE);
    // 1 call after the reset < minimum 4
    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aCircuitOpenedAgainAfterAReset_waitsTheFirstWait() {
    open(GPT4O);
    time.advance(Duration.ofSeconds(31));
    assertThat(breakers.tryAcquire(GPT4O)).isTrue();
    breakers.onFailure(GPT4O, CALL, ErrorClass.UNAVAILABLE);
    // opened twice in a row: 60 s

    breakers.reset(GPT4O);
    Instant reopened = time.instant();
    open(GPT4O);

    assertThat(breakers.probeAfter(GPT4O)).contains(reopened.plusSeconds(30));
  }

  @Test
  void probeAfter_isEmptyOnceTheProbeIsThrough() {
    open(GPT4O);
    time.advance(Duration.ofSeconds(31));

    assertThat(breakers.tryAcquire(GPT4O)).isTrue();

    assertThat(breakers.probeAfter(GPT4O)).isEmpty();
  }

  @Test
  void reset_ofAModelNeverCalled_leavesItClosed() {
    breakers.reset(GPT4O);

    assertThat(breakers.state(GPT4O)).isEqualTo(CircuitState.CLOSED);
    assertThat(breakers.registry().getAllCircuitBreakers()).isEmpty();
  }

  @Test
  void openCircuits_areKeptPerModelAndSorted() {
    open(GPT4O);
    open(CLAUDE);
    calls(ModelKey.of("ollama", "llama3.2"), 0, 4);

    assertThat(breakers.openCircuits()).containsExactly(CLAUDE, GPT4O);
  }

  @Test
  void defaults_openOnThreeFailuresOfTheFirstFive() {
    ModelCircuitBreakers defaults =
        new ModelCircuitBreakers(CircuitBreakerSettings.defaults(), time);
    for (int i = 0; i < 3; i++) {
      defaults.tryAcquire(GPT4O);
      defaults.onFailure(GPT4O, CALL, ErrorClass.UNAVAILABLE);
    }
    for (int i = 0; i < 2; i++) {
      defaults.tryAcquire(GPT4O);
      defaults.onSuccess(GPT4O, CALL);
    }

    // 3 / 5 = 60 % >= 50 %, minimum 5 reached
    assertThat(defaults.state(GPT4O)).isEqualTo(CircuitState.OPEN);
    time.advance(Duration.ofSeconds(30).plusMillis(1));
    assertThat(defaults.state(GPT4O)).isEqualTo(CircuitState.HALF_OPEN);
  }

  @Test
  void constructor_withoutSettingsOrTime_isRejected() {
    assertThatThrownBy(() -> new ModelCircuitBreakers(null, time))
        .hasMessage("settings: is required");
    assertThatThrownBy(() -> new ModelCircuitBreakers(SETTINGS, null))
        .hasMessage("time: is required");
  }

  @Test
  void tryAcquire_withoutModel_isRejected() {
    assertThatThrownBy(() -> breakers.tryAcquire(null)).hasMessage("model: is required");
  }
}

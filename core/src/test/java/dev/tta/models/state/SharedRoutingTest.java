package dev.tta.models.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.fallback.InMemoryFailureRegistry;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.time.ManualTimeSource;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SharedRoutingTest {

  private static final Instant NOW = Instant.parse("2026-05-10T12:00:00Z");
  private static final ModelKey BEST = ModelKey.of("cloud", "best");
  private static final ProviderId CLOUD = ProviderId.of("cloud");
  private static final Duration CALL = Duration.ofMillis(100);

  private final ManualTimeSource time = new ManualTimeSource(NOW);

  /** The defaults: 3 failures within 30 minutes exclude; a provider out is rechecked after 5. */
  private final InMemoryFailureRegistry local =
      new InMemoryFailureRegistry(FallbackConfig.defaults());

  /** One failed call opens a circuit for 30 s. */
  private final ModelCircuitBreakers breakers =
      new ModelCircuitBreakers(
          CircuitBreakerSettings.builder()
              .minimumCalls(1)
              .slidingWindowSize(1)
              .waitInOpenState(Duration.ofSeconds(30))
              .build(),
          time);

  private final RecordingState state = new RecordingState();
  private final SharedRouting shared = new SharedRouting(local, breakers, state, time);

  @BeforeEach
  void start() {
    shared.start();
  }

  private void failCall(ModelKey model) {
    assertThat(breakers.tryAcquire(model)).isTrue();
    breakers.onFailure(model, CALL, ErrorClass.UNAVAILABLE);
  }

  // --- what this replica does is published ---

  @Test
  void aFailureAndASuccess_areRecordedHere_andPublished() {
    shared.recordFailure(BEST, ErrorClass.TIMEOUT, NOW);
    shared.recordSuccess(BEST, NOW.plusSeconds(1));

    assertThat(state.published)
        .containsExactly(
            new StateChange.FailureRecorded(BEST, ErrorClass.TIMEOUT, NOW),
            new StateChange.SuccessRecorded(BEST, NOW.plusSeconds(1)));
    assertThat(local.statistics(NOW.plusSeconds(1)).totalFailures()).isEqualTo(1);
  }

  @Test
  void aCircuitOpenedByThisReplicasCalls_isPublishedWithItsProbeTime() {
    failCall(BEST);

    assertThat(state.published)
        .containsExactly(new StateChange.CircuitOpened(BEST, NOW.plusSeconds(30)));
  }

  @Test
  void aProviderTakenOut_andEveryResetByHand_arePublished() {
    shared.markProviderOut(CLOUD, "key refused", NOW);
    shared.resetModel(BEST);
    shared.resetProvider(CLOUD);

    assertThat(state.published)
        .containsExactly(
            new StateChange.ProviderOut(CLOUD, "key refused", NOW),
            new StateChange.ModelReset(BEST),
            new StateChange.ProviderReset(CLOUD));
    assertThat(shared.providersOut(NOW)).isEmpty();
    assertThat(state.snapshot.get()).isEmpty();
  }

  // --- what another replica did is applied, and not published again ---

  @Test
  void anotherReplicasCircuit_isHeldOpenHereUntilTheSameProbeTime() {
    state.receiver.accept(new StateChange.CircuitOpened(BEST, NOW.plusSeconds(90)));

    assertThat(breakers.state(BEST)).isEqualTo(CircuitState.OPEN);
    assertThat(breakers.probeAfter(BEST)).contains(NOW.plusSeconds(90));
    assertThat(state.published).isEmpty();
  }

  @Test
  void anotherReplicasFailures_countTowardsExclusionHere() {
    for (int i = 0; i < 3; i++) {
      state.receiver.accept(
          new StateChange.FailureRecorded(BEST, ErrorClass.UNAVAILABLE, NOW.minusSeconds(i)));
    }

    assertThat(shared.isExcluded(BEST, NOW)).isTrue();
    assertThat(shared.excludedModels(NOW)).containsExactly(BEST);
    assertThat(state.published).isEmpty();
  }

  @Test
  void anotherReplicasSuccess_endsTheExclusionHere() {
    for (int i = 0; i < 3; i++) {
      shared.recordFailure(BEST, ErrorClass.UNAVAILABLE, NOW.minusSeconds(10 + i));
    }
    state.receiver.accept(new StateChange.SuccessRecorded(BEST, NOW.minusSeconds(1)));

    assertThat(shared.isExcluded(BEST, NOW)).isFalse();
  }

  @Test
  void anotherReplicasProviderOut_isOutHere_andInThisReplicasSnapshot() {
    state.receiver.accept(new StateChange.ProviderOut(CLOUD, "key refused", NOW));

    assertThat(shared.providersOut(NOW)).containsOnlyKeys(CLOUD);
    assertThat(state.snapshot.get())
        .containsExactly(new StateChange.ProviderOut(CLOUD, "key refused", NOW));
    assertThat(state.published).isEmpty();
  }

  @Test
  void anotherReplicasModelReset_forgetsTheFailures_andClosesTheCircuitHere() {
    failCall(BEST);
    for (int i = 0; i < 3; i++) {
      local.recordFailure(BEST, ErrorClass.UNAVAILABLE, NOW);
    }
    state.published.clear();

    state.receiver.accept(new StateChange.ModelReset(BEST));

    assertThat(breakers.state(BEST)).isEqualTo(CircuitState.CLOSED);
    assertThat(shared.isExcluded(BEST, NOW)).isFalse();
    assertThat(state.published).isEmpty();
  }

  @Test
  void anotherReplicasProviderReset_bringsItBackHere() {
    shared.markProviderOut(CLOUD, "key refused", NOW);
    state.published.clear();

    state.receiver.accept(new StateChange.ProviderReset(CLOUD));

    assertThat(shared.providersOut(NOW)).isEmpty();
    assertThat(state.snapshot.get()).isEmpty();
    assertThat(state.published).isEmpty();
  }

  // --- the snapshot a re-sync sends ---

  @Test
  void theSnapshot_isTheOpenCircuitsWithTheirProbeTimes_andTheProvidersStillOut() {
    failCall(BEST);
    ModelKey other = ModelKey.of("local", "small");
    state.receiver.accept(new StateChange.CircuitOpened(other, NOW.plusSeconds(90)));
    shared.markProviderOut(CLOUD, "key refused", NOW);

    assertThat(state.snapshot.get())
        .containsExactlyInAnyOrder(
            new StateChange.CircuitOpened(BEST, NOW.plusSeconds(30)),
            new StateChange.CircuitOpened(other, NOW.plusSeconds(90)),
            new StateChange.ProviderOut(CLOUD, "key refused", NOW));

    // 5 minutes on: both probes are due and the provider's recheck too
    time.advance(Duration.ofMinutes(5));
    assertThat(state.snapshot.get()).isEmpty();
  }

  @Test
  void cleanUp_forgetsProvidersWhoseRecheckCame() {
    shared.markProviderOut(CLOUD, "key refused", NOW);
    shared.recordFailure(BEST, ErrorClass.UNAVAILABLE, NOW);

    // failures are kept 24 h: none dropped 5 minutes on, but the provider's recheck is due
    assertThat(shared.cleanUp(NOW.plus(Duration.ofMinutes(5)))).isZero();
    assertThat(local.providersOut(NOW)).isEmpty();
    assertThat(shared.statistics(NOW).totalFailures()).isEqualTo(1);
    assertThat(shared.cleanUp(NOW.plus(Duration.ofHours(25)))).isEqualTo(1);
    // taken out again without this replica's word (a warm start does so): the old reason is
    // not sent with it
    local.markProviderOut(CLOUD, "refused again", NOW.plus(Duration.ofHours(25)));
    time.advance(Duration.ofHours(25));
    assertThat(state.snapshot.get()).isEmpty();
  }
}

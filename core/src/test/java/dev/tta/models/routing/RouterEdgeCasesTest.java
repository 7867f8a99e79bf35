package dev.tta.models.routing;

import static dev.tta.models.routing.RouterFixture.BEST;
import static dev.tta.models.routing.RouterFixture.GOOD;
import static dev.tta.models.routing.RouterFixture.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.fallback.FallbackStrategy;
import dev.tta.models.hardware.HardwareProfile;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.selection.CatalogCache;
import dev.tta.models.selection.DropRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RouterEdgeCasesTest {

  private static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("Say hello."));
  private static final ModelRequirements CHAT = ModelRequirements.forTask(TaskType.GENERAL_CHAT);

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private static RouteRequest chain(ModelKey... models) {
    return RouteRequest.of(HELLO, CHAT, CandidateSource.chain(List.of(models)));
  }

  private static RouteRequest byRequirements() {
    return RouteRequest.of(HELLO, CHAT, CandidateSource.byRequirements());
  }

  @Nested
  class Cost {

    private RouterFixture pricedFixture() {
      RouterFixture f = new RouterFixture();
      f.cloud.add(
          "priced",
          m -> m.costPerToken(0.000001, 0.000002).therapeuticSafetyScore(9).performanceScore(9));
      return f;
    }

    @Test
    void chat_withoutABilledCost_isPricedFromTheModelsPrices() {
      RouterFixture f = pricedFixture();
      f.cloud.model("priced").thenReply("ok", ms(100), 100, 50);

      f.router.chat(chain(ModelKey.of("cloud", "priced")));

      // 100 prompt tokens x 0.000001 + 50 completion tokens x 0.000002 = 0.0001 + 0.0001
      assertThat(
              f.monitor
                  .modelStats(ModelKey.of("cloud", "priced"), TimeWindow.ONE_MINUTE)
                  .orElseThrow()
                  .costUsd())
          .isCloseTo(0.0002, within(1e-12));
    }

    @Test
    void chat_withABilledCost_recordsWhatTheProviderBilled() {
      RouterFixture f = pricedFixture();
      f.cloud.model("priced").thenReply("ok", ms(100), new Usage(100, 50, OptionalDouble.of(0.5)));

      f.router.chat(chain(ModelKey.of("cloud", "priced")));

      assertThat(
              f.monitor
                  .modelStats(ModelKey.of("cloud", "priced"), TimeWindow.ONE_MINUTE)
                  .orElseThrow()
                  .costUsd())
          .isEqualTo(0.5);
    }
  }

  @Nested
  class Measurements {

    @Test
    void select_rereadsTheMonitorOnlyAfterASecond() {
      RouterFixture f = new RouterFixture();
      f.cloud.add("twin-a", m -> m.free(true).therapeuticSafetyScore(8).performanceScore(8));
      f.cloud.add("twin-b", m -> m.free(true).therapeuticSafetyScore(8).performanceScore(8));
      ModelKey a = ModelKey.of("cloud", "twin-a");
      ModelKey b = ModelKey.of("cloud", "twin-b");
      ModelRequirements twins =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).minQualityScore(8).build();
      // equal scores: the tie-break by key puts twin-a before twin-b
      assertThat(twinsInOrder(f, twins)).containsExactly(a, b);

      for (int i = 0; i < 10; i++) {
        f.monitor.record(
            CallRecord.failure(
                a, TaskType.GENERAL_CHAT, f.clock.instant(), ms(900), ErrorClass.TIMEOUT));
        f.monitor.record(
            CallRecord.success(
                b, TaskType.GENERAL_CHAT, f.clock.instant(), ms(300), Optional.empty(), 1, 1, 0));
      }
      f.clock.advance(ms(999));
      assertThat(twinsInOrder(f, twins)).containsExactly(a, b);
      f.clock.advance(ms(1));
      assertThat(twinsInOrder(f, twins)).containsExactly(b, a);
      // read again within the second: the cached measurements still rank b first
      f.clock.advance(ms(500));
      assertThat(twinsInOrder(f, twins)).containsExactly(b, a);
    }

    private List<ModelKey> twinsInOrder(RouterFixture f, ModelRequirements requirements) {
      return f.router.select(requirements).ranked().stream()
          .map(c -> c.model().key())
          .filter(k -> k.modelId().startsWith("twin"))
          .toList();
    }
  }

  @Nested
  class FailureBookkeeping {

    /** A breaker that opens once two calls in a row fail, waits 30 s, then lets one probe in. */
    private static final CircuitBreakerSettings TWO_CALL_WINDOW =
        new CircuitBreakerSettings(
            50.0f, 2, 2, Duration.ofSeconds(30), 1, 1.0, Duration.ofSeconds(30));

    /**
     * Best fails twice (a call and its retry), its circuit opens, and 30 s later a probe is due.
     */
    private void openBestsCircuitUntilAProbeIsDue(RouterFixture f) {
      f.cloud
          .model("best")
          .thenFail(ErrorClass.UNAVAILABLE, ms(10))
          .thenFail(ErrorClass.UNAVAILABLE, ms(10));
      f.router.chat(chain(BEST, SMALL));
      assertThat(f.breakers.state(BEST)).isEqualTo(CircuitState.OPEN);
      // Resilience4j waits strictly longer than the 30 s before it lets a probe through
      f.clock.advance(Duration.ofSeconds(30).plusMillis(1));
    }

    @Test
    void aSuccess_forgivesTheFailuresBeforeIt() {
      RouterFixture f = new RouterFixture();
      f.cloud
          .model("best")
          .thenFail(ErrorClass.UNAVAILABLE, ms(10))
          .thenFail(ErrorClass.UNAVAILABLE, ms(10))
          .thenReply("ok", ms(10), 1, 1)
          .thenFail(ErrorClass.UNAVAILABLE, ms(10))
          .thenFail(ErrorClass.UNAVAILABLE, ms(10));
      f.local.model("small").thenFail(ErrorClass.UNAVAILABLE, ms(10));

      f.router.chat(chain(BEST, SMALL));
      f.router.chat(chain(BEST, SMALL));
      assertThatThrownBy(() -> f.router.chat(chain(BEST))).isInstanceOf(RoutingException.class);

      // failures counted since the success: 2, below the 3 that exclude (4 without forgiving)
      assertThat(f.failures.isExcluded(BEST, f.clock.instant())).isFalse();
    }

    @Test
    void aCancelledProbe_givesItsPermissionBack() {
      RouterFixture f = new RouterFixture(FallbackStrategy.PERFORMANCE, TWO_CALL_WINDOW, Map.of());
      openBestsCircuitUntilAProbeIsDue(f);
      f.cloud.model("best").thenFail(ErrorClass.CANCELLED, ms(10)).thenReply("back", ms(10), 1, 1);

      assertThatThrownBy(() -> f.router.chat(chain(BEST, SMALL)))
          .isInstanceOfSatisfying(
              RoutingException.AllCandidatesFailed.class,
              e -> assertThat(e.lastError()).isInstanceOf(ProviderException.Cancelled.class));

      // the single half-open probe was cancelled, not used up: the next request probes again
      assertThat(f.router.chat(chain(BEST, SMALL)).servedBy()).isEqualTo(BEST);
    }

    @Test
    void aHalfOpenCircuitWhoseProbeIsInFlight_isSkipped_andAloneLeavesNoEligibleModel() {
      RouterFixture f = new RouterFixture(FallbackStrategy.PERFORMANCE, TWO_CALL_WINDOW, Map.of());
      openBestsCircuitUntilAProbeIsDue(f);
      assertThat(f.breakers.tryAcquire(BEST)).isTrue(); // another request's probe, in flight

      RoutedResponse answer = f.router.chat(chain(BEST, SMALL));
      assertThat(answer.servedBy()).isEqualTo(SMALL);
      assertThat(answer.trace().skipped()).containsExactly(new SkippedModel(BEST, "circuit open"));
      assertThat(f.events(RoutingEvent.Skipped.class))
          .extracting(RoutingEvent.Skipped::reason)
          .containsExactly("circuit open");

      assertThatThrownBy(() -> f.router.chat(chain(BEST)))
          .isInstanceOfSatisfying(
              RoutingException.NoEligibleModel.class,
              e ->
                  assertThat(e.trace().skipped())
                      .containsExactly(new SkippedModel(BEST, "circuit open")));
      assertThat(f.cloud.model("best").calls()).isEqualTo(2);
    }

    @Test
    void candidatesThatBecomeUnusableDuringTheRequest_areSkippedWithTheReason() {
      RouterFixture f = new RouterFixture();
      f.cloud.model("best").thenFail(ErrorClass.AUTHENTICATION, ms(10));

      RoutedResponse answer = f.router.chat(chain(BEST, GOOD, SMALL));

      // best's authentication failure takes provider cloud out, and good with it
      assertThat(answer.servedBy()).isEqualTo(SMALL);
      assertThat(answer.trace().skipped()).extracting(SkippedModel::model).containsExactly(GOOD);
      assertThat(answer.trace().skipped().get(0).reason()).contains("provider");
      assertThat(f.events(RoutingEvent.Skipped.class))
          .extracting(RoutingEvent.Skipped::model)
          .containsExactly(GOOD);
      assertThat(f.good().calls()).isZero();
    }

    @Test
    void aCandidateSkippedOnce_isNotSkippedAgainLater() {
      RouterFixture f = new RouterFixture();
      f.cloud.model("best").thenFail(ErrorClass.AUTHENTICATION, ms(10));
      f.local.model("small").thenFail(ErrorClass.MODEL_NOT_FOUND, ms(10));

      assertThatThrownBy(() -> f.router.chat(chain(BEST, GOOD, SMALL)))
          .isInstanceOfSatisfying(
              RoutingException.AllCandidatesFailed.class,
              e ->
                  assertThat(e.trace().skipped())
                      .extracting(SkippedModel::model)
                      .containsExactly(GOOD));
    }

    @Test
    void aProbeAbandonedAtTheDeadline_givesItsPermissionBack() {
      // a catalog that is listed again on every request, so that listing can use up the deadline
      RouterFixture f =
          new RouterFixture(
              FallbackStrategy.PERFORMANCE,
              TWO_CALL_WINDOW,
              Map.of(),
              (builder, clock) ->
                  builder.catalogCache(new CatalogCache(clock, Duration.ofMillis(1))));
      openBestsCircuitUntilAProbeIsDue(f);
      f.cloud.listLatency(ms(1000));

      assertThatThrownBy(() -> f.router.chat(chain(BEST).withDeadline(ms(1000))))
          .isInstanceOf(RoutingException.AllCandidatesFailed.class);
      f.cloud.listLatency(Duration.ZERO);

      assertThat(f.router.chat(chain(BEST, SMALL)).servedBy()).isEqualTo(BEST);
    }

    @Test
    void aCancelledStreamProbe_givesItsPermissionBack() {
      RouterFixture f = new RouterFixture(FallbackStrategy.PERFORMANCE, TWO_CALL_WINDOW, Map.of());
      openBestsCircuitUntilAProbeIsDue(f);
      f.cloud.model("best").thenStream(List.of("a", "b"), ms(10), ms(10), 2);

      RoutedStream probe = f.router.stream(chain(BEST, SMALL));
      assertThat(probe.servedBy()).isEqualTo(BEST);
      probe.close();

      assertThat(f.router.chat(chain(BEST, SMALL)).servedBy()).isEqualTo(BEST);
    }

    @Test
    void aSkippedCandidate_leavesTheOthersToFallBackOn() {
      RouterFixture f = new RouterFixture();
      f.local.add("twin", m -> m.free(true).therapeuticSafetyScore(8).performanceScore(6));
      ModelKey twin = ModelKey.of("local", "twin");
      f.cloud.model("best").thenFail(ErrorClass.AUTHENTICATION, ms(10));
      f.local.model("small").thenFail(ErrorClass.MODEL_NOT_FOUND, ms(10));

      // best's refused credential skips good (same provider); small is not found; twin serves
      RoutedResponse answer = f.router.chat(chain(BEST, GOOD, SMALL, twin));

      assertThat(answer.servedBy()).isEqualTo(twin);
      assertThat(answer.trace().skipped()).extracting(SkippedModel::model).containsExactly(GOOD);
    }

    @Test
    void whenTheLastCandidatesBecomeUnusable_theStopNamesThem() {
      RouterFixture f = new RouterFixture();
      f.cloud.model("best").thenFail(ErrorClass.AUTHENTICATION, ms(10));

      assertThatThrownBy(() -> f.router.chat(chain(BEST, GOOD)))
          .isInstanceOfSatisfying(
              RoutingException.AllCandidatesFailed.class,
              e -> {
                assertThat(e.lastError()).isInstanceOf(ProviderException.Authentication.class);
                assertThat(e.trace().skipped())
                    .extracting(SkippedModel::model)
                    .containsExactly(GOOD);
              });
    }
  }

  @Nested
  class Deadlines {

    @Test
    void aDeadlineSpentBeforeTheFirstCall_failsAsATimeoutWithoutCallingAnyModel() {
      RouterFixture f = new RouterFixture();
      f.cloud.listLatency(ms(1000));

      assertThatThrownBy(() -> f.router.chat(byRequirements().withDeadline(ms(1000))))
          .isInstanceOfSatisfying(
              RoutingException.AllCandidatesFailed.class,
              e -> {
                assertThat(e.lastError()).isInstanceOf(ProviderException.Timeout.class);
                assertThat(e.getMessage()).startsWith("the request deadline of 1000 ms has passed");
              });
      assertThat(f.events(RoutingEvent.Failed.class)).hasSize(1);
      assertThat(f.cloud.model("best").calls()).isZero();
    }

    @Test
    void aDeadlineNearlySpentBeforeTheFirstCall_leavesTheCallWhatIsLeft() {
      RouterFixture f = new RouterFixture();
      f.cloud.listLatency(ms(999));

      f.router.chat(byRequirements().withDeadline(ms(1000)));

      assertThat(f.cloud.model("best").timeouts()).containsExactly(ms(1));
    }

    @Test
    void interruptedWhileWaitingToRetry_stopsAsCancelled_andKeepsTheInterrupt() {
      RouterFixture f =
          new RouterFixture(
              (builder, clock) ->
                  builder.sleeper(
                      d -> {
                        throw new InterruptedException("shutting down");
                      }));
      f.cloud.model("best").thenFail(ErrorClass.UNAVAILABLE, ms(10));

      assertThatThrownBy(() -> f.router.chat(byRequirements()))
          .isInstanceOfSatisfying(
              RoutingException.AllCandidatesFailed.class,
              e -> assertThat(e.lastError()).isInstanceOf(ProviderException.Cancelled.class));
      assertThat(Thread.interrupted()).isTrue();
    }
  }

  @Nested
  class Planning {

    @Test
    void aChainedModelItsProviderDoesNotOffer_isSkipped() {
      RouterFixture f = new RouterFixture();

      RoutedResponse answer = f.router.chat(chain(ModelKey.of("cloud", "ghost"), SMALL));

      assertThat(answer.trace().skipped())
          .containsExactly(
              new SkippedModel(ModelKey.of("cloud", "ghost"), "not offered by provider cloud"));
      assertThat(f.events(RoutingEvent.Skipped.class)).hasSize(1);
    }

    /**
     * Whether the provider offers the model cannot be known while its listing fails: the skip says
     * it is unavailable and why, which the gateway answers with a 503 rather than a 422.
     */
    @Test
    void aChainedModelOfAProviderThatCannotList_isSkippedAsUnavailable_sayingWhy() {
      RouterFixture f = new RouterFixture();
      f.cloud.failListing(ErrorClass.UNAVAILABLE);

      RoutedResponse answer = f.router.chat(chain(ModelKey.of("cloud", "ghost"), SMALL));

      assertThat(answer.servedBy()).isEqualTo(SMALL);
      assertThat(answer.trace().skipped())
          .containsExactly(
              new SkippedModel(
                  ModelKey.of("cloud", "ghost"),
                  "unavailable: provider cloud could not list its models"
                      + " (unavailable: unavailable (scripted))"));

      f.cloud.failListing(null);
      f.clock.advance(CatalogCache.DEFAULT_RETRY_AFTER_FAILURE);
      assertThat(f.router.chat(chain(ModelKey.of("cloud", "ghost"), SMALL)).trace().skipped())
          .containsExactly(
              new SkippedModel(ModelKey.of("cloud", "ghost"), "not offered by provider cloud"));
    }

    @Test
    void aModelListedUnderAnUnknownProvidersName_failsAsUnavailable() {
      RouterFixture f = new RouterFixture();
      f.local.addAsListed(
          ModelInfo.builder(ProviderId.of("elsewhere"), ProviderType.LOCAL, "odd")
              .therapeuticSafetyScore(9)
              .build());

      RoutedResponse answer = f.router.chat(chain(ModelKey.of("elsewhere", "odd"), SMALL));

      assertThat(answer.servedBy()).isEqualTo(SMALL);
      assertThat(answer.trace().attempts().get(0).message())
          .isEqualTo("no provider named elsewhere is configured");
    }

    @Test
    void aLongPrompt_needsAModelWithThatMuchContext() {
      RouterFixture f = new RouterFixture();
      ChatRequest longPrompt = ChatRequest.of(ChatMessage.user("x".repeat(40_000)));

      RoutedResponse answer =
          f.router.chat(RouteRequest.of(longPrompt, CHAT, CandidateSource.byRequirements()));

      // 40000 characters / 4 = 10000 tokens: best (8192) and small (4096) are too small
      assertThat(answer.servedBy()).isEqualTo(GOOD);
      assertThat(answer.trace().skipped())
          .extracting(SkippedModel::model)
          .containsExactlyInAnyOrder(BEST, SMALL);
    }

    @Test
    void aStatedContextNeedAboveTheEstimate_isKept() {
      RouterFixture f = new RouterFixture();
      ModelRequirements needs10k =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).contextLengthNeeded(10_000).build();

      RoutedResponse answer =
          f.router.chat(RouteRequest.of(HELLO, needs10k, CandidateSource.byRequirements()));

      assertThat(answer.servedBy()).isEqualTo(GOOD);
    }

    @Test
    void theHardwareSupplier_dropsALocalModelThatDoesNotFit() {
      HardwareProfile fourGigabytesFree =
          new HardwareProfile(16_000_000_000L, 4_000_000_000L, 8, List.of(), 100_000_000_000L);
      RouterFixture f =
          new RouterFixture(
              (builder, clock) -> builder.hardware(() -> Optional.of(fourGigabytesFree)));
      f.local.add(
          "big", m -> m.free(true).therapeuticSafetyScore(9).estimatedMemoryBytes(8_000_000_000L));

      assertThat(f.router.select(CHAT).dropped())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.model().key()).isEqualTo(ModelKey.of("local", "big"));
                assertThat(d.rule()).isEqualTo(DropRule.HARDWARE);
              });
    }

    @Test
    void aModelWhoseCircuitIsOpen_isDroppedAsUnavailable_withoutAnExclusion() {
      RouterFixture f = new RouterFixture();
      // five calls, three failed: 60 % of the minimum five calls opens the circuit
      for (int i = 0; i < 3; i++) {
        f.breakers.tryAcquire(BEST);
        f.breakers.onFailure(BEST, ms(10), ErrorClass.UNAVAILABLE);
      }
      for (int i = 0; i < 2; i++) {
        f.breakers.tryAcquire(BEST);
        f.breakers.onSuccess(BEST, ms(10));
      }

      RoutedResponse answer = f.router.chat(byRequirements());

      assertThat(answer.servedBy()).isEqualTo(GOOD);
      assertThat(answer.trace().skipped())
          .containsExactly(new SkippedModel(BEST, "unavailable: circuit open"));
    }

    @Test
    void anInjectedCatalogCache_decidesWhenNewModelsAreSeen() {
      RouterFixture f =
          new RouterFixture(
              (builder, clock) ->
                  builder.catalogCache(new CatalogCache(clock, Duration.ofMinutes(1))));
      f.router.catalog();
      f.cloud.add("fresh", m -> m.free(true).therapeuticSafetyScore(9));

      assertThat(f.router.catalog()).extracting(ModelInfo::id).doesNotContain("fresh");
      f.clock.advance(Duration.ofMinutes(1).plusMillis(1));
      assertThat(f.router.catalog()).extracting(ModelInfo::id).contains("fresh");
    }
  }

  @Nested
  class Streams {

    @Test
    void chunksWithoutOutput_areHeldUntilTheFirstToken() {
      RouterFixture f = new RouterFixture();
      f.local.model("small").thenStream(List.of("", "Hi", "!"), ms(50), ms(30), 4);

      RoutedStream stream = f.router.stream(chain(SMALL));

      // the empty first piece at 50 ms is not a token; "Hi" comes 30 ms later
      assertThat(stream.timeToFirstToken()).isEqualTo(ms(80));
      List<String> deltas = new ArrayList<>();
      Optional<ChatChunk> chunk;
      while ((chunk = stream.next()).isPresent()) {
        deltas.add(chunk.get().contentDelta());
      }
      assertThat(deltas).containsExactly("", "Hi", "!", "");
    }

    @Test
    void aStreamThatEndsWithoutAnyChunk_isAFailedAttempt_notAnEmptyAnswer() {
      RouterFixture f = new RouterFixture();
      f.local.model("small").thenEmptyStream();

      RoutedStream stream = f.router.stream(chain(SMALL));

      // the empty stream failed; its retry answered with the script's default
      assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("ok");
      assertThat(f.local.model("small").calls()).isEqualTo(2);
      assertThat(stream.trace().attempts())
          .singleElement()
          .satisfies(
              a -> {
                assertThat(a.error()).contains(ErrorClass.UNAVAILABLE);
                assertThat(a.message()).isEqualTo("the stream ended before any output");
              });
      assertThat(f.monitor.modelStats(SMALL, TimeWindow.ONE_MINUTE).orElseThrow().errors())
          .isEqualTo(Map.of(ErrorClass.UNAVAILABLE, 1L));
    }

    @Test
    void anUnexpectedExceptionMidStream_isABreak_continuedOnTheSameModelWhenItIsTheOnlyOne() {
      RouterFixture f = new RouterFixture();
      f.local.model("small").thenCrashMidStream(List.of("A"));

      RoutedStream stream = f.router.stream(chain(SMALL));
      assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("A");

      // the retry continues from "A"; the script's default answer follows it
      assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("ok");
      assertThat(f.local.model("small").received().get(1).messages().getLast())
          .isEqualTo(ChatMessage.assistant("A"));
      assertThat(f.monitor.modelStats(SMALL, TimeWindow.ONE_MINUTE).orElseThrow().errors())
          .isEqualTo(Map.of(ErrorClass.UNAVAILABLE, 1L));
      assertThat(f.events(RoutingEvent.AttemptFailed.class))
          .singleElement()
          .satisfies(e -> assertThat(e.error()).isEqualTo(ErrorClass.UNAVAILABLE));
      assertThat(stream.trace().attempts().getFirst().message())
          .isEqualTo("provider failed unexpectedly (IllegalStateException)");
      assertThat(f.local.model("small").lastStreamClosed()).isFalse();
      stream.close();
      assertThat(f.local.model("small").lastStreamClosed()).isTrue();
    }

    @Test
    void aStreamThatBreaksBeforeItsFirstToken_isClosedBeforeFallingBack() {
      RouterFixture f = new RouterFixture();
      f.cloud
          .model("best")
          .thenBreakMidStream(List.of(), ms(10), ErrorClass.UNAVAILABLE)
          .thenBreakMidStream(List.of(), ms(10), ErrorClass.UNAVAILABLE);

      RoutedStream stream = f.router.stream(byRequirements());

      assertThat(stream.servedBy()).isEqualTo(SMALL);
      assertThat(f.cloud.model("best").lastStreamClosed()).isTrue();
    }

    @Test
    void theRoutersTimeouts_applyToEveryModel() {
      RouterFixture f =
          new RouterFixture(
              (builder, clock) ->
                  builder.timeouts(
                      model ->
                          AttemptTimeouts.of(
                              Duration.ofSeconds(1),
                              Duration.ofSeconds(1),
                              Duration.ofSeconds(1))));
      f.local.model("small").thenStream(List.of("late"), ms(1500), ms(10), 1);

      // small would have 60 s as a local model; here it has 1 s, so best serves after all
      RoutedStream stream = f.router.stream(chain(SMALL, BEST));

      assertThat(stream.servedBy()).isEqualTo(BEST);
      assertThat(stream.trace().attempts().getFirst().message())
          .isEqualTo("no first token within 1000 ms");
    }

    @Test
    void aFinishedStream_isRecordedOnce_evenWhenClosedAfterwards() {
      RouterFixture f = new RouterFixture();
      f.local.model("small").thenStream(List.of("a", "b"), ms(10), ms(10), 2);

      RoutedStream stream = f.router.stream(chain(SMALL));
      while (stream.next().isPresent()) {
        // read to the end
      }
      assertThat(stream.next()).isEmpty();
      assertThat(f.local.model("small").lastStreamClosed()).isTrue();
      stream.close();

      assertThat(f.monitor.modelStats(SMALL, TimeWindow.ONE_MINUTE).orElseThrow().calls())
          .isEqualTo(1);
      assertThat(stream.trace().attempts())
          .singleElement()
          .satisfies(a -> assertThat(a.succeeded()).isTrue());
      assertThat(f.events(RoutingEvent.AttemptSucceeded.class)).hasSize(1);
      assertThat(f.events(RoutingEvent.Served.class)).hasSize(1);
      assertThat(f.events(RoutingEvent.AttemptFailed.class)).isEmpty();
      assertThat(f.events(RoutingEvent.Failed.class)).isEmpty();
      assertThat(f.local.model("small").lastStreamClosed()).isTrue();
    }

    @Test
    void aCancelledStream_reportsTheCancellationAsItsLastAttempt() {
      RouterFixture f = new RouterFixture();
      f.local.model("small").thenStream(List.of("a", "b"), ms(10), ms(10), 2);

      RoutedStream stream = f.router.stream(chain(SMALL));
      stream.close();
      stream.close();

      assertThat(f.events(RoutingEvent.AttemptFailed.class))
          .singleElement()
          .satisfies(e -> assertThat(e.error()).isEqualTo(ErrorClass.CANCELLED));
    }
  }

  @Nested
  class Tools {

    private static final ChatRequest WITH_TOOLS =
        HELLO.toBuilder()
            .tools(List.of(new ToolDefinition("lookup", "looks a word up", "{}")))
            .build();
    private static final ModelKey TOOLED = ModelKey.of("cloud", "tooled");

    /** The fixture's models declare no capabilities; tooled, ranked below them, declares tools. */
    private RouterFixture withATooledModel() {
      RouterFixture f = new RouterFixture();
      f.cloud.add(
          "tooled",
          m -> m.free(true).therapeuticSafetyScore(8).performanceScore(5).capabilities("tools"));
      return f;
    }

    @Test
    void aRequestWithTools_isRankedOnlyAmongModelsThatDeclareThem() {
      RouterFixture f = withATooledModel();

      RoutedResponse answer =
          f.router.chat(RouteRequest.of(WITH_TOOLS, CHAT, CandidateSource.byRequirements()));

      assertThat(answer.servedBy()).isEqualTo(TOOLED);
      assertThat(answer.trace().skipped())
          .extracting(SkippedModel::model)
          .containsExactlyInAnyOrder(BEST, GOOD, SMALL);
      // without tools, the best-ranked model serves
      assertThat(f.router.chat(byRequirements()).servedBy()).isEqualTo(BEST);
    }

    @Test
    void theModelTheCallerNamesFirst_isCalledWithoutDeclaringTools_itsFallbacksMustDeclareThem() {
      RouterFixture f = withATooledModel();

      RoutedResponse answer =
          f.router.chat(
              RouteRequest.of(
                  WITH_TOOLS, CHAT, CandidateSource.chain(List.of(BEST, GOOD, TOOLED))));

      assertThat(answer.servedBy()).isEqualTo(BEST);
      assertThat(answer.trace().skipped()).extracting(SkippedModel::model).containsExactly(GOOD);
    }

    @Test
    void requirementsThatRequireToolsAlready_areKept() {
      RouterFixture f = withATooledModel();
      ModelRequirements tools =
          ModelRequirements.builder(TaskType.GENERAL_CHAT).requiredCapabilities("tools").build();

      RoutedResponse answer =
          f.router.chat(RouteRequest.of(WITH_TOOLS, tools, CandidateSource.byRequirements()));

      assertThat(answer.servedBy()).isEqualTo(TOOLED);
    }
  }
}

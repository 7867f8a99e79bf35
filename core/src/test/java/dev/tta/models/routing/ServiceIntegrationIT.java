package dev.tta.models.routing;

import static dev.tta.models.routing.RouterFixture.BEST;
import static dev.tta.models.routing.RouterFixture.GOOD;
import static dev.tta.models.routing.RouterFixture.SMALL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.fallback.FailureContext;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.fallback.FallbackDecision;
import dev.tta.models.fallback.FallbackPolicy;
import dev.tta.models.fallback.FallbackState;
import dev.tta.models.fallback.FallbackStrategy;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.selection.DropRule;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.ScoredCandidate;
import dev.tta.models.selection.Selection;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.selection.SelectionSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The original's seven service-integration scenarios, with real instances of the selector, the
 * fallback policy, the performance monitor and the router over in-process providers: no mocks, and
 * every assertion on a value worked out from the fixture (see {@link RouterFixture}).
 */
class ServiceIntegrationIT {

  private static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("Say hello."));
  private static final ModelRequirements CHAT = ModelRequirements.forTask(TaskType.GENERAL_CHAT);

  private final ModelSelector selector = new ModelSelector(SelectionConfig.defaults());

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private static List<ModelInfo> models(Selection selection) {
    return selection.ranked().stream().map(ScoredCandidate::model).toList();
  }

  @Test
  void selectorAndFallback_fallbackAfterTheSelectedModelFails() {
    RouterFixture f = new RouterFixture();
    Selection selection = selector.select(f.router.catalog(), CHAT, SelectionSnapshot.empty());
    ModelInfo selected = selection.best().orElseThrow().model();
    assertThat(selected.key()).isEqualTo(BEST);

    FallbackDecision decision =
        new FallbackPolicy(f.fallbackConfig, new SplittableRandom(1))
            .decide(
                new FailureContext(
                    selected,
                    new ProviderException.Unavailable(
                        selected.providerId(), selected.id(), "503", null),
                    2,
                    2,
                    Duration.ofSeconds(10),
                    models(selection).subList(1, 3),
                    FallbackState.empty()));

    // the one retry is used up; small is on another provider than best, good is not
    assertThat(decision)
        .isInstanceOfSatisfying(
            FallbackDecision.TryNext.class,
            next -> assertThat(next.model().key()).isEqualTo(SMALL));
  }

  @Test
  void selectorAndFallback_fallbackRespectsTheSelectionCriteria() {
    RouterFixture f = new RouterFixture();
    f.cloud.add("unsafe", m -> m.free(true).therapeuticSafetyScore(5).performanceScore(10));
    ModelRequirements therapeutic = ModelRequirements.forTask(TaskType.THERAPEUTIC_RESPONSE);
    f.cloud
        .model("best")
        .thenFail(ErrorClass.UNAVAILABLE, ms(10))
        .thenFail(ErrorClass.UNAVAILABLE, ms(10));
    f.local.model("small").thenFail(ErrorClass.MODEL_NOT_FOUND, ms(10));
    f.cloud.model("good").thenFail(ErrorClass.MODEL_NOT_FOUND, ms(10));

    RoutingException failed =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            RoutingException.AllCandidatesFailed.class,
            () ->
                f.router.chat(
                    RouteRequest.of(HELLO, therapeutic, CandidateSource.byRequirements())));

    // safety 5 < the minimum 7.0: dropped by selection, so never a fallback either
    assertThat(failed.trace().modelsTried()).containsExactly(BEST, SMALL, GOOD);
    assertThat(failed.trace().skipped())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.model()).isEqualTo(ModelKey.of("cloud", "unsafe"));
              assertThat(s.reason()).startsWith("safety");
            });
    assertThat(f.cloud.model("unsafe").calls()).isZero();
  }

  @Test
  void selectorAndMonitor_theMonitorRecordsTheCallsOfSelectedModels() {
    RouterFixture f = new RouterFixture();
    f.cloud.model("best").thenReply("one", ms(200), 10, 4).thenReply("two", ms(400), 10, 8);
    ModelRequirements narrative = ModelRequirements.forTask(TaskType.NARRATIVE_GENERATION);

    f.router.chat(RouteRequest.of(HELLO, narrative, CandidateSource.byRequirements()));
    f.router.chat(RouteRequest.of(HELLO, narrative, CandidateSource.byRequirements()));

    ModelStats stats = f.monitor.modelStats(BEST, TimeWindow.ONE_HOUR).orElseThrow();
    assertThat(stats.calls()).isEqualTo(2);
    // mean of 200 and 400 ms
    assertThat(stats.latency().meanMs()).isBetween(299.0, 301.0);
    assertThat(stats.completionTokens()).isEqualTo(12);
    // 4 tokens in 0.2 s = 20/s, 8 tokens in 0.4 s = 20/s
    assertThat(stats.tokensPerSecondMean()).isBetween(19.9, 20.1);
    assertThat(f.monitor.callsByTask(TimeWindow.ONE_HOUR))
        .containsEntry(TaskType.NARRATIVE_GENERATION, 2L);
  }

  @Test
  void selectorAndMonitor_selectionUsesMeasuredPerformance() {
    RouterFixture f = new RouterFixture();
    f.cloud.add("twin-a", m -> m.free(true).therapeuticSafetyScore(8).performanceScore(8));
    f.cloud.add("twin-b", m -> m.free(true).therapeuticSafetyScore(8).performanceScore(8));
    ModelKey a = ModelKey.of("cloud", "twin-a");
    ModelKey b = ModelKey.of("cloud", "twin-b");
    for (int i = 0; i < 10; i++) {
      f.monitor.record(
          CallRecord.failure(
              a, TaskType.GENERAL_CHAT, f.clock.instant(), ms(900), ErrorClass.TIMEOUT));
      f.monitor.record(
          CallRecord.success(
              b, TaskType.GENERAL_CHAT, f.clock.instant(), ms(300), Optional.empty(), 10, 10, 0));
    }
    List<ModelInfo> twins =
        f.router.catalog().stream().filter(m -> m.id().startsWith("twin")).toList();

    Selection unmeasured = selector.select(twins, CHAT, SelectionSnapshot.empty());
    Selection measured =
        selector.select(
            twins,
            CHAT,
            new SelectionSnapshot(
                f.monitor.allModelStats(TimeWindow.ONE_HOUR), Optional.empty(), Map.of()));

    // equal static scores: the tie-break (cost, then key) puts a first; measurements reverse it
    assertThat(models(unmeasured)).extracting(ModelInfo::key).containsExactly(a, b);
    assertThat(models(measured)).extracting(ModelInfo::key).containsExactly(b, a);
  }

  @Test
  void fallbackAndMonitor_fallbackUsesMeasuredPerformance() {
    RouterFixture f = new RouterFixture();
    ModelInfo best = f.cloud.model("best").info();
    ModelInfo good = f.cloud.model("good").info();
    ModelInfo small = f.local.model("small").info();
    for (int i = 0; i < 4; i++) {
      f.monitor.record(
          CallRecord.success(
              GOOD, TaskType.GENERAL_CHAT, f.clock.instant(), ms(100), Optional.empty(), 1, 1, 0));
      f.monitor.record(
          CallRecord.failure(
              SMALL, TaskType.GENERAL_CHAT, f.clock.instant(), ms(100), ErrorClass.TIMEOUT));
    }
    FallbackConfig byAvailability =
        f.fallbackConfig.toBuilder()
            .strategy(FallbackStrategy.AVAILABILITY)
            .preferDifferentProvider(false)
            .build();

    FallbackDecision decision =
        new FallbackPolicy(byAvailability, new SplittableRandom(1))
            .decide(
                new FailureContext(
                    best,
                    new ProviderException.ModelNotFound(best.providerId(), best.id(), "gone", null),
                    1,
                    1,
                    Duration.ofSeconds(10),
                    List.of(small, good),
                    new FallbackState(
                        Set.of(),
                        Map.of(),
                        Set.of(),
                        f.monitor.allModelStats(TimeWindow.ONE_HOUR))));

    // measured success: good 4/4 = 1.0, small 0/4 = 0.0; given order would have been small first
    assertThat(decision)
        .isInstanceOfSatisfying(
            FallbackDecision.TryNext.class, next -> assertThat(next.model().key()).isEqualTo(GOOD));
  }

  @Test
  void fallbackAndMonitor_theMonitorRecordsTheFallback() {
    RouterFixture f = new RouterFixture();
    f.cloud.model("best").thenFail(ErrorClass.MODEL_NOT_FOUND, ms(50));
    f.local.model("small").thenReply("hi", ms(150), 3, 2);

    RoutedResponse answer =
        f.router.chat(RouteRequest.of(HELLO, CHAT, CandidateSource.byRequirements()));

    assertThat(answer.servedBy()).isEqualTo(SMALL);
    assertThat(f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE).orElseThrow().errors())
        .isEqualTo(Map.of(ErrorClass.MODEL_NOT_FOUND, 1L));
    assertThat(f.monitor.modelStats(SMALL, TimeWindow.ONE_MINUTE).orElseThrow().successes())
        .isEqualTo(1);
    ModelStats system = f.monitor.systemStats(TimeWindow.ONE_MINUTE);
    assertThat(system.calls()).isEqualTo(2);
    assertThat(system.successRate()).isEqualTo(0.5);
    assertThat(f.events(RoutingEvent.FellBack.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.from()).isEqualTo(BEST);
              assertThat(e.to()).isEqualTo(SMALL);
              assertThat(e.cause()).isEqualTo(ErrorClass.MODEL_NOT_FOUND);
            });
  }

  @Test
  void wholeFlow_selectFailFallBackMeasure_andTheNextChoiceAvoidsTheFailingModel() {
    RouterFixture f = new RouterFixture();
    f.cloud
        .model("best")
        .thenFail(ErrorClass.UNAVAILABLE, ms(20))
        .thenFail(ErrorClass.UNAVAILABLE, ms(20))
        .thenFail(ErrorClass.UNAVAILABLE, ms(20));

    RoutedResponse first =
        f.router.chat(RouteRequest.of(HELLO, CHAT, CandidateSource.byRequirements()));
    RoutedResponse second =
        f.router.chat(RouteRequest.of(HELLO, CHAT, CandidateSource.byRequirements()));

    assertThat(first.servedBy()).isEqualTo(SMALL);
    assertThat(second.servedBy()).isEqualTo(SMALL);
    // best's third failure excludes it (3 within 30 minutes), so it is not retried again
    assertThat(second.trace().modelsTried()).containsExactly(BEST, SMALL);
    assertThat(second.trace().attempts()).hasSize(2);
    assertThat(f.events)
        .map(e -> e.getClass().getSimpleName())
        .startsWith(
            "AttemptStarted",
            "CallRecorded",
            "AttemptFailed",
            "Retried",
            "AttemptStarted",
            "CallRecorded",
            "AttemptFailed",
            "FellBack",
            "AttemptStarted",
            "CallRecorded",
            "AttemptSucceeded",
            "Served");
    // and it is dropped from the next selection, until 30 minutes have passed
    Selection next = f.router.select(CHAT);
    assertThat(next.dropped())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.model().key()).isEqualTo(BEST);
              assertThat(d.rule()).isEqualTo(DropRule.UNAVAILABLE);
              assertThat(d.detail()).contains("excluded");
            });
    assertThat(f.monitor.systemStats(TimeWindow.ONE_HOUR).calls()).isEqualTo(5);
    f.clock.advance(Duration.ofMinutes(30).plusMillis(1));
    assertThat(f.router.select(CHAT).best().orElseThrow().model().key()).isEqualTo(BEST);
  }
}

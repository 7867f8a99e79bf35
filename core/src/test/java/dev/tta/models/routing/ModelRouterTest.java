package dev.tta.models.routing;

import static dev.tta.models.routing.RouterFixture.BEST;
import static dev.tta.models.routing.RouterFixture.GOOD;
import static dev.tta.models.routing.RouterFixture.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.Usage;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.fallback.FallbackStrategy;
import dev.tta.models.monitoring.ModelStats;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ModelRouterTest {

  private static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("Say hello."));
  private static final ModelRequirements CHAT = ModelRequirements.forTask(TaskType.GENERAL_CHAT);

  private static RouteRequest byRequirements() {
    return RouteRequest.of(HELLO, CHAT, CandidateSource.byRequirements());
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  @Test
  void chat_isServedByTheTopRankedModel_andMeasured() {
    RouterFixture f = new RouterFixture();
    f.cloud.model("best").thenReply("Hello!", ms(300), 12, 5);

    RoutedResponse answer = f.router.chat(byRequirements());

    assertThat(answer.servedBy()).isEqualTo(BEST);
    assertThat(answer.response().text()).isEqualTo("Hello!");
    assertThat(answer.trace().attempts()).hasSize(1);
    assertThat(answer.trace().attempts().get(0).duration()).isEqualTo(ms(300));
    assertThat(answer.trace().total()).isEqualTo(ms(300));
    // nothing elapsed before the call, so the provider gets the whole 30 s deadline
    assertThat(f.cloud.model("best").timeouts()).containsExactly(Duration.ofSeconds(30));
    ModelStats stats = f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE).orElseThrow();
    assertThat(stats.calls()).isEqualTo(1);
    assertThat(stats.successes()).isEqualTo(1);
    assertThat(stats.promptTokens()).isEqualTo(12);
    assertThat(stats.completionTokens()).isEqualTo(5);
    assertThat(stats.latency().p50Ms()).isBetween(299.0, 301.0);
    assertThat(f.good().calls() + f.small().calls()).isZero();
  }

  @Test
  void chat_retriesOnceWithBackoff_thenFallsBackToAnotherProvider() {
    RouterFixture f = new RouterFixture();
    f.cloud
        .model("best")
        .thenFail(ErrorClass.UNAVAILABLE, ms(100))
        .thenFail(ErrorClass.UNAVAILABLE, ms(100));
    f.local.model("small").thenReply("hi", ms(100), 5, 1);

    RoutedResponse answer = f.router.chat(byRequirements());

    // best fails (100 ms), waits 250 ms (base x 2^0, no jitter), fails again (100 ms): one retry
    // per model is used up; good is on best's provider, small is not, so small comes first.
    assertThat(answer.servedBy()).isEqualTo(SMALL);
    assertThat(answer.trace().attempts())
        .extracting(Attempt::model)
        .containsExactly(BEST, BEST, SMALL);
    assertThat(answer.trace().attempts())
        .extracting(Attempt::duration)
        .containsExactly(ms(100), ms(100), ms(100));
    assertThat(answer.trace().attempts().get(0).decision()).startsWith("retry same after 250 ms");
    assertThat(answer.trace().attempts().get(1).decision()).startsWith("try next local/small");
    // 100 + 250 + 100 + 100 = 550 ms
    assertThat(answer.trace().total()).isEqualTo(ms(550));
    assertThat(f.good().calls()).isZero();
    assertThat(f.events(RoutingEvent.Retried.class)).hasSize(1);
    assertThat(f.events(RoutingEvent.FellBack.class))
        .singleElement()
        .satisfies(e -> assertThat(e.to()).isEqualTo(SMALL));
    ModelStats bestStats = f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE).orElseThrow();
    assertThat(bestStats.calls()).isEqualTo(2);
    assertThat(bestStats.successes()).isZero();
    assertThat(bestStats.errors()).containsEntry(ErrorClass.UNAVAILABLE, 2L);
  }

  @Test
  void chat_rateLimitedWithRetryAfter_waitsThatLongAndRetriesTheSameModel() {
    RouterFixture f = new RouterFixture();
    f.cloud
        .model("best")
        .thenRateLimit(ms(50), Duration.ofSeconds(2))
        .thenReply("ok", ms(100), 1, 1);

    RoutedResponse answer = f.router.chat(byRequirements());

    assertThat(answer.servedBy()).isEqualTo(BEST);
    // 50 ms + retry-after 2000 ms + 100 ms
    assertThat(answer.trace().total()).isEqualTo(ms(2150));
    // the second call gets what is left of the 30 s deadline: 30000 - 2050 = 27950 ms
    assertThat(f.cloud.model("best").timeouts())
        .containsExactly(Duration.ofSeconds(30), ms(27_950));
  }

  @Test
  void chat_contentFiltered_stopsAndPropagatesTheProvidersReason() {
    RouterFixture f = new RouterFixture();
    f.cloud.model("best").thenFail(ErrorClass.CONTENT_FILTERED, ms(80));

    assertThatThrownBy(() -> f.router.chat(byRequirements()))
        .isInstanceOfSatisfying(
            RoutingException.AllCandidatesFailed.class,
            e -> {
              assertThat(e.lastError())
                  .isInstanceOfSatisfying(
                      ProviderException.ContentFiltered.class,
                      cf -> assertThat(cf.reason()).isEqualTo("self-harm policy"));
              assertThat(e.trace().attempts()).hasSize(1);
            });
    assertThat(f.good().calls() + f.small().calls()).isZero();
    assertThat(f.events(RoutingEvent.Failed.class))
        .singleElement()
        .satisfies(e -> assertThat(e.reason()).contains("self-harm policy"));
  }

  @Test
  void chat_contextLengthExceeded_movesOnlyToALargerContext() {
    RouterFixture f = new RouterFixture();
    f.cloud.model("best").thenFail(ErrorClass.CONTEXT_LENGTH_EXCEEDED, ms(20));

    RoutedResponse answer = f.router.chat(byRequirements());

    // small is on another provider but has 4096 < 8192 tokens; good has 16384
    assertThat(answer.servedBy()).isEqualTo(GOOD);
    assertThat(f.small().calls()).isZero();
  }

  @Test
  void chat_authenticationFailure_takesTheProviderOutUntilReset() {
    RouterFixture f = new RouterFixture();
    f.cloud.model("best").thenFail(ErrorClass.AUTHENTICATION, ms(30));

    assertThat(f.router.chat(byRequirements()).servedBy()).isEqualTo(SMALL);
    assertThat(f.failures.providersOut(f.clock.instant())).containsKey(BEST.provider());

    RoutedResponse second = f.router.chat(byRequirements());
    assertThat(second.servedBy()).isEqualTo(SMALL);
    assertThat(second.trace().skipped())
        .extracting(SkippedModel::model)
        .containsExactlyInAnyOrder(BEST, GOOD);
    assertThat(second.trace().skipped())
        .allSatisfy(s -> assertThat(s.reason()).contains("provider out"));
    assertThat(f.cloud.model("best").calls()).isEqualTo(1);

    f.failures.resetProvider(BEST.provider());
    assertThat(f.router.chat(byRequirements()).servedBy()).isEqualTo(BEST);
  }

  @Test
  void chat_deadlineBoundsEveryAttempt_andStopsWhenItPasses() {
    RouterFixture f = new RouterFixture();
    f.cloud.model("best").thenFail(ErrorClass.TIMEOUT, ms(800));
    f.local.model("small").thenFail(ErrorClass.TIMEOUT, ms(200));

    assertThatThrownBy(() -> f.router.chat(byRequirements().withDeadline(Duration.ofSeconds(1))))
        .isInstanceOf(RoutingException.AllCandidatesFailed.class);

    // best gets the whole second; after its 800 ms a 250 ms backoff no longer fits in the 200 ms
    // left, so the router moves to small with 200 ms, after which nothing is left.
    assertThat(f.cloud.model("best").timeouts()).containsExactly(Duration.ofSeconds(1));
    assertThat(f.local.model("small").timeouts()).containsExactly(ms(200));
    assertThat(f.good().calls()).isZero();
  }

  @Test
  void chat_explicitChain_skipsModelsThatBreakAHardRequirement_andSaysWhy() {
    RouterFixture f = new RouterFixture();
    f.cloud.add("unsafe", m -> m.free(true).therapeuticSafetyScore(5).performanceScore(10));
    ModelKey unsafe = ModelKey.of("cloud", "unsafe");

    RoutedResponse answer =
        f.router.chat(
            RouteRequest.of(
                HELLO,
                ModelRequirements.forTask(TaskType.THERAPEUTIC_RESPONSE),
                CandidateSource.chain(List.of(unsafe, ModelKey.of("nowhere", "x"), SMALL))));

    assertThat(answer.servedBy()).isEqualTo(SMALL);
    assertThat(answer.trace().skipped())
        .extracting(SkippedModel::model, s -> s.reason().split(":")[0])
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(unsafe, "safety"),
            org.assertj.core.groups.Tuple.tuple(
                ModelKey.of("nowhere", "x"), "no provider named nowhere"));
    assertThat(f.cloud.model("unsafe").calls()).isZero();
    assertThat(f.events(RoutingEvent.Skipped.class))
        .extracting(RoutingEvent.Skipped::model)
        .containsExactly(unsafe, ModelKey.of("nowhere", "x"));
  }

  @Test
  void chat_concreteModel_fallsBackAlongItsConfiguredChain() {
    RouterFixture f =
        new RouterFixture(
            FallbackStrategy.PERFORMANCE,
            CircuitBreakerSettings.defaults(),
            Map.of(GOOD, List.of(SMALL)));
    f.cloud.model("good").thenFail(ErrorClass.MODEL_NOT_FOUND, ms(10));

    RoutedResponse answer =
        f.router.chat(RouteRequest.of(HELLO, CHAT, CandidateSource.model(GOOD)));

    assertThat(answer.servedBy()).isEqualTo(SMALL);
    assertThat(answer.trace().modelsTried()).containsExactly(GOOD, SMALL);
    assertThat(f.cloud.model("best").calls()).isZero();
  }

  @Test
  void chat_openCircuitIsSkipped_andAHalfOpenProbeBringsTheModelBack() {
    CircuitBreakerSettings settings =
        new CircuitBreakerSettings(
            50.0f, 2, 2, Duration.ofSeconds(30), 1, 1.0, Duration.ofSeconds(30));
    RouterFixture f = new RouterFixture(FallbackStrategy.PERFORMANCE, settings, Map.of());
    RouteRequest bestThenSmall =
        RouteRequest.of(HELLO, CHAT, CandidateSource.chain(List.of(BEST, SMALL)));
    f.cloud
        .model("best")
        .thenFail(ErrorClass.UNAVAILABLE, ms(10))
        .thenFail(ErrorClass.UNAVAILABLE, ms(10));

    // two failed calls (a call and its retry) fill the window of 2 at 100 % failures: open
    assertThat(f.router.chat(bestThenSmall).servedBy()).isEqualTo(SMALL);
    assertThat(f.breakers.state(BEST)).isEqualTo(CircuitState.OPEN);

    RoutedResponse whileOpen = f.router.chat(bestThenSmall);
    assertThat(whileOpen.servedBy()).isEqualTo(SMALL);
    assertThat(whileOpen.trace().skipped())
        .singleElement()
        .satisfies(s -> assertThat(s.reason()).contains("circuit open"));
    assertThat(f.cloud.model("best").calls()).isEqualTo(2);

    f.clock.advance(Duration.ofSeconds(30));
    assertThat(f.router.chat(bestThenSmall).servedBy()).isEqualTo(BEST);
    assertThat(f.breakers.state(BEST)).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void chat_noModelMeetsTheRequirements_namesTheRuleForEachModel() {
    RouterFixture f = new RouterFixture();
    ModelRequirements vision =
        ModelRequirements.builder(TaskType.GENERAL_CHAT).requiredCapabilities("vision").build();

    assertThatThrownBy(
            () -> f.router.chat(RouteRequest.of(HELLO, vision, CandidateSource.byRequirements())))
        .isInstanceOfSatisfying(
            RoutingException.NoEligibleModel.class,
            e -> {
              assertThat(e.trace().skipped()).hasSize(3);
              assertThat(e.trace().skipped())
                  .allSatisfy(s -> assertThat(s.reason()).startsWith("capabilities"));
              assertThat(e.getMessage()).contains("cloud/best", "cloud/good", "local/small");
            });
    assertThat(f.events(RoutingEvent.Failed.class)).hasSize(1);
  }

  @Test
  void chat_aProviderThatThrowsAnUnexpectedException_countsAsUnavailable() {
    RouterFixture f = new RouterFixture();
    f.cloud.model("best").thenCrash().thenCrash();

    RoutedResponse answer = f.router.chat(byRequirements());

    assertThat(answer.servedBy()).isEqualTo(SMALL);
    assertThat(answer.trace().attempts().get(0).error()).contains(ErrorClass.UNAVAILABLE);
    assertThat(answer.trace().attempts().get(0).message())
        .isEqualTo("provider failed unexpectedly (IllegalStateException)");
  }

  @Test
  void chat_invalidRequest_stopsWithoutTryingAnotherModel() {
    RouterFixture f = new RouterFixture();
    f.cloud.model("best").thenFail(ErrorClass.INVALID_REQUEST, ms(5));

    assertThatThrownBy(() -> f.router.chat(byRequirements()))
        .isInstanceOfSatisfying(
            RoutingException.AllCandidatesFailed.class,
            e -> assertThat(e.lastError().errorClass()).isEqualTo(ErrorClass.INVALID_REQUEST));
    assertThat(f.good().calls() + f.small().calls()).isZero();
  }

  @Test
  void stream_aFailureBeforeTheFirstToken_fallsBackWithoutTheCallerNoticing() {
    RouterFixture f = new RouterFixture();
    f.cloud
        .model("best")
        .thenFail(ErrorClass.UNAVAILABLE, ms(40))
        .thenFail(ErrorClass.UNAVAILABLE, ms(40));
    f.local.model("small").thenStream(List.of("Once", " upon", " a time"), ms(120), ms(30), 7);

    StringBuilder text = new StringBuilder();
    Optional<ChatChunk> chunk;
    try (RoutedStream stream = f.router.stream(byRequirements())) {
      assertThat(stream.servedBy()).isEqualTo(SMALL);
      // while streaming, the trace holds the attempts that led to this stream
      assertThat(stream.trace().attempts()).extracting(Attempt::model).containsExactly(BEST, BEST);
      assertThat(stream.trace().servedBy()).contains(SMALL);
      // opened after 40 + 250 + 40 ms of failures and 120 ms to small's first token
      assertThat(stream.timeToFirstToken()).isEqualTo(ms(120));
      while ((chunk = stream.next()).isPresent()) {
        text.append(chunk.get().contentDelta());
      }
      assertThat(stream.trace().attempts())
          .extracting(Attempt::model)
          .containsExactly(BEST, BEST, SMALL);
      assertThat(stream.trace().servedBy()).contains(SMALL);
    }
    assertThat(text.toString()).isEqualTo("Once upon a time");
    ModelStats smallStats = f.monitor.modelStats(SMALL, TimeWindow.ONE_MINUTE).orElseThrow();
    assertThat(smallStats.successes()).isEqualTo(1);
    // first token at 120 ms, then two more pieces 30 ms apart: 180 ms in all
    assertThat(smallStats.latency().p50Ms()).isBetween(179.0, 181.0);
    assertThat(smallStats.timeToFirstToken().p50Ms()).isBetween(119.0, 121.0);
    assertThat(smallStats.completionTokens()).isEqualTo(3);
  }

  @Test
  void stream_aBreakAfterTheFirstToken_isContinuedOnTheNextCandidateFromTheTextSoFar() {
    RouterFixture f = new RouterFixture();
    f.cloud
        .model("best")
        .thenBreakMidStream(List.of("Once", " upon"), ms(10), ErrorClass.UNAVAILABLE);
    f.small().thenStream(List.of(" a", " time"), ms(5), ms(5), 12);

    RoutedStream stream = f.router.stream(byRequirements());
    StringBuilder text = new StringBuilder();
    for (Optional<ChatChunk> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
      text.append(chunk.get().contentDelta());
    }

    assertThat(text).hasToString("Once upon a time");
    // small (another provider first) was asked to continue: the conversation, then what the
    // caller already has
    ChatRequest continuation = f.small().received().get(0);
    assertThat(continuation.messages())
        .containsExactly(HELLO.messages().get(0), ChatMessage.assistant("Once upon"));
    assertThat(stream.servedBy()).isEqualTo(SMALL);
    assertThat(stream.models()).containsExactly(BEST, SMALL);
    assertThat(stream.continuations()).isEqualTo(1);
    assertThat(stream.trace().servedBy()).contains(SMALL);
    assertThat(stream.trace().attempts())
        .extracting(Attempt::model, Attempt::error, Attempt::decision)
        .containsExactly(
            tuple(
                BEST,
                Optional.of(ErrorClass.UNAVAILABLE),
                "try next local/small: cloud/best broke mid-stream, not retried; trying"
                    + " local/small (by performance, another provider first)"),
            tuple(SMALL, Optional.empty(), "served, continued from the text so far"));
    // "Once upon" is 9 characters = 3 estimated tokens; small reported 2 (its two pieces)
    assertThat(stream.usage()).contains(Usage.estimated(HELLO.estimatedPromptTokens(), 3 + 2));
    assertThat(f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE).orElseThrow().errors())
        .containsEntry(ErrorClass.UNAVAILABLE, 1L);
    assertThat(f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE).orElseThrow().successes())
        .isZero();
    assertThat(f.monitor.modelStats(SMALL, TimeWindow.ONE_MINUTE).orElseThrow().successes())
        .isEqualTo(1);
    assertThat(f.events(RoutingEvent.Continued.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.from()).isEqualTo(BEST);
              assertThat(e.to()).isEqualTo(SMALL);
              assertThat(e.how()).isEqualTo("continued from the text so far");
            });
  }

  @Test
  void stream_aBreakWithNothingLeftToContinueOn_endsWithTheFailureThatBrokeIt() {
    RouterFixture f = new RouterFixture();
    RouteRequest onlyBest = RouteRequest.of(HELLO, CHAT, CandidateSource.chain(List.of(BEST)));
    f.cloud.model("best").thenBreakMidStream(List.of("A", "B"), ms(10), ErrorClass.UNAVAILABLE);
    // the continuation on best itself (its one retry) breaks again, differently
    f.cloud.model("best").thenFail(ErrorClass.TIMEOUT, ms(10));

    RoutedStream stream = f.router.stream(onlyBest);
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("A");
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("B");
    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("unavailable (scripted)");

    assertThat(stream.trace().servedBy()).isEmpty();
    assertThat(stream.trace().attempts())
        .extracting(Attempt::error)
        .containsExactly(Optional.of(ErrorClass.UNAVAILABLE), Optional.of(ErrorClass.TIMEOUT));
    assertThat(f.cloud.model("best").received().get(1).messages().getLast())
        .isEqualTo(ChatMessage.assistant("AB"));
    assertThat(f.good().calls() + f.small().calls()).isZero();
  }

  @Test
  void stream_aContinuationWhoseRestartDiverges_stopsThere_withoutCountingItAgainstThatModel() {
    RouterFixture f = new RouterFixture();
    // small's circuit is probing: its one permitted call must be given back, as the call did not
    // fail
    f.breakers.holdOpen(SMALL);
    f.clock.advance(CircuitBreakerSettings.DEFAULT_WAIT_IN_OPEN_STATE.plusMillis(1));
    f.cloud.model("best").thenBreakMidStream(List.of("A", "B"), ms(10), ErrorClass.UNAVAILABLE);
    // small refuses "AB" as a prefix, then, restarted, answers with another text
    f.small().thenFail(ErrorClass.INVALID_REQUEST, ms(5));
    f.small().thenStream(List.of("X", "Y"), ms(5), ms(5), 12);

    RoutedStream stream = f.router.stream(byRequirements());
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("A");
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("B");
    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("unavailable (scripted)");

    // the prefix and one restart: a restart that cannot match is not retried, nor tried elsewhere
    assertThat(f.small().calls()).isEqualTo(2);
    assertThat(f.small().received().get(1).messages()).containsExactly(HELLO.messages().get(0));
    assertThat(f.good().calls()).isZero();
    assertThat(f.monitor.modelStats(SMALL, TimeWindow.ONE_MINUTE)).isEmpty();
    assertThat(f.breakers.state(SMALL)).isEqualTo(CircuitState.HALF_OPEN);
    assertThat(f.breakers.tryAcquire(SMALL)).isTrue();
    assertThat(stream.trace().servedBy()).isEmpty();
    assertThat(stream.trace().notes())
        .anySatisfy(
            note ->
                assertThat(note)
                    .contains("(local/small) restarted without the prefix, but its text differs"));
  }

  @Test
  void stream_closedByTheCaller_cancelsUpstream_andIsNotCountedAgainstTheModel() {
    RouterFixture f = new RouterFixture();
    f.cloud.model("best").thenStream(List.of("x", "y", "z"), ms(10), ms(10), 3);

    RoutedStream stream = f.router.stream(byRequirements());
    stream.next();
    stream.close();

    assertThat(f.cloud.model("best").lastStreamClosed()).isTrue();
    assertThat(f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE)).isEmpty();
    assertThat(f.breakers.state(BEST)).isEqualTo(CircuitState.CLOSED);
    assertThat(stream.trace().attempts())
        .singleElement()
        .satisfies(a -> assertThat(a.error()).contains(ErrorClass.CANCELLED));
  }
}

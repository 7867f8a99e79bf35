package dev.tta.models.routing;

import static dev.tta.models.routing.RouterFixture.BEST;
import static dev.tta.models.routing.RouterFixture.GOOD;
import static dev.tta.models.routing.RouterFixture.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Hedged streams on scripted models: the first opening runs until the model's measured 95th
 * percentile of time to first token, then the next candidate starts beside it. The manual clock
 * decides when the hedge starts; a model that hangs blocks in real time until it is stopped.
 */
class HedgingTest {

  private static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("Say hello."));
  private static final ModelRequirements CHAT = ModelRequirements.forTask(TaskType.GENERAL_CHAT);
  private static final Duration P95 = Duration.ofMillis(100);

  private final RouterFixture f = new RouterFixture();

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private RouteRequest hedged() {
    return RouteRequest.of(HELLO, CHAT, CandidateSource.byRequirements()).withHedge(true);
  }

  private static RouteRequest hedgedChain(ModelKey... models) {
    return RouteRequest.of(HELLO, CHAT, CandidateSource.chain(List.of(models))).withHedge(true);
  }

  /** Opens the stream on a thread of its own: the first opening may block in real time. */
  private CompletableFuture<RoutedStream> opening(RouteRequest request) {
    return CompletableFuture.supplyAsync(
        () -> f.router.stream(request), runnable -> Thread.ofVirtual().start(runnable));
  }

  /** Waits until best is being read with its watchdog and the hedge's alarm set, then starts it. */
  private void startTheHedge(CompletableFuture<?> opening) throws InterruptedException {
    await(opening, () -> f.cloud.model("best").calls() == 1 && f.clock.pendingAlarms() >= 2);
    f.clock.advance(P95.plusMillis(1));
  }

  /** Twenty streams of {@code model} whose first token came after 100 ms: its p95 is 100 ms. */
  private void measured(ModelKey model) {
    for (int i = 0; i < ModelRouter.HEDGE_MIN_SAMPLES; i++) {
      f.monitor.record(
          CallRecord.success(
              model,
              TaskType.GENERAL_CHAT,
              f.clock.instant(),
              ms(400),
              Optional.of(P95),
              10,
              5,
              0));
    }
  }

  /**
   * How long a test waits in real time for the router's threads, which take milliseconds: ample on
   * a loaded machine, and short of PIT's timeout, so that a mutant which makes a test wait for ever
   * fails it rather than timing it out (a timeout costs PIT a new JVM).
   */
  private static final Duration REAL_TIME_LIMIT = Duration.ofSeconds(2);

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + REAL_TIME_LIMIT.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime())
          .as("waited %s for the router", REAL_TIME_LIMIT)
          .isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  /**
   * As {@link #await(BooleanSupplier)} while {@code opening} is to wait for the condition: fails at
   * once when the opening has ended instead.
   */
  private static void await(CompletableFuture<?> opening, BooleanSupplier condition)
      throws InterruptedException {
    await(
        () -> {
          if (condition.getAsBoolean()) {
            return true;
          }
          assertThat(opening).as("the opening, which should still be waiting").isNotDone();
          return false;
        });
  }

  private static <T> T within(CompletableFuture<T> future) throws Exception {
    return future.get(REAL_TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static String text(RoutedStream stream) {
    StringBuilder text = new StringBuilder();
    for (Optional<ChatChunk> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
      text.append(chunk.get().contentDelta());
    }
    return text.toString();
  }

  @Test
  void aFirstTokenLaterThanTheP95_startsTheNextCandidate_andTheFirstToAnswerServes()
      throws Exception {
    measured(BEST);
    f.cloud.model("best").thenHang();
    f.good().thenStream(List.of("fast"), ms(5), ms(5), 3);

    CompletableFuture<RoutedStream> opening =
        CompletableFuture.supplyAsync(
            () -> f.router.stream(hedged()), runnable -> Thread.ofVirtual().start(runnable));
    // the hedge's alarm and best's first-token watchdog are both set once best is being read
    await(opening, () -> f.cloud.model("best").calls() == 1 && f.clock.pendingAlarms() >= 2);
    assertThat(f.good().calls()).isZero();
    f.clock.advance(P95.plusMillis(1));
    RoutedStream stream = within(opening);

    assertThat(text(stream)).isEqualTo("fast");
    assertThat(stream.servedBy()).isEqualTo(GOOD);
    // the losing opening is stopped on its own thread
    await(() -> f.cloud.model("best").lastStreamClosed());
    assertThat(f.breakers.state(BEST)).isEqualTo(CircuitState.CLOSED);
    assertThat(stream.trace().attempts())
        .extracting(Attempt::number, Attempt::model, Attempt::error, Attempt::decision)
        .containsExactly(
            tuple(
                1,
                BEST,
                Optional.of(ErrorClass.CANCELLED),
                "stop: cloud/good produced its first token first"),
            tuple(2, GOOD, Optional.empty(), "served"));
    assertThat(f.events(RoutingEvent.Hedged.class))
        .singleElement()
        .satisfies(
            hedge -> {
              assertThat(hedge.primary()).isEqualTo(BEST);
              assertThat(hedge.hedge()).isEqualTo(GOOD);
              // the monitor's histograms keep three significant digits: 100 ms reads as the top
              // of its bucket, within a millisecond above it
              assertThat(hedge.after()).isBetween(P95, P95.plusMillis(1));
            });
  }

  @Test
  void aFirstTokenBeforeTheP95_needsNoHedge() {
    measured(BEST);
    f.cloud.model("best").thenStream(List.of("quick"), ms(50), ms(5), 3);

    RoutedStream stream = f.router.stream(hedged());

    assertThat(text(stream)).isEqualTo("quick");
    assertThat(f.good().calls()).isZero();
    assertThat(f.events(RoutingEvent.Hedged.class)).isEmpty();
    assertThat(f.clock.pendingAlarms()).isZero();
  }

  @Test
  void withTooFewMeasurements_thereIsNoP95_andNoHedge() {
    f.cloud.model("best").thenStream(List.of("slow"), ms(5_000), ms(5), 3);

    RoutedStream stream = f.router.stream(hedged());

    assertThat(text(stream)).isEqualTo("slow");
    assertThat(f.good().calls()).isZero();
  }

  @Test
  void whenBothFail_thePolicyDecidesOnTheFirstOnesFailure() throws Exception {
    measured(BEST);
    f.cloud.model("best").thenHang();
    f.good().thenFail(ErrorClass.UNAVAILABLE, ms(10));

    CompletableFuture<RoutedStream> opening =
        CompletableFuture.supplyAsync(
            () -> f.router.stream(hedged()), runnable -> Thread.ofVirtual().start(runnable));
    await(opening, () -> f.cloud.model("best").calls() == 1 && f.clock.pendingAlarms() >= 2);
    f.clock.advance(P95.plusMillis(1));
    await(opening, () -> f.good().calls() == 1);
    // best's hang ends when its first-token limit (10 s for a remote model) passes
    f.clock.advance(Duration.ofSeconds(10));
    RoutedStream stream = within(opening);

    // good was taken as the hedge, so the timeout on best moves on to small (the script's "ok")
    assertThat(text(stream)).isEqualTo("ok");
    assertThat(stream.trace().attempts())
        .extracting(Attempt::model, Attempt::error)
        .containsExactly(
            tuple(GOOD, Optional.of(ErrorClass.UNAVAILABLE)),
            tuple(BEST, Optional.of(ErrorClass.TIMEOUT)),
            tuple(SMALL, Optional.empty()));
    assertThat(stream.trace().attempts().get(1).message())
        .isEqualTo("no first token within 10000 ms");
  }

  @Test
  void with19MeasuredFirstTokens_thereIsNoP95Yet_andNoHedge() {
    for (int i = 0; i < ModelRouter.HEDGE_MIN_SAMPLES - 1; i++) {
      f.monitor.record(
          CallRecord.success(
              BEST, TaskType.GENERAL_CHAT, f.clock.instant(), ms(400), Optional.of(P95), 10, 5, 0));
    }
    f.cloud.model("best").thenStream(List.of("slow"), ms(5_000), ms(5), 3);

    RoutedStream stream = f.router.stream(hedged());

    assertThat(text(stream)).isEqualTo("slow");
    assertThat(f.good().calls()).isZero();
    // opened on the caller's thread: no thread of its own to wait beside it
    assertThat(f.cloud.model("best").callers()).containsExactly(Thread.currentThread().getName());
  }

  @Test
  void aRequestThatDoesNotHedge_opensOnTheCallersThread_evenWithAMeasuredP95() {
    measured(BEST);
    f.cloud.model("best").thenStream(List.of("slow"), ms(5_000), ms(5), 3);

    RoutedStream stream =
        f.router.stream(RouteRequest.of(HELLO, CHAT, CandidateSource.byRequirements()));

    assertThat(text(stream)).isEqualTo("slow");
    assertThat(f.cloud.model("best").callers()).containsExactly(Thread.currentThread().getName());
    assertThat(f.good().calls()).isZero();
  }

  @Test
  void aCancelBeforeTheHedgeStarts_stopsTheFirstOpening() throws Exception {
    measured(BEST);
    f.cloud.model("best").thenHang();
    Cancellation cancellation = new Cancellation();

    CompletableFuture<RoutedStream> opening = opening(hedged().withCancellation(cancellation));
    await(opening, () -> f.cloud.model("best").calls() == 1 && f.clock.pendingAlarms() >= 2);
    cancellation.cancel("the client left");

    assertThatThrownBy(() -> within(opening))
        .cause()
        .isInstanceOfSatisfying(
            RoutingException.AllCandidatesFailed.class,
            e -> {
              assertThat(e.lastError())
                  .hasMessage("cancelled while waiting for a hedged first token");
              assertThat(e.trace().attempts())
                  .extracting(Attempt::model, Attempt::error)
                  .containsExactly(tuple(BEST, Optional.of(ErrorClass.CANCELLED)));
            });
    assertThat(f.good().calls()).isZero();
  }

  @Test
  void aChatRequestIsNeverHedged() {
    measured(BEST);
    f.cloud.model("best").thenReply("whole", ms(5_000), 3, 1);

    assertThat(f.router.chat(hedged()).response().message().content()).isEqualTo("whole");
    assertThat(f.good().calls()).isZero();
    assertThat(f.events(RoutingEvent.Hedged.class)).isEmpty();
  }

  @Test
  void aCancelWhileBothOpeningsWait_stopsBoth_andRecordsBothAsCancelled() throws Exception {
    measured(BEST);
    f.cloud.model("best").thenHang();
    f.good().thenHang();
    Cancellation cancellation = new Cancellation();

    CompletableFuture<RoutedStream> opening =
        CompletableFuture.supplyAsync(
            () -> f.router.stream(hedged().withCancellation(cancellation)),
            runnable -> Thread.ofVirtual().start(runnable));
    await(opening, () -> f.cloud.model("best").calls() == 1 && f.clock.pendingAlarms() >= 2);
    f.clock.advance(P95.plusMillis(1));
    await(opening, () -> f.good().calls() == 1);
    cancellation.cancel("the client left");

    assertThatThrownBy(() -> within(opening))
        .cause()
        .isInstanceOfSatisfying(
            RoutingException.AllCandidatesFailed.class,
            e -> {
              assertThat(e.lastError()).isInstanceOf(ProviderException.Cancelled.class);
              assertThat(e.trace().attempts())
                  .extracting(Attempt::model, Attempt::error)
                  .containsExactlyInAnyOrder(
                      tuple(BEST, Optional.of(ErrorClass.CANCELLED)),
                      tuple(GOOD, Optional.of(ErrorClass.CANCELLED)));
            });
    await(() -> f.cloud.model("best").lastStreamClosed() && f.good().lastStreamClosed());
    assertThat(f.small().calls()).isZero();
  }

  @Test
  void aFirstOpeningThatAnswersAfterTheHedgeStarted_serves_andTheHedgeIsStopped() throws Exception {
    measured(BEST);
    CountDownLatch bestAnswers = new CountDownLatch(1);
    f.cloud.model("best").thenStreamOnceOpen(bestAnswers, List.of("late"));
    f.good().thenHang();

    CompletableFuture<RoutedStream> opening = opening(hedged());
    startTheHedge(opening);
    await(opening, () -> f.good().calls() == 1);
    bestAnswers.countDown();
    RoutedStream stream = within(opening);

    assertThat(text(stream)).isEqualTo("late");
    assertThat(stream.servedBy()).isEqualTo(BEST);
    assertThat(stream.trace().attempts())
        .extracting(Attempt::number, Attempt::model, Attempt::error, Attempt::decision)
        .containsExactly(
            tuple(
                2,
                GOOD,
                Optional.of(ErrorClass.CANCELLED),
                "stop: cloud/best produced its first token first"),
            tuple(1, BEST, Optional.empty(), "served"));
  }

  @Test
  void aLosersSegmentThatComesAfterAll_isClosed() throws Exception {
    measured(BEST);
    CountDownLatch bestAnswers = new CountDownLatch(1);
    f.cloud.model("best").thenStreamOnceOpen(bestAnswers, List.of("late"));
    f.good().thenStream(List.of("fast"), ms(5), ms(5), 3);

    CompletableFuture<RoutedStream> opening = opening(hedged());
    startTheHedge(opening);
    RoutedStream stream = within(opening);
    assertThat(text(stream)).isEqualTo("fast");
    assertThat(f.cloud.model("best").lastStreamClosed()).isFalse();

    // best's first token arrives although its opening was told to stop
    bestAnswers.countDown();
    await(() -> f.cloud.model("best").lastStreamClosed());
  }

  @Test
  void aHedgeThatWins_servesFromThenOn_soThatABreakRetriesIt() throws Exception {
    measured(BEST);
    f.cloud.model("best").thenHang();
    f.good().thenBreakMidStream(List.of("Once"), ms(5), ErrorClass.UNAVAILABLE);

    CompletableFuture<RoutedStream> opening = opening(hedgedChain(BEST, GOOD));
    startTheHedge(opening);
    RoutedStream stream = within(opening);

    // good broke and no other candidate is left: good, which served, is asked to continue
    assertThat(text(stream)).isEqualTo("Onceok");
    assertThat(stream.models()).containsExactly(GOOD);
    assertThat(f.good().calls()).isEqualTo(2);
  }

  @Test
  void theHedge_skipsCandidatesThatCannotBeCalled_andAFailedLoadIsAFailedHedge() throws Exception {
    ModelKey odd = ModelKey.of("elsewhere", "odd");
    ModelKey twin = ModelKey.of("local", "twin");
    f.cloud.addAsListed(
        ModelInfo.builder(ProviderId.of("elsewhere"), ProviderType.OPENROUTER, "odd")
            .free(true)
            .therapeuticSafetyScore(9)
            .build());
    f.local.add("twin", m -> m.free(true).therapeuticSafetyScore(8).performanceScore(6));
    // twin's circuit is half-open and another request's probe holds its one permission: it
    // opened after three failures of five calls, and its 5 s wait is over
    for (int i = 0; i < 5; i++) {
      f.breakers.tryAcquire(twin);
      if (i < 3) {
        f.breakers.onFailure(twin, ms(10), ErrorClass.UNAVAILABLE);
      } else {
        f.breakers.onSuccess(twin, ms(10));
      }
    }
    f.clock.advance(Duration.ofSeconds(5).plusMillis(1));
    assertThat(f.breakers.tryAcquire(twin)).isTrue();
    measured(BEST);
    f.cloud.model("best").thenHang();

    CompletableFuture<RoutedStream> opening = opening(hedgedChain(BEST, odd, GOOD, twin, SMALL));
    await(opening, () -> f.cloud.model("best").calls() == 1 && f.clock.pendingAlarms() >= 2);
    // good's provider is taken out while best waits
    f.failures.markProviderOut(ProviderId.of("cloud"), "401", f.clock.instant());
    f.clock.advance(P95.plusMillis(1));
    RoutedStream stream = within(opening);

    // odd, listed under a provider that does not exist, cannot be loaded; good is out; twin
    // refuses; small is the hedge, and answers with the script's default
    assertThat(text(stream)).isEqualTo("ok");
    assertThat(stream.servedBy()).isEqualTo(SMALL);
    assertThat(f.events(RoutingEvent.Hedged.class))
        .extracting(RoutingEvent.Hedged::hedge)
        .containsExactly(odd, SMALL);
    assertThat(f.events(RoutingEvent.AttemptStarted.class))
        .extracting(RoutingEvent.AttemptStarted::model, RoutingEvent.AttemptStarted::attempt)
        .containsExactly(tuple(BEST, 1), tuple(odd, 2), tuple(SMALL, 3));
    assertThat(f.events(RoutingEvent.AttemptFailed.class))
        .extracting(RoutingEvent.AttemptFailed::model, RoutingEvent.AttemptFailed::decision)
        .startsWith(tuple(odd, "hedged: the other attempt goes on"));
    assertThat(f.monitor.modelStats(odd, TimeWindow.ONE_MINUTE).orElseThrow().errors())
        .isEqualTo(Map.of(ErrorClass.UNAVAILABLE, 1L));
    assertThat(f.good().calls()).isZero();
    assertThat(f.local.model("twin").calls()).isZero();
  }

  @Test
  void withNoCandidateToHedgeWith_theFirstOpeningGoesOnAlone() throws Exception {
    measured(BEST);
    CountDownLatch bestAnswers = new CountDownLatch(1);
    f.cloud.model("best").thenStreamOnceOpen(bestAnswers, List.of("alone"));

    CompletableFuture<RoutedStream> opening = opening(hedgedChain(BEST, GOOD));
    await(opening, () -> f.cloud.model("best").calls() == 1 && f.clock.pendingAlarms() >= 2);
    f.failures.markProviderOut(ProviderId.of("cloud"), "401", f.clock.instant());
    f.clock.advance(P95.plusMillis(1));
    bestAnswers.countDown();
    RoutedStream stream = within(opening);

    assertThat(text(stream)).isEqualTo("alone");
    assertThat(f.events(RoutingEvent.Hedged.class)).isEmpty();
    assertThat(f.good().calls()).isZero();
  }

  @Test
  void whenBothFail_theHedgeIsNotTriedAgain() throws Exception {
    measured(BEST);
    f.cloud.model("best").thenHang();
    f.good().thenCrash();

    CompletableFuture<RoutedStream> opening = opening(hedgedChain(BEST, GOOD));
    startTheHedge(opening);
    await(opening, () -> f.good().calls() == 1);
    f.clock.advance(Duration.ofSeconds(10));
    RoutedStream stream = within(opening);

    // with no candidate left, best itself is retried (the script's default answer)
    assertThat(text(stream)).isEqualTo("ok");
    assertThat(stream.servedBy()).isEqualTo(BEST);
    assertThat(f.good().calls()).isEqualTo(1);
    assertThat(stream.trace().attempts().getFirst())
        .satisfies(
            hedge -> {
              assertThat(hedge.model()).isEqualTo(GOOD);
              assertThat(hedge.message())
                  .isEqualTo("provider failed unexpectedly (IllegalStateException)");
            });
  }
}

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
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.monitoring.CallRecord;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited 10 s for the router").isLessThan(deadline);
      Thread.sleep(5);
    }
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
    await(() -> f.cloud.model("best").calls() == 1 && f.clock.pendingAlarms() >= 2);
    assertThat(f.good().calls()).isZero();
    f.clock.advance(P95.plusMillis(1));
    RoutedStream stream = opening.get(10, TimeUnit.SECONDS);

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
    await(() -> f.cloud.model("best").calls() == 1 && f.clock.pendingAlarms() >= 2);
    f.clock.advance(P95.plusMillis(1));
    await(() -> f.good().calls() == 1);
    // best's hang ends when its first-token limit (10 s for a remote model) passes
    f.clock.advance(Duration.ofSeconds(10));
    RoutedStream stream = opening.get(10, TimeUnit.SECONDS);

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
    await(() -> f.cloud.model("best").calls() == 1 && f.clock.pendingAlarms() >= 2);
    f.clock.advance(P95.plusMillis(1));
    await(() -> f.good().calls() == 1);
    cancellation.cancel("the client left");

    assertThatThrownBy(() -> opening.get(10, TimeUnit.SECONDS))
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
}

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
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.chat.Usage;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.monitoring.TimeWindow;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.testing.ScriptedModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A routed stream on scripted models, read on the test's thread: its usage, what it continues and
 * what it cannot, and a close that comes in the middle. A close "from another thread" is an alarm
 * on the manual clock, which fires inside the read that advances the clock past it; only a read
 * that blocks in real time is left to a thread of its own.
 */
class RoutedStreamTest {

  /** 10 characters: 3 prompt tokens estimated. */
  private static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("Say hello."));

  private static final ModelRequirements CHAT = ModelRequirements.forTask(TaskType.GENERAL_CHAT);
  private static final String TOOL_CALL_STOP =
      "stop: a tool call was already delivered, it cannot be continued";

  /**
   * How long the one test with a second thread waits for it: what it waits for takes milliseconds;
   * two seconds are ample on a loaded machine and short of PIT's timeout.
   */
  private static final Duration REAL_TIME_LIMIT = Duration.ofSeconds(2);

  private final RouterFixture f = new RouterFixture();
  private final ScriptedModel best = f.cloud.model("best");

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private static RouteRequest chain(ModelKey... models) {
    return RouteRequest.of(HELLO, CHAT, CandidateSource.chain(List.of(models)));
  }

  private static ChatChunk text(String delta) {
    return ChatChunk.content("scripted", delta);
  }

  private static ChatChunk finish(Usage usage) {
    return ChatChunk.finish("scripted", FinishReason.STOP, usage);
  }

  private static String read(RoutedStream stream) {
    StringBuilder text = new StringBuilder();
    for (Optional<ChatChunk> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
      text.append(chunk.get().contentDelta());
    }
    return text.toString();
  }

  @Test
  void oneCallServingItAll_reportsTheProvidersUsage() {
    f.small().thenStream(List.of("Hi", "!"), ms(10), ms(10), 7);

    RoutedStream stream = f.router.stream(chain(SMALL));

    assertThat(stream.usage()).isEmpty();
    assertThat(read(stream)).isEqualTo("Hi!");
    // the scripted stream reports its prompt tokens and one completion token per piece
    assertThat(stream.usage()).contains(new Usage(7, 2));
  }

  @Test
  void oneCallWithoutUsage_isEstimatedFromItsText() {
    f.small().thenChunks(List.of(text("Hello there"), finish(null)), ms(10));

    RoutedStream stream = f.router.stream(chain(SMALL));

    assertThat(read(stream)).isEqualTo("Hello there");
    // 3 prompt tokens; "Hello there" is 11 characters, 3 tokens rounded up
    assertThat(stream.usage()).contains(Usage.estimated(3, 3));
  }

  @Test
  void anAnswerOfNothingButItsFinishReason_isServed_whenTheFinishReasonArrives() {
    f.small().thenChunks(List.of(finish(new Usage(3, 0))), ms(10));

    RoutedStream stream = f.router.stream(chain(SMALL));

    // the stream opens with the finish reason at 10 ms, not with the end 10 ms after it
    assertThat(stream.timeToFirstToken()).isEqualTo(ms(10));
    assertThat(read(stream)).isEmpty();
    assertThat(stream.usage()).contains(new Usage(3, 0));
  }

  @Test
  void aStreamThatEndsWithNothingButChunksWithoutOutput_isClosed_andFallsBack() {
    // the empty chunk at 1.5 s, the end at 3 s: too slow a failure to retry, so small is next
    best.thenChunks(List.of(text("")), ms(1500));

    RoutedStream stream = f.router.stream(chain(BEST, SMALL));

    assertThat(stream.servedBy()).isEqualTo(SMALL);
    assertThat(stream.trace().attempts().getFirst().message())
        .isEqualTo("the stream ended before any output");
    assertThat(best.lastStreamClosed()).isTrue();
  }

  @Test
  void aContinuedAnswer_addsThePartsCompletionTokens_asReportedWherePartsReportedThem() {
    best.thenBreakMidStream(List.of("Once", " upon"), ms(10), ErrorClass.UNAVAILABLE);
    f.small().thenStream(List.of(" a time there was a king"), ms(5), ms(5), 4);

    RoutedStream stream = f.router.stream(chain(BEST, SMALL));

    assertThat(read(stream)).isEqualTo("Once upon a time there was a king");
    // "Once upon" (9 characters) is 3 tokens estimated; small reported 1 completion token for
    // its one piece (estimated, its 23 characters would be 6)
    assertThat(stream.usage()).contains(Usage.estimated(3, 3 + 1));
    assertThat(stream.continuations()).isEqualTo(1);
    assertThat(stream.models()).containsExactly(BEST, SMALL);
    assertThat(best.lastStreamClosed()).isTrue();
    assertThat(f.events(RoutingEvent.Continued.class))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.from()).isEqualTo(BEST);
              assertThat(e.to()).isEqualTo(SMALL);
              assertThat(e.cause()).isEqualTo(ErrorClass.UNAVAILABLE);
              assertThat(e.how()).isEqualTo("continued from the text so far");
            });
    assertThat(f.events(RoutingEvent.Served.class)).hasSize(1);
    assertThat(f.events(RoutingEvent.Failed.class)).isEmpty();
  }

  @Test
  void aStreamThatEndsWithoutAFinishReason_isABreak_andIsContinued() {
    best.thenChunks(List.of(text("Once")), ms(10));

    RoutedStream stream = f.router.stream(chain(BEST, SMALL));

    // small continues with the script's default answer
    assertThat(read(stream)).isEqualTo("Onceok");
    assertThat(stream.trace().attempts().getFirst())
        .satisfies(
            broken -> {
              assertThat(broken.error()).contains(ErrorClass.UNAVAILABLE);
              assertThat(broken.message()).isEqualTo("the stream ended without a finish reason");
            });
    assertThat(f.events(RoutingEvent.Continued.class)).hasSize(1);
  }

  @Test
  void aBreakAfterTheFinishReason_losesNothing() {
    best.thenChunksThenBreak(
        List.of(text("Whole"), finish(new Usage(3, 2))), ms(10), ErrorClass.UNAVAILABLE);

    RoutedStream stream = f.router.stream(chain(BEST, SMALL));

    assertThat(read(stream)).isEqualTo("Whole");
    assertThat(stream.servedBy()).isEqualTo(BEST);
    assertThat(stream.continuations()).isZero();
    assertThat(stream.usage()).contains(new Usage(3, 2));
    assertThat(f.small().calls()).isZero();
    assertThat(best.lastStreamClosed()).isTrue();
    assertThat(f.events(RoutingEvent.AttemptFailed.class)).isEmpty();
    assertThat(f.events(RoutingEvent.Served.class)).hasSize(1);
    assertThat(f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE).orElseThrow().errors()).isEmpty();
  }

  @Test
  void aStreamWhoseToolCallFragmentsWereDelivered_isNotContinued_andEndsWithItsBreak() {
    ChatChunk callStarts =
        new ChatChunk(
            "scripted",
            "",
            List.of(new ToolCallDelta(0, "call_1", "lookup", "")),
            Optional.empty(),
            Optional.empty());
    ChatChunk callGoesOn =
        new ChatChunk(
            "scripted",
            "",
            List.of(new ToolCallDelta(0, null, null, "{\"q\":")),
            Optional.empty(),
            Optional.empty());
    best.thenChunksThenBreak(List.of(callStarts, callGoesOn), ms(10), ErrorClass.UNAVAILABLE);

    RoutedStream stream = f.router.stream(chain(BEST, SMALL));
    assertThat(stream.next()).contains(callStarts);
    assertThat(stream.next()).contains(callGoesOn);

    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("unavailable (scripted)");
    assertThat(f.small().calls()).isZero();
    assertThat(stream.trace().servedBy()).isEmpty();
    assertThat(stream.trace().attempts())
        .extracting(Attempt::model, Attempt::error, Attempt::decision)
        .containsExactly(tuple(BEST, Optional.of(ErrorClass.UNAVAILABLE), TOOL_CALL_STOP));
    assertThat(f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE).orElseThrow().errors())
        .isEqualTo(Map.of(ErrorClass.UNAVAILABLE, 1L));
    assertThat(f.events(RoutingEvent.AttemptFailed.class))
        .extracting(RoutingEvent.AttemptFailed::decision)
        .containsExactly(TOOL_CALL_STOP);
    assertThat(f.events(RoutingEvent.Continued.class)).isEmpty();
    // a close after the end adds nothing
    stream.close();
    assertThat(f.events(RoutingEvent.Failed.class))
        .extracting(RoutingEvent.Failed::reason)
        .containsExactly(TOOL_CALL_STOP);
    assertThat(f.events(RoutingEvent.AttemptFailed.class)).hasSize(1);
  }

  @Test
  void anAnswerPastTheLongestAllowed_endsTheStream_asAFailureOfItsModel_notContinued() {
    // 64 chunks of 65,536 characters are 4,194,304: exactly the longest allowed; one more passes it
    String piece = "w".repeat(65_536);
    List<ChatChunk> endless = new ArrayList<>();
    for (int i = 0; i < 65; i++) {
      endless.add(text(piece));
    }
    best.thenChunksThenBreak(endless, ms(1), ErrorClass.UNAVAILABLE);

    RoutedStream stream = f.router.stream(chain(BEST, SMALL));
    for (int i = 0; i < 64; i++) {
      assertThat(stream.next()).as("chunk %d", i + 1).contains(endless.get(i));
    }

    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining(
            "the answer passed 4194304 characters, more than any chat answer: the model does not"
                + " stop");
    assertThat(f.small().calls()).isZero();
    assertThat(stream.trace().servedBy()).isEmpty();
    assertThat(stream.trace().attempts())
        .extracting(Attempt::model, Attempt::error, Attempt::decision)
        .containsExactly(
            tuple(
                BEST,
                Optional.of(ErrorClass.UNAVAILABLE),
                "stop: an answer this long cannot be continued"));
    assertThat(f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE).orElseThrow().errors())
        .isEqualTo(Map.of(ErrorClass.UNAVAILABLE, 1L));
    assertThat(f.events(RoutingEvent.Continued.class)).isEmpty();
  }

  @Test
  void aSecondBreak_endsTheStreamWithTheFirst() {
    best.thenBreakMidStream(List.of("Once"), ms(10), ErrorClass.TIMEOUT);
    f.good().thenBreakMidStream(List.of(" upon"), ms(10), ErrorClass.CONTENT_FILTERED);

    RoutedStream stream = f.router.stream(chain(BEST, GOOD));
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("Once");
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo(" upon");

    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("timeout (scripted)");
    assertThat(stream.trace().attempts())
        .extracting(Attempt::model, Attempt::error)
        .containsExactly(
            tuple(BEST, Optional.of(ErrorClass.TIMEOUT)),
            tuple(GOOD, Optional.of(ErrorClass.CONTENT_FILTERED)));
    assertThat(f.events(RoutingEvent.Failed.class)).hasSize(1);
  }

  @Test
  void aClose_cancelsTheAttempt_endsTheAnswerOnce_andPassesNothingReadAheadOn() {
    // opening reads ahead to "Hi", the first chunk with output: "" and "Hi" are held
    f.small().thenChunks(List.of(text(""), text("Hi"), text("!"), finish(null)), ms(10));

    RoutedStream stream = f.router.stream(chain(SMALL));
    stream.close();
    stream.close();

    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Cancelled.class)
        .hasMessage("stream closed by the caller");
    assertThat(f.small().lastStreamClosed()).isTrue();
    assertThat(f.events(RoutingEvent.AttemptFailed.class))
        .extracting(
            RoutingEvent.AttemptFailed::model,
            RoutingEvent.AttemptFailed::error,
            RoutingEvent.AttemptFailed::decision)
        .containsExactly(tuple(SMALL, ErrorClass.CANCELLED, "stop: cancelled"));
    assertThat(f.events(RoutingEvent.Failed.class))
        .extracting(RoutingEvent.Failed::reason)
        .containsExactly("cancelled");
    assertThat(stream.trace().servedBy()).isEmpty();
    assertThat(stream.trace().attempts())
        .extracting(Attempt::model, Attempt::error)
        .containsExactly(tuple(SMALL, Optional.of(ErrorClass.CANCELLED)));
    assertThat(f.monitor.modelStats(SMALL, TimeWindow.ONE_MINUTE)).isEmpty();
    assertThat(f.breakers.state(SMALL)).isEqualTo(CircuitState.CLOSED);
  }

  @Test
  void aCloseDuringTheReadThatBreaks_isRecordedOnce_asTheCancellation() {
    best.thenChunksThenBreak(List.of(text("Once")), ms(10), ErrorClass.UNAVAILABLE);
    RoutedStream stream = f.router.stream(chain(BEST, SMALL));
    // the break comes 10 ms after "Once"; the close at the same moment
    f.clock.set(ms(10), stream::close);

    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("Once");
    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Cancelled.class);

    assertThat(f.small().calls()).isZero();
    assertThat(f.events(RoutingEvent.AttemptFailed.class))
        .extracting(RoutingEvent.AttemptFailed::model, RoutingEvent.AttemptFailed::error)
        .containsExactly(tuple(BEST, ErrorClass.CANCELLED));
    assertThat(f.events(RoutingEvent.Failed.class)).hasSize(1);
    assertThat(f.events(RoutingEvent.Continued.class)).isEmpty();
    assertThat(f.monitor.modelStats(BEST, TimeWindow.ONE_MINUTE)).isEmpty();
  }

  @Test
  void aCloseWhileTheContinuationOpens_cancelsTheContinuationToo() {
    best.thenBreakMidStream(List.of("Once"), ms(10), ErrorClass.UNAVAILABLE);
    f.small().thenStream(List.of(" upon"), ms(50), ms(5), 2);
    RoutedStream stream = f.router.stream(chain(BEST, SMALL));
    // best breaks at once after "Once"; small's first token takes 50 ms, the close comes at 30
    f.clock.set(ms(30), stream::close);

    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("Once");
    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Cancelled.class);

    assertThat(f.small().lastStreamClosed()).isTrue();
    assertThat(stream.trace().attempts())
        .extracting(Attempt::model, Attempt::error)
        .containsExactly(
            tuple(BEST, Optional.of(ErrorClass.UNAVAILABLE)),
            tuple(SMALL, Optional.of(ErrorClass.CANCELLED)));
    assertThat(f.events(RoutingEvent.AttemptFailed.class))
        .extracting(RoutingEvent.AttemptFailed::model, RoutingEvent.AttemptFailed::error)
        .containsExactly(tuple(BEST, ErrorClass.UNAVAILABLE), tuple(SMALL, ErrorClass.CANCELLED));
    assertThat(f.events(RoutingEvent.Continued.class)).isEmpty();
    assertThat(f.events(RoutingEvent.Failed.class)).hasSize(1);
  }

  @Test
  void aCloseWhileAContinuationWaitsForItsFirstToken_endsTheWait_andTheTraceHoldsItsAttempt()
      throws Exception {
    best.thenBreakMidStream(List.of("Once"), ms(10), ErrorClass.UNAVAILABLE);
    f.small().thenHang();
    RoutedStream stream = f.router.stream(chain(BEST, SMALL));
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("Once");

    // the continuation on small blocks in real time until the stream is closed
    CompletableFuture<Optional<ChatChunk>> reading =
        CompletableFuture.supplyAsync(stream::next, runnable -> Thread.ofVirtual().start(runnable));
    long waitUntil = System.nanoTime() + REAL_TIME_LIMIT.toNanos();
    while (f.small().calls() == 0) {
      assertThat(reading).as("the read, which should wait for small").isNotDone();
      assertThat(System.nanoTime()).as("waited for small to be called").isLessThan(waitUntil);
      Thread.sleep(5);
    }
    stream.close();

    assertThatThrownBy(() -> reading.get(REAL_TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS))
        .cause()
        .isInstanceOf(ProviderException.Cancelled.class)
        .hasMessage("stream closed by the caller");
    assertThat(stream.trace().attempts())
        .extracting(Attempt::model, Attempt::error)
        .containsExactly(
            tuple(BEST, Optional.of(ErrorClass.UNAVAILABLE)),
            tuple(SMALL, Optional.of(ErrorClass.CANCELLED)));
    assertThat(f.events(RoutingEvent.Failed.class)).hasSize(1);
  }
}

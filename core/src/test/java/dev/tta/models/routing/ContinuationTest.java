package dev.tta.models.routing;

import static dev.tta.models.routing.RouterFixture.BEST;
import static dev.tta.models.routing.RouterFixture.SMALL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ResponseFormat;
import dev.tta.models.chat.Role;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.chat.Usage;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.FallbackStrategy;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.testing.ScriptedModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Streams that break after their first token, continued on scripted models: as a prefix where the
 * model may take one, by a restart checked against the delivered text where it does not, or ended
 * with the failure that first broke them.
 */
class ContinuationTest {

  private static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("Tell a story."));
  private static final ModelRequirements CHAT = ModelRequirements.forTask(TaskType.GENERAL_CHAT);
  private static final ModelKey STRICT = ModelKey.of("local", "strict");
  private static final ModelKey UNSURE = ModelKey.of("local", "unsure");

  private final RouterFixture f = new RouterFixture();
  private final ScriptedModel strict =
      f.local.add(
          "strict",
          m ->
              m.contextLength(4096)
                  .free(true)
                  .therapeuticSafetyScore(8)
                  .performanceScore(5)
                  .assistantPrefill(AssistantPrefill.UNSUPPORTED));
  private final ScriptedModel unsure =
      f.local.add(
          "unsure",
          m ->
              m.contextLength(4096)
                  .free(true)
                  .therapeuticSafetyScore(8)
                  .performanceScore(5)
                  .assistantPrefill(AssistantPrefill.UNKNOWN));

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }

  private RouteRequest chain(ChatRequest chat, ModelKey... models) {
    return RouteRequest.of(chat, CHAT, CandidateSource.chain(List.of(models)));
  }

  private static String read(RoutedStream stream) {
    StringBuilder text = new StringBuilder();
    for (Optional<ChatChunk> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
      text.append(chunk.get().contentDelta());
    }
    return text.toString();
  }

  /** Every chunk the stream passes on, to its end. */
  private static List<ChatChunk> chunks(RoutedStream stream) {
    List<ChatChunk> chunks = new ArrayList<>();
    for (Optional<ChatChunk> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
      chunks.add(chunk.get());
    }
    return chunks;
  }

  private static ChatChunk text(String delta) {
    return ChatChunk.content("scripted", delta);
  }

  private static final ChatChunk STOP = ChatChunk.finish("scripted", FinishReason.STOP, null);

  /** The instant {@code millis} after the fixture's clock started. */
  private static Instant at(long millis) {
    return Instant.parse("2026-01-01T00:00:00Z").plusMillis(millis);
  }

  /** Best delivers "Once upon" (10 ms apart) and breaks at 20 ms; strict is asked next. */
  private RoutedStream brokenAfterOnceUponThenStrict() {
    f.cloud.model("best").thenBreakMidStream(List.of("Once", " upon"), ms(10), ErrorClass.TIMEOUT);
    RoutedStream stream = f.router.stream(chain(HELLO, BEST, STRICT));
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("Once");
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo(" upon");
    return stream;
  }

  private Instant continuedAt() {
    return f.events(RoutingEvent.Continued.class).getFirst().at();
  }

  @Test
  void aModelThatTakesNoPrefix_isRestarted_andWhatFollowsTheDeliveredTextIsStreamed() {
    f.cloud.model("best").thenBreakMidStream(List.of("Once", " upon"), ms(10), ErrorClass.TIMEOUT);
    strict.thenStream(List.of("Once", " upon", " a", " time"), ms(5), ms(5), 4);

    RoutedStream stream = f.router.stream(chain(HELLO, BEST, STRICT));

    assertThat(chunks(stream))
        .extracting(ChatChunk::contentDelta)
        .containsExactly("Once", " upon", " a", " time", "");
    // the restart sends the request unchanged: no assistant message at the end
    assertThat(strict.received()).singleElement().isEqualTo(HELLO);
    // best broke at 20 ms; strict regenerated "Once" at 25 and " upon" at 30 ms, and the
    // continuation stood once " a", its first new output, came at 35 ms
    assertThat(continuedAt()).isEqualTo(at(35));
    assertThat(stream.trace().attempts().getLast().decision())
        .isEqualTo("served, restarted, the regenerated text matching what was delivered");
    // "Once upon" (9 characters) = 3 tokens estimated; the restart's " a time" (7) = 2
    assertThat(stream.usage()).contains(Usage.estimated(HELLO.estimatedPromptTokens(), 5));
  }

  /**
   * A JSON answer is not continued from a prefix even on a model that may take one: its format
   * would make the model begin a new document after it. The request goes again unchanged.
   */
  @Test
  void aJsonAnswer_isRestarted_evenWhereAPrefixMightBeTaken() {
    ChatRequest json = HELLO.toBuilder().responseFormat(new ResponseFormat.JsonObject()).build();
    f.cloud.model("best").thenBreakMidStream(List.of("{\"a\"", ":"), ms(10), ErrorClass.TIMEOUT);
    unsure.thenStream(List.of("{\"a\"", ":", "1", "}"), ms(5), ms(5), 4);

    RoutedStream stream = f.router.stream(chain(json, BEST, UNSURE));

    assertThat(read(stream)).isEqualTo("{\"a\":1}");
    assertThat(unsure.received()).singleElement().isEqualTo(json);
    assertThat(stream.trace().attempts().getLast().decision())
        .isEqualTo("served, restarted, the regenerated text matching what was delivered");
  }

  @Test
  void aRestartWhoseTextDiffers_endsTheStreamWithTheFailureThatBrokeIt() {
    f.cloud.model("best").thenBreakMidStream(List.of("Once", " upon"), ms(10), ErrorClass.TIMEOUT);
    strict.thenStream(List.of("Twice", " upon", " a", " time"), ms(5), ms(5), 4);

    RoutedStream stream = f.router.stream(chain(HELLO, BEST, STRICT));
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo("Once");
    assertThat(stream.next().orElseThrow().contentDelta()).isEqualTo(" upon");

    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("timeout (scripted)");
    assertThat(strict.lastStreamClosed()).isTrue();
    assertThat(stream.trace().servedBy()).isEmpty();
    assertThat(stream.trace().notes())
        .singleElement()
        .asString()
        .isEqualTo(
            "attempt 2 (local/strict) restarted without the prefix, but its text differs from"
                + " what was delivered");
  }

  @Test
  void aRestartThatEndsBeforeCoveringTheDeliveredText_cannotContinue() {
    f.cloud.model("best").thenBreakMidStream(List.of("Once", " upon"), ms(10), ErrorClass.TIMEOUT);
    strict.thenStream(List.of("Once"), ms(5), ms(5), 1);

    RoutedStream stream = f.router.stream(chain(HELLO, BEST, STRICT));
    stream.next();
    stream.next();

    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Timeout.class);
    assertThat(stream.trace().notes())
        .singleElement()
        .asString()
        .endsWith("but its answer ended before covering what was delivered");
    assertThat(strict.lastStreamClosed()).isTrue();
  }

  @Test
  void aRefusedPrefix_isRestartedOnTheSameModel_andRemembered() {
    f.cloud.model("best").thenBreakMidStream(List.of("Once", " upon"), ms(10), ErrorClass.TIMEOUT);
    unsure
        .thenFail(ErrorClass.INVALID_REQUEST, ms(5))
        .thenStream(List.of("Once", " upon", " a", " time"), ms(5), ms(5), 4);

    RoutedStream stream = f.router.stream(chain(HELLO, BEST, UNSURE));

    assertThat(read(stream)).isEqualTo("Once upon a time");
    assertThat(unsure.received().get(0).messages().getLast())
        .isEqualTo(ChatMessage.assistant("Once upon"));
    assertThat(unsure.received().get(1)).isEqualTo(HELLO);
    assertThat(stream.trace().notes())
        .singleElement()
        .asString()
        .isEqualTo(
            "attempt 2 (local/unsure) refused the text so far as a prefix (invalid_request"
                + " (scripted)); restarting");
    assertThat(
            f.router.assistantPrefill(
                f.router.catalog().stream()
                    .filter(m -> m.key().equals(UNSURE))
                    .findFirst()
                    .orElseThrow()))
        .isEqualTo(AssistantPrefill.UNSUPPORTED);
  }

  @Test
  void aContinuationAsksForTheTokensLeftOfMaxTokens() {
    ChatRequest capped = HELLO.toBuilder().maxTokens(10).build();
    f.cloud.model("best").thenBreakMidStream(List.of("Once", " upon"), ms(10), ErrorClass.TIMEOUT);
    unsure.thenStream(List.of(" a"), ms(5), ms(5), 1);

    read(f.router.stream(chain(capped, BEST, UNSURE)));

    // 10 asked, "Once upon" estimated at 3 tokens: 7 left
    ChatRequest continuation = unsure.received().getFirst();
    assertThat(continuation.maxTokens()).hasValue(7);
    assertThat(continuation.messages()).extracting(ChatMessage::role).endsWith(Role.ASSISTANT);
  }

  @Test
  void aStallPastItsLimit_breaksTheStream_andItIsContinued() {
    // the second piece comes 15 s after the first: past the 10 s stall limit of a remote model
    f.cloud.model("best").thenStream(List.of("Once", " upon"), ms(10), Duration.ofSeconds(15), 3);
    f.local.model("small").thenStream(List.of(" upon", " a time"), ms(5), ms(5), 2);

    RoutedStream stream =
        f.router.stream(RouteRequest.of(HELLO, CHAT, CandidateSource.chain(List.of(BEST, SMALL))));

    assertThat(read(stream)).isEqualTo("Once upon a time");
    Attempt broken = stream.trace().attempts().getFirst();
    assertThat(broken.error()).contains(ErrorClass.TIMEOUT);
    assertThat(broken.message()).isEqualTo("no output for 10000 ms (stall limit)");
    assertThat(f.local.model("small").received().getFirst().messages().getLast())
        .isEqualTo(ChatMessage.assistant("Once"));
  }

  @Test
  void aFirstTokenPastItsLimit_fallsBackBeforeAnythingIsDelivered() {
    f.cloud.model("best").thenStream(List.of("late"), Duration.ofSeconds(11), ms(5), 1);

    RoutedStream stream =
        f.router.stream(RouteRequest.of(HELLO, CHAT, CandidateSource.chain(List.of(BEST, SMALL))));

    // small answers with the script's default
    assertThat(read(stream)).isEqualTo("ok");
    assertThat(stream.continuations()).isZero();
    assertThat(stream.trace().attempts().getFirst().message())
        .isEqualTo("no first token within 10000 ms");
    assertThat(f.cloud.model("best").lastStreamClosed()).isTrue();
  }

  @Test
  void aRouteLimitGoesOverTheProvidersOne() {
    // best's first token at 3 s is within its provider's 10 s, not within the route's 2 s
    f.cloud.model("best").thenStream(List.of("late"), Duration.ofSeconds(3), ms(5), 1);

    RoutedStream stream =
        f.router.stream(
            RouteRequest.of(HELLO, CHAT, CandidateSource.chain(List.of(BEST, SMALL)))
                .withTimeouts(
                    new AttemptTimeouts(
                        Optional.of(Duration.ofSeconds(2)), Optional.empty(), Optional.empty())));

    assertThat(read(stream)).isEqualTo("ok");
    assertThat(stream.trace().attempts().getFirst().message())
        .isEqualTo("no first token within 2000 ms");
  }

  @Test
  void aRouteWithoutLimits_leavesTheDeadlineAlone() {
    // best's first token at 15 s and its second 12 s later are past its provider's 10 s limits,
    // but the route has none of its own, and 27 s is within the 30 s deadline
    f.cloud
        .model("best")
        .thenStream(
            List.of("late", " but whole"), Duration.ofSeconds(15), Duration.ofSeconds(12), 1);
    AttemptTimeouts none =
        new AttemptTimeouts(
            Optional.of(AttemptTimeouts.NO_LIMIT),
            Optional.of(AttemptTimeouts.NO_LIMIT),
            Optional.empty());

    RoutedStream stream =
        f.router.stream(
            RouteRequest.of(HELLO, CHAT, CandidateSource.chain(List.of(BEST, SMALL)))
                .withTimeouts(none));

    assertThat(read(stream)).isEqualTo("late but whole");
    assertThat(stream.servedBy()).isEqualTo(BEST);
  }

  @Test
  void aRestartWhoseChunkCoversMoreThanTheDeliveredText_passesOnTheRest() {
    // "Once up" (7 characters) does not cover "Once upon" (9); with "on a" at 30 ms it does
    strict.thenChunks(List.of(text("Once up"), text("on a"), text(" time"), STOP), ms(5));
    RoutedStream stream = brokenAfterOnceUponThenStrict();

    assertThat(chunks(stream))
        .extracting(ChatChunk::contentDelta)
        .containsExactly(" a", " time", "");
    assertThat(continuedAt()).isEqualTo(at(30));
  }

  @Test
  void aRestartThatAnswersWithAToolCallAfterTheDeliveredText_passesTheCallOn() {
    ChatChunk call =
        new ChatChunk(
            "scripted",
            "",
            List.of(new ToolCallDelta(0, "call_1", "lookup", "{}")),
            Optional.empty(),
            Optional.empty());
    strict.thenChunks(List.of(text("Once"), text(" upon"), call, STOP), ms(5));
    RoutedStream stream = brokenAfterOnceUponThenStrict();

    assertThat(chunks(stream)).containsExactly(call, STOP);
    assertThat(stream.servedBy()).isEqualTo(STRICT);
  }

  @Test
  void aRestartThatAnswersWithAToolCallBeforeCoveringTheDeliveredText_cannotContinue() {
    ChatChunk call =
        new ChatChunk(
            "scripted",
            "",
            List.of(new ToolCallDelta(0, "call_1", "lookup", "{}")),
            Optional.empty(),
            Optional.empty());
    strict.thenChunks(List.of(text("Once"), call), ms(5));
    RoutedStream stream = brokenAfterOnceUponThenStrict();

    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Timeout.class);
    assertThat(stream.trace().notes())
        .singleElement()
        .asString()
        .isEqualTo(
            "attempt 2 (local/strict) restarted without the prefix, but it answered with a tool"
                + " call");
    assertThat(strict.lastStreamClosed()).isTrue();
  }

  @Test
  void aRestartWhoseCoveringChunkFinishes_endsTheAnswerThere() {
    ChatChunk finishing =
        new ChatChunk(
            "scripted", " upon", List.of(), Optional.of(FinishReason.STOP), Optional.empty());
    strict.thenChunks(List.of(text("Once"), finishing), ms(5));
    RoutedStream stream = brokenAfterOnceUponThenStrict();

    // the finish reason is kept, without the text the caller already has
    assertThat(chunks(stream)).containsExactly(STOP);
    assertThat(stream.servedBy()).isEqualTo(STRICT);
    // nothing is read past the finish reason before the continuation stands, at 30 ms
    assertThat(continuedAt()).isEqualTo(at(30));
  }

  @Test
  void aRestartWhoseCoveringChunkReportsUsage_passesTheUsageOn() {
    ChatChunk counted =
        new ChatChunk(
            "scripted", " upon", List.of(), Optional.empty(), Optional.of(new Usage(4, 2)));
    strict.thenChunks(List.of(text("Once"), counted, text(" a"), STOP), ms(5));
    RoutedStream stream = brokenAfterOnceUponThenStrict();

    assertThat(chunks(stream))
        .containsExactly(
            new ChatChunk(
                "scripted", "", List.of(), Optional.empty(), Optional.of(new Usage(4, 2))),
            text(" a"),
            STOP);
    // usage is no finish reason: " a", at 35 ms, is still read before the continuation stands
    assertThat(continuedAt()).isEqualTo(at(35));
  }

  @Test
  void afterTheDeliveredText_chunksWithoutOutputAreReadOn_untilOutputOrAFinishReason() {
    strict.thenChunks(List.of(text("Once"), text(" upon"), text(""), text(" a"), STOP), ms(5));
    RoutedStream stream = brokenAfterOnceUponThenStrict();

    assertThat(chunks(stream)).extracting(ChatChunk::contentDelta).containsExactly("", " a", "");
    // covered at 30 ms; "" at 35 is no output; " a" at 40 is
    assertThat(continuedAt()).isEqualTo(at(40));
  }

  @Test
  void afterTheDeliveredText_aFinishReasonEndsTheReadAhead() {
    strict.thenChunks(List.of(text("Once"), text(" upon"), STOP), ms(5));
    RoutedStream stream = brokenAfterOnceUponThenStrict();

    assertThat(chunks(stream)).containsExactly(STOP);
    // covered at 30 ms, the finish reason at 35; the end, 5 ms later, is left to the reader
    assertThat(continuedAt()).isEqualTo(at(35));
  }

  @Test
  void aRestartThatEndsRightAfterTheDeliveredText_withoutAFinishReason_isABreak() {
    strict.thenChunks(List.of(text("Once"), text(" upon")), ms(5));
    RoutedStream stream = brokenAfterOnceUponThenStrict();

    // the break is continued on strict again, whose default answer "ok" is not "Once upon"
    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Timeout.class);
    assertThat(stream.trace().attempts().get(1).message())
        .isEqualTo("the stream ended without a finish reason");
  }

  @Test
  void aRestartThatBreaksWhileRegenerating_isClosed() {
    // each restart breaks after "Once": the first is retried once, the second stops
    strict
        .thenChunksThenBreak(List.of(text("Once")), ms(5), ErrorClass.UNAVAILABLE)
        .thenChunksThenBreak(List.of(text("Once")), ms(5), ErrorClass.UNAVAILABLE);
    RoutedStream stream = brokenAfterOnceUponThenStrict();

    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("timeout (scripted)");
    assertThat(strict.calls()).isEqualTo(2);
    assertThat(strict.lastStreamClosed()).isTrue();
  }

  @Test
  void aProbeThatCannotContinue_givesItsPermissionBack() {
    // circuits that open after two failures of two calls and let one probe in after 30 s
    RouterFixture g =
        new RouterFixture(
            FallbackStrategy.PERFORMANCE,
            new CircuitBreakerSettings(
                50.0f, 2, 2, Duration.ofSeconds(30), 1, 1.0, Duration.ofSeconds(30)),
            Map.of());
    ScriptedModel strictHere =
        g.local.add(
            "strict",
            m ->
                m.contextLength(4096)
                    .free(true)
                    .therapeuticSafetyScore(8)
                    .performanceScore(5)
                    .assistantPrefill(AssistantPrefill.UNSUPPORTED));
    for (int i = 0; i < 2; i++) {
      g.breakers.tryAcquire(STRICT);
      g.breakers.onFailure(STRICT, ms(10), ErrorClass.UNAVAILABLE);
    }
    g.clock.advance(Duration.ofSeconds(30).plusMillis(1));
    g.cloud.model("best").thenBreakMidStream(List.of("Once", " upon"), ms(10), ErrorClass.TIMEOUT);
    strictHere.thenStream(List.of("Twice"), ms(5), ms(5), 1);

    RoutedStream stream = g.router.stream(chain(HELLO, BEST, STRICT));
    stream.next();
    stream.next();
    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Timeout.class);

    // strict's probe answered, differently: its permission is back for the next probe
    assertThat(strictHere.calls()).isEqualTo(1);
    assertThat(g.breakers.tryAcquire(STRICT)).isTrue();
  }
}

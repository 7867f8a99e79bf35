package dev.tta.models.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.Redactor;
import dev.tta.models.providers.http.SseEvent;
import dev.tta.models.providers.http.SseReader;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.time.ManualTimeSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ChunkDecoderTest {

  static final ProviderId PROVIDER = ProviderId.of("p");

  final ChunkDecoder decoder =
      new ChunkDecoder(
          PROVIDER,
          "requested",
          new OpenAiErrors(PROVIDER, Redactor.of(List.of()), new ManualTimeSource()));

  static SseEvent chunk(String choices) {
    return chunk(choices, null);
  }

  static SseEvent chunk(String choices, String usage) {
    return SseEvent.data(
        "{\"id\":\"c\",\"model\":\"served\",\"choices\":["
            + choices
            + "]"
            + (usage == null ? "" : ",\"usage\":" + usage)
            + "}");
  }

  static String delta(String content) {
    return "{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}";
  }

  static String finish(String reason) {
    return "{\"index\":0,\"delta\":{},\"finish_reason\":\"" + reason + "\"}";
  }

  static final SseEvent DONE = SseEvent.data("[DONE]");

  List<ChatChunk> feed(SseEvent... events) {
    List<ChatChunk> out = new ArrayList<>();
    for (SseEvent event : events) {
      out.addAll(decoder.onEvent(event));
    }
    return out;
  }

  @Test
  void onEvent_openAiShape_roleOnlyChunkSkipped_finishMergedWithTheUsageChunk() {
    List<ChatChunk> out =
        feed(
            chunk(
                "{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}"),
            chunk(delta("six")),
            chunk(finish("stop")),
            chunk("", "{\"prompt_tokens\":33,\"completion_tokens\":10,\"total_tokens\":43}"),
            DONE);
    out.addAll(decoder.onEnd());

    assertThat(out)
        .containsExactly(
            ChatChunk.content("served", "six"),
            ChatChunk.finish("served", FinishReason.STOP, new Usage(33, 10)));
  }

  @Test
  void onEvent_finishHeldUntilTheNextEvent() {
    assertThat(feed(chunk(delta("a")), chunk(finish("length"))))
        .containsExactly(ChatChunk.content("served", "a"));
    assertThat(feed(DONE)).containsExactly(ChatChunk.finish("served", FinishReason.LENGTH, null));
    assertThat(decoder.onEnd()).isEmpty();
  }

  @Test
  void onEvent_finishWithUsageInTheSameChunk_releasedAtOnce() {
    // llama.cpp: the last chunk has finish_reason, an empty delta and usage
    assertThat(
            feed(
                chunk(
                    finish("length"),
                    "{\"completion_tokens\":16,\"prompt_tokens\":56,\"total_tokens\":72}")))
        .containsExactly(ChatChunk.finish("served", FinishReason.LENGTH, new Usage(56, 16)));
  }

  @Test
  void onEvent_usageNull_ignored() {
    // OpenAI's current chunks carry "usage": null until the last one
    assertThat(feed(chunk(delta("x"), "null"))).containsExactly(ChatChunk.content("served", "x"));
  }

  @Test
  void onEvent_usageAfterTheFinishWasReleased_usageOnlyChunk() {
    feed(chunk(finish("stop"), "{\"prompt_tokens\":1,\"completion_tokens\":2}"));

    assertThat(feed(chunk("", "{\"prompt_tokens\":3,\"completion_tokens\":4}")))
        .containsExactly(
            new ChatChunk("served", "", List.of(), Optional.empty(), Optional.of(new Usage(3, 4))));
  }

  @Test
  void onEvent_usageWithNoFinishYet_usageOnlyChunk() {
    assertThat(feed(chunk("", "{\"prompt_tokens\":1,\"completion_tokens\":2,\"cost\":0.5}")))
        .containsExactly(
            new ChatChunk(
                "served",
                "",
                List.of(),
                Optional.empty(),
                Optional.of(new Usage(1, 2, OptionalDouble.of(0.5)))));
  }

  @Test
  void onEvent_repeatedFinish_ignored() {
    // OpenRouter's recorded error stream repeats finish_reason "length"
    List<ChatChunk> out = feed(chunk(finish("length")), chunk(finish("stop")), DONE);

    assertThat(out).containsExactly(ChatChunk.finish("served", FinishReason.LENGTH, null));
  }

  @Test
  void onEvent_contentAfterAHeldFinish_finishReleasedFirst() {
    assertThat(feed(chunk(finish("stop")), chunk(delta("late"))))
        .containsExactly(
            ChatChunk.finish("served", FinishReason.STOP, null),
            ChatChunk.content("served", "late"));
  }

  @Test
  void onEvent_toolCallDeltas_passedThrough() {
    List<ChatChunk> out =
        feed(
            chunk(
                "{\"index\":0,\"delta\":{\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
                    + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}}"),
            chunk(
                "{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"\"}}]}}"),
            chunk("{\"index\":0,\"delta\":{\"tool_calls\":[{\"function\":{}}]}}"),
            chunk("{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":1}]}}"));

    assertThat(out)
        .extracting(ChatChunk::toolCallDeltas)
        .containsExactly(
            List.of(new ToolCallDelta(0, "call_1", "get_weather", "")),
            List.of(new ToolCallDelta(0, null, null, "{\"")),
            List.of(new ToolCallDelta(0, null, null, "")),
            List.of(new ToolCallDelta(1, null, null, "")));
  }

  @Test
  void onEvent_noModelInTheChunk_theRequestedOne() {
    assertThat(feed(SseEvent.data("{\"choices\":[" + delta("a") + "]}")))
        .containsExactly(ChatChunk.content("requested", "a"));
  }

  @Test
  void onEvent_eventsWithoutData_andChoicesMissing_nothing() {
    assertThat(feed(SseEvent.data(""), SseEvent.data("  "), SseEvent.data("{\"id\":\"x\"}")))
        .isEmpty();
    assertThat(feed(SseEvent.data("{\"choices\":[{\"index\":0}]}"))).isEmpty();
  }

  @Test
  void onEvent_afterDone_ignored() {
    feed(chunk(delta("a")), DONE);

    assertThat(feed(chunk(delta("b")), DONE)).isEmpty();
  }

  @Test
  void onEvent_llamaBareErrorLine_throwsMappedError() {
    feed(chunk(delta("a")));
    SseEvent error =
        new SseEvent(
            "",
            "",
            Map.of(
                "error",
                "{\"code\":500,\"message\":\"context shift is disabled\",\"type\":\"server_error\"}"));

    assertThatThrownBy(() -> decoder.onEvent(error))
        .isInstanceOf(ProviderException.ContextLengthExceeded.class)
        .hasMessage("error inside the stream server_error: context shift is disabled");
  }

  /** Found by ChunkDecoderFuzzTest: a count the JSON allows but a chunk may not hold. */
  @Test
  void onEvent_negativeTokenCountOrToolIndex_failsTheStreamNamingTheField() {
    SseEvent negativeUsage =
        chunk(finish("stop"), "{\"prompt_tokens\":5,\"completion_tokens\":-2}");
    SseEvent negativeIndex =
        chunk("{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":-1,\"id\":\"c\"}]}}");

    assertThatThrownBy(() -> decoder.onEvent(negativeUsage))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage(
            "the stream sent a chunk that cannot be used:"
                + " usage.completion_tokens: must not be negative, was -2");
    assertThatThrownBy(() -> decoder.onEvent(negativeIndex))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage(
            "the stream sent a chunk that cannot be used:"
                + " tool_calls[].index: must not be negative, was -1");
  }

  @Test
  void onEvent_errorObjectInAChunk_throwsMappedError() {
    SseEvent error =
        SseEvent.data(
            "{\"id\":\"gen\",\"error\":{\"code\":400,\"message\":\"Token limit reached\"},\"choices\":[]}");

    assertThatThrownBy(() -> decoder.onEvent(error))
        .isInstanceOf(ProviderException.InvalidRequest.class)
        .hasMessage("error inside the stream: Token limit reached");
  }

  @Test
  void onEvent_errorNull_notAnError() {
    assertThat(feed(SseEvent.data("{\"error\":null,\"choices\":[" + delta("a") + "]}")))
        .containsExactly(ChatChunk.content("requested", "a"));
  }

  @Test
  void onEvent_notJson_unavailable() {
    assertThatThrownBy(() -> decoder.onEvent(SseEvent.data("{broken")))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("the stream sent a chunk that is not valid JSON");
  }

  @Test
  void onEnd_afterFinishWithoutDone_normalEnd() {
    feed(chunk(delta("a")), chunk(finish("stop")));

    assertThat(decoder.onEnd())
        .containsExactly(ChatChunk.finish("served", FinishReason.STOP, null));
  }

  @Test
  void onEnd_afterDoneWithoutFinish_normalEnd() {
    feed(chunk(delta("a")), DONE);

    assertThat(decoder.onEnd()).isEmpty();
  }

  @Test
  void onEnd_neitherFinishNorDone_cutOff() {
    feed(chunk(delta("a")));

    assertThatThrownBy(decoder::onEnd)
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("the stream ended before the server finished it (no finish_reason, no [DONE])");
  }

  // ---- recorded streams ----

  List<ChatChunk> decodeAll(byte[] body) throws IOException {
    SseReader reader = new SseReader(new ByteArrayInputStream(body));
    List<ChatChunk> out = new ArrayList<>();
    for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
      out.addAll(decoder.onEvent(e.get()));
    }
    out.addAll(decoder.onEnd());
    return out;
  }

  static String text(List<ChatChunk> chunks) {
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.contentDelta()));
    return text.toString();
  }

  @Test
  void recordedLlamaStream_16ContentChunksThenFinishWithUsage() throws IOException {
    byte[] body = FixtureSet.shared("llama-server").exchange("chat_stream").response().body();

    List<ChatChunk> chunks = decodeAll(body);

    // 16 completion tokens, one chunk each, then the finishing chunk with usage 56 / 16
    assertThat(chunks).hasSize(17);
    assertThat(chunks.getLast())
        .isEqualTo(ChatChunk.finish("tiny-random", FinishReason.LENGTH, new Usage(56, 16)));
    assertThat(text(chunks))
        .isEqualTo("alph Ana\u043d\u043e\u0432\u0435 Bool" + " Pakistan".repeat(12));
  }

  @Test
  void recordedOpenAiStream_roleChunkSkipped_finishThenUsageMerged() throws IOException {
    List<ChatChunk> chunks =
        decodeAll(FixtureSet.shared("openai").bytes("chat_completions_stream.sse"));

    assertThat(text(chunks))
        .isEqualTo(
            "I'm unable to provide real-time weather updates. To get the current weather in San"
                + " Francisco, I recommend checking a reliable weather website or a weather app.");
    // usage of the final choices:[] chunk: 14 prompt, 30 completion
    assertThat(chunks.getLast())
        .isEqualTo(ChatChunk.finish("gpt-4o-2024-08-06", FinishReason.STOP, new Usage(14, 30)));
    assertThat(chunks.stream().filter(c -> c.finishReason().isPresent())).hasSize(1);
  }

  @Test
  void recordedOpenAiToolCallStream_argumentsReassemble() throws IOException {
    List<ChatChunk> chunks =
        decodeAll(FixtureSet.shared("openai").bytes("chat_completions_stream_tool_calls.sse"));

    Map<Integer, StringBuilder> arguments = new TreeMap<>();
    chunks.forEach(
        c ->
            c.toolCallDeltas()
                .forEach(
                    d ->
                        arguments
                            .computeIfAbsent(d.index(), i -> new StringBuilder())
                            .append(d.argumentsDelta())));
    assertThat(chunks.getFirst().toolCallDeltas())
        .containsExactly(new ToolCallDelta(0, "call_CTf1nWJLqSeRgDqaCG27xZ74", "get_weather", ""));
    assertThat(arguments).containsOnlyKeys(0);
    assertThat(arguments.get(0).toString())
        .startsWith("{\"city\":\"San Francisco\",\"state\":\"CA\"");
    assertThat(chunks.getLast().finishReason()).contains(FinishReason.TOOL_CALLS);
  }

  @Test
  void recordedOpenRouterStream_commentsIgnored_costReported() throws IOException {
    List<ChatChunk> chunks =
        decodeAll(FixtureSet.shared("openrouter").bytes("chat_completions_stream.sse"));

    ChatChunk last = chunks.getLast();
    assertThat(last.finishReason()).isPresent();
    assertThat(last.usage()).isPresent();
    assertThat(last.usage().orElseThrow().reportedCostUsd()).isPresent();
  }

  @Test
  void recordedOpenRouterMidStreamError_failsAfterTheContent() {
    byte[] body =
        FixtureSet.shared("openrouter").bytes("chat_completions_stream_midstream_error.sse");

    assertThatThrownBy(() -> decodeAll(body))
        .isInstanceOf(ProviderException.InvalidRequest.class)
        .hasMessage("error inside the stream: Token limit reached");
  }

  @Test
  void recordedLlamaErrorBeforeAnyChunk_contextLengthExceeded() {
    byte[] body =
        FixtureSet.shared("llama-server")
            .exchange("noctxshift_error_prompt_over_context_stream")
            .response()
            .body();

    assertThatThrownBy(() -> decodeAll(body))
        .isInstanceOf(ProviderException.ContextLengthExceeded.class);
  }
}

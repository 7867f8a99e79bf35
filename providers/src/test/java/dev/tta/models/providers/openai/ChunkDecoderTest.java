package dev.tta.models.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ErrorClass;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.Redactor;
import dev.tta.models.providers.http.SseEvent;
import dev.tta.models.providers.http.SseReader;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.time.ManualTimeSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

  /** A streamed body: testkit's hand-written exchange, or the recorded file of that provider. */
  static byte[] body(String source, String provider, String name) {
    return source.equals("recorded")
        ? FixtureSet.shared(provider).bytes(name)
        : FixtureSet.classpath("/dev/tta/models/testkit/fixtures/" + provider)
            .exchange(name)
            .response()
            .body();
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Written after llama.cpp's stream: no role chunk, one content chunk per token, then one chunk
   * with finish_reason, an empty delta, usage and timings.
   */
  @Test
  void handWrittenLlamaStream_aChunkPerTokenThenFinishWithUsage() throws IOException {
    String body =
        """
        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Once"}}],"created":1750000000,"id":"chatcmpl-hand-llama","model":"story-model","system_fingerprint":"b5000-hand","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" upon"}}],"created":1750000000,"id":"chatcmpl-hand-llama","model":"story-model","system_fingerprint":"b5000-hand","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" a"}}],"created":1750000000,"id":"chatcmpl-hand-llama","model":"story-model","system_fingerprint":"b5000-hand","object":"chat.completion.chunk"}

        data: {"choices":[{"finish_reason":"length","index":0,"delta":{}}],"created":1750000000,"id":"chatcmpl-hand-llama","model":"story-model","system_fingerprint":"b5000-hand","object":"chat.completion.chunk","usage":{"completion_tokens":3,"prompt_tokens":12,"total_tokens":15},"timings":{"prompt_n":12,"prompt_ms":2.5,"predicted_n":3,"predicted_ms":1.5}}

        data: [DONE]

        """;

    List<ChatChunk> chunks = decodeAll(utf8(body));

    // 3 completion tokens, one chunk each, then the finishing chunk with usage 12 / 3
    assertThat(chunks)
        .containsExactly(
            ChatChunk.content("story-model", "Once"),
            ChatChunk.content("story-model", " upon"),
            ChatChunk.content("story-model", " a"),
            ChatChunk.finish("story-model", FinishReason.LENGTH, new Usage(12, 3)));
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

  /** Values read by hand from each stream; the usage is that of the final choices:[] chunk. */
  @ParameterizedTest(name = "{0} {2}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "hand-written | openai-compatible | chat_stream | Hello! How can I assist you today?"
            + " | gpt-4o-mini-2024-07-18 | 19 | 10",
        "recorded | openai | chat_completions_stream.sse | I'm unable to provide real-time weather"
            + " updates. To get the current weather in San Francisco, I recommend checking a"
            + " reliable weather website or a weather app. | gpt-4o-2024-08-06 | 14 | 30"
      })
  void openAiStreams_roleChunkSkipped_finishThenUsageMerged(
      String source,
      String provider,
      String name,
      String text,
      String model,
      int prompt,
      int completion)
      throws IOException {
    List<ChatChunk> chunks = decodeAll(body(source, provider, name));

    assertThat(text(chunks)).isEqualTo(text);
    assertThat(chunks.getLast())
        .isEqualTo(ChatChunk.finish(model, FinishReason.STOP, new Usage(prompt, completion)));
    assertThat(chunks.stream().filter(c -> c.finishReason().isPresent())).hasSize(1);
    assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(model));
  }

  /**
   * Written after OpenAI's streamed tool calls: each call's first delta has its id, name and empty
   * arguments, later ones only its index and an arguments fragment; here two calls.
   */
  @Test
  void handWrittenToolCallStream_twoCallsReassemble() throws IOException {
    String prefix =
        "data: {\"id\":\"chatcmpl-hand-5\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1741569960,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":"
            + "[{\"index\":0,\"delta\":";
    String suffix = ",\"logprobs\":null,\"finish_reason\":null}]}\n\n";
    String body =
        prefix
            + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,"
            + "\"id\":\"call_hand_a\",\"type\":\"function\",\"function\":"
            + "{\"name\":\"get_forecast\",\"arguments\":\"\"}}],\"refusal\":null}"
            + suffix
            + prefix
            + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\"}}]}"
            + suffix
            + prefix
            + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Oslo\\\"}\"}}]}"
            + suffix
            + prefix
            + "{\"tool_calls\":[{\"index\":1,\"id\":\"call_hand_b\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_wind\",\"arguments\":\"\"}}]}"
            + suffix
            + prefix
            + "{\"tool_calls\":[{\"index\":1,\"function\":{\"arguments\":"
            + "\"{\\\"town\\\":\\\"Bergen\\\"}\"}}]}"
            + suffix
            + "data: {\"id\":\"chatcmpl-hand-5\",\"object\":\"chat.completion.chunk\","
            + "\"created\":1741569960,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":"
            + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}"
            + "\n\ndata: [DONE]\n\n";

    List<ChatChunk> chunks = decodeAll(utf8(body));

    assertThat(chunks.stream().flatMap(c -> c.toolCallDeltas().stream()).toList())
        .containsExactly(
            new ToolCallDelta(0, "call_hand_a", "get_forecast", ""),
            new ToolCallDelta(0, null, null, "{\"city\":"),
            new ToolCallDelta(0, null, null, "\"Oslo\"}"),
            new ToolCallDelta(1, "call_hand_b", "get_wind", ""),
            new ToolCallDelta(1, null, null, "{\"town\":\"Bergen\"}"));
    assertThat(text(chunks)).isEmpty();
    assertThat(chunks.getLast())
        .isEqualTo(ChatChunk.finish("gpt-4o-mini-2024-07-18", FinishReason.TOOL_CALLS, null));
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
  void handWrittenOpenRouterStream_commentsIgnored_costReported() throws IOException {
    List<ChatChunk> chunks = decodeAll(body("hand-written", "openrouter", "chat_stream"));

    // "Take", " a", " slow", " breath", ";", " you", " are", " safe", " here", "."
    assertThat(text(chunks)).isEqualTo("Take a slow breath; you are safe here.");
    // the finish_reason chunk, then the usage chunk (21 / 10, cost 2.05e-06), merged
    assertThat(chunks.getLast())
        .isEqualTo(
            ChatChunk.finish(
                "mistralai/mistral-small-3.2-24b-instruct",
                FinishReason.STOP,
                new Usage(21, 10, OptionalDouble.of(2.05e-6))));
    assertThat(chunks.stream().filter(c -> c.finishReason().isPresent())).hasSize(1);
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // code 502 inside the stream: as an HTTP 502
        "hand-written | openrouter | error_in_stream | UNAVAILABLE | Take"
            + " | error inside the stream: Provider disconnected",
        // type server_error without a code
        "hand-written | openai-compatible | error_in_stream | UNAVAILABLE | Hello!"
            + " | error inside the stream server_error: The server had an error while processing"
            + " your request. Sorry about that!",
        // code 400 inside the stream: as an HTTP 400
        "recorded | openrouter | chat_completions_stream_midstream_error.sse | INVALID_REQUEST |"
            + " | error inside the stream: Token limit reached"
      })
  void midStreamError_failsAfterTheContent(
      String source,
      String provider,
      String name,
      ErrorClass expected,
      String contentBefore,
      String message) {
    byte[] body = body(source, provider, name);
    List<ChatChunk> before = new ArrayList<>();

    assertThatThrownBy(() -> decodeInto(body, before))
        .isInstanceOfSatisfying(
            ProviderException.class, e -> assertThat(e.errorClass()).isEqualTo(expected))
        .hasMessage(message);
    assertThat(text(before)).isEqualTo(contentBefore == null ? "" : contentBefore);
  }

  void decodeInto(byte[] body, List<ChatChunk> out) throws IOException {
    SseReader reader = new SseReader(new ByteArrayInputStream(body));
    for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
      out.addAll(decoder.onEvent(e.get()));
    }
  }

  /**
   * Written after llama.cpp's bare error line, sent before any chunk when the prompt is too long.
   */
  @Test
  void handWrittenLlamaErrorBeforeAnyChunk_contextLengthExceeded() {
    byte[] body =
        utf8(
            """
            error: {"code":400,"message":"the request exceeds the available context size. try increasing the context size or enable context shift","type":"invalid_request_error","n_prompt_tokens":5120,"n_ctx":4096}

            data: [DONE]

            """);

    assertThatThrownBy(() -> decodeAll(body))
        .isInstanceOf(ProviderException.ContextLengthExceeded.class);
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

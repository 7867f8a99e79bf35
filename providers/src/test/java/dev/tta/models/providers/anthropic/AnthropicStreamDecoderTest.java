package dev.tta.models.providers.anthropic;

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
import dev.tta.models.providers.openai.OpenAiErrors;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.time.ManualTimeSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnthropicStreamDecoderTest {

  static final ProviderId ANTHROPIC = ProviderId.of("anthropic");

  static AnthropicStreamDecoder decoder() {
    return decoder(Optional.empty());
  }

  static AnthropicStreamDecoder decoder(Optional<String> answerTool) {
    return new AnthropicStreamDecoder(
        ANTHROPIC,
        "claude-haiku-4-5",
        new OpenAiErrors(ANTHROPIC, Redactor.of(List.of()), new ManualTimeSource()),
        answerTool);
  }

  /** Every chunk of a whole body, as the client's reader would hand the events over. */
  static List<ChatChunk> decode(byte[] body) throws Exception {
    return decode(body, Optional.empty());
  }

  /** Every chunk of a JSON answer's stream, whose answer tool is the one named. */
  static List<ChatChunk> decode(byte[] body, Optional<String> answerTool) throws Exception {
    AnthropicStreamDecoder decoder = decoder(answerTool);
    SseReader reader = new SseReader(new ByteArrayInputStream(body));
    List<ChatChunk> chunks = new ArrayList<>();
    for (Optional<SseEvent> event = reader.next(); event.isPresent(); event = reader.next()) {
      chunks.addAll(decoder.onEvent(event.get()));
    }
    chunks.addAll(decoder.onEnd());
    return chunks;
  }

  static String text(List<ChatChunk> chunks) {
    return chunks.stream().map(ChatChunk::contentDelta).collect(Collectors.joining());
  }

  static ChatChunk last(List<ChatChunk> chunks) {
    return chunks.getLast();
  }

  static final FixtureSet HAND = FixtureSet.classpath("/dev/tta/models/testkit/fixtures/anthropic");

  /** A streamed body: testkit's hand-written exchange of that name, or the recorded file. */
  static byte[] stream(String source, String name) {
    return source.equals("recorded")
        ? FixtureSet.shared("anthropic").bytes(name)
        : HAND.exchange(name).response().body();
  }

  /** Values read by hand from each stream's events. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "hand-written | chat_stream | claude-haiku-4-5-20251001 | 31 | 14 | I hear you. Let's take"
            + " one slow breath together.",
        "recorded | messages_stream_padded.sse | claude-sonnet-4-5-20250929 | 20 | 5 | 2",
        "recorded | messages_stream_basic.sse | claude-3-opus-latest | 11 | 6 | Hello there!",
        "recorded | messages_stream_docs.sse | claude-opus-4-1-20250805 | 25 | 15 | Hello!"
      })
  void textStreams(String source, String name, String model, int input, int output, String text)
      throws Exception {
    List<ChatChunk> chunks = decode(stream(source, name));

    assertThat(text(chunks)).isEqualTo(text);
    assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(model));
    assertThat(chunks.stream().filter(c -> c.finishReason().isPresent())).hasSize(1);
    assertThat(last(chunks).finishReason()).contains(FinishReason.STOP);
    assertThat(last(chunks).usage()).contains(new Usage(input, output));
  }

  /** A count the event's JSON allows but an answer may not hold fails the stream, naming it. */
  @Test
  void negativeTokenCount_failsTheStreamNamingTheField() {
    byte[] body =
        ("event: message_start\n"
                + "data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":-5}}}\n\n"
                + "event: message_stop\n"
                + "data: {\"type\":\"message_stop\"}\n\n")
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> decode(body))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage(
            "a stream event cannot be used: usage.prompt_tokens: must not be negative, was -5");
  }

  @Test
  void recordedPaddedTextStream_withPings() throws Exception {
    List<ChatChunk> chunks =
        decode(FixtureSet.shared("anthropic").bytes("messages_stream_text.sse"));

    assertThat(text(chunks))
        .isEqualTo(
            "The weather in San Francisco, CA is currently:\n- **Temperature:** 68°F\n"
                + "- **Condition:** Sunny\n\nIt's a nice sunny day!");
    assertThat(last(chunks).usage()).contains(new Usage(770, 38));
  }

  @Test
  void recordedToolUseStream_oneToolCallInFragments() throws Exception {
    List<ChatChunk> chunks =
        decode(FixtureSet.shared("anthropic").bytes("messages_stream_tool_use.sse"));

    List<ToolCallDelta> deltas = chunks.stream().flatMap(c -> c.toolCallDeltas().stream()).toList();
    assertThat(deltas.getFirst())
        .isEqualTo(new ToolCallDelta(0, "toolu_018acGYLtfR52q9yDbWaEdQZ", "get_weather", ""));
    assertThat(deltas).allSatisfy(d -> assertThat(d.index()).isZero());
    assertThat(deltas.stream().map(ToolCallDelta::argumentsDelta).collect(Collectors.joining()))
        .isEqualTo("{\"location\": \"San Francisco, CA\", \"units\": \"f\"}");
    assertThat(last(chunks).finishReason()).contains(FinishReason.TOOL_CALLS);
    assertThat(last(chunks).usage()).contains(new Usage(656, 74));
  }

  /**
   * Written after the recorded tool-use stream's shape: padded data lines, a ping between the
   * block's start and its fragments, an empty first fragment, and here a text block first, so the
   * tool's block index (1) is not its call number (0).
   */
  @Test
  void handWrittenToolUseStream_paddedEvents_textThenOneToolCallInFragments() throws Exception {
    String body =
        """
        event: message_start
        data: {"type":"message_start","message":{"model":"claude-sonnet-4-5-20250929","id":"msg_hand_7","type":"message","role":"assistant","content":[],"usage":{"input_tokens":212,"output_tokens":3}}   }

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}     }

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Checking."}  }

        event: content_block_stop
        data: {"type":"content_block_stop","index":0 }

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_hand_7","name":"get_forecast","input":{}}    }

        event: ping
        data: {"type": "ping"}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}  }

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\\"city\\": \\"Os"}      }

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"lo\\"}"}   }

        event: content_block_stop
        data: {"type":"content_block_stop","index":1  }

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":48}     }

        event: message_stop
        data: {"type":"message_stop"   }

        """;

    List<ChatChunk> chunks = decode(body.getBytes(StandardCharsets.UTF_8));

    assertThat(text(chunks)).isEqualTo("Checking.");
    assertThat(chunks)
        .allSatisfy(c -> assertThat(c.model()).isEqualTo("claude-sonnet-4-5-20250929"));
    List<ToolCallDelta> deltas = chunks.stream().flatMap(c -> c.toolCallDeltas().stream()).toList();
    assertThat(deltas)
        .containsExactly(
            new ToolCallDelta(0, "toolu_hand_7", "get_forecast", ""),
            new ToolCallDelta(0, null, null, "{\"city\": \"Os"),
            new ToolCallDelta(0, null, null, "lo\"}"));
    assertThat(last(chunks).finishReason()).contains(FinishReason.TOOL_CALLS);
    // input 212 from message_start; output 48 from message_delta replaces its 3
    assertThat(last(chunks).usage()).contains(new Usage(212, 48));
  }

  /** The recorded tool-use stream, read as the stream of a JSON answer named get_weather. */
  @Test
  void recordedToolUseStream_asAJsonAnswer_itsFragmentsAreTheText() throws Exception {
    List<ChatChunk> chunks =
        decode(
            FixtureSet.shared("anthropic").bytes("messages_stream_tool_use.sse"),
            Optional.of("get_weather"));

    assertThat(text(chunks)).isEqualTo("{\"location\": \"San Francisco, CA\", \"units\": \"f\"}");
    assertThat(chunks).allSatisfy(c -> assertThat(c.toolCallDeltas()).isEmpty());
    assertThat(last(chunks).finishReason()).contains(FinishReason.STOP);
    assertThat(last(chunks).usage()).contains(new Usage(656, 74));
  }

  /**
   * Written after the recorded stream's shape: the answer tool's block (index 0) in fragments, then
   * a call of another tool (index 1), which stays a call, numbered 0, and the answer ends for it.
   */
  @Test
  void handWrittenJsonAnswerStream_answerFragmentsAreText_otherToolsStayCalls() throws Exception {
    String body =
        """
        event: message_start
        data: {"type":"message_start","message":{"model":"claude-haiku-4-5-20251001","id":"msg_hand_9","type":"message","role":"assistant","content":[],"usage":{"input_tokens":90,"output_tokens":1}}}

        event: content_block_start
        data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_hand_9","name":"scene","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":""}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\\"mood\\": \\"ca"}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"lm\\"}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":0}

        event: content_block_start
        data: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_hand_10","name":"roll_dice","input":{}}}

        event: content_block_delta
        data: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}

        event: content_block_stop
        data: {"type":"content_block_stop","index":1}

        event: message_delta
        data: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":21}}

        event: message_stop
        data: {"type":"message_stop"}

        """;

    List<ChatChunk> chunks = decode(body.getBytes(StandardCharsets.UTF_8), Optional.of("scene"));

    assertThat(text(chunks)).isEqualTo("{\"mood\": \"calm\"}");
    assertThat(chunks.stream().flatMap(c -> c.toolCallDeltas().stream()).toList())
        .containsExactly(
            new ToolCallDelta(0, "toolu_hand_10", "roll_dice", ""),
            new ToolCallDelta(0, null, null, "{}"));
    assertThat(last(chunks).finishReason()).contains(FinishReason.TOOL_CALLS);
    assertThat(last(chunks).usage()).contains(new Usage(90, 21));

    String answerOnly =
        body.substring(
                0,
                body.indexOf(
                    "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1"))
            + body.substring(body.indexOf("event: message_delta"));
    List<ChatChunk> answered =
        decode(answerOnly.getBytes(StandardCharsets.UTF_8), Optional.of("scene"));
    assertThat(text(answered)).isEqualTo("{\"mood\": \"calm\"}");
    assertThat(last(answered).finishReason()).contains(FinishReason.STOP);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"hand-written, error_in_stream", "recorded, stream_error_overloaded.sse"})
  void errorEvent_isUnavailable(String source, String name) {
    byte[] body = stream(source, name);

    assertThatThrownBy(() -> decode(body))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("Overloaded");
  }

  static SseEvent event(String type, String data) {
    return new SseEvent(type, data, Map.of());
  }

  @Test
  void aBodyEndingBeforeMessageStop_failed() {
    AnthropicStreamDecoder decoder = decoder();
    decoder.onEvent(
        event(
            "content_block_delta",
            "{\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}"));

    assertThatThrownBy(decoder::onEnd)
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("the stream ended before message_stop");
  }

  @Test
  void afterMessageStop_nothingMore_andNoUsageWhenNoneWasSent() {
    AnthropicStreamDecoder decoder = decoder();

    List<ChatChunk> stop = decoder.onEvent(event("message_stop", "{\"type\":\"message_stop\"}"));
    List<ChatChunk> after =
        decoder.onEvent(
            event(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":0,"
                    + "\"delta\":{\"type\":\"text_delta\",\"text\":\"late\"}}"));

    assertThat(stop).hasSize(1);
    assertThat(stop.getFirst().usage()).isEmpty();
    assertThat(stop.getFirst().model()).isEqualTo("claude-haiku-4-5");
    assertThat(after).isEmpty();
    assertThat(decoder.onEnd()).isEmpty();
  }

  @Test
  void eventsThatCarryNothing_giveNoChunk() {
    AnthropicStreamDecoder decoder = decoder();

    assertThat(decoder.onEvent(event("ping", ""))).isEmpty();
    assertThat(decoder.onEvent(event("message", "{\"type\":\"ping\"}"))).isEmpty();
    assertThat(
            decoder.onEvent(
                event(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"\"}}")))
        .isEmpty();
    assertThat(
            decoder.onEvent(
                event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"text_delta\",\"text\":\"\"}}")))
        .isEmpty();
    // a fragment for a block that is no tool
    assertThat(
            decoder.onEvent(
                event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":5,"
                        + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\"}}")))
        .isEmpty();
    assertThat(
            decoder.onEvent(
                event(
                    "content_block_delta",
                    "{\"type\":\"content_block_delta\",\"index\":0,"
                        + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"hm\"}}")))
        .isEmpty();
  }

  @Test
  void textInABlockStart_andToolsNumberedInTheirOrder() {
    AnthropicStreamDecoder decoder = decoder();

    assertThat(
            decoder.onEvent(
                event(
                    "content_block_start",
                    "{\"type\":\"content_block_start\",\"index\":0,"
                        + "\"content_block\":{\"type\":\"text\",\"text\":\"Hi\"}}")))
        .containsExactly(ChatChunk.content("claude-haiku-4-5", "Hi"));
    decoder.onEvent(
        event(
            "content_block_start",
            "{\"type\":\"content_block_start\",\"index\":1,"
                + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"f\"}}"));
    List<ChatChunk> second =
        decoder.onEvent(
            event(
                "content_block_start",
                "{\"type\":\"content_block_start\",\"index\":2,"
                    + "\"content_block\":{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"g\"}}"));
    List<ChatChunk> fragment =
        decoder.onEvent(
            event(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":2,"
                    + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}"));
    List<ChatChunk> emptyFragment =
        decoder.onEvent(
            event(
                "content_block_delta",
                "{\"type\":\"content_block_delta\",\"index\":2,"
                    + "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}"));

    assertThat(second.getFirst().toolCallDeltas())
        .containsExactly(new ToolCallDelta(1, "t2", "g", ""));
    assertThat(fragment.getFirst().toolCallDeltas())
        .containsExactly(new ToolCallDelta(1, null, null, "{}"));
    assertThat(emptyFragment).isEmpty();
  }

  @Test
  void messageDelta_laterCountsReplaceEarlierOnes() {
    AnthropicStreamDecoder decoder = decoder();
    decoder.onEvent(
        event(
            "message_start",
            "{\"type\":\"message_start\",\"message\":{\"model\":\"\","
                + "\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}"));
    decoder.onEvent(
        event(
            "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\"},"
                + "\"usage\":{\"output_tokens\":4}}"));
    decoder.onEvent(
        event(
            "message_delta",
            "{\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":7}}"));

    ChatChunk finish =
        decoder.onEvent(event("message_stop", "{\"type\":\"message_stop\"}")).getFirst();

    // a blank model name keeps the requested one
    assertThat(finish.model()).isEqualTo("claude-haiku-4-5");
    assertThat(finish.finishReason()).contains(FinishReason.LENGTH);
    assertThat(finish.usage()).contains(new Usage(9, 7));
  }

  @Test
  void unreadableEvent_isUnavailable() {
    assertThatThrownBy(() -> decoder().onEvent(event("message_start", "{nope")))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("a stream event cannot be read");
  }

  @Test
  void handWrittenStream_sameTextAsTheWholeAnswer() throws Exception {
    byte[] raw =
        FixtureSet.classpath("/dev/tta/models/testkit/fixtures/anthropic")
            .exchange("chat_stream")
            .response()
            .body();

    List<ChatChunk> chunks = decode(raw);

    assertThat(text(chunks)).isEqualTo("I hear you. Let's take one slow breath together.");
    assertThat(new String(raw, StandardCharsets.UTF_8)).contains("event: ping");
  }
}

package dev.tta.models.providers.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.Redactor;
import dev.tta.models.providers.http.SseEvent;
import dev.tta.models.providers.openai.OpenAiErrors;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.time.ManualTimeSource;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class OllamaStreamDecoderTest {

  static final ProviderId OLLAMA = ProviderId.of("ollama");

  static OllamaStreamDecoder decoder() {
    return new OllamaStreamDecoder(
        OLLAMA, "phi3", new OpenAiErrors(OLLAMA, Redactor.of(List.of()), new ManualTimeSource()));
  }

  static List<ChatChunk> decode(String body) {
    OllamaStreamDecoder decoder = decoder();
    List<ChatChunk> chunks = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.isBlank()) {
        chunks.addAll(decoder.onEvent(SseEvent.data(line)));
      }
    }
    chunks.addAll(decoder.onEnd());
    return chunks;
  }

  static final FixtureSet HAND = FixtureSet.classpath("/dev/tta/models/testkit/fixtures/ollama");

  /** A streamed body: testkit's hand-written exchange of that name, or the recorded file. */
  static String stream(String source, String name) {
    byte[] body =
        source.equals("recorded")
            ? FixtureSet.shared("ollama").bytes(name)
            : HAND.exchange(name).response().body();
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Found by OllamaStreamDecoderFuzzTest: a tool call without a name. */
  @Test
  void namelessToolCallOrNegativeCount_failsTheStreamNamingTheField() {
    String nameless =
        "{\"message\":{\"content\":\"\",\"tool_calls\":[{\"function\":{\"arguments\":{}}}]}}";
    String negative = "{\"message\":{\"content\":\"\"},\"done\":true,\"eval_count\":-3}";

    assertThatThrownBy(() -> decode(nameless))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("a stream line cannot be used: tool_calls[].function.name: must not be blank");
    assertThatThrownBy(() -> decode(negative))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage(
            "a stream line cannot be used: usage.completion_tokens: must not be negative, was -3");
  }

  static Stream<Arguments> textStreams() {
    return Stream.of(
        // 12 content lines, then the done line: 13 chunks; prompt_eval_count 31, eval_count 12
        // eval_duration 240000000 ns: 12 tokens / 0.24 s = 50 tokens per second
        Arguments.of(
            "hand-written",
            "chat_stream",
            "The sky is blue because air scatters blue light the most.",
            13,
            "llama3.2:latest",
            new Usage(31, 12).withGenerationTime(Duration.ofNanos(240_000_000L)),
            50.0),
        // prompt_eval_count 10, eval_count 239 of the final line
        // eval_duration 2381751000 ns: 239 tokens / 2.381751 s = 100.346 tokens per second
        Arguments.of(
            "recorded",
            "chat_stream.ndjson",
            " these times of day.",
            6,
            "phi3",
            new Usage(10, 239).withGenerationTime(Duration.ofNanos(2_381_751_000L)),
            100.346));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("textStreams")
  void textStream_textThenOneFinishWithTheCounts(
      String source,
      String name,
      String text,
      int chunkCount,
      String model,
      Usage usage,
      double tokensPerSecond) {
    List<ChatChunk> chunks = decode(stream(source, name));

    assertThat(chunks.stream().map(ChatChunk::contentDelta).collect(Collectors.joining()))
        .isEqualTo(text);
    assertThat(chunks).hasSize(chunkCount);
    assertThat(chunks.stream().filter(c -> c.finishReason().isPresent())).hasSize(1);
    assertThat(chunks.getLast().finishReason()).contains(FinishReason.STOP);
    assertThat(chunks.getLast().usage()).contains(usage);
    assertThat(chunks.getLast().usage().orElseThrow().tokensPerSecond().getAsDouble())
        .isCloseTo(tokensPerSecond, within(0.001));
    assertThat(chunks).allSatisfy(c -> assertThat(c.model()).isEqualTo(model));
    assertThat(decoder().lineDelimited()).isTrue();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "hand-written, error_in_stream",
    "recorded, generate_stream_midstream_error_docs.ndjson"
  })
  void midStreamError_failsTheStream(String source, String name) {
    String body = stream(source, name);

    assertThatThrownBy(() -> decode(body))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("an error was encountered while running the model");
  }

  @Test
  void bodyEndingBeforeDone_failed() {
    assertThatThrownBy(
            () -> decode("{\"model\":\"phi3\",\"message\":{\"content\":\"a\"},\"done\":false}"))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("the stream ended before its final (done) object");
  }

  @Test
  void toolCallsWhole_numberedAcrossLines_thenToolCallsFinish() {
    List<ChatChunk> chunks =
        decode(
            """
            {"model":"","message":{"content":"","tool_calls":[{"function":{"name":"f","arguments":{"a":1}}}]},"done":false}
            {"message":{"content":"","tool_calls":[{"function":{"name":"g","arguments":{}}}]},"done":false}
            {"message":{"content":""},"done":true,"done_reason":"stop","eval_count":3}
            {"message":{"content":"after done"},"done":false}
            """);

    assertThat(chunks.get(0).toolCallDeltas())
        .containsExactly(new ToolCallDelta(0, "call_0", "f", "{\"a\":1}"));
    assertThat(chunks.get(1).toolCallDeltas())
        .containsExactly(new ToolCallDelta(1, "call_1", "g", "{}"));
    assertThat(chunks.get(2).finishReason()).contains(FinishReason.TOOL_CALLS);
    assertThat(chunks.get(2).usage()).contains(new Usage(0, 3));
    assertThat(chunks).hasSize(3);
    // a blank model name keeps the requested one
    assertThat(chunks.get(0).model()).isEqualTo("phi3");
  }

  @Test
  void unreadableLine_isUnavailable() {
    assertThatThrownBy(() -> decoder().onEvent(SseEvent.data("{nope")))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageContaining("a stream line cannot be read");
  }
}

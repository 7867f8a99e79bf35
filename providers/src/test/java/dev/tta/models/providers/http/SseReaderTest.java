package dev.tta.models.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.RecordedResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  static List<SseEvent> events(String body) throws IOException {
    return events(body.getBytes(StandardCharsets.UTF_8));
  }

  static List<SseEvent> events(byte[] body) throws IOException {
    SseReader reader = new SseReader(new ByteArrayInputStream(body));
    List<SseEvent> events = new ArrayList<>();
    for (Optional<SseEvent> e = reader.next(); e.isPresent(); e = reader.next()) {
      events.add(e.get());
    }
    assertThat(reader.next()).as("after the end").isEmpty();
    return events;
  }

  /** Eight MiB, less what the readers' buffers may take ahead of an event, and a bit more. */
  static final int UNDER_THE_LIMIT = 8 * 1024 * 1024 - 3 * 8192;

  @Test
  void next_eventsJustUnderTheLimit_eachReadWhole() throws IOException {
    String big = "y".repeat(UNDER_THE_LIMIT - "data: ".length() - 2);
    SseReader reader =
        new SseReader(
            new ByteArrayInputStream(
                ("data: " + big + "\n\ndata: " + big + "\n\ndata: end\n\n")
                    .getBytes(StandardCharsets.UTF_8)));

    // two of them: the allowance is each event's, not the stream's
    assertThat(reader.next()).hasValue(SseEvent.data(big));
    assertThat(reader.next()).hasValue(SseEvent.data(big));
    assertThat(reader.next()).hasValue(SseEvent.data("end"));
  }

  @Test
  void next_anEventOverTheLimit_failsNamingIt() {
    String over = "data: " + "z".repeat(8 * 1024 * 1024 + 3 * 8192) + "\n\n";
    SseReader reader =
        new SseReader(new ByteArrayInputStream(over.getBytes(StandardCharsets.UTF_8)));

    assertThatThrownBy(reader::next)
        .isInstanceOf(OversizedAnswerException.class)
        .hasMessage(
            "an event of the stream is larger than 8 MiB, more than any chat answer: not read"
                + " further");
  }

  @Test
  void next_dataLinesSeparatedByBlankLines_oneEventEach() throws IOException {
    assertThat(events("data: a\n\ndata: b\n\n"))
        .containsExactly(SseEvent.data("a"), SseEvent.data("b"));
  }

  @Test
  void next_crlfAndCrLineEnds_sameAsLf() throws IOException {
    assertThat(events("data: a\r\n\r\ndata: b\r\rdata: c\n\n"))
        .containsExactly(SseEvent.data("a"), SseEvent.data("b"), SseEvent.data("c"));
  }

  @Test
  void next_commentLines_skippedEvenBetweenDataLines() throws IOException {
    // OpenRouter sends ": OPENROUTER PROCESSING" while it waits, also inside an event
    assertThat(events(": OPENROUTER PROCESSING\n\ndata: a\n: OPENROUTER PROCESSING\n\n"))
        .containsExactly(SseEvent.data("a"));
  }

  @Test
  void next_severalDataLines_joinedWithLineFeed() throws IOException {
    assertThat(events("data: one\ndata: two\ndata:\n\n"))
        .containsExactly(SseEvent.data("one\ntwo\n"));
  }

  @Test
  void next_valueWithoutSpaceOrWithTwo_onlyOneSpaceRemoved() throws IOException {
    assertThat(events("data:x\n\ndata:  y\n\n"))
        .containsExactly(SseEvent.data("x"), SseEvent.data(" y"));
  }

  @Test
  void next_eventField_isTheType() throws IOException {
    // Anthropic names its events
    assertThat(events("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
        .containsExactly(new SseEvent("message_stop", "{\"type\":\"message_stop\"}", Map.of()));
  }

  @Test
  void next_llamaCppErrorLine_keptAsOtherField() throws IOException {
    List<SseEvent> events =
        events("error: {\"code\":400,\"message\":\"too long\"}\n\ndata: [DONE]\n\n");

    assertThat(events).hasSize(2);
    assertThat(events.get(0).field("error")).contains("{\"code\":400,\"message\":\"too long\"}");
    assertThat(events.get(0).data()).isEmpty();
    assertThat(events.get(1)).isEqualTo(SseEvent.data("[DONE]"));
  }

  @Test
  void next_fieldWithoutColon_hasEmptyValue() throws IOException {
    assertThat(events("data\n\n")).containsExactly(SseEvent.data(""));
    assertThat(events("flag\n\n").getFirst().field("flag")).contains("");
  }

  @Test
  void next_idAndRetry_ignored() throws IOException {
    assertThat(events("id: 7\nretry: 1000\ndata: a\n\n")).containsExactly(SseEvent.data("a"));
  }

  @Test
  void next_lastEventWithoutBlankLine_stillDelivered() throws IOException {
    assertThat(events("data: a\n\ndata: b"))
        .containsExactly(SseEvent.data("a"), SseEvent.data("b"));
  }

  @Test
  void next_emptyBodyOrOnlyBlankLinesAndComments_noEvent() throws IOException {
    assertThat(events("")).isEmpty();
    assertThat(events("\n\n: ping\n\n\n")).isEmpty();
  }

  @Test
  void next_multiByteUtf8_decoded() throws IOException {
    assertThat(events("data: \u043d\u043e\u0432\u0435\n\n"))
        .containsExactly(SseEvent.data("\u043d\u043e\u0432\u0435"));
  }

  @Test
  void next_handWrittenOpenRouterStream_commentsDropped() throws IOException {
    byte[] body =
        FixtureSet.classpath("/dev/tta/models/testkit/fixtures/openrouter")
            .exchange("chat_stream")
            .response()
            .body();

    List<SseEvent> events = events(body);

    // two comment lines; 13 chunks (the role, ten content pieces, the finish, the usage), [DONE]
    assertThat(events).hasSize(14);
    assertThat(events).allSatisfy(e -> assertThat(e.data()).isNotEmpty());
    assertThat(events.getLast()).isEqualTo(SseEvent.data("[DONE]"));
    assertThat(events).noneMatch(e -> e.data().contains("OPENROUTER PROCESSING"));
  }

  @Test
  void next_recordedOpenRouterStream_commentsDropped() throws IOException {
    byte[] body =
        FixtureSet.shared("openrouter").bytes("chat_completions_stream_midstream_error.sse");

    List<SseEvent> events = events(body);

    // the recording starts with 17 comment lines; every event left is a data line
    assertThat(events).allSatisfy(e -> assertThat(e.data()).isNotEmpty());
    assertThat(events.getLast()).isEqualTo(SseEvent.data("[DONE]"));
    assertThat(events).noneMatch(e -> e.data().contains("OPENROUTER PROCESSING"));
  }

  @Test
  void next_recordedLlamaMidStreamError_22ContentEventsThenErrorThenDone() throws IOException {
    RecordedResponse response =
        FixtureSet.shared("llama-server")
            .exchange("noctxshift_error_max_tokens_over_context_stream")
            .response();

    List<SseEvent> events = events(response.body());

    // the README: 22 content chunks, then the error line, then [DONE]
    assertThat(events).hasSize(24);
    assertThat(events.subList(0, 22)).allSatisfy(e -> assertThat(e.data()).startsWith("{"));
    assertThat(events.get(22).field("error"))
        .contains(
            "{\"code\":500,\"message\":\"context shift is disabled\",\"type\":\"server_error\"}");
    assertThat(events.get(23)).isEqualTo(SseEvent.data("[DONE]"));
  }

  /**
   * Written after llama.cpp's stream that runs out of window: content, a bare error line, [DONE].
   */
  @Test
  void next_handWrittenLlamaMidStreamError_contentThenErrorThenDone() throws IOException {
    List<SseEvent> events =
        events(
            """
            data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"Once"}}],"model":"story-model","object":"chat.completion.chunk"}

            data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" upon"}}],"model":"story-model","object":"chat.completion.chunk"}

            error: {"code":500,"message":"context shift is disabled","type":"server_error"}

            data: [DONE]

            """);

    assertThat(events).hasSize(4);
    assertThat(events.subList(0, 2)).allSatisfy(e -> assertThat(e.data()).startsWith("{"));
    assertThat(events.get(2).field("error"))
        .contains(
            "{\"code\":500,\"message\":\"context shift is disabled\",\"type\":\"server_error\"}");
    assertThat(events.get(2).data()).isEmpty();
    assertThat(events.get(3)).isEqualTo(SseEvent.data("[DONE]"));
  }

  @Test
  void sseEvent_field_absent_empty() {
    assertThat(SseEvent.data("x").field("error")).isEmpty();
  }
}

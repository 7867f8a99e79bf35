package dev.tta.models.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.providers.http.HttpCall;
import dev.tta.models.providers.http.ScriptedTransport;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.http.SseEvent;
import dev.tta.models.time.ManualTimeSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiClientTest {

  static final ChatRequest HELLO = ChatRequest.of(ChatMessage.user("Hello!"));
  static final CallOptions SHORT = CallOptions.withTimeout(Duration.ofMillis(300));
  static final String ANSWER =
      "{\"id\":\"c1\",\"model\":\"m-served\",\"choices\":[{\"index\":0,\"message\":{\"role\":"
          + "\"assistant\",\"content\":\"Hi\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2}}";

  final ScriptedTransport transport = new ScriptedTransport();
  final OpenAiClient client =
      new OpenAiClient(
          OpenAiClientConfig.builder(ProviderId.of("p"), URI.create("http://127.0.0.1:9/api/v1"))
              .apiKey(Secret.of("sk-test-123456"))
              .headers(Map.of("X-Title", "tta"))
              .catalogTimeout(Duration.ofSeconds(7))
              .healthTimeout(Duration.ofSeconds(3))
              .build(),
          transport,
          new ManualTimeSource());

  @AfterEach
  void close() {
    client.close();
  }

  @Test
  void listModels_getsModelsWithKeyAndHeaders() {
    transport.thenReply(
        200, "{\"data\":[{\"id\":\"a\",\"owned_by\":\"me\",\"context_length\":8192}]}");

    assertThat(client.listModels())
        .containsExactly(new OpenAiModel("a", "me", OptionalInt.of(8192)));
    HttpCall call = transport.calls().getFirst();
    assertThat(call.method()).isEqualTo("GET");
    assertThat(call.uri()).isEqualTo(URI.create("http://127.0.0.1:9/api/v1/models"));
    assertThat(call.headers())
        .containsEntry("Authorization", "Bearer sk-test-123456")
        .containsEntry("Accept", "application/json")
        .containsEntry("X-Title", "tta")
        .doesNotContainKey("Content-Type");
    assertThat(transport.timeouts()).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void chat_postsTheBodyAndReadsTheAnswer() {
    transport.thenReply(200, ANSWER);

    var response = client.chat("m", HELLO, SHORT);

    assertThat(response.text()).isEqualTo("Hi");
    assertThat(response.model()).isEqualTo("m-served");
    assertThat(response.usage()).contains(new Usage(9, 2));
    HttpCall call = transport.calls().getFirst();
    assertThat(call.method()).isEqualTo("POST");
    assertThat(call.uri()).isEqualTo(URI.create("http://127.0.0.1:9/api/v1/chat/completions"));
    assertThat(call.headers()).containsEntry("Content-Type", "application/json");
    assertThat(new String(call.body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello!\"}]}");
    assertThat(transport.timeouts()).containsExactly(Duration.ofMillis(300));
  }

  @Test
  void chat_errorStatus_mappedWithRetryAfter() {
    transport.thenReply(
        429,
        "{\"error\":{\"code\":\"rate_limit_exceeded\",\"message\":\"slow\"}}",
        Map.of("Retry-After", "7"));

    assertThatThrownBy(() -> client.chat("m", HELLO, SHORT))
        .isInstanceOfSatisfying(
            ProviderException.RateLimited.class,
            e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)))
        .hasMessage("HTTP 429 rate_limit_exceeded: slow");
  }

  @Test
  void chat_transportFailures_mapped() {
    transport
        .thenThrow(new ConnectException("Connection refused"))
        .thenThrow(new HttpTimeoutException("request timed out"))
        .thenThrow(new InterruptedException());

    assertThatThrownBy(() -> client.chat("m", HELLO, SHORT))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("POST chat/completions to 127.0.0.1:9: could not connect (Connection refused)");
    assertThatThrownBy(() -> client.chat("m", HELLO, SHORT))
        .isInstanceOf(ProviderException.Timeout.class);
    assertThatThrownBy(() -> client.chat("m", HELLO, SHORT))
        .isInstanceOf(ProviderException.Cancelled.class);
    assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
  }

  @Test
  void chat_unreadableAnswers_unavailable() {
    transport.thenReply(200, "not json").thenReply(200, "null").thenReply(200, "{\"choices\":[]}");

    assertThatThrownBy(() -> client.chat("m", HELLO, SHORT))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessageStartingWith("POST chat/completions: the server's answer cannot be read (");
    assertThatThrownBy(() -> client.chat("m", HELLO, SHORT))
        .hasMessage(
            "POST chat/completions: the server's answer cannot be read (the body is JSON null)");
    assertThatThrownBy(() -> client.chat("m", HELLO, SHORT))
        .hasMessage(
            "POST chat/completions: the server's answer cannot be read (choices: the response has"
                + " none)");
  }

  @Test
  void chat_bodyNeverCompletes_timeoutAndTheReplyClosed() {
    ScriptedTransport.Reply hanging = ScriptedTransport.hangingReply(200);
    transport.then(call -> hanging);

    assertThatThrownBy(() -> client.chat("m", HELLO, SHORT))
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("POST chat/completions: no complete response within PT0.3S");
    assertThat(hanging.closed()).isTrue();
  }

  @Test
  void chat_bodyFailsWhileRead_unavailable() {
    transport.then(
        call ->
            new ScriptedTransport.Reply(
                200,
                new InputStream() {
                  @Override
                  public int read() throws IOException {
                    throw new IOException("Connection reset");
                  }
                },
                Map.of()));

    assertThatThrownBy(() -> client.chat("m", HELLO, SHORT))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("POST chat/completions: connection failed (Connection reset)");
  }

  @Test
  void chat_requestThatCannotBeEncoded_invalidRequestWithoutACall() {
    ChatRequest bad =
        HELLO.toBuilder().tools(List.of(new ToolDefinition("f", "", "{oops"))).build();

    assertThatThrownBy(() -> client.chat("m", bad, SHORT))
        .isInstanceOf(ProviderException.InvalidRequest.class)
        .hasMessage("the request cannot be sent: tools[f].parameters: must be valid JSON");
    assertThat(transport.calls()).isEmpty();
  }

  @Test
  void chat_blankModel_refused() {
    assertThatThrownBy(() -> client.chat(" ", HELLO, SHORT)).hasMessage("model: must not be blank");
    assertThatThrownBy(() -> client.stream("", HELLO, SHORT))
        .hasMessage("model: must not be blank");
  }

  // ---- streams ----

  static ScriptedTransport.Reply sse(String body) {
    return ScriptedTransport.reply(200, body, Map.of("Content-Type", "text/event-stream"));
  }

  static List<ChatChunk> readAll(ChatStream stream) {
    try (stream) {
      List<ChatChunk> chunks = new java.util.ArrayList<>();
      for (Optional<ChatChunk> c = stream.next(); c.isPresent(); c = stream.next()) {
        chunks.add(c.get());
      }
      return chunks;
    }
  }

  @Test
  void stream_asksForEventsAndUsage_readsChunks() {
    transport.then(
        call ->
            sse(
                "data: {\"model\":\"s\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n"
                    + "data: {\"model\":\"s\",\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n"
                    + "data: [DONE]\n\n"));

    List<ChatChunk> chunks = readAll(client.stream("m", HELLO, SHORT));

    assertThat(chunks)
        .containsExactly(
            ChatChunk.content("s", "Hi"),
            ChatChunk.finish("s", FinishReason.STOP, new Usage(1, 1)));
    HttpCall call = transport.calls().getFirst();
    assertThat(call.headers()).containsEntry("Accept", "text/event-stream");
    assertThat(new String(call.body(), StandardCharsets.UTF_8))
        .endsWith("\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    assertThat(client.openStreamCount()).isZero();
  }

  @Test
  void stream_errorStatus_thrownAtOnceAndTheReplyClosed() {
    ScriptedTransport.Reply reply =
        ScriptedTransport.reply(
            401,
            "{\"error\":{\"code\":401,\"message\":\"Invalid API Key\",\"type\":\"authentication_error\"}}",
            Map.of());
    transport.then(call -> reply);

    assertThatThrownBy(() -> client.stream("m", HELLO, SHORT))
        .isInstanceOf(ProviderException.Authentication.class)
        .hasMessage("HTTP 401 authentication_error: Invalid API Key");
    assertThat(reply.closed()).isTrue();
  }

  @Test
  void stream_noEventInTime_timeoutThenTheSameFailure() {
    ScriptedTransport.Reply hanging = ScriptedTransport.hangingReply(200);
    transport.then(call -> hanging);
    ChatStream stream = client.stream("m", HELLO, SHORT);

    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("no first chunk within 300 ms");
    assertThat(hanging.closed()).isTrue();
    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Timeout.class);
    assertThat(client.openStreamCount()).isZero();
  }

  @Test
  void stream_stallAfterAChunk_timeoutBetweenChunks() {
    ScriptedTransport.Reply hanging = ScriptedTransport.hangingReply(200);
    InputStream body =
        new SequenceInputStream(
            new ByteArrayInputStream(
                "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"
                    .getBytes(StandardCharsets.UTF_8)),
            hanging.body());
    transport.then(call -> new ScriptedTransport.Reply(200, body, Map.of()));
    ChatStream stream = client.stream("m", HELLO, SHORT);

    assertThat(stream.next()).contains(ChatChunk.content("m", "a"));
    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Timeout.class)
        .hasMessage("no next chunk within 300 ms");
  }

  @Test
  void stream_bodyCutOff_unavailable() {
    transport.then(call -> sse("data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"));
    ChatStream stream = client.stream("m", HELLO, SHORT);

    assertThat(stream.next()).isPresent();
    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("the stream ended before the server finished it (no finish_reason, no [DONE])");
    stream.close();
  }

  @Test
  void stream_bodyFails_unavailable() {
    InputStream failing =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("Connection reset");
          }
        };
    transport.then(call -> new ScriptedTransport.Reply(200, failing, Map.of()));

    assertThatThrownBy(() -> readAll(client.stream("m", HELLO, SHORT)))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage("stream: connection failed (Connection reset)");
  }

  @Test
  void stream_closed_cancelledAndReleased() {
    ScriptedTransport.Reply hanging = ScriptedTransport.hangingReply(200);
    transport.then(call -> hanging);
    ChatStream stream = client.stream("m", HELLO, CallOptions.defaults());
    assertThat(client.openStreamCount()).isEqualTo(1);

    stream.close();
    stream.close();

    assertThat(hanging.closed()).isTrue();
    assertThat(client.openStreamCount()).isZero();
    assertThatThrownBy(stream::next)
        .isInstanceOf(ProviderException.Cancelled.class)
        .hasMessage("the stream was closed");
  }

  @Test
  void stream_closedFromAnotherThreadWhileReading_cancelled() throws InterruptedException {
    ScriptedTransport.Reply hanging = ScriptedTransport.hangingReply(200);
    transport.then(call -> hanging);
    ChatStream stream = client.stream("m", HELLO, CallOptions.defaults());
    Thread closer = Thread.ofVirtual().unstarted(stream::close);

    closer.start();
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(stream::next);
    closer.join();

    assertThat(thrown).isInstanceOf(ProviderException.Cancelled.class);
  }

  @Test
  void stream_readerInterrupted_cancelled() {
    transport.then(call -> ScriptedTransport.hangingReply(200));
    ChatStream stream = client.stream("m", HELLO, CallOptions.defaults());
    Thread.currentThread().interrupt();

    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Cancelled.class);
    assertThat(Thread.interrupted()).isTrue();
  }

  // ---- health ----

  @Test
  void health_2xxUp_otherDown_failureDown() {
    transport
        .thenReply(200, "{}")
        .thenReply(503, "loading")
        .thenThrow(new ConnectException("Connection refused"))
        .thenThrow(new IllegalStateException("odd"));

    assertThat(client.health())
        .isEqualTo(ProviderHealth.up("GET /api/v1/models answered HTTP 200"));
    assertThat(client.health())
        .isEqualTo(ProviderHealth.down("GET /api/v1/models answered HTTP 503"));
    assertThat(client.health())
        .isEqualTo(
            ProviderHealth.down("GET /api/v1/models: could not connect (Connection refused)"));
    assertThat(client.health()).isEqualTo(ProviderHealth.down("GET /api/v1/models: failed (odd)"));
    assertThat(transport.timeouts()).containsOnly(Duration.ofSeconds(3));
  }

  @Test
  void health_interrupted_downAndTheInterruptKept() {
    transport.thenThrow(new InterruptedException());

    assertThat(client.health()).isEqualTo(ProviderHealth.down("GET /api/v1/models: interrupted"));
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void health_pathFromTheRoot() {
    ScriptedTransport other = new ScriptedTransport().thenReply(200, "{\"status\":\"ok\"}");
    try (OpenAiClient llama =
        new OpenAiClient(
            OpenAiClientConfig.builder(ProviderId.of("llama"), URI.create("http://127.0.0.1:9/v1"))
                .healthPath("/health")
                .build(),
            other,
            new ManualTimeSource())) {
      assertThat(llama.health().healthy()).isTrue();
      assertThat(other.calls().getFirst().uri()).isEqualTo(URI.create("http://127.0.0.1:9/health"));
      assertThat(other.calls().getFirst().headers()).doesNotContainKey("Authorization");
    }
  }

  // ---- closing ----

  @Test
  void close_closesStreamsAndTheTransport_once() {
    ScriptedTransport.Reply hanging = ScriptedTransport.hangingReply(200);
    transport.then(call -> hanging);
    ChatStream stream = client.stream("m", HELLO, CallOptions.defaults());

    client.close();
    client.close();

    assertThat(transport.closed()).isTrue();
    assertThat(hanging.closed()).isTrue();
    assertThatThrownBy(stream::next).isInstanceOf(ProviderException.Cancelled.class);
    assertThat(client.health()).isEqualTo(ProviderHealth.down("the client is closed"));
    assertThatThrownBy(() -> client.chat("m", HELLO, SHORT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("provider p: client is closed");
    assertThatThrownBy(client::listModels).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void config_isTheGivenOne() {
    assertThat(client.config().providerId()).isEqualTo(ProviderId.of("p"));
  }

  /**
   * A body that starts with {@code prefix} and then sends 'x' without end, counting what was read.
   */
  static final class EndlessBody extends InputStream {
    private final byte[] prefix;
    private long served;

    EndlessBody(String prefix) {
      this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    long served() {
      return served;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      read(one, 0, 1);
      return one[0];
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      int fromPrefix = (int) Math.max(0, Math.min(length, prefix.length - served));
      System.arraycopy(prefix, (int) Math.min(served, prefix.length), buffer, offset, fromPrefix);
      Arrays.fill(buffer, offset + fromPrefix, offset + length, (byte) 'x');
      served += length;
      return length;
    }
  }

  @Test
  void chat_aBodyWithoutEnd_failsOnceItPassesTheLimit_andIsClosed() {
    EndlessBody body = new EndlessBody("{\"choices\":[{\"message\":{\"content\":\"");
    ScriptedTransport.Reply reply = new ScriptedTransport.Reply(200, body, Map.of());
    transport.then(call -> reply);

    assertThatThrownBy(() -> client.chat("m", HELLO, CallOptions.defaults()))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage(
            "POST chat/completions: the answer's body is larger than 8 MiB, more than any chat"
                + " answer: not read further");
    // 8 MiB and one byte: enough to know the body is too large
    assertThat(body.served()).isEqualTo(8L * 1024 * 1024 + 1);
    assertThat(reply.closed()).isTrue();
  }

  @Test
  void stream_anEventWithoutEnd_failsOnceItPassesTheLimit() {
    EndlessBody body = new EndlessBody("data: {\"choices\":[{\"delta\":{\"content\":\"");
    transport.then(call -> new ScriptedTransport.Reply(200, body, Map.of()));

    assertThatThrownBy(() -> readAll(client.stream("m", HELLO, CallOptions.defaults())))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage(
            "stream: an event of the stream is larger than 8 MiB, more than any chat answer: not"
                + " read further");
    // the readers' buffers (8,192 characters, 8,192 bytes) are what is read beyond the limit
    assertThat(body.served()).isBetween(8L * 1024 * 1024, 8L * 1024 * 1024 + 3 * 8192);
  }

  @Test
  void stream_ofLines_aLineWithoutEnd_failsOnceItPassesTheLimit() {
    EndlessBody body = new EndlessBody("{\"message\":{\"content\":\"");
    transport.then(call -> new ScriptedTransport.Reply(200, body, Map.of()));
    StreamDecoder lines =
        new StreamDecoder() {
          @Override
          public List<ChatChunk> onEvent(SseEvent event) {
            return List.of();
          }

          @Override
          public List<ChatChunk> onEnd() {
            return List.of();
          }

          @Override
          public boolean lineDelimited() {
            return true;
          }
        };

    assertThatThrownBy(
            () ->
                readAll(
                    client.postStream(
                        "m",
                        "api/chat",
                        "{}".getBytes(StandardCharsets.UTF_8),
                        CallOptions.defaults(),
                        lines)))
        .isInstanceOf(ProviderException.Unavailable.class)
        .hasMessage(
            "stream: an event of the stream is larger than 8 MiB, more than any chat answer: not"
                + " read further");
    assertThat(body.served()).isBetween(8L * 1024 * 1024, 8L * 1024 * 1024 + 3 * 8192);
  }
}

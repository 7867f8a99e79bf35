package dev.tta.models.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.testkit.faults.Fault.AfterMalformed;
import dev.tta.models.testkit.faults.Fault.Cut;
import dev.tta.models.testkit.faults.ReceivedRequest.How;
import dev.tta.models.time.ManualTimeSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.SocketException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JSON answers, HTTP errors, the faults that answer without the model, prefixes to continue, and
 * the stream faults' JSON forms, through the JDK's HttpClient and, where the bytes or the way a
 * connection ends matter, a plain socket. The model answers "Hello brave new world" to a one-word
 * prompt at 2026-01-01T00:00:00Z (created 1767225600).
 */
class JsonFaultsTest {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String WHOLE =
      "{\"id\":\"chatcmpl-faulty-1\",\"object\":\"chat.completion\",\"created\":1767225600,"
          + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
          + "\"content\":\"Hello brave new world\"},\"finish_reason\":\"stop\"}],"
          + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":4,\"total_tokens\":5}}";
  static final String REFUSED_PREFIX =
      "{\"error\":{\"message\":\"Expected last role User or Tool (or Assistant with prefix True)"
          + " for serving but got assistant\",\"type\":\"invalid_request_error\","
          + "\"param\":\"messages\",\"code\":null}}";

  FaultyUpstream upstream;
  HttpClient http;

  @BeforeEach
  void start() {
    upstream = FaultyUpstream.start(config());
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  static FaultyUpstream.Config config() {
    return FaultyUpstream.config()
        .modelIds("gpt-4o-mini")
        .answer("Hello brave new world")
        .clock(new ManualTimeSource());
  }

  @AfterEach
  void stop() {
    http.close();
    upstream.close();
  }

  HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(upstream.baseUrl().resolve("chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static String withPrefix(String prefix) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"},"
        + "{\"role\":\"assistant\",\"content\":\""
        + prefix
        + "\"}]}";
  }

  @Test
  void answer_json_wholeCompletion() throws IOException, InterruptedException {
    HttpResponse<String> response = post(CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(response.body()).isEqualTo(WHOLE);
    ReceivedRequest answered = upstream.awaitEnd(1, WAIT);
    assertThat(answered.fault()).contains(Fault.answer());
    assertThat(answered.tokensSent()).isEqualTo(4);
    assertThat(answered.bodyBytesSent()).isEqualTo(WHOLE.length());
    assertThat(answered.ending().orElseThrow().how()).isEqualTo(How.COMPLETED);
  }

  @Test
  void answer_json_withDelays_arrivesOnlyAfterAllOfThem() throws IOException, InterruptedException {
    upstream.enqueue(
        Fault.answer()
            .delayHead(Duration.ofMillis(100))
            .delayFirstToken(Duration.ofMillis(100))
            .delayBetweenTokens(Duration.ofMillis(50)));
    long sent = System.nanoTime();

    assertThat(post(CHAT).body()).isEqualTo(WHOLE);
    // 100 + 100 + 3 x 50 ms
    assertThat(Duration.ofNanos(System.nanoTime() - sent))
        .isGreaterThanOrEqualTo(Duration.ofMillis(350));
  }

  @Test
  void maxCompletionTokens_json_cutToThatMany_finishLength()
      throws IOException, InterruptedException {
    String body =
        post("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"max_completion_tokens\":3}")
            .body();

    assertThat(body)
        .contains("\"content\":\"Hello brave new\"},\"finish_reason\":\"length\"")
        .endsWith("\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":3,\"total_tokens\":4}}");
  }

  @Test
  void rateLimited_withoutRetryAfter() throws IOException, InterruptedException {
    upstream.enqueue(Fault.rateLimited());

    HttpResponse<String> response = post(CHAT);

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("retry-after")).isEmpty();
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":{\"message\":\"Rate limit reached for requests per min (RPM): Limit 500,"
                + " Used 500, Requested 1.\",\"type\":\"requests\",\"param\":null,"
                + "\"code\":\"rate_limit_exceeded\"}}");
  }

  @Test
  void rateLimited_withRetryAfter_wholeSecondsRoundedUp_exactHead() throws IOException {
    upstream.enqueue(Fault.rateLimited(Duration.ofMillis(1500)));
    String body =
        "{\"error\":{\"message\":\"Rate limit reached for requests per min (RPM): Limit 500,"
            + " Used 500, Requested 1. Please try again in 2s.\",\"type\":\"requests\","
            + "\"param\":null,\"code\":\"rate_limit_exceeded\"}}";

    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send(RawHttp.post(CHAT));

      assertThat(raw.readHead())
          .isEqualTo(
              "HTTP/1.1 429 Too Many Requests\r\n"
                  + "Content-Type: application/json\r\n"
                  + "Retry-After: 2\r\n"
                  + "Content-Length: "
                  + body.length()
                  + "\r\n\r\n");
      assertThat(new String(raw.readBytes(body.length()), StandardCharsets.UTF_8)).isEqualTo(body);
    }
  }

  @Test
  void serverError_500() throws IOException, InterruptedException {
    upstream.enqueue(Fault.serverError());

    HttpResponse<String> response = post(CHAT);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":{\"message\":\"The server had an error while processing your request."
                + " Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
  }

  @Test
  void overloaded_503() throws IOException, InterruptedException {
    upstream.enqueue(Fault.overloaded());

    HttpResponse<String> response = post(CHAT);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":{\"message\":\"The engine is currently overloaded, please try again"
                + " later.\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
  }

  @Test
  void contextLengthExceeded_400_asOpenAiSendsIt() throws IOException, InterruptedException {
    upstream.enqueue(Fault.contextLengthExceeded(128000, 130017));

    HttpResponse<String> response = post(CHAT);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":{\"message\":\"This model's maximum context length is 128000 tokens."
                + " However, your messages resulted in 130017 tokens. Please reduce the length of"
                + " the messages.\",\"type\":\"invalid_request_error\",\"param\":\"messages\","
                + "\"code\":\"context_length_exceeded\"}}");
  }

  @Test
  void contentFiltered_400_contentPolicyViolation() throws IOException, InterruptedException {
    upstream.enqueue(Fault.contentFiltered());

    HttpResponse<String> response = post(CHAT);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":{\"message\":\"Your request was rejected as a result of our safety"
                + " system. Your prompt may contain text that is not allowed by our safety"
                + " system.\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":\"content_policy_violation\"}}");
  }

  @Test
  void status_anyCode_headersInOrder_noReasonPhraseForAnUnlistedCode() throws IOException {
    upstream.enqueue(
        Fault.status(529, "{}").withHeader("x-first", "1").withHeader("x-second", "2"));

    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send(RawHttp.post(CHAT));

      assertThat(raw.readHead())
          .isEqualTo(
              "HTTP/1.1 529 \r\nContent-Type: application/json\r\nx-first: 1\r\nx-second: 2\r\n"
                  + "Content-Length: 2\r\n\r\n");
      assertThat(new String(raw.readBytes(2), StandardCharsets.UTF_8)).isEqualTo("{}");
    }
  }

  @Test
  void resetBeforeHead_noByte_thenReset() throws IOException {
    upstream.enqueue(Fault.resetBeforeHead());

    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send(RawHttp.post(CHAT));

      assertThatThrownBy(raw::read)
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
    ReceivedRequest reset = upstream.awaitEnd(1, WAIT);
    assertThat(reset.ending().orElseThrow().how()).isEqualTo(How.CUT);
    assertThat(reset.bodyBytesSent()).isZero();
  }

  @Test
  void resetBeforeHead_httpClient_failsWithAnIoException() {
    upstream.enqueue(Fault.resetBeforeHead());

    assertThatThrownBy(() -> post(CHAT)).isInstanceOf(IOException.class);
  }

  @Test
  void noResponse_silentOnAnOpenConnection_untilTheClientCloses() throws IOException {
    upstream.enqueue(Fault.noResponse());
    RawHttp raw = RawHttp.connect(upstream);
    raw.send(RawHttp.post(CHAT));

    assertThat(raw.silentFor(Duration.ofMillis(300))).isTrue();
    assertThat(upstream.openConnections()).isEqualTo(1);
    assertThat(upstream.awaitChatRequests(1, WAIT).getFirst().ending()).isEmpty();

    raw.close();

    assertThat(upstream.awaitEnd(1, WAIT).ending().orElseThrow().how())
        .isEqualTo(How.CLOSED_BY_CLIENT);
    upstream.awaitOpenConnections(0, WAIT);
  }

  @Test
  void noResponse_httpClientTimesOut_andTheUpstreamSeesTheConnectionClosed() {
    upstream.enqueue(Fault.noResponse());

    assertThatThrownBy(
            () ->
                http.send(
                    HttpRequest.newBuilder(upstream.baseUrl().resolve("chat/completions"))
                        .timeout(Duration.ofMillis(200))
                        .POST(HttpRequest.BodyPublishers.ofString(CHAT))
                        .build(),
                    HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(upstream.awaitEnd(1, WAIT).ending().orElseThrow().how())
        .isEqualTo(How.CLOSED_BY_CLIENT);
  }

  @Test
  void streamStall_httpClientClosesTheBody_theUpstreamSeesTheConnectionClosed()
      throws IOException, InterruptedException {
    upstream.enqueue(Fault.streamStallAfter(1));
    HttpResponse<InputStream> response =
        http.send(
            HttpRequest.newBuilder(upstream.baseUrl().resolve("chat/completions"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"Hi\"}],\"stream\":true}"))
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
    assertThat(lines.readLine()).contains("\"role\":\"assistant\"");
    assertThat(lines.readLine()).isEmpty();
    assertThat(lines.readLine()).contains("\"content\":\"Hello\"");

    lines.close();

    ReceivedRequest stalled = upstream.awaitEnd(1, WAIT);
    assertThat(stalled.ending().orElseThrow().how()).isEqualTo(How.CLOSED_BY_CLIENT);
    assertThat(stalled.tokensSent()).isEqualTo(1);
  }

  @Test
  void streamCut_json_fullLengthHead_halfTheBody_thenEndOfStream() throws IOException {
    upstream.enqueue(Fault.streamCutAfter(2, Cut.FIN));

    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send(RawHttp.post(CHAT));

      assertThat(raw.readHead())
          .isEqualTo(
              "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                  + WHOLE.length()
                  + "\r\n\r\n");
      assertThat(new String(raw.readToEnd(), StandardCharsets.UTF_8))
          .isEqualTo(WHOLE.substring(0, WHOLE.length() / 2));
    }
    ReceivedRequest cut = upstream.awaitEnd(1, WAIT);
    assertThat(cut.ending().orElseThrow().how()).isEqualTo(How.CUT);
    assertThat(cut.bodyBytesSent()).isEqualTo(WHOLE.length() / 2);
    assertThat(cut.tokensSent()).isZero();
  }

  @Test
  void bodyCut_reset_json_halfTheBody_thenReset() throws IOException {
    upstream.enqueue(Fault.bodyCutHalfway(Cut.RESET));

    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send(RawHttp.post(CHAT));

      raw.readHead();
      assertThat(new String(raw.readBytes(WHOLE.length() / 2), StandardCharsets.UTF_8))
          .isEqualTo(WHOLE.substring(0, WHOLE.length() / 2));
      assertThatThrownBy(raw::read)
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  @Test
  void bodyCut_httpClient_failsWithAnIoException() {
    upstream.enqueue(Fault.bodyCutHalfway(Cut.FIN));

    assertThatThrownBy(() -> post(CHAT)).isInstanceOf(IOException.class);
  }

  @Test
  void streamStall_json_halfTheBody_thenSilence() throws IOException {
    upstream.enqueue(Fault.streamStallAfter(2));

    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send(RawHttp.post(CHAT));

      assertThat(raw.readHead()).contains("Content-Length: " + WHOLE.length() + "\r\n");
      assertThat(new String(raw.readBytes(WHOLE.length() / 2), StandardCharsets.UTF_8))
          .isEqualTo(WHOLE.substring(0, WHOLE.length() / 2));
      assertThat(raw.silentFor(Duration.ofMillis(300))).isTrue();
    }
    assertThat(upstream.awaitEnd(1, WAIT).ending().orElseThrow().how())
        .isEqualTo(How.CLOSED_BY_CLIENT);
  }

  @Test
  void malformedChunk_json_aCompleteResponseWhoseBodyIsHalfTheJson()
      throws IOException, InterruptedException {
    upstream.enqueue(Fault.malformedChunkAfter(1, AfterMalformed.CLOSE));

    HttpResponse<String> response = post(CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(WHOLE.substring(0, WHOLE.length() / 2));
  }

  @Test
  void errorInStream_json_aStatus200WithTheErrorObject() throws IOException, InterruptedException {
    upstream.enqueue(new Fault.ErrorInStream(0, "Provider disconnected"));

    HttpResponse<String> response = post(CHAT);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .isEqualTo("{\"error\":{\"message\":\"Provider disconnected\",\"type\":\"server_error\"}}");
  }

  @Test
  void missingDone_json_theWholeAnswer() throws IOException, InterruptedException {
    upstream.enqueue(Fault.missingDone());

    assertThat(post(CHAT).body()).isEqualTo(WHOLE);
  }

  @Test
  void noFinishReason_json_finishReasonNull() throws IOException, InterruptedException {
    upstream.enqueue(Fault.noFinishReason());

    assertThat(post(CHAT).body())
        .isEqualTo(WHOLE.replace("\"finish_reason\":\"stop\"", "\"finish_reason\":null"));
  }

  @Test
  void continuation_prefixOfTheAnswer_answersTheRest() throws IOException, InterruptedException {
    // "Hi" and "Hello brave" are 3 prompt words; the rest is " new", " world"
    assertThat(post(withPrefix("Hello brave")).body())
        .contains("\"content\":\" new world\"")
        .endsWith("\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}");
  }

  @Test
  void continuation_prefixThatDoesNotBeginTheAnswer_answersTheWholeText()
      throws IOException, InterruptedException {
    assertThat(post(withPrefix("Goodbye")).body())
        .contains("\"content\":\"Hello brave new world\"")
        .endsWith("\"usage\":{\"prompt_tokens\":2,\"completion_tokens\":4,\"total_tokens\":6}}");
  }

  @Test
  void refusePrefixes_lastAssistantMessage_400LastRoleMustBeUser_scriptStillConsumed()
      throws IOException, InterruptedException {
    upstream.close();
    upstream = FaultyUpstream.start(config().refusePrefixes());
    upstream.enqueue(Fault.streamCutAfter(1, Cut.FIN));

    HttpResponse<String> refused = post(withPrefix("Hello"));

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).isEqualTo(REFUSED_PREFIX);
    assertThat(upstream.queuedFaults()).isZero();
    assertThat(upstream.awaitEnd(1, WAIT).fault()).contains(Fault.status(400, REFUSED_PREFIX));
    assertThat(post(CHAT).body()).contains("\"content\":\"Hello brave new world\"");
  }

  @Test
  void refusePrefixes_aStatusFaultComesBeforeTheModel_andStillApplies()
      throws IOException, InterruptedException {
    upstream.close();
    upstream = FaultyUpstream.start(config().refusePrefixes());
    upstream.enqueue(Fault.overloaded());

    assertThat(post(withPrefix("Hello")).statusCode()).isEqualTo(503);
  }

  @Test
  void flood_aJsonAnswerWhoseContentNeverEnds_untilTheClientCloses() throws IOException {
    upstream.enqueue(Fault.flood());
    RawHttp client = RawHttp.connect(upstream);
    client.send(RawHttp.post(CHAT));

    assertThat(client.readHead())
        .isEqualTo(
            "HTTP/1.1 200 OK\r\n"
                + "Content-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n"
                + "\r\n");
    assertThat(client.readChunk())
        .isEqualTo(
            "{\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                + "\"message\":{\"role\":\"assistant\",\"content\":\"");
    // a megabyte more, with nothing that would end the content
    assertThat(client.readChunksOf(1 << 20))
        .hasSizeGreaterThanOrEqualTo(1 << 20)
        .doesNotContain("\"")
        .doesNotContain("\n");
    client.close();

    ReceivedRequest flood = upstream.awaitEnd(1, WAIT);
    assertThat(flood.ending().orElseThrow().how()).isEqualTo(How.CLOSED_BY_CLIENT);
    assertThat(flood.bodyBytesSent()).isGreaterThan(1 << 20);
  }
}

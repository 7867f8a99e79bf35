package dev.tta.models.testkit.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.testkit.faults.ReceivedRequest.How;
import dev.tta.models.time.ManualTimeSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The upstream as a server: its other routes, reading requests (chunked, {@code Expect}, pipelined,
 * {@code Connection: close}, garbage), the script, the default and the mix, going down and coming
 * back, closing, and what it records.
 */
class FaultyUpstreamTest {

  static final Duration WAIT = Duration.ofSeconds(5);
  static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  ManualTimeSource clock = new ManualTimeSource();
  FaultyUpstream upstream;
  HttpClient http;

  @BeforeEach
  void start() {
    upstream =
        FaultyUpstream.start(
            FaultyUpstream.config()
                .modelIds("gpt-4o-mini", "gpt-4o")
                .answer("Hello brave new world")
                .clock(clock));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    http.close();
    upstream.close();
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(upstream.baseUrl().resolve(path)));
  }

  HttpResponse<String> post(String body) throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(upstream.baseUrl().resolve("chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  List<Integer> statuses(int requests) throws IOException, InterruptedException {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      statuses.add(post(CHAT).statusCode());
    }
    return statuses;
  }

  @Test
  void baseUrl_loopbackPortAndV1() {
    assertThat(upstream.baseUrl()).hasToString("http://127.0.0.1:" + upstream.port() + "/v1/");
  }

  @Test
  void models_theConfiguredIdsInOrder() throws IOException, InterruptedException {
    HttpResponse<String> models = get("models");

    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.body())
        .isEqualTo(
            "{\"object\":\"list\",\"data\":["
                + "{\"id\":\"gpt-4o-mini\",\"object\":\"model\",\"created\":1767225600,"
                + "\"owned_by\":\"faulty-upstream\"},"
                + "{\"id\":\"gpt-4o\",\"object\":\"model\",\"created\":1767225600,"
                + "\"owned_by\":\"faulty-upstream\"}]}");
    assertThat(upstream.requests()).singleElement().satisfies(r -> assertThat(r.fault()).isEmpty());
    assertThat(upstream.chatRequests()).isEmpty();
  }

  @Test
  void health_ok() throws IOException, InterruptedException {
    assertThat(get("/health").body()).isEqualTo("{\"status\":\"ok\"}");
  }

  @Test
  void unknownPath_404InvalidUrl() throws IOException, InterruptedException {
    HttpResponse<String> response = get("nope?x=1");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":{\"message\":\"Invalid URL (GET /v1/nope)\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
    assertThat(upstream.requests().getFirst().path()).isEqualTo("/v1/nope?x=1");
  }

  @Test
  void badBodies_400or404_recordedAsTheirStatus_scriptUntouched()
      throws IOException, InterruptedException {
    upstream.enqueue(Fault.overloaded());

    HttpResponse<String> notJson = post("{\"model\":");
    HttpResponse<String> noMessages = post("{\"model\":\"gpt-4o-mini\"}");
    HttpResponse<String> otherModel =
        post("{\"model\":\"gpt-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.body())
        .isEqualTo(
            "{\"error\":{\"message\":\"We could not parse the JSON body of your request.\","
                + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(noMessages.body())
        .isEqualTo(
            "{\"error\":{\"message\":\"Missing required parameter: 'messages'.\","
                + "\"type\":\"invalid_request_error\",\"param\":\"messages\","
                + "\"code\":\"missing_required_parameter\"}}");
    assertThat(otherModel.statusCode()).isEqualTo(404);
    assertThat(otherModel.body())
        .isEqualTo(
            "{\"error\":{\"message\":\"The model `gpt-5` does not exist or you do not have access"
                + " to it.\",\"type\":\"invalid_request_error\",\"param\":null,"
                + "\"code\":\"model_not_found\"}}");
    assertThat(upstream.chatRequests())
        .extracting(r -> r.fault().map(f -> ((Fault.Status) f).code()).orElseThrow())
        .containsExactly(400, 400, 404);
    assertThat(upstream.queuedFaults()).isEqualTo(1);
  }

  @Test
  void keepAlive_httpClientReusesOneConnection() throws IOException, InterruptedException {
    post(CHAT);
    post(CHAT);

    assertThat(upstream.awaitChatRequests(2, WAIT))
        .extracting(ReceivedRequest::connection)
        .containsExactly(1L, 1L);
    assertThat(upstream.openConnections()).isEqualTo(1);
  }

  @Test
  void chunkedRequestBody_httpClient_readWhole() throws IOException, InterruptedException {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(upstream.baseUrl().resolve("chat/completions"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(CHAT.getBytes(StandardCharsets.UTF_8)))));

    assertThat(response.statusCode()).isEqualTo(200);
    ReceivedRequest received = upstream.awaitChatRequests(1, WAIT).getFirst();
    assertThat(received.header("Transfer-Encoding")).contains("chunked");
    assertThat(received.body()).isEqualTo(CHAT);
  }

  @Test
  void chunkedRequestBody_withAnExtensionAndATrailer_readWhole() throws IOException {
    String first = CHAT.substring(0, 20);
    String second = CHAT.substring(20);
    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
              + Integer.toHexString(first.length())
              + ";name=value\r\n"
              + first
              + "\r\n"
              + Integer.toHexString(second.length())
              + "\r\n"
              + second
              + "\r\n0\r\nx-trailer: 1\r\n\r\n");

      assertThat(raw.readHead()).startsWith("HTTP/1.1 200 OK\r\n");
    }
    assertThat(upstream.awaitChatRequests(1, WAIT).getFirst().body()).isEqualTo(CHAT);
  }

  @Test
  void expectContinue_100BeforeTheBody() throws IOException {
    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send(
          "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
              + "Content-Length: "
              + CHAT.length()
              + "\r\n\r\n");

      assertThat(raw.readHead()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
      raw.send(CHAT);
      assertThat(raw.readHead()).startsWith("HTTP/1.1 200 OK\r\n");
    }
  }

  @Test
  void pipelined_twoRequestsInOneWrite_answeredInOrder_theFirstAfterItsDelay() throws IOException {
    upstream.enqueue(Fault.answer().delayHead(Duration.ofMillis(100)));
    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send(RawHttp.post(CHAT) + RawHttp.get("/health"));

      String head = raw.readHead();
      int length = Integer.parseInt(head.replaceAll("(?s).*Content-Length: (\\d+)\r\n.*", "$1"));
      assertThat(new String(raw.readBytes(length), StandardCharsets.UTF_8))
          .startsWith("{\"id\":\"chatcmpl-faulty-1\"")
          .endsWith("}}");
      raw.readHead();
      assertThat(new String(raw.readBytes(15), StandardCharsets.UTF_8))
          .isEqualTo("{\"status\":\"ok\"}");
    }
    assertThat(upstream.awaitRequests(2, WAIT))
        .extracting(ReceivedRequest::path)
        .containsExactly("/v1/chat/completions", "/health");
  }

  @Test
  void connectionClose_saidInTheHead_thenTheUpstreamCloses() throws IOException {
    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

      assertThat(raw.readHead())
          .isEqualTo(
              "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n"
                  + "Connection: close\r\n\r\n");
      assertThat(new String(raw.readToEnd(), StandardCharsets.UTF_8))
          .isEqualTo("{\"status\":\"ok\"}");
    }
  }

  @Test
  void notHttp_400_connectionClosed_nothingRecorded() throws IOException {
    try (RawHttp raw = RawHttp.connect(upstream)) {
      raw.send("HELLO\r\n\r\n");

      assertThat(raw.readHead())
          .startsWith("HTTP/1.1 400 Bad Request\r\n")
          .contains("Connection: close\r\n");
      assertThat(new String(raw.readToEnd(), StandardCharsets.UTF_8))
          .isEqualTo(
              "{\"error\":{\"message\":\"not an HTTP/1.1 request line: HELLO\","
                  + "\"type\":\"invalid_request_error\",\"param\":null,\"code\":null}}");
    }
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void badFraming_400NamingTheProblem_connectionClosed() throws IOException {
    String post = "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n";
    List<String> requests =
        List.of(
            post + "no colon\r\n\r\n",
            post + "Content-Length: ten\r\n\r\n",
            post + "Content-Length: -1\r\n\r\n",
            post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n",
            post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}xx\r\n");
    List<String> messages = new ArrayList<>();
    for (String request : requests) {
      try (RawHttp raw = RawHttp.connect(upstream)) {
        raw.send(request);

        assertThat(raw.readHead()).startsWith("HTTP/1.1 400 Bad Request\r\n");
        messages.add(
            new String(raw.readToEnd(), StandardCharsets.UTF_8)
                .replaceAll(".*\"message\":\"([^\"]*)\".*", "$1"));
      }
    }

    assertThat(messages)
        .containsExactly(
            "bad header line or too many headers: no colon",
            "bad Content-Length: ten",
            "Content-Length out of range: -1",
            "bad chunk size: zz",
            "chunk of 2 bytes not followed by CRLF");
    assertThat(upstream.requests()).isEmpty();
  }

  @Test
  void script_thenDefault_oneFaultPerChatRequestInOrder() throws IOException, InterruptedException {
    upstream.enqueue(Fault.overloaded(), Fault.rateLimited());
    assertThat(upstream.queuedFaults()).isEqualTo(2);

    assertThat(statuses(3)).containsExactly(503, 429, 200);
    assertThat(upstream.chatRequests())
        .extracting(r -> r.fault().orElseThrow())
        .containsExactly(Fault.overloaded(), Fault.rateLimited(), Fault.answer());
    assertThat(upstream.queuedFaults()).isZero();
  }

  @Test
  void defaultFault_whenTheScriptIsEmpty() throws IOException, InterruptedException {
    upstream.close();
    upstream =
        FaultyUpstream.start(
            FaultyUpstream.config().modelIds("gpt-4o-mini").defaultFault(Fault.serverError()));

    assertThat(statuses(2)).containsExactly(500, 500);
  }

  @Test
  void mix_drawsBySeed_sameSeedSameFaults_scriptFirst() throws IOException, InterruptedException {
    FaultMix mix = FaultMix.seeded(7).with(0.5, Fault.overloaded()).with(0.25, Fault.serverError());
    SplittableRandom random = new SplittableRandom(7);
    List<Integer> expected = new ArrayList<>(List.of(429));
    for (int i = 0; i < 12; i++) {
      double point = random.nextDouble();
      expected.add(point < 0.5 ? 503 : point < 0.75 ? 500 : 200);
    }
    upstream.enqueue(Fault.rateLimited());
    upstream.mix(mix);

    List<Integer> first = statuses(13);

    assertThat(first).isEqualTo(expected).contains(200, 500, 503);
    upstream.mix(mix);
    upstream.enqueue(Fault.rateLimited());
    assertThat(statuses(13)).isEqualTo(first);
    upstream.mix(FaultMix.seeded(7));
    assertThat(statuses(3)).containsExactly(200, 200, 200);
  }

  @Test
  void mix_probabilitiesAboveOneTogether_orOutsideZeroToOne_refused() {
    assertThatThrownBy(
            () -> FaultMix.seeded(1).with(0.6, Fault.overloaded()).with(0.5, Fault.serverError()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 1");
    assertThatThrownBy(() -> FaultMix.seeded(1).with(0, Fault.overloaded()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void takeDown_refusesConnections_endsHeldExchanges_bringUp_samePortAnswers()
      throws IOException, InterruptedException {
    upstream.enqueue(Fault.noResponse());
    RawHttp held = RawHttp.connect(upstream);
    held.send(RawHttp.post(CHAT));
    upstream.awaitChatRequests(1, WAIT);

    upstream.takeDown();

    assertThat(upstream.isDown()).isTrue();
    assertThat(upstream.awaitEnd(1, WAIT).ending().orElseThrow().how()).isEqualTo(How.STOPPED);
    assertThat(upstream.openConnections()).isZero();
    assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), upstream.port()))
        .isInstanceOf(ConnectException.class);
    assertThatThrownBy(held::read).isInstanceOf(IOException.class);
    held.close();
    upstream.takeDown();

    upstream.bringUp();
    upstream.bringUp();

    assertThat(upstream.isDown()).isFalse();
    assertThat(post(CHAT).statusCode()).isEqualTo(200);
    assertThat(upstream.chatRequests()).hasSize(2);
  }

  @Test
  void close_endsHeldExchangesAsStopped_isIdempotent_andStaysClosed() throws IOException {
    upstream.enqueue(Fault.streamStallAfter(0));
    try (RawHttp held = RawHttp.connect(upstream)) {
      held.send(RawHttp.post(CHAT));
      upstream.awaitChatRequests(1, WAIT);

      upstream.close();
      upstream.close();

      assertThat(upstream.requests().getFirst().ending().orElseThrow().how())
          .isEqualTo(How.STOPPED);
      assertThat(upstream.openConnections()).isZero();
      assertThatThrownBy(upstream::bringUp).isInstanceOf(IllegalStateException.class);
      upstream.takeDown();
      assertThat(upstream.isDown()).isTrue();
    }
  }

  @Test
  void recorded_arrivalFromTheClock_connection_headers_bodyAndItsFields()
      throws IOException, InterruptedException {
    post(CHAT);
    clock.advance(Duration.ofSeconds(1));
    send(
        HttpRequest.newBuilder(upstream.baseUrl().resolve("chat/completions"))
            .header("X-Custom", "a")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":["
                        + "{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\","
                        + "\"content\":[{\"type\":\"text\",\"text\":\"Hi \"},{\"type\":\"text\","
                        + "\"text\":\"there\"}]}]}")));

    List<ReceivedRequest> requests = upstream.awaitRequests(2, WAIT);

    ReceivedRequest first = requests.getFirst();
    ReceivedRequest second = requests.getLast();
    assertThat(first.number()).isEqualTo(1);
    assertThat(first.arrival()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(second.arrival()).isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
    assertThat(second.arrivalNanos() - first.arrivalNanos()).isEqualTo(1_000_000_000L);
    assertThat(second.method()).isEqualTo("POST");
    assertThat(second.header("x-CUSTOM")).contains("a");
    assertThat(second.headers()).containsKey("x-custom");
    assertThat(second.model()).contains("gpt-4o");
    assertThat(second.streamed()).isTrue();
    assertThat(first.streamed()).isFalse();
    assertThat(second.messages())
        .containsExactly(Message.system("Be brief."), Message.user("Hi there"));
    assertThat(second.json().path("messages").size()).isEqualTo(2);
    assertThat(second.isChat()).isTrue();
    assertThat(upstream.awaitEnd(2, WAIT).ending().orElseThrow().at())
        .isEqualTo(Instant.parse("2026-01-01T00:00:01Z"));
  }

  @Test
  void await_timesOut_withWhatArrived() throws IOException, InterruptedException {
    post(CHAT);

    assertThatThrownBy(() -> upstream.awaitRequests(2, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("2 requests")
        .hasMessageContaining("#1 POST /v1/chat/completions on connection 1");
    assertThatThrownBy(() -> upstream.awaitOpenConnections(0, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("there were 1");
    assertThatThrownBy(() -> upstream.awaitEnd(2, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class);
    assertThat(upstream.requests().getFirst().model()).contains("gpt-4o-mini");
  }

  @Test
  void config_refusesNoModelsAndNegativeDelays() {
    assertThatThrownBy(() -> FaultyUpstream.config().modelIds(new String[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("modelIds");
    assertThatThrownBy(() -> Fault.answer().delayHead(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beforeHead");
    assertThatThrownBy(() -> Fault.streamCutAfter(-1, Fault.Cut.FIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("afterTokens");
    assertThatThrownBy(() -> Fault.status(101, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("code");
  }
}

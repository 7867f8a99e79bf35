package dev.tta.models.testkit.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ReplayPeerTest {

  static ReplayPeer peer;
  HttpClient client;

  @BeforeAll
  static void start() {
    peer = ReplayPeer.start();
  }

  @AfterAll
  static void stop() {
    peer.close();
  }

  @BeforeEach
  void setUp() {
    peer.reset();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void tearDown() {
    client.close();
  }

  HttpResponse<byte[]> send(String method, String path, Duration timeout)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(peer.url(path))
            .timeout(timeout)
            .method(method, HttpRequest.BodyPublishers.ofString("{\"x\":1}"))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @TestFactory
  Stream<DynamicTest> serve_everyLlamaRecording_byteForByte() {
    FixtureSet llama = FixtureSet.shared("llama-server");
    return llama.exchangeNames().stream()
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      Exchange exchange = llama.exchange(name);
                      peer.serve(exchange);

                      HttpResponse<byte[]> response =
                          send(exchange.method(), exchange.path(), Duration.ofSeconds(10));

                      assertThat(response.statusCode()).isEqualTo(exchange.response().status());
                      assertThat(response.body()).isEqualTo(exchange.response().body());
                      assertThat(response.headers().firstValue("Content-Type"))
                          .isEqualTo(exchange.response().header("Content-Type"));
                    }));
  }

  @Test
  void serve_recordedSseBody_byteForByte() throws IOException, InterruptedException {
    byte[] body = FixtureSet.shared("openrouter").bytes("chat_completions_stream.sse");
    peer.serve(
        Exchange.of(
            "sse",
            "POST",
            "/api/v1/chat/completions",
            RecordedResponse.of(200, "text/event-stream", body)));

    assertThat(send("POST", "/api/v1/chat/completions", Duration.ofSeconds(10)).body())
        .isEqualTo(body);
  }

  @Test
  void requests_recordedOldestFirst() throws IOException, InterruptedException {
    peer.serve(Exchange.of("a", "GET", "/a", RecordedResponse.of(200, "text/plain", new byte[0])));
    send("GET", "/a", Duration.ofSeconds(10));
    send("POST", "/b?x=1", Duration.ofSeconds(10));

    List<RecordedRequest> requests = peer.requests();

    assertThat(requests).extracting(RecordedRequest::method).containsExactly("GET", "POST");
    assertThat(requests).extracting(RecordedRequest::path).containsExactly("/a", "/b?x=1");
    assertThat(requests.getLast().bodyText()).isEqualTo("{\"x\":1}");
    assertThat(requests.getLast().header("content-length")).contains("7");
  }

  @Test
  void serve_again_replacesTheStub() throws IOException, InterruptedException {
    peer.serve(
        Exchange.of("one", "GET", "/x", RecordedResponse.of(200, "text/plain", "one".getBytes())));
    peer.serve(
        Exchange.of("two", "GET", "/x", RecordedResponse.of(201, "text/plain", "two".getBytes())));

    HttpResponse<byte[]> response = send("GET", "/x", Duration.ofSeconds(10));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(new String(response.body())).isEqualTo("two");
  }

  @Test
  void serveAfter_delaysTheHead() {
    peer.serveAfter(
        Exchange.of("slow", "GET", "/slow", RecordedResponse.of(200, "text/plain", new byte[0])),
        Duration.ofSeconds(3));

    assertThatThrownBy(() -> send("GET", "/slow", Duration.ofMillis(200)))
        .isInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void serveSlowly_arrivesInPieces_clientHangingUpIsSeen()
      throws IOException, InterruptedException {
    // 200 events of 10 bytes: 2000 bytes in 20 pieces of 100, one every 200 ms
    byte[] body = "data: 12\n\n".repeat(200).getBytes();
    int mark = peer.connectionMark();
    peer.serveSlowly(
        Exchange.of("s", "GET", "/s", RecordedResponse.of(200, "text/event-stream", body)),
        20,
        Duration.ofSeconds(4));

    HttpResponse<InputStream> response =
        client.send(
            HttpRequest.newBuilder(peer.url("/s")).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    int first = response.body().read();
    response.body().close();

    assertThat(first).isEqualTo('d');
    assertThat(peer.awaitConnectionsClosedSince(mark, Duration.ofSeconds(10))).isTrue();
    assertThat(peer.connectionsSince(mark)).hasSize(1);
    assertThat(peer.connectionsSince(mark).getFirst().bytesToClient()).isLessThan(body.length);
  }

  @Test
  void serveSlowlyPadded_eventStream_appendsCommentLinesItsReadersSkip()
      throws IOException, InterruptedException {
    byte[] body = "data: 1\n\n".getBytes(StandardCharsets.US_ASCII);

    int length =
        peer.serveSlowlyPadded(
            Exchange.of("s", "GET", "/s", RecordedResponse.of(200, "text/event-stream", body)),
            30,
            3,
            Duration.ofMillis(30));
    String received =
        new String(send("GET", "/s", Duration.ofSeconds(10)).body(), StandardCharsets.US_ASCII);

    // 9 bytes of the event, then ": padding\n" (10 bytes) 3 times, the last byte a blank line's
    assertThat(length).isEqualTo(39);
    assertThat(received).isEqualTo("data: 1\n\n: padding\n: padding\n: padding\n");
  }

  @Test
  void serveSlowlyPadded_lineDelimited_appendsBlankLines()
      throws IOException, InterruptedException {
    byte[] body = "{\"done\":true}\n".getBytes(StandardCharsets.US_ASCII);

    int length =
        peer.serveSlowlyPadded(
            Exchange.of("s", "GET", "/s", RecordedResponse.of(200, "application/x-ndjson", body)),
            4,
            2,
            Duration.ofMillis(20));

    assertThat(length).isEqualTo(18);
    assertThat(
            new String(send("GET", "/s", Duration.ofSeconds(10)).body(), StandardCharsets.US_ASCII))
        .isEqualTo("{\"done\":true}\n\n\n\n\n");
  }

  @Test
  void stallConnections_neverAnswered() {
    peer.serve(Exchange.of("a", "GET", "/a", RecordedResponse.of(200, "text/plain", new byte[0])));
    peer.stallConnections();

    assertThatThrownBy(() -> send("GET", "/a", Duration.ofMillis(300)))
        .isInstanceOf(HttpTimeoutException.class);
  }

  @Test
  void stallConnections_appliesToAPooledConnection() throws IOException, InterruptedException {
    peer.serve(Exchange.of("a", "GET", "/a", RecordedResponse.of(200, "text/plain", new byte[0])));
    int mark = peer.connectionMark();
    send("GET", "/a", Duration.ofSeconds(10));
    peer.stallConnections();

    assertThatThrownBy(() -> send("GET", "/a", Duration.ofMillis(300)))
        .isInstanceOf(HttpTimeoutException.class);
    assertThat(peer.connectionsSince(mark)).hasSize(1);
  }

  @Test
  void resetConnections_failsTheRequest() {
    peer.serve(Exchange.of("a", "GET", "/a", RecordedResponse.of(200, "text/plain", new byte[0])));
    peer.resetConnections();

    assertThatThrownBy(() -> send("GET", "/a", Duration.ofSeconds(10)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void stallAfterBodyBytes_headAndThatManyBytesThenNothing()
      throws IOException, InterruptedException {
    byte[] body = "0123456789".getBytes();
    peer.serve(Exchange.of("a", "GET", "/a", RecordedResponse.of(200, "text/plain", body)));
    peer.stallAfterBodyBytes(4);

    HttpResponse<InputStream> response =
        client.send(
            HttpRequest.newBuilder(peer.url("/a")).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofInputStream());
    byte[] got = response.body().readNBytes(4);

    assertThat(new String(got)).isEqualTo("0123");
    assertThat(response.statusCode()).isEqualTo(200);
    response.body().close();
    peer.forwardConnections();
  }

  @Test
  void isPeerThread_onlyThePeers() {
    assertThat(ReplayPeer.isPeerThread(Thread.currentThread())).isFalse();
    assertThat(Thread.getAllStackTraces().keySet().stream().anyMatch(ReplayPeer::isPeerThread))
        .isTrue();
    assertThat(peer.root()).isEqualTo(URI.create(peer.url("").toString()));
  }
}

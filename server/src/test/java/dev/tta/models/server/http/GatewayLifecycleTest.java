package dev.tta.models.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.server.RecordedOpenAiCompatible;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens around requests rather than in them: clients that leave, and stopping. */
class GatewayLifecycleTest {

  private static final FixtureSet FIXTURES = RecordedOpenAiCompatible.FIXTURES;
  private static final String CHAT_BODY =
      "{\"model\":\"upstream/gpt-4o-mini\",\"stream\":%s,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @TempDir Path dataDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private ReplayPeer peer;
  private GatewayServer server;
  private int mark;
  private int port;

  @BeforeEach
  void start() {
    peer = ReplayPeer.start();
    peer.serve(FIXTURES.exchange("models").servedAt("GET", "/v1/models"));
    mark = peer.connectionMark();
    String yaml =
        """
        server: {port: 0, shutdown_timeout: 10s}
        providers:
          - {name: upstream, type: custom_api, base_url: "%s/v1"}
        fallback: {max_retries_per_model: 0}
        """
            .formatted(peer.root());
    server =
        GatewayServer.start(
            GatewayRuntime.start(new ConfigReader(Map.of()).parse(yaml, "t.yaml", dataDir)));
    port = server.port();
  }

  @AfterEach
  void stop() {
    server.close();
    peer.close();
  }

  private HttpResponse<String> chat(boolean stream) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
            .POST(HttpRequest.BodyPublishers.ofString(CHAT_BODY.formatted(stream)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aClientThatLeavesAStream_closesTheUpstreamConnection_beforeTheUpstreamFinished()
      throws Exception {
    peer.serveSlowly(
        FIXTURES.exchange("chat_stream").servedAt("POST", "/v1/chat/completions"),
        40,
        Duration.ofSeconds(8));
    String request =
        "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Content-Length: %d\r\n\r\n%s";
    String body = CHAT_BODY.formatted(true);
    try (Socket client = new Socket("127.0.0.1", port)) {
      OutputStream out = client.getOutputStream();
      out.write(
          request
              .formatted(body.getBytes(StandardCharsets.UTF_8).length, body)
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = client.getInputStream();
      StringBuilder seen = new StringBuilder();
      while (!seen.toString().contains("\"content\":\"Hello\"")) {
        int b = in.read();
        assertThat(b).as("the stream ended before its first words: " + seen).isNotNegative();
        seen.append((char) b);
      }
    }

    assertThat(peer.awaitConnectionsClosedSince(mark, Duration.ofSeconds(6))).isTrue();
    long fullResponse = FIXTURES.exchange("chat_stream").response().bodyText().length();
    assertThat(peer.connectionsSince(mark))
        .allSatisfy(c -> assertThat(c.closed()).isTrue())
        .anySatisfy(c -> assertThat(c.bytesToClient()).isLessThan(fullResponse));
    // the request is counted once its handler has seen the client gone, which may come after
    // the upstream connection closed
    long deadline = System.nanoTime() + Duration.ofSeconds(6).toNanos();
    String metrics = metrics();
    while (!metrics.contains("outcome=\"cancelled\"") && System.nanoTime() < deadline) {
      Thread.sleep(20);
      metrics = metrics();
    }
    assertThat(metrics).contains("outcome=\"cancelled\"");
  }

  private String metrics() throws IOException, InterruptedException {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void stopping_finishesTheRequestInFlight_refusesNewOnes_thenCloses() throws Exception {
    peer.serveAfter(
        FIXTURES.exchange("chat").servedAt("POST", "/v1/chat/completions"),
        Duration.ofMillis(1500));
    CompletableFuture<HttpResponse<String>> inFlight =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return chat(false);
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    while (peer.requests().stream().noneMatch(r -> r.bodyText().contains("messages"))) {
      Thread.sleep(10);
    }
    CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
    Thread.sleep(300);

    HttpResponse<String> refused = chat(false);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("\"code\":\"shutting_down\"");
    HttpResponse<String> finished = inFlight.get();
    assertThat(finished.statusCode()).isEqualTo(200);
    assertThat(finished.body()).contains("Hello! How can I assist you today?");
    stopping.get();
    assertThatThrownBy(() -> chat(false)).isInstanceOf(ConnectException.class);
  }
}

package dev.tta.models.server.faults;

import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.http.GatewayServer;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.faults.Message;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real gateway on a free loopback port, started from YAML as {@code mm serve} starts it, and an
 * HTTP client that keeps what came back: the status, the headers, the body or every event of a
 * stream, and how long it took.
 */
final class Gateway implements AutoCloseable {

  static final String CHAT = "/v1/chat/completions";
  static final JsonMapper JSON = JsonMapper.builder().build();

  /** Longer than any request of the suite may take: a client that waits longer sees a hang. */
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(20);

  private final GatewayServer server;
  private final HttpClient http;
  private final URI base;

  private Gateway(GatewayServer server, HttpClient http) {
    this.server = server;
    this.http = http;
    this.base = URI.create("http://127.0.0.1:" + server.port());
  }

  static Gateway start(GatewayYaml yaml, Path dataDir) {
    GatewayConfig config =
        new ConfigReader(Map.of()).parse(yaml.render(dataDir), "faults.yaml", dataDir);
    GatewayServer server = GatewayServer.start(GatewayRuntime.start(config));
    return new Gateway(
        server,
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build());
  }

  int port() {
    return server.port();
  }

  /** A chat body: this model, these messages, streamed or not. */
  static ObjectNode body(String model, boolean stream, List<Message> messages) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    ArrayNode list = body.putArray("messages");
    for (Message message : messages) {
      list.addObject().put("role", message.role()).put("content", message.content());
    }
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  /** Sends a chat request and reads the whole answer, a JSON body or a stream's events. */
  Reply chat(ObjectNode body) {
    return send("POST", CHAT, body.toString());
  }

  /** The Prometheus text of {@code /metrics}. */
  String metrics() {
    return send("GET", GatewayServer.METRICS_PATH, null).body();
  }

  Reply send(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(CLIENT_TIMEOUT)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    long start = System.nanoTime();
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return new Reply(
        response.statusCode(),
        response.headers(),
        response.body(),
        Duration.ofNanos(System.nanoTime() - start));
  }

  /**
   * Waits until {@code /metrics} matches {@code pattern}: the gateway counts a request once its
   * handler is done, which may be after the client saw the end.
   */
  String awaitMetrics(Pattern pattern, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String metrics = metrics();
    while (!pattern.matcher(metrics).find()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "waited " + timeout + " for /metrics to match " + pattern + ":\n" + metrics);
      }
      Thread.sleep(20);
      metrics = metrics();
    }
    return metrics;
  }

  @Override
  public void close() {
    http.close();
    server.close();
  }

  /** What the client received. */
  record Reply(int status, HttpHeaders headers, String body, Duration took) {

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    JsonNode json() {
      return JSON.readTree(body);
    }

    /** A JSON answer's text. */
    String content() {
      return json().at("/choices/0/message/content").asString();
    }

    String errorCode() {
      return json().at("/error/code").asString();
    }

    /** Whether the answer is a stream of server-sent events. */
    boolean streamed() {
      return header("Content-Type").orElse("").startsWith("text/event-stream");
    }

    /** A stream's events: the data of each, in order. */
    List<String> events() {
      List<String> events = new ArrayList<>();
      for (String line : body.split("\n")) {
        if (line.startsWith("data: ")) {
          events.add(line.substring("data: ".length()));
        }
      }
      return events;
    }

    /** A stream's events other than {@code [DONE]}, parsed. */
    List<JsonNode> chunks() {
      return events().stream().filter(e -> !e.equals("[DONE]")).map(JSON::readTree).toList();
    }

    /** A stream's text: every chunk's content delta, joined. */
    String streamedText() {
      StringBuilder text = new StringBuilder();
      for (JsonNode chunk : chunks()) {
        text.append(chunk.at("/choices/0/delta/content").asString(""));
      }
      return text.toString();
    }

    /** The finish reasons a stream's chunks carried, in order. */
    List<String> finishReasons() {
      List<String> reasons = new ArrayList<>();
      for (JsonNode chunk : chunks()) {
        JsonNode reason = chunk.at("/choices/0/finish_reason");
        if (reason.isString()) {
          reasons.add(reason.asString());
        }
      }
      return reasons;
    }

    boolean endsWithDone() {
      List<String> events = events();
      return !events.isEmpty() && events.getLast().equals("[DONE]");
    }

    /** The last chunk of a stream (before {@code [DONE]}). */
    JsonNode lastChunk() {
      return chunks().getLast();
    }

    /**
     * Whether this is a whole answer: a JSON one with its finish reason, or a stream whose text
     * came with exactly one finish reason and {@code [DONE]}.
     */
    boolean complete(String expectedText) {
      if (status != 200) {
        return false;
      }
      if (streamed()) {
        return endsWithDone() && finishReasons().size() == 1 && streamedText().equals(expectedText);
      }
      JsonNode json = json();
      return json.at("/choices/0/finish_reason").isString()
          && json.at("/choices/0/message/content").asString("").equals(expectedText);
    }
  }
}

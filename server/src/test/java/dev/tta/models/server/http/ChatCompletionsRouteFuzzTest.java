package dev.tta.models.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.runtime.GatewayRuntime;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes {@code POST /v1/chat/completions} through the real gateway: {@link GatewayServer} started
 * once for the class on a free port, in front of an in-process upstream that answers every call (a
 * JSON completion, or a short event stream when the call streams), so that whatever the gateway
 * answers is its own doing.
 *
 * <p>Property: no answer is a 5xx; every 4xx is OpenAI's error shape, {@code
 * {"error":{"message","type","param","code"}}} and nothing else, and a 400 names the body's field
 * at fault in {@code param} (or {@code model}/{@code messages} when missing), its message starting
 * with that name, unless the body is not a JSON object at all ({@code invalid_json}).
 */
class ChatCompletionsRouteFuzzTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final byte[] COMPLETION =
      """
      {"id":"u-1","object":"chat.completion","model":"m1","choices":[{"index":0,\
      "message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],\
      "usage":{"prompt_tokens":1,"completion_tokens":1}}"""
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] STREAM =
      """
      data: {"model":"m1","choices":[{"index":0,"delta":{"content":"hi"}}]}

      data: {"model":"m1","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

      data: [DONE]

      """
          .getBytes(StandardCharsets.UTF_8);

  @TempDir static Path dataDir;

  private static HttpServer upstream;
  private static GatewayServer gateway;
  private static URI chat;

  @BeforeAll
  static void start() throws IOException {
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    upstream.createContext("/v1/chat/completions", ChatCompletionsRouteFuzzTest::answer);
    upstream.start();
    String yaml =
        """
        server: {host: 127.0.0.1, port: 0, max_body_bytes: 1048576}
        data_dir: %s
        providers:
          - name: up
            type: custom_api
            base_url: http://127.0.0.1:%d/v1
            discover_models: false
            models:
              - {id: m1, therapeutic_safety_score: 9, performance_score: 8, capabilities: [chat]}
        routes:
          r1: {models: [up/m1]}
        fallback: {max_retries_per_model: 0}
        """
            .formatted(dataDir, upstream.getAddress().getPort());
    GatewayConfig config = new ConfigReader(Map.of()).parse(yaml, "fuzz.yaml", dataDir);
    gateway = GatewayServer.start(GatewayRuntime.start(config));
    chat = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions");
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.stop(0);
  }

  private static void answer(HttpExchange exchange) throws IOException {
    // the call's own stream flag: the same text may come inside a message or a tool's schema
    boolean streams = JSON.readTree(exchange.getRequestBody()).path("stream").asBoolean(false);
    byte[] body = streams ? STREAM : COMPLETION;
    exchange
        .getResponseHeaders()
        .set("Content-Type", streams ? "text/event-stream" : "application/json");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @FuzzTest
  void chatCompletionRequest(byte[] body) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(chat)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();

    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isLessThan(500);
    if (response.statusCode() >= 400) {
      assertErrorShape(response.statusCode(), JSON.readTree(response.body()), fieldsOf(body));
    }
  }

  private static void assertErrorShape(int status, JsonNode body, Set<String> fields) {
    assertThat(body.propertyNames()).containsExactly("error");
    JsonNode error = body.get("error");
    assertThat(error.propertyNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
    String message = error.get("message").stringValue();
    assertThat(message).isNotBlank();
    assertThat(error.get("type").isString()).isTrue();
    assertThat(error.get("code").isString()).isTrue();
    JsonNode param = error.get("param");
    if (status == 400 && !error.get("code").stringValue().equals("invalid_json")) {
      assertThat(param.isString()).as("param of: %s", message).isTrue();
      String field = param.stringValue().split("[.\\[]", 2)[0];
      assertThat(fields.contains(param.stringValue()) || fields.contains(field))
          .as("names a field of the body: %s", message)
          .isTrue();
      assertThat(message).startsWith(param.stringValue());
    } else {
      assertThat(param.isNull() || param.isString()).isTrue();
    }
  }

  /**
   * The body's top-level fields, and the two that a refusal may name because they are missing. The
   * body is decoded as the gateway decodes it, bad UTF-8 replaced rather than refused.
   */
  private static Set<String> fieldsOf(byte[] body) {
    Set<String> fields = new HashSet<>(Set.of("model", "messages"));
    try {
      JsonNode root = JSON.readTree(new String(body, StandardCharsets.UTF_8));
      if (root != null && root.isObject()) {
        fields.addAll(root.propertyNames());
      }
    } catch (JacksonException e) {
      // not JSON: the refusal names no field
    }
    return fields;
  }
}

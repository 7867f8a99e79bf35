package dev.tta.models.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.server.RecordedOpenAiCompatible;
import dev.tta.models.server.config.ConfigException;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.ReplayPeer;
import dev.tta.models.testkit.servers.RefusingPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway over real HTTP, in front of a real local HTTP peer that replays the hand-written
 * OpenAI-compatible fixtures (testkit) and a provider on a closed port. Expected texts and token
 * counts are the fixtures' own: "Hello! How can I assist you today?", 19 prompt and 10 completion
 * tokens.
 */
class GatewayHttpTest {

  static final String CLIENT_KEY = "client-key-0001";
  static final String ADMIN_KEY = "admin-key-0001";
  static final String UPSTREAM_SECRET = "sk-upstream-secret-0001";
  static final String FIXTURE_TEXT = "Hello! How can I assist you today?";
  static final String CHAT = "/v1/chat/completions";

  private static final FixtureSet FIXTURES = RecordedOpenAiCompatible.FIXTURES;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir static Path dataDir;

  private static ReplayPeer peer;
  private static GatewayServer server;
  private static RefusingPort dead;
  private static String base;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  record Reply(int status, Map<String, List<String>> headers, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  static String config(URI upstream, int deadPort, String extra) {
    return """
        server: {host: 127.0.0.1, port: 0, max_body_bytes: 4096, shutdown_timeout: 5s}
        data_dir: %s
        providers:
          - name: upstream
            type: custom_api
            base_url: %s/v1
            api_key: %s
            models:
              - id: gpt-4o-mini
                therapeutic_safety_score: 9
                performance_score: 8
                input_cost_per_token: 0.00000015
                output_cost_per_token: 0.0000006
                capabilities: [chat, therapeutic, empathy]
          - name: dead
            type: custom_api
            base_url: http://127.0.0.1:%d/v1
            discover_models: false
            connect_timeout: 1s
            models:
              - {id: tiny, therapeutic_safety_score: 8, performance_score: 9}
        routes:
          story: {models: [dead/tiny, upstream/gpt-4o-mini]}
          careful: {task_type: therapeutic_response, max_cost_per_token: 0.000001}
        fallbacks:
          dead/tiny: [upstream/gpt-4o-mini]
        fallback: {max_retries_per_model: 0, max_retry_after: 1s}
        %s
        """
        .formatted(dataDir, upstream, UPSTREAM_SECRET, deadPort, extra);
  }

  static GatewayServer start(String yaml) {
    GatewayConfig config = new ConfigReader(Map.of()).parse(yaml, "test.yaml", dataDir);
    return GatewayServer.start(GatewayRuntime.start(config));
  }

  @BeforeAll
  static void startGateway() throws IOException {
    peer = ReplayPeer.start();
    dead = RefusingPort.open();
    server =
        start(
            config(
                peer.root(),
                dead.port(),
                "auth: {client_keys: [" + CLIENT_KEY + "], admin_key: " + ADMIN_KEY + "}"));
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stopGateway() {
    server.close();
    peer.close();
    dead.close();
  }

  @BeforeEach
  void upstreamAnswers() {
    peer.reset();
    RecordedOpenAiCompatible.serveModelsAndChat(peer);
  }

  static Reply send(String method, String path, String body, String key, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response.headers().map(), response.body());
  }

  static Reply chat(String body, String... headers) throws IOException, InterruptedException {
    return send("POST", CHAT, body, CLIENT_KEY, headers);
  }

  static String userMessage(String model) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  @Test
  void chat_withAConcreteModel_answersWithTheUpstreamTextUnderTheServingModelsKey()
      throws Exception {
    Reply reply = chat(userMessage("upstream/gpt-4o-mini"));

    assertThat(reply.status()).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(json.get("object").asString()).isEqualTo("chat.completion");
    assertThat(json.get("model").asString()).isEqualTo("upstream/gpt-4o-mini");
    assertThat(json.at("/choices/0/message/content").asString()).isEqualTo(FIXTURE_TEXT);
    assertThat(json.at("/choices/0/message/role").asString()).isEqualTo("assistant");
    assertThat(json.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    assertThat(json.at("/usage/prompt_tokens").asInt()).isEqualTo(19);
    assertThat(json.at("/usage/completion_tokens").asInt()).isEqualTo(10);
    assertThat(json.at("/usage/total_tokens").asInt()).isEqualTo(29);
    assertThat(reply.header("X-MM-Served-Model")).isEqualTo("upstream/gpt-4o-mini");
    assertThat(reply.header("X-MM-Attempts")).isEqualTo("1");
    assertThat(reply.header("X-MM-Route-Trace")).startsWith("tried [upstream/gpt-4o-mini ok ");
    // the upstream got our key, and the body it got names its own model id
    assertThat(peer.requests())
        .last()
        .satisfies(
            r -> {
              assertThat(r.header("Authorization")).hasValue("Bearer " + UPSTREAM_SECRET);
              assertThat(r.bodyText()).contains("\"model\":\"gpt-4o-mini\"");
            });
  }

  /** A structured answer's schema reaches an OpenAI-compatible upstream as the client wrote it. */
  @Test
  void chat_aResponseFormat_reachesTheUpstream_notIgnored() throws Exception {
    String format =
        "{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"scene\",\"strict\":true,"
            + "\"schema\":{\"type\":\"object\",\"properties\":{\"mood\":{\"type\":\"string\"}}}}}";

    Reply reply =
        chat(
            "{\"model\":\"upstream/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"response_format\":"
                + format
                + "}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("X-MM-Ignored-Fields")).isNull();
    assertThat(peer.requests())
        .last()
        .satisfies(
            r ->
                assertThat(JSON.readTree(r.bodyText()).get("response_format"))
                    .isEqualTo(JSON.readTree(format)));
  }

  /**
   * Found by ChatCompletionsRouteFuzzTest: an ignored field's name with a control character went
   * into X-MM-Ignored-Fields as it was, and the client refused the whole answer.
   */
  @Test
  void chat_ignoredFieldNames_reachTheirHeaderAsVisibleAscii() throws Exception {
    Reply reply =
        chat(
            "{\"model\":\"upstream/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],"
                + "\"t\\u007fol\":1,\"caf\u00e9\":2,\"a\\nb\":3}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("X-MM-Ignored-Fields")).isEqualTo("t?ol,caf?,a?b");
  }

  @Test
  void stream_sendsTheUpstreamChunksInOrder_thenUsage_thenDone() throws Exception {
    peer.serve(FIXTURES.exchange("chat_stream").servedAt("POST", CHAT));

    Reply reply =
        chat(
            "{\"model\":\"upstream/gpt-4o-mini\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("text/event-stream");
    assertThat(reply.header("X-MM-Served-Model")).isEqualTo("upstream/gpt-4o-mini");
    List<String> events = new ArrayList<>();
    for (String line : reply.body().split("\n")) {
      if (line.startsWith("data: ")) {
        events.add(line.substring(6));
      }
    }
    assertThat(events).last().isEqualTo("[DONE]");
    StringBuilder text = new StringBuilder();
    List<String> finishes = new ArrayList<>();
    JsonNode usage = null;
    for (String event : events.subList(0, events.size() - 1)) {
      JsonNode chunk = JSON.readTree(event);
      assertThat(chunk.get("object").asString()).isEqualTo("chat.completion.chunk");
      assertThat(chunk.get("model").asString()).isEqualTo("upstream/gpt-4o-mini");
      if (chunk.has("usage")) {
        usage = chunk.get("usage");
        continue;
      }
      text.append(chunk.at("/choices/0/delta/content").asString(""));
      JsonNode finish = chunk.at("/choices/0/finish_reason");
      if (!finish.isNull() && !finish.isMissingNode()) {
        finishes.add(finish.asString());
      }
    }
    assertThat(text.toString()).isEqualTo(FIXTURE_TEXT);
    assertThat(finishes).containsExactly("stop");
    assertThat(usage).isNotNull();
    assertThat(usage.get("prompt_tokens").asInt()).isEqualTo(19);
    assertThat(usage.get("completion_tokens").asInt()).isEqualTo(10);
    assertThat(JSON.readTree(events.get(0)).at("/choices/0/delta/role").asString())
        .isEqualTo("assistant");
  }

  @Test
  void aModelThatCannotBeReached_fallsBackToItsConfiguredFallback() throws Exception {
    Reply reply = chat(userMessage("dead/tiny"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("model").asString()).isEqualTo("upstream/gpt-4o-mini");
    assertThat(reply.json().at("/choices/0/message/content").asString()).isEqualTo(FIXTURE_TEXT);
    assertThat(reply.header("X-MM-Served-Model")).isEqualTo("upstream/gpt-4o-mini");
    // dead/tiny was either called (and failed as unavailable) or, once excluded, skipped
    assertThat(reply.header("X-MM-Route-Trace")).contains("dead/tiny");
  }

  @Test
  void aRouteName_andARequestsOwnChain_areModelNamesToo() throws Exception {
    assertThat(chat(userMessage("story")).json().get("model").asString())
        .isEqualTo("upstream/gpt-4o-mini");
    assertThat(
            chat("{\"model\":\"dead/tiny\",\"models\":[\"upstream/gpt-4o-mini\"],"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
                .header("X-MM-Served-Model"))
        .isEqualTo("upstream/gpt-4o-mini");
    Reply careful = chat(userMessage("careful"));
    assertThat(careful.status()).isEqualTo(200);
    assertThat(careful.header("X-MM-Served-Model")).isEqualTo("upstream/gpt-4o-mini");
  }

  @Test
  void models_listsEveryProvidersModels_theRoutes_andAuto() throws Exception {
    Reply reply = send("GET", "/v1/models", null, CLIENT_KEY);

    assertThat(reply.status()).isEqualTo(200);
    JsonNode json = reply.json();
    assertThat(json.get("object").asString()).isEqualTo("list");
    List<String> entries = new ArrayList<>();
    for (JsonNode model : json.get("data")) {
      assertThat(model.get("object").asString()).isEqualTo("model");
      entries.add(model.get("id").asString() + " by " + model.get("owned_by").asString());
    }
    // gpt-4o-mini and text-embedding-3-small are what the peer lists; dead/tiny only configured
    assertThat(entries)
        .contains(
            "upstream/gpt-4o-mini by upstream",
            "upstream/text-embedding-3-small by upstream",
            "dead/tiny by dead",
            "story by route",
            "careful by route",
            "auto by route");
  }

  @Test
  void upstreamErrors_reachTheClientInOpenAisShape_withTheRightStatus() throws Exception {
    peer.serve(FIXTURES.exchange("error_400_context_length_exceeded").servedAt("POST", CHAT));
    Reply tooLong = chat(userMessage("upstream/gpt-4o-mini"));
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(tooLong.json().at("/error/code").asString()).isEqualTo("context_length_exceeded");

    peer.serve(FIXTURES.exchange("error_429_rate_limit_exceeded").servedAt("POST", CHAT));
    Reply limited = chat(userMessage("upstream/gpt-4o-mini"));
    // the upstream's Retry-After of 20 s is longer than the 5 s the policy waits, and there is no
    // other candidate: the client is told to come back when the upstream said
    assertThat(limited.status()).isEqualTo(429);
    assertThat(limited.header("Retry-After")).isEqualTo("20");
    assertThat(limited.json().at("/error/code").asString()).isEqualTo("upstream_rate_limited");
    assertThat(limited.json().at("/error/type").asString()).isEqualTo("upstream_error");
    assertThat(limited.body()).doesNotContain(UPSTREAM_SECRET).doesNotContain("Exception");
  }

  @Test
  void badInput_isA4xxNamingTheField_neverA5xx() throws Exception {
    record Case(String body, int status, String code, String param, String... headers) {}
    List<Case> cases =
        List.of(
            new Case("{not json", 400, "invalid_json", null),
            new Case("[1,2]", 400, "invalid_json", null),
            new Case("{\"model\":\"auto\"}", 400, "missing_required_parameter", "messages"),
            new Case("{\"model\":\"auto\",\"messages\":[]}", 400, "invalid_value", "messages"),
            new Case(
                "{\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                400,
                "missing_required_parameter",
                "model"),
            new Case(
                "{\"model\":7,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                400,
                "invalid_value",
                "model"),
            new Case("{\"model\":\"auto\",\"messages\":\"Hi\"}", 400, "invalid_value", "messages"),
            new Case(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"wizard\",\"content\":\"Hi\"}]}",
                400,
                "invalid_value",
                "messages[0].role"),
            new Case(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":5}]}",
                400,
                "invalid_value",
                "messages[0].content"),
            new Case(
                "{\"model\":\"auto\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                400,
                "invalid_value",
                "temperature"),
            new Case(
                "{\"model\":\"auto\",\"temperature\":3,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                400,
                "invalid_value",
                "temperature"),
            new Case(
                "{\"model\":\"auto\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                400,
                "invalid_value",
                "max_tokens"),
            new Case(
                "{\"model\":\"auto\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                400,
                "invalid_value",
                "n"),
            new Case(userMessage("nobody/model"), 404, "model_not_found", "model"),
            new Case(userMessage("upstream/no-such-model"), 404, "model_not_found", "model"),
            new Case(userMessage("gpt-5"), 404, "model_not_found", "model"),
            new Case(userMessage("auto"), 422, "no_eligible_model", null, "X-MM-Require", "vision"),
            new Case(
                userMessage("auto"),
                400,
                "invalid_value",
                "X-MM-Max-Cost",
                "X-MM-Max-Cost",
                "cheap"),
            new Case(userMessage("auto"), 400, "invalid_value", "X-MM-Task", "X-MM-Task", "poetry"),
            new Case(
                "{\"model\":\"auto\",\"metadata\":{\"task_type\":\"poetry\"},"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
                400,
                "invalid_value",
                "metadata.task_type"),
            new Case(
                "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\""
                    + "x".repeat(5000)
                    + "\"}]}",
                413,
                "request_too_large",
                null));
    for (Case c : cases) {
      Reply reply = chat(c.body(), c.headers());
      assertThat(reply.status()).as(c.body() + " " + List.of(c.headers())).isEqualTo(c.status());
      JsonNode error = reply.json().get("error");
      assertThat(error.get("code").asString()).as(c.body()).isEqualTo(c.code());
      assertThat(error.get("param").isNull() ? null : error.get("param").asString())
          .as(c.body())
          .isEqualTo(c.param());
      assertThat(error.get("type").asString()).isEqualTo("invalid_request_error");
      assertThat(error.get("message").asString()).isNotBlank().doesNotContain("Exception");
    }
    Reply noEligible = chat(userMessage("auto"), "X-MM-Require", "vision");
    assertThat(noEligible.json().at("/error/message").asString())
        .contains("upstream/gpt-4o-mini (capabilities:")
        .contains("dead/tiny");
  }

  @Test
  void unknownPaths_andWrongMethods_areOpenAiShapedToo() throws Exception {
    Reply missing = send("GET", "/v1/nothing", null, CLIENT_KEY);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().at("/error/code").asString()).isEqualTo("not_found");
  }

  @Test
  void keys_areChecked_andManagementWritesNeedTheAdminKey() throws Exception {
    Reply none = send("POST", CHAT, userMessage("upstream/gpt-4o-mini"), null);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.json().at("/error/code").asString()).isEqualTo("missing_api_key");
    Reply wrong = send("GET", "/v1/models", null, "client-key-0002");
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.json().at("/error/code").asString()).isEqualTo("invalid_api_key");
    Reply viaHeader = send("GET", "/v1/models", null, null, "x-api-key", CLIENT_KEY);
    assertThat(viaHeader.status()).isEqualTo(200);

    String reset = "{\"model\":\"dead/tiny\"}";
    assertThat(send("GET", "/api/v1/models/status", null, null).status()).isEqualTo(401);
    assertThat(send("GET", "/api/v1/models/status", null, CLIENT_KEY).status()).isEqualTo(200);
    Reply asClient = send("POST", "/api/v1/models/failures/reset", reset, CLIENT_KEY);
    assertThat(asClient.status()).isEqualTo(403);
    assertThat(asClient.json().at("/error/code").asString()).isEqualTo("insufficient_permissions");
    assertThat(send("POST", "/api/v1/models/failures/reset", reset, ADMIN_KEY).status())
        .isEqualTo(200);
    // the admin key is a client key as well
    assertThat(chat(userMessage("upstream/gpt-4o-mini")).status()).isEqualTo(200);
    assertThat(send("GET", "/v1/models", null, ADMIN_KEY).status()).isEqualTo(200);
  }

  @Test
  void healthAndMetrics_needNoKey_andMetricsUseTheGenAiNames() throws Exception {
    assertThat(send("GET", "/health/live", null, null).json().get("status").asString())
        .isEqualTo("live");
    Reply ready = send("GET", "/health/ready", null, null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("healthy_providers").asInt()).isEqualTo(1);
    assertThat(ready.json().get("providers").asInt()).isEqualTo(2);

    chat(userMessage("upstream/gpt-4o-mini"));
    chat(userMessage("dead/tiny"));
    String metrics = send("GET", "/metrics", null, null).body();

    assertThat(metrics)
        .containsPattern(
            "gen_ai_client_operation_duration_seconds_count\\{[^}]*gen_ai_provider_name=\"upstream\""
                + "[^}]*gen_ai_request_model=\"gpt-4o-mini\"")
        .containsPattern(
            "gen_ai_client_token_usage_tokens_count\\{[^}]*gen_ai_token_type=\"input\"")
        .containsPattern(
            "mm_gateway_requests_total\\{gen_ai_request_model=\"upstream/gpt-4o-mini\","
                + "gen_ai_response_model=\"upstream/gpt-4o-mini\",outcome=\"success\"}")
        .containsPattern("mm_circuit_state\\{gen_ai_provider_name=\"upstream\"")
        .doesNotContain(UPSTREAM_SECRET)
        .doesNotContain(CLIENT_KEY);
  }

  @Test
  void onANonLoopbackAddress_aGatewayWithoutKeys_refusesToStart() throws Exception {
    String yaml = config(peer.root(), dead.port(), "").replace("host: 127.0.0.1", "host: 0.0.0.0");

    assertThatThrownBy(() -> start(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "auth: the gateway listens on 0.0.0.0, which other machines can reach,"
                + " and no key is configured");
  }
}

package dev.tta.models.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.server.RecordedOpenAiCompatible;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.replay.Exchange;
import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.RecordedResponse;
import dev.tta.models.testkit.replay.ReplayPeer;
import dev.tta.models.testkit.servers.RefusingPort;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the OpenAI API answers around the happy path, each case on a gateway of its own: which
 * candidates a request's {@code models} chain makes, which status a refusal gets, what the headers
 * and events of a stream are exactly, and what a request leaves in {@code /metrics}. Expected
 * values come from the hand-written fixtures (testkit) and from docs/features/gateway.md.
 */
class OpenAiApiAnswersTest {

  private static final String CHAT = "/v1/chat/completions";
  private static final FixtureSet FIXTURES = RecordedOpenAiCompatible.FIXTURES;
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @TempDir Path dataDir;

  private static ReplayPeer peer;
  private static RefusingPort dark;
  private GatewayServer server;

  record Reply(int status, HttpResponse<String> response) {
    JsonNode json() {
      return JSON.readTree(response.body());
    }

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    /** The data of each server-sent event, in order. */
    List<String> events() {
      List<String> events = new ArrayList<>();
      for (String line : response.body().split("\n")) {
        if (line.startsWith("data: ")) {
          events.add(line.substring("data: ".length()));
        }
      }
      return events;
    }
  }

  @BeforeAll
  static void startPeer() throws IOException {
    peer = ReplayPeer.start();
    dark = RefusingPort.open();
  }

  @AfterAll
  static void stopPeer() {
    peer.close();
    dark.close();
  }

  /**
   * {@code upstream} lists gpt-4o-mini from the peer; {@code dark} is on a closed port with no
   * model written in the configuration, so it has nothing to offer until it can list.
   */
  @BeforeEach
  void startGateway() {
    peer.reset();
    RecordedOpenAiCompatible.serveModelsAndChat(peer);
    String yaml =
        """
        server: {host: 127.0.0.1, port: 0}
        data_dir: %s
        providers:
          - name: upstream
            type: custom_api
            base_url: %s/v1
            models:
              - {id: gpt-4o-mini, therapeutic_safety_score: 9, performance_score: 8}
          - name: dark
            type: custom_api
            base_url: http://127.0.0.1:%d/v1
            connect_timeout: 1s
        routes:
          story: {models: [upstream/gpt-4o-mini]}
        fallback: {max_retries_per_model: 0, max_retry_after: 1s}
        """
            .formatted(dataDir, peer.root(), dark.port());
    GatewayConfig config = new ConfigReader(Map.of()).parse(yaml, "answers.yaml", dataDir);
    server = GatewayServer.start(GatewayRuntime.start(config));
  }

  @AfterEach
  void stopGateway() {
    server.close();
  }

  private Reply send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), response);
  }

  private Reply chat(String body, String... headers) throws IOException, InterruptedException {
    return send("POST", CHAT, body, headers);
  }

  private static String ask(String model, String more) {
    return "{\"model\":\""
        + model
        + "\""
        + more
        + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  private String metrics() throws IOException, InterruptedException {
    return send("GET", "/metrics", null).response().body();
  }

  private static void serveStream(String... events) {
    StringBuilder body = new StringBuilder();
    for (String event : events) {
      body.append("data: ").append(event).append("\n\n");
    }
    body.append("data: [DONE]\n\n");
    peer.serve(
        Exchange.of(
            "stream",
            "POST",
            CHAT,
            RecordedResponse.of(
                200, "text/event-stream", body.toString().getBytes(StandardCharsets.UTF_8))));
  }

  private static String upstreamChunk(String delta, String finish) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
        + "\"choices\":[{\"index\":0,\"delta\":"
        + delta
        + ",\"finish_reason\":"
        + (finish == null ? "null" : "\"" + finish + "\"")
        + "}]}";
  }

  private static final String USAGE_CHUNK =
      "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"gpt-4o-mini\","
          + "\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}";

  @Test
  void aPlainAnswer_isDatedNowInSeconds_andHasNoIgnoredFieldsHeader() throws Exception {
    long before = System.currentTimeMillis() / 1000;
    Reply reply = chat(ask("upstream/gpt-4o-mini", ""));
    long after = System.currentTimeMillis() / 1000;

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().get("created").asLong()).isBetween(before, after);
    assertThat(reply.header("X-MM-Ignored-Fields")).isNull();
  }

  @Test
  void aStream_isAnUncachedUnbufferedUtf8EventStream_andDatedNow() throws Exception {
    peer.serve(FIXTURES.exchange("chat_stream").servedAt("POST", CHAT));

    long before = System.currentTimeMillis() / 1000;
    Reply reply = chat(ask("upstream/gpt-4o-mini", ",\"stream\":true"));
    long after = System.currentTimeMillis() / 1000;

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type").replace(" ", "").toLowerCase())
        .isEqualTo("text/event-stream;charset=utf-8");
    assertThat(reply.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(reply.header("X-Accel-Buffering")).isEqualTo("no");
    assertThat(JSON.readTree(reply.events().get(0)).get("created").asLong())
        .isBetween(before, after);
  }

  /**
   * The fixture's stream is a role chunk with empty content, nine content chunks ("Hello", "!", "
   * How", " can", " I", " assist", " you", " today", "?"), a finish chunk and a usage chunk with no
   * choice. The client gets the gateway's own role chunk, the nine, one finish chunk carrying the
   * usage (the client did not ask for usage in a chunk of its own), and [DONE]: twelve events, the
   * upstream's empty chunks dropped.
   */
  @Test
  void aStream_passesOnlyChunksWithOutput_thenOneFinishCarryingTheUsage() throws Exception {
    peer.serve(FIXTURES.exchange("chat_stream").servedAt("POST", CHAT));

    List<String> events = chat(ask("upstream/gpt-4o-mini", ",\"stream\":true")).events();

    assertThat(events).hasSize(12).last().isEqualTo("[DONE]");
    List<String> contents = new ArrayList<>();
    for (String event : events.subList(1, 10)) {
      JsonNode chunk = JSON.readTree(event);
      contents.add(chunk.at("/choices/0/delta/content").asString());
      assertThat(chunk.at("/choices/0/finish_reason").isNull()).isTrue();
      assertThat(chunk.has("usage")).isFalse();
    }
    assertThat(contents)
        .containsExactly("Hello", "!", " How", " can", " I", " assist", " you", " today", "?");
    JsonNode last = JSON.readTree(events.get(10));
    assertThat(last.at("/choices/0/finish_reason").asString()).isEqualTo("stop");
    assertThat(last.at("/usage/prompt_tokens").asInt()).isEqualTo(19);
    assertThat(last.at("/usage/completion_tokens").asInt()).isEqualTo(10);
    assertThat(last.at("/mm_routing/served_by").asString()).isEqualTo("upstream/gpt-4o-mini");
  }

  /**
   * An upstream whose finish chunk also carries text: the text goes out at once without the finish
   * reason, and the finish reason comes last on a chunk of its own with the usage, so that exactly
   * one chunk finishes the answer.
   */
  @Test
  void aFinishChunkWithText_isSplit_intoTheTextAndAFinishOfItsOwn() throws Exception {
    serveStream(
        upstreamChunk("{\"role\":\"assistant\",\"content\":\"Hi\"}", null),
        upstreamChunk("{\"content\":\" there\"}", "length"),
        USAGE_CHUNK);

    List<String> events = chat(ask("upstream/gpt-4o-mini", ",\"stream\":true")).events();

    // the gateway's role chunk, "Hi", " there", the finish, [DONE]
    assertThat(events).hasSize(5);
    JsonNode text = JSON.readTree(events.get(2));
    assertThat(text.at("/choices/0/delta/content").asString()).isEqualTo(" there");
    assertThat(text.at("/choices/0/finish_reason").isNull()).isTrue();
    JsonNode finish = JSON.readTree(events.get(3));
    assertThat(finish.at("/choices/0/finish_reason").asString()).isEqualTo("length");
    assertThat(finish.at("/choices/0/delta/content").isMissingNode()).isTrue();
    assertThat(finish.at("/usage/total_tokens").asInt()).isEqualTo(9);
  }

  @Test
  void aRoute_withARequestsOwnChain_isRefused_namingModels() throws Exception {
    Reply reply = chat(ask("story", ",\"models\":[\"upstream/gpt-4o-mini\"]"));

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.json().at("/error/param").asString()).isEqualTo("models");
    assertThat(reply.json().at("/error/code").asString()).isEqualTo("invalid_value");
  }

  /**
   * {@code auto} with a chain tries the chain only: here one model of a provider that cannot be
   * reached, so the answer is that provider's failure, although {@code upstream} would answer.
   */
  @Test
  void auto_withAChain_triesTheChainOnly() throws Exception {
    Reply reply = chat(ask("auto", ",\"models\":[\"dark/some-model\"]"));

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.json().at("/error/code").asString()).isEqualTo("no_model_available");
    assertThat(reply.json().at("/error/message").asString())
        .contains("dark/some-model (unavailable: provider dark could not list its models")
        .doesNotContain("upstream/gpt-4o-mini");
  }

  /**
   * A model of a provider that cannot list its models right now, and that its configuration does
   * not name, is neither refused as unknown (404) nor as not meeting the requirements (422): the
   * provider is unavailable, and the message says why.
   */
  @Test
  void aModelOfAProviderThatCannotList_isA503_sayingWhy() throws Exception {
    Reply reply = chat(ask("dark/some-model", ""));

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.json().at("/error/type").asString()).isEqualTo("server_error");
    assertThat(reply.json().at("/error/code").asString()).isEqualTo("no_model_available");
    assertThat(reply.json().at("/error/message").asString())
        .contains(
            "dark/some-model (unavailable: provider dark could not list its models (unavailable: ")
        .contains("127.0.0.1:" + dark.port());
  }

  @Test
  void aConcreteModel_withAChain_goesOnToTheChain() throws Exception {
    peer.serve(FIXTURES.exchange("error_503_overloaded").servedAt("POST", CHAT));

    Reply reply = chat(ask("upstream/gpt-4o-mini", ",\"models\":[\"dark/some-model\"]"));

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.json().at("/error/message").asString())
        .startsWith("every candidate failed; last error (unavailable from upstream/gpt-4o-mini): ")
        .contains("skipped [dark/some-model (unavailable: provider dark could not list its models");
  }

  @Test
  void everyCandidateFailed_namesTheLastModelAndItsError() throws Exception {
    peer.serve(FIXTURES.exchange("error_503_overloaded").servedAt("POST", CHAT));

    Reply reply = chat(ask("upstream/gpt-4o-mini", ""));

    assertThat(reply.status()).isEqualTo(503);
    assertThat(reply.json().at("/error/code").asString()).isEqualTo("upstream_unavailable");
    assertThat(reply.json().at("/error/message").asString())
        .startsWith("every candidate failed; last error (unavailable from upstream/gpt-4o-mini): ")
        .contains("The engine is currently overloaded");
  }

  @Test
  void aRateLimitWithoutRetryAfter_isA429WithoutRetryAfter() throws Exception {
    peer.serve(
        Exchange.of(
            "limited",
            "POST",
            CHAT,
            RecordedResponse.of(
                429,
                "application/json",
                "{\"error\":{\"message\":\"slow down\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"
                    .getBytes(StandardCharsets.UTF_8))));

    Reply reply = chat(ask("upstream/gpt-4o-mini", ""));

    assertThat(reply.status()).isEqualTo(429);
    assertThat(reply.json().at("/error/code").asString()).isEqualTo("upstream_rate_limited");
    assertThat(reply.header("Retry-After")).isNull();
  }

  /**
   * A capability no model has is the client's to change (422); every model taken out of routing for
   * now (here its provider refused the key) is the gateway's to fix (503).
   */
  @Test
  void noEligibleModel_is422ForTheRequirements_and503WhenTheModelsAreOut() throws Exception {
    Reply vision = chat(ask("auto", ""), "X-MM-Require", "vision");
    assertThat(vision.status()).isEqualTo(422);
    assertThat(vision.json().at("/error/code").asString()).isEqualTo("no_eligible_model");

    peer.serve(FIXTURES.exchange("error_401_invalid_api_key").servedAt("POST", CHAT));
    Reply refused = chat(ask("upstream/gpt-4o-mini", ""));
    assertThat(refused.status()).isEqualTo(502);
    assertThat(refused.json().at("/error/code").asString()).isEqualTo("upstream_authentication");

    Reply out = chat(ask("auto", ""));
    assertThat(out.status()).isEqualTo(503);
    assertThat(out.json().at("/error/code").asString()).isEqualTo("no_model_available");
    assertThat(out.json().at("/error/type").asString()).isEqualTo("server_error");
    assertThat(out.json().at("/error/message").asString()).contains("provider out");
  }

  /**
   * Every request is counted under the model asked for, the model that answered (empty when none
   * did) and its outcome, and timed from its arrival to its end: no longer than the client waited.
   */
  @Test
  void everyRequest_isCountedWithItsOutcome_andTimedWithinWhatTheClientWaited() throws Exception {
    long started = System.nanoTime();
    chat(ask("upstream/gpt-4o-mini", ""));
    double waited = (System.nanoTime() - started) / 1e9;
    chat(ask("auto", ""), "X-MM-Require", "vision");
    peer.serve(FIXTURES.exchange("error_503_overloaded").servedAt("POST", CHAT));
    chat(ask("upstream/gpt-4o-mini", ""));
    chat(ask("upstream/gpt-4o-mini", ",\"stream\":true"));

    String metrics = metrics();

    assertThat(metrics)
        .contains(
            "mm_gateway_requests_total{gen_ai_request_model=\"auto\",gen_ai_response_model=\"\","
                + "outcome=\"no_eligible_model\"} 1.0")
        .contains(
            "mm_gateway_requests_total{gen_ai_request_model=\"upstream/gpt-4o-mini\","
                + "gen_ai_response_model=\"\",outcome=\"unavailable\"} 2.0");
    Matcher max =
        Pattern.compile(
                "mm_gateway_request_duration_seconds_max\\{gen_ai_request_model=\"upstream/gpt-4o-mini\","
                    + "gen_ai_response_model=\"upstream/gpt-4o-mini\",outcome=\"success\"} (\\S+)")
            .matcher(metrics);
    assertThat(max.find()).as(metrics).isTrue();
    assertThat(Double.parseDouble(max.group(1))).isGreaterThan(0).isLessThanOrEqualTo(waited);
  }
}

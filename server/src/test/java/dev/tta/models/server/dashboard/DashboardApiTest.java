package dev.tta.models.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tta.models.server.RecordedOpenAiCompatible;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.http.GatewayServer;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.server.runtime.RuntimeOptions;
import dev.tta.models.server.runtime.SpendSource;
import dev.tta.models.testkit.replay.ReplayPeer;
import dev.tta.models.testkit.servers.RefusingPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The dashboard's page and data over HTTP, without a browser: a gateway with keys, a replayed
 * upstream (the fixture's answer: 19 prompt and 10 completion tokens) and a provider on a closed
 * port behind the route {@code story}, so one request makes one fallback and one failed call.
 */
class DashboardApiTest {

  private static final String CLIENT_KEY = "client-key-dash-01";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir Path dir;

  private ReplayPeer peer;
  private GatewayServer server;
  private RefusingPort closed;
  private String base;
  private final AtomicReference<Duration> askedWindow = new AtomicReference<>();

  @BeforeEach
  void start() throws Exception {
    peer = ReplayPeer.start();
    RecordedOpenAiCompatible.serveModelsAndChat(peer);
    closed = RefusingPort.open();
    String yaml =
        """
        server: {host: 127.0.0.1, port: 0}
        data_dir: %s
        providers:
          - name: upstream
            type: custom_api
            base_url: %s/v1
            models: [{id: gpt-4o-mini, therapeutic_safety_score: 9, performance_score: 8}]
          - name: dead
            type: custom_api
            base_url: http://127.0.0.1:%d/v1
            discover_models: false
            connect_timeout: 1s
            models: [{id: tiny}]
        routes:
          story: {models: [dead/tiny, upstream/gpt-4o-mini]}
        fallback: {max_retries_per_model: 0}
        auth: {client_keys: [%s]}
        """
            .formatted(dir, peer.root(), closed.port(), CLIENT_KEY);
    GatewayConfig config = new ConfigReader(Map.of()).parse(yaml, "test.yaml", dir);
    SpendSource spend =
        window -> {
          askedWindow.set(window);
          return List.of(new SpendSource.KeySpend("team-a (sha256:1f2e…)", 12, 300, 120, 0.0042));
        };
    server =
        GatewayServer.start(
            GatewayRuntime.start(config, RuntimeOptions.defaults().withSpend(spend)));
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterEach
  void stop() {
    server.close();
    peer.close();
    closed.close();
  }

  private HttpResponse<String> get(String path, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void thePageAndItsFiles_needNoKey_andComeFromTheJar() throws Exception {
    HttpResponse<String> page = get("/dashboard", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'"));
    assertThat(page.body())
        .contains("<script src=\"/webjars/uplot/1.6.30/dist/uPlot.iife.min.js\" defer></script>")
        .contains("<script src=\"/dashboard/dashboard.js\" defer></script>")
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(get("/dashboard/dashboard.js", null).body()).contains("'/api/v1/dashboard'");
    assertThat(get("/dashboard/dashboard.css", null).statusCode()).isEqualTo(200);
    HttpResponse<String> uplot = get("/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", null);
    assertThat(uplot.statusCode()).isEqualTo(200);
    assertThat(uplot.body()).contains("uPlot");
  }

  @Test
  void theData_needsAClientKey() throws Exception {
    HttpResponse<String> refused = get("/api/v1/dashboard", null);

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(refused.body()).at("/error/code").asString())
        .isEqualTo("missing_api_key");
  }

  @Test
  void theData_countsRequestsFallbacksAndTokens_listsEveryModel_andSpendPerKey() throws Exception {
    HttpResponse<String> chat =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + CLIENT_KEY)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"story\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(chat.statusCode()).isEqualTo(200);

    HttpResponse<String> reply = get("/api/v1/dashboard", CLIENT_KEY);
    assertThat(reply.statusCode()).isEqualTo(200);
    JsonNode data = JSON.readTree(reply.body());

    assertThat(data.at("/totals/requests").asLong()).isEqualTo(1);
    assertThat(data.at("/totals/failed_requests").asLong()).isZero();
    assertThat(data.at("/totals/fallbacks").asLong()).isEqualTo(1);
    assertThat(data.at("/totals/input_tokens").asLong()).isEqualTo(19);
    assertThat(data.at("/totals/output_tokens").asLong()).isEqualTo(10);
    assertThat(data.at("/errors_by_class/unavailable").asLong()).isEqualTo(1);
    assertThat(data.at("/fallbacks_by_class/unavailable").asLong()).isEqualTo(1);

    assertThat(data.get("models").valueStream().map(m -> m.get("key").asString()).toList())
        .containsExactly("upstream/gpt-4o-mini", "upstream/text-embedding-3-small", "dead/tiny");
    JsonNode upstream = data.get("models").get(0);
    assertThat(upstream.get("calls_total").asLong()).isEqualTo(1);
    assertThat(upstream.at("/last_minute/calls").asLong()).isEqualTo(1);
    assertThat(upstream.at("/last_minute/success_rate").asDouble()).isEqualTo(1.0);
    assertThat(upstream.at("/circuit/state").asString()).isEqualTo("closed");
    assertThat(upstream.at("/circuit/opened_at").isNull()).isTrue();
    // 0.3 x performance 8 + 0.4 x safety 9 + 0.3 x cost score 10 (no price) + the task bonus 0.5
    // = 9.5; one call is below the 5 a history term needs
    assertThat(upstream.get("score").asDouble()).isCloseTo(9.5, within(1e-9));
    JsonNode dead = data.get("models").get(2);
    assertThat(dead.at("/last_minute/calls").asLong()).isEqualTo(1);
    assertThat(dead.at("/last_minute/success_rate").asDouble()).isZero();

    assertThat(data.get("providers").valueStream().map(p -> p.get("id").asString()).toList())
        .containsExactly("upstream", "dead");
    assertThat(data.at("/providers/1/healthy").asBoolean()).isFalse();

    assertThat(data.at("/spend/configured").asBoolean()).isTrue();
    assertThat(data.at("/spend/window").asString()).isEqualTo("24h");
    assertThat(data.at("/spend/by_key/0/key").asString()).isEqualTo("team-a (sha256:1f2e…)");
    assertThat(data.at("/spend/by_key/0/cost_usd").asDouble()).isEqualTo(0.0042);
    assertThat(askedWindow.get()).isEqualTo(Duration.ofHours(24));

    JsonNode trace = data.at("/traces/0");
    assertThat(trace.get("served_by").asString()).isEqualTo("upstream/gpt-4o-mini");
    assertThat(
            trace
                .get("attempts")
                .valueStream()
                .map(a -> a.get("model").asString() + " " + a.get("outcome").asString())
                .toList())
        .containsExactly("dead/tiny unavailable", "upstream/gpt-4o-mini ok");
    assertThat(reply.body()).doesNotContain(CLIENT_KEY).doesNotContain("Hi\"");
  }
}

package dev.tta.models.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.providers.local.gguf.TinyLlamaWriter;
import dev.tta.models.server.RecordedOpenAiCompatible;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.http.GatewayServer;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.replay.ReplayPeer;
import dev.tta.models.testkit.servers.RefusingPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser (Debian's Chromium, headless) against a gateway with traffic on
 * it: a replayed upstream, a provider on a closed port whose circuit the test opens, and a local
 * model written by {@link TinyLlamaWriter} that streams (so that there is a time to first token).
 * The charts' canvases must show data (pixels in the series' colours, read through the page), the
 * tables the configured models and the open circuit, and the page must report no JavaScript error.
 * The screenshot is kept as {@code target/dashboard-under-load.png}.
 */
class DashboardBrowserTest {

  static final Path SCREENSHOT = Path.of("target", "dashboard-under-load.png");

  private static final ModelKey DEAD = ModelKey.of("dead", "tiny");
  private static final Duration DRAWN_LIMIT = Duration.ofSeconds(30);
  private static final Duration LOAD_PERIOD = Duration.ofMillis(40);
  private static final int MAX_LOAD_REQUESTS = 1_500;

  /** The dashboard's series colours (dashboard.js), as RGB. */
  private static final String PALETTE =
      "[[230,85,13],[49,130,189],[49,163,84],[117,107,177],[227,119,194],[214,97,107],"
          + "[140,109,49],[23,190,207]]";

  /** How many pixels of a chart's canvas have one of the series' colours. */
  private static String seriesPixels(String chart) {
    return "(() => { const c = document.querySelector('#chart-"
        + chart
        + " canvas'); if (!c) return 0; const d = c.getContext('2d').getImageData(0, 0, c.width,"
        + " c.height).data; const p = "
        + PALETTE
        + "; let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i + 3] > 200 && p.some((q)"
        + " => Math.abs(d[i] - q[0]) < 10 && Math.abs(d[i + 1] - q[1]) < 10 && Math.abs(d[i + 2]"
        + " - q[2]) < 10)) n++; } return n; })()";
  }

  @TempDir Path dir;

  @Test
  void theDashboard_drawsTrafficListsTheModels_andShowsTheOpenCircuit_withNoJavaScriptError()
      throws Exception {
    if (!Files.isExecutable(HeadlessChromium.EXECUTABLE)) {
      String why =
          HeadlessChromium.EXECUTABLE
              + " is not installed (apt-get install chromium; .ci/run installs it)";
      if (System.getenv("CI") != null) {
        fail(why);
      }
      Assumptions.abort(why);
    }
    TinyLlamaWriter.write(dir.resolve("models/tiny-dash.gguf"), 11);
    try (RefusingPort closed = RefusingPort.open();
        ReplayPeer peer = ReplayPeer.start()) {
      RecordedOpenAiCompatible.serveModelsAndChat(peer);
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
              models: [{id: tiny, therapeutic_safety_score: 8, performance_score: 9}]
            - {name: local, type: local, model_paths: [%s]}
          routes:
            story: {models: [dead/tiny, upstream/gpt-4o-mini]}
          fallback: {max_retries_per_model: 0}
          circuit_breaker: {minimum_calls: 2, sliding_window_size: 2, wait_in_open_state: 5m}
          """
              .formatted(dir, peer.root(), closed.port(), dir.resolve("models"));
      GatewayConfig config = new ConfigReader(Map.of()).parse(yaml, "test.yaml", dir);
      GatewayServer server = GatewayServer.start(GatewayRuntime.start(config));
      String base = "http://127.0.0.1:" + server.port();
      HttpClient http = HttpClient.newHttpClient();
      ScheduledExecutorService load =
          Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().factory());
      try {
        // two failures of dead/tiny (each falling back to upstream) open its circuit
        for (int i = 0; i < 2; i++) {
          assertThat(chat(http, base, "story", false)).isEqualTo(200);
        }
        assertThat(server.runtime().circuitBreakers().state(DEAD)).isEqualTo(CircuitState.OPEN);

        AtomicInteger sent = new AtomicInteger();
        List<String> models = List.of("story", "local/tiny-dash", "upstream/gpt-4o-mini");
        load.scheduleAtFixedRate(
            () -> {
              int n = sent.getAndIncrement();
              if (n < MAX_LOAD_REQUESTS) {
                String model = models.get(n % models.size());
                chat(http, base, model, model.startsWith("local/"));
              }
            },
            0,
            LOAD_PERIOD.toMillis(),
            TimeUnit.MILLISECONDS);

        try (HeadlessChromium browser =
            HeadlessChromium.start(dir.resolve("profile"), dir.resolve("chromium.log"))) {
          browser.navigate(base + "/dashboard");
          if (!browser.await(pixelsCondition(), DRAWN_LIMIT)) {
            browser.screenshot(SCREENSHOT);
            fail(
                "charts not drawn or models not listed within %s (screenshot in %s): %s;"
                    + " JavaScript errors %s",
                DRAWN_LIMIT, SCREENSHOT, browser.evaluate(progress()), browser.errors());
          }

          for (String chart : List.of("traffic", "latency", "ttft", "tokens")) {
            assertThat(browser.evaluate(seriesPixels(chart)).asInt())
                .as("pixels of series colours in the %s chart", chart)
                .isGreaterThan(40);
          }
          JsonNode rows =
              browser.evaluate(
                  "[...document.querySelectorAll('#models tbody tr')].map((r) =>"
                      + " [...r.cells].slice(0, 4).map((c) => c.textContent))");
          assertThat(rows).hasSize(4);
          assertThat(rows.valueStream().map(r -> r.get(0).asString()).toList())
              .containsExactlyInAnyOrder(
                  "upstream/gpt-4o-mini",
                  "upstream/text-embedding-3-small",
                  "dead/tiny",
                  "local/tiny-dash");
          JsonNode dead =
              rows.valueStream()
                  .filter(r -> r.get(0).asString().equals("dead/tiny"))
                  .findFirst()
                  .orElseThrow();
          assertThat(dead.get(2).asString()).isEqualTo("open");
          assertThat(dead.get(3).asString()).isNotEqualTo("–");
          assertThat(
                  browser
                      .evaluate("document.querySelector('#models tbody tr td.state-open') !== null")
                      .asBoolean())
              .isTrue();
          assertThat(browser.evaluate("document.getElementById('spend-none').hidden").asBoolean())
              .isFalse();
          assertThat(
                  browser.evaluate("document.querySelectorAll('#traces tbody tr').length").asInt())
              .isPositive();
          assertThat(
                  browser
                      .evaluate(
                          "[...document.querySelectorAll('#providers tbody tr')].map((r) =>"
                              + " r.cells[0].textContent + ' ' + r.cells[2].textContent)")
                      .valueStream()
                      .map(JsonNode::asString)
                      .toList())
              .containsExactly("upstream healthy", "dead down", "local healthy");

          browser.evaluate("document.querySelector('#explain-form button').click()");
          assertThat(
                  browser.await(
                      "document.querySelectorAll('#explain-result table tr').length > 1",
                      DRAWN_LIMIT))
              .isTrue();

          browser.screenshot(SCREENSHOT);
          assertThat(Files.size(SCREENSHOT)).isGreaterThan(20_000);
          assertThat(browser.errors()).as("JavaScript errors on the page").isEmpty();
        }
      } finally {
        load.shutdownNow();
        server.close();
      }
    }
  }

  /** What the page shows so far, for a failure's message. */
  private static String progress() {
    StringBuilder shown =
        new StringBuilder(
            "JSON.stringify({status: document.getElementById('status').textContent,"
                + " models: document.querySelectorAll('#models tbody tr').length");
    for (String chart : List.of("traffic", "latency", "ttft", "tokens")) {
      shown.append(", ").append(chart).append(": ").append(seriesPixels(chart));
    }
    return shown.append("})").toString();
  }

  private static String pixelsCondition() {
    StringBuilder condition =
        new StringBuilder("document.querySelectorAll('#models tbody tr').length === 4");
    for (String chart : List.of("traffic", "latency", "ttft", "tokens")) {
      condition.append(" && ").append(seriesPixels(chart)).append(" > 40");
    }
    return condition.toString();
  }

  private static int chat(HttpClient http, String base, String model, boolean stream) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"model\":\""
                              + model
                              + "\",\"max_tokens\":6,\"stream\":"
                              + stream
                              + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}

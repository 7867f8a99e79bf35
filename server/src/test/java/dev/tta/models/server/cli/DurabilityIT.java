package dev.tta.models.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tta.models.testkit.faults.FaultyUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code mm serve} as a child process over a local upstream: every answer it acknowledged survives
 * {@code kill -9}. After the kill the SQLite history holds every acknowledged request (read
 * straight from the file), and the gateway started again on the same data directory restores them
 * into the monitor's windows ({@code GET /api/v1/models/performance}) and counts them in the key's
 * spend.
 */
class DurabilityIT {

  /** Acknowledged calls before the kill: half answered whole, half streamed. */
  private static final int N = 24;

  private static final String KEY = "team-a-key-0001";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern ID = Pattern.compile("\"id\":\"(chatcmpl-[0-9a-f]+)\"");

  @TempDir Path home;

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(String base, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + KEY)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode get(String base, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + KEY)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void everyAcknowledgedCall_survivesKill9_inTheHistory_theMonitorAndTheSpend() throws Exception {
    try (FaultyUpstream upstream =
        FaultyUpstream.start(FaultyUpstream.config().modelIds("m").answer("hello there"))) {
      // a call: 1 prompt token ("Hi") at 0.01 USD, 2 completion tokens at 0.02 USD = 0.05 USD
      Path config =
          Files.writeString(
              home.resolve("mm.yaml"),
              """
              server: {port: 0}
              data_dir: ./data
              providers:
                - name: up
                  type: custom_api
                  base_url: "%s"
                  discover_models: false
                  models: [{id: m, input_cost_per_token: 0.01, output_cost_per_token: 0.02}]
              auth:
                client_keys: [{key: "%s", name: team-a}]
              """
                  .formatted(upstream.baseUrl().toString().replaceAll("/+$", ""), KEY));
      Path database = home.resolve("data").resolve("mm.db");
      Set<String> acknowledged = new HashSet<>();

      try (MmProcess mm = new MmProcess(home, Map.of(), "serve", "--config", config.toString())) {
        String base = mm.awaitAddress();
        for (int i = 0; i < N; i++) {
          boolean stream = i % 2 == 1;
          HttpResponse<String> answer =
              post(
                  base,
                  "{\"model\":\"up/m\",\"stream\":"
                      + stream
                      + ",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}");
          assertThat(answer.statusCode()).isEqualTo(200);
          if (stream) {
            assertThat(answer.body()).endsWith("data: [DONE]\n\n");
          }
          Matcher id = ID.matcher(answer.body());
          assertThat(id.find()).isTrue();
          acknowledged.add(id.group(1));
        }

        assertThat(mm.kill()).as("ended by SIGKILL").isEqualTo(MmProcess.KILLED);
      }

      assertThat(acknowledged).hasSize(N);
      // the file as the killed process left it (its write-ahead log included)
      try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + database);
          Statement s = db.createStatement()) {
        Set<String> stored = new HashSet<>();
        try (ResultSet rows = s.executeQuery("SELECT request_id FROM mm_calls")) {
          while (rows.next()) {
            stored.add(rows.getString(1));
          }
        }
        assertThat(stored).isEqualTo(acknowledged);
      }

      try (MmProcess mm = new MmProcess(home, Map.of(), "serve", "--config", config.toString())) {
        String base = mm.awaitAddress();
        assertThat(
                mm.awaitLine(
                        Pattern.compile("history: sqlite .*mm\\.db \\((\\d+) calls"),
                        Duration.ofSeconds(30))
                    .group(1))
            .isEqualTo(Integer.toString(N));

        for (String window : new String[] {"1h", "1d"}) {
          JsonNode performance =
              get(base, "/api/v1/models/performance?model=up/m&window=" + window);
          assertThat(performance.path("calls").asLong()).isEqualTo(N);
          assertThat(performance.path("successes").asLong()).isEqualTo(N);
          assertThat(performance.path("prompt_tokens").asLong()).isEqualTo(N);
          assertThat(performance.path("completion_tokens").asLong()).isEqualTo(2L * N);
          // 24 x 0.05 = 1.20 USD
          assertThat(performance.path("cost_usd").asDouble()).isCloseTo(1.20, within(1e-9));
        }
        JsonNode spend = get(base, "/api/v1/spend?window=total");
        assertThat(spend.path("keys").get(0).path("key").asString()).isEqualTo("team-a");
        assertThat(spend.path("keys").get(0).path("spent_usd").asDouble())
            .isCloseTo(1.20, within(1e-9));
        mm.stop();
      }
    }
  }
}

package dev.tta.models.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.testkit.replay.FixtureSet;
import dev.tta.models.testkit.replay.ReplayPeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mm serve} as the separate process users run, from the packaged jar: offline on the
 * embedded default, and with a configuration whose secrets must appear nowhere in what the run
 * prints or answers.
 */
class ServeProcessIT {

  /** The banner's line on the history: where, and how many calls the warm start restored. */
  private static final Pattern HISTORY = Pattern.compile("history: (.*) \\((\\d+) calls");

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path home;

  private static HttpResponse<String> post(String url, String body, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(String url, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void serve_withNoConfiguration_answersOfflineFromTheBuiltInModel_plainAndStreamed()
      throws Exception {
    Path data = home.resolve("data");
    try (MmProcess mm =
        new MmProcess(home, Map.of("MM_DATA_DIR", data.toString()), "serve", "--port", "0")) {
      String base = mm.awaitAddress();
      Matcher history = mm.awaitLine(HISTORY, Duration.ofSeconds(30));
      assertThat(history.group(1)).isEqualTo("sqlite " + data.resolve("mm.db"));
      assertThat(history.group(2)).isEqualTo("0");

      HttpResponse<String> plain =
          post(
              base + "/v1/chat/completions",
              "{\"model\":\"auto\",\"max_tokens\":8,\"temperature\":0,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
              null);
      assertThat(plain.statusCode()).isEqualTo(200);
      // the built-in model's planted chain: 8 tokens of "▁H" "i" "▁f" "r" "o" "m" ...
      assertThat(plain.body())
          .contains("\"model\":\"local/tta-tiny-random\"")
          .contains("\"content\":\" Hi from Hi\"")
          .contains("\"finish_reason\":\"length\"");
      assertThat(plain.headers().firstValue("X-MM-Served-Model")).hasValue("local/tta-tiny-random");

      HttpResponse<String> streamed =
          post(
              base + "/v1/chat/completions",
              "{\"model\":\"local/tta-tiny-random\",\"stream\":true,\"max_tokens\":8,"
                  + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}",
              null);
      assertThat(streamed.statusCode()).isEqualTo(200);
      assertThat(streamed.headers().firstValue("Content-Type"))
          .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
      assertThat(streamed.body())
          .contains("\"object\":\"chat.completion.chunk\"")
          .endsWith("data: [DONE]\n\n");
      assertThat(get(base + "/health/ready", null).statusCode()).isEqualTo(200);

      mm.stop();
      assertThat(mm.output.toString())
          .contains("random weights")
          .contains("provider local (local, " + data.resolve("models") + "): 1 model");
      assertThat(data.resolve("models").resolve("tta-tiny-random.gguf")).isRegularFile();
      assertThat(data.resolve("mm.db")).isRegularFile();
    }
    // started again on the same data: the two calls are restored from mm.db
    try (MmProcess mm =
        new MmProcess(home, Map.of("MM_DATA_DIR", data.toString()), "serve", "--port", "0")) {
      mm.awaitAddress();
      Matcher restored = mm.awaitLine(HISTORY, Duration.ofSeconds(30));
      assertThat(restored.group(1)).isEqualTo("sqlite " + data.resolve("mm.db"));
      assertThat(restored.group(2)).isEqualTo("2");
      mm.stop();
    }
  }

  @Test
  void secrets_appearNowhereInAFullRun_logsResponsesStatusOrMetrics() throws Exception {
    String upstreamKey = "sk-upstream-SECRET-4f1c9";
    String routerKey = "sk-or-SECRET-77ab2";
    String clientKey = "client-SECRET-key-9d3e1";
    String adminKey = "admin-SECRET-key-2b8f0";
    String strangerKey = "stranger-SECRET-key-5c6a";
    FixtureSet fixtures =
        FixtureSet.classpath("/dev/tta/models/testkit/fixtures/openai-compatible");
    try (ReplayPeer peer = ReplayPeer.start()) {
      peer.serve(fixtures.exchange("models").servedAt("GET", "/v1/models"));
      peer.serve(fixtures.exchange("chat").servedAt("POST", "/v1/chat/completions"));
      peer.serve(
          fixtures
              .exchange("error_401_invalid_api_key")
              .servedAt("POST", "/bad/v1/chat/completions"));
      peer.serve(fixtures.exchange("models").servedAt("GET", "/bad/v1/models"));
      Path config =
          Files.writeString(
              home.resolve("mm.yaml"),
              """
              server: {port: 0}
              data_dir: ./data
              providers:
                - {name: upstream, type: custom_api, base_url: "%1$s/v1", api_key: "${UPSTREAM_KEY}"}
                - {name: rejecting, type: custom_api, base_url: "%1$s/bad/v1", api_key: "${UPSTREAM_KEY}"}
                - {name: openrouter, type: openrouter, base_url: "%1$s/nowhere/v1"}
              auth:
                client_keys: ["${CLIENT_KEY}"]
                admin_key: "${ADMIN_KEY}"
              """
                  .formatted(peer.root()));
      Map<String, String> env =
          Map.of(
              "UPSTREAM_KEY", upstreamKey,
              "OPENROUTER_API_KEY", routerKey,
              "CLIENT_KEY", clientKey,
              "ADMIN_KEY", adminKey);
      StringBuilder seen = new StringBuilder();
      try (MmProcess mm = new MmProcess(home, env, "serve", "--config", config.toString())) {
        String base = mm.awaitAddress();
        String ask = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
        List<HttpResponse<String>> replies = new ArrayList<>();
        replies.add(
            post(base + "/v1/chat/completions", ask.formatted("upstream/gpt-4o-mini"), clientKey));
        replies.add(
            post(base + "/v1/chat/completions", ask.formatted("rejecting/gpt-4o-mini"), clientKey));
        replies.add(post(base + "/v1/chat/completions", ask.formatted("auto"), strangerKey));
        replies.add(
            post(base + "/api/v1/models/test", "{\"model\":\"rejecting/gpt-4o-mini\"}", adminKey));
        replies.add(get(base + "/api/v1/models/status", clientKey));
        replies.add(get(base + "/v1/models", clientKey));
        replies.add(get(base + "/metrics", null));
        assertThat(replies.get(0).statusCode()).isEqualTo(200);
        assertThat(replies.get(1).statusCode()).isEqualTo(502);
        assertThat(replies.get(2).statusCode()).isEqualTo(401);
        for (HttpResponse<String> reply : replies) {
          seen.append(reply.headers().map()).append('\n').append(reply.body()).append('\n');
        }
        mm.stop();
        seen.append(mm.output);
      }
      for (String command : List.of("status", "providers", "models")) {
        try (MmProcess mm =
            new MmProcess(home, env, command, "--config", config.toString(), "--json")) {
          mm.awaitExit();
          seen.append(mm.output);
        }
      }
      // the run did happen and said things: the served model, the rejected key's error class
      assertThat(seen.toString())
          .contains("upstream/gpt-4o-mini")
          .contains("authentication")
          .contains("\"name\" : \"openrouter\"");
      for (String secret : List.of(upstreamKey, routerKey, clientKey, adminKey, strangerKey)) {
        assertThat(seen.toString()).as("output of the run").doesNotContain(secret);
      }
    }
  }
}

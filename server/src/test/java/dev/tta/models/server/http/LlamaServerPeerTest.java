package dev.tta.models.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.llamacpp.LlamaServerLikePeer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway in front of a server that reads and answers as llama.cpp's does (Nagle on, request
 * head read through a 4 KiB buffer, the body after it). The gateway once sent such a server its
 * request head and body apart and acknowledged its answers late, and every call waited about 40 ms
 * for a delayed acknowledgement. What the peer records decides the outcome here, not a clock: every
 * request the gateway forwards arrives whole in one read, and all of them on one kept-alive
 * connection, which is where the stall used to show.
 */
class LlamaServerPeerTest {

  private static final int REQUESTS = 10;
  private static final String ANSWER = String.join("", LlamaServerLikePeer.WORDS);

  @TempDir Path folder;

  private final HttpClient http = HttpClient.newHttpClient();
  private LlamaServerLikePeer peer;
  private GatewayServer gateway;

  @BeforeEach
  void start() {
    peer = LlamaServerLikePeer.start();
    String yaml =
        """
        server: {port: 0}
        providers:
          - name: llama
            type: custom_api
            base_url: "%s"
            discover_models: false
            models: [{id: %s}]
        routes:
          local: {models: [llama/%s]}
        """
            .formatted(
                peer.baseUrl().toString().replaceAll("/+$", ""),
                LlamaServerLikePeer.MODEL,
                LlamaServerLikePeer.MODEL);
    gateway =
        GatewayServer.start(
            GatewayRuntime.start(new ConfigReader(Map.of()).parse(yaml, "llama.yaml", folder)));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    peer.close();
  }

  @Test
  void plainRequests_reachTheServerWholeInOneRead_overOneConnection() throws Exception {
    for (int i = 0; i < REQUESTS; i++) {
      HttpResponse<String> answer = chat(false);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("\"content\":\"" + ANSWER + "\"");
    }
    assertThat(peer.readsPerRequest()).as("reads per request").hasSize(REQUESTS).containsOnly(1);
    assertThat(peer.connectionsAccepted()).as("connections").isEqualTo(1);
  }

  @Test
  void streamedRequests_reachTheServerWholeInOneRead_overOneConnection() throws Exception {
    for (int i = 0; i < REQUESTS; i++) {
      HttpResponse<String> answer = chat(true);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(answer.body()).contains("\"content\":\" traveller\"").endsWith("data: [DONE]\n\n");
    }
    assertThat(peer.readsPerRequest()).as("reads per request").hasSize(REQUESTS).containsOnly(1);
    assertThat(peer.connectionsAccepted()).as("connections").isEqualTo(1);
  }

  private HttpResponse<String> chat(boolean stream) throws Exception {
    String body =
        "{\"model\":\"local\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]"
            + (stream ? ",\"stream\":true" : "")
            + "}";
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}

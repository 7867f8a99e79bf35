package dev.tta.models.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.faults.Fault;
import dev.tta.models.testkit.faults.FaultyUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Room for request bodies: what a body takes (four times its size, in whole KiB), and a gateway
 * whose room is taken refusing the next large body with a 503 to retry, then serving it once the
 * room is given back.
 */
class BodyMemoryTest {

  @TempDir Path dataDir;

  @Test
  void aBody_takesFourTimesItsSize_inWholeKib_atLeastOne() {
    BodyMemory memory = new BodyMemory(1024 * 1024);

    assertThat(memory.needed(0)).isEqualTo(1);
    assertThat(memory.needed(1)).isEqualTo(1);
    assertThat(memory.needed(256)).isEqualTo(1);
    assertThat(memory.needed(257)).isEqualTo(2);
    assertThat(memory.needed(100_000)).isEqualTo(391);
    // larger than the whole budget: all of it, so that it is served alone
    assertThat(memory.needed(10_000_000)).isEqualTo(1024);
    assertThat(memory.budgetMib()).isEqualTo(1);
  }

  @Test
  void room_isTakenAndGivenBack() throws Exception {
    BodyMemory memory = new BodyMemory(1024 * 1024);

    int first = memory.acquire(200_000, Duration.ZERO);
    assertThat(first).isEqualTo(782);
    assertThat(memory.acquire(200_000, Duration.ofMillis(50))).isZero();
    assertThat(memory.acquire(50_000, Duration.ZERO)).isEqualTo(196);
    memory.release(first);
    assertThat(memory.acquire(200_000, Duration.ZERO)).isEqualTo(782);
  }

  @Test
  void aBudgetUnderOneKib_isRefused() {
    assertThatThrownBy(() -> new BodyMemory(1023))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("budgetBytes: must be at least 1 KiB, was 1023");
  }

  @Test
  void aBodyWithoutRoom_isA503ToRetry_andIsServedOnceTheRoomIsBack() throws Exception {
    String big = "a".repeat(200_000);
    String body =
        "{\"model\":\"up/m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}";
    try (FaultyUpstream upstream =
            FaultyUpstream.start(FaultyUpstream.config().modelIds("m").answer("ok"));
        GatewayServer gateway = start(upstream)) {
      // held far longer than the next request waits for room (300 ms)
      upstream.enqueue(Fault.answer().delayHead(Duration.ofSeconds(3)));
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest request = post(gateway, body);

      CompletableFuture<HttpResponse<String>> slow =
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
      upstream.awaitChatRequests(1, Duration.ofSeconds(5));
      HttpResponse<String> refused = http.send(request, HttpResponse.BodyHandlers.ofString());

      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).contains("1");
      assertThat(refused.body())
          .contains("\"code\":\"overloaded\"")
          .contains(
              "the gateway is serving as many request bodies as its memory allows (1 MiB, copies"
                  + " included); retry shortly");
      assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
          .isEqualTo(200);
      // small requests beside a large one are never held back
      upstream.enqueue(Fault.answer().delayHead(Duration.ofMillis(1_500)));
      CompletableFuture<HttpResponse<String>> again =
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
      upstream.awaitChatRequests(3, Duration.ofSeconds(5));
      HttpResponse<String> small =
          http.send(
              post(
                  gateway,
                  "{\"model\":\"up/m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
              HttpResponse.BodyHandlers.ofString());
      assertThat(small.statusCode()).isEqualTo(200);
      assertThat(again.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }
  }

  private GatewayServer start(FaultyUpstream upstream) {
    String yaml =
        """
        server: {port: 0}
        providers:
          - {name: up, type: custom_api, base_url: "%s", discover_models: false, models: [{id: m}]}
        """
            .formatted(upstream.baseUrl());
    GatewayConfig config = new ConfigReader(Map.of()).parse(yaml, "body.yaml", dataDir);
    return GatewayServer.start(
        GatewayRuntime.start(config),
        RequestLog.text(),
        new BodyMemory(1024 * 1024),
        Duration.ofMillis(300));
  }

  private static HttpRequest post(GatewayServer gateway, String body) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }
}

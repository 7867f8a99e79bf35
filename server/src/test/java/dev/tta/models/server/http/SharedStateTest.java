package dev.tta.models.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.fallback.CircuitState;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.runtime.GatewayRuntime;
import dev.tta.models.testkit.faults.FaultyUpstream;
import dev.tta.models.testkit.servers.RedisServer;
import dev.tta.models.testkit.servers.RefusingPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway replicas, each with its own SQLite history, sharing routing state through a real
 * redis-server: a circuit opened through A is honoured by B, a budget spent through A is refused by
 * B, Redis killed leaves both serving, and its return re-syncs.
 */
class SharedStateTest {

  private static final String TEAM_KEY = "team-a-key-0123456789";
  private static final String ADMIN_KEY = "admin-key-0123456789";
  private static final ModelKey DEAD = ModelKey.of("dead", "m");

  @TempDir Path folder;

  private final HttpClient http = HttpClient.newHttpClient();
  private RedisServer redis;
  private FaultyUpstream upstream;
  private GatewayServer a;
  private GatewayServer b;
  private RefusingPort dead;

  @BeforeEach
  void start() {
    redis = RedisServer.start();
    dead = RefusingPort.open();
    upstream = FaultyUpstream.start(FaultyUpstream.config().modelIds("m").answer("hello there"));
    a = replica("a");
    b = replica("b");
    await(() -> !state(a).degraded() && !state(b).degraded(), "both replicas share state");
  }

  private GatewayServer replica(String name) {
    // every token costs 0.001 USD: one answer spends more than team-a's 0.001 USD a day
    String yaml =
        """
        server: {port: 0}
        providers:
          - name: up
            type: custom_api
            base_url: "%s"
            discover_models: false
            models: [{id: m, input_cost_per_token: 0.001, output_cost_per_token: 0.001}]
          - name: dead
            type: custom_api
            base_url: "http://127.0.0.1:%d/v1"
            discover_models: false
            models: [{id: m}]
        fallback: {max_retries_per_model: 0}
        circuit_breaker: {minimum_calls: 1, sliding_window_size: 1, wait_in_open_state: 5m}
        auth:
          client_keys:
            - {key: "%s", name: team-a, budget: {usd: 0.001, per: day}}
          admin_key: "%s"
        storage: {history: "%s", state: "%s"}
        """
            .formatted(
                upstream.baseUrl().toString().replaceAll("/+$", ""),
                dead.port(),
                TEAM_KEY,
                ADMIN_KEY,
                folder.resolve(name).resolve("mm.db"),
                redis.url());
    return GatewayServer.start(
        GatewayRuntime.startPersistent(
            new ConfigReader(Map.of()).parse(yaml, name + ".yaml", folder.resolve(name))));
  }

  @AfterEach
  void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    upstream.close();
    redis.close();
    dead.close();
  }

  @Test
  void aCircuitOpenedThroughA_isHeldOpenByB_untilTheSameProbeTime() throws Exception {
    AtomicLong openedOnA = new AtomicLong();
    AtomicLong openOnB = new AtomicLong();
    a.runtime()
        .circuitBreakers()
        .onOpened((model, until) -> openedOnA.compareAndSet(0, System.nanoTime()));
    Thread watch =
        Thread.ofPlatform()
            .start(
                () -> {
                  // looks every 20 us or so, so that the time measured is Redis's, not a poll's
                  long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                  while (b.runtime().circuitBreakers().state(DEAD) != CircuitState.OPEN
                      && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(20_000);
                  }
                  openOnB.set(System.nanoTime());
                });

    assertThat(chat(a, "dead/m", ADMIN_KEY).statusCode()).isEqualTo(503);
    assertThat(a.runtime().circuitBreakers().state(DEAD)).isEqualTo(CircuitState.OPEN);
    watch.join();

    assertThat(b.runtime().circuitBreakers().state(DEAD)).isEqualTo(CircuitState.OPEN);
    Duration took = Duration.ofNanos(openOnB.get() - openedOnA.get());
    System.out.println(
        "circuit opened on replica A, held open on replica B "
            + took.toNanos() / 1_000
            + " us later");
    assertThat(took).isLessThan(Duration.ofSeconds(1));
    // the probe time travels in milliseconds
    assertThat(b.runtime().circuitBreakers().probeAfter(DEAD))
        .isEqualTo(
            a.runtime()
                .circuitBreakers()
                .probeAfter(DEAD)
                .map(at -> at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));

    HttpResponse<String> refused = chat(b, "dead/m", ADMIN_KEY);
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.body()).contains("no_model_available").contains("circuit open");
  }

  @Test
  void aBudgetSpentThroughA_isRefusedByB() throws Exception {
    assertThat(chat(a, "up/m", TEAM_KEY).statusCode()).isEqualTo(200);

    long answered = System.nanoTime();
    await(() -> b.runtime().budgets().check("team-a").isPresent(), "B knows team-a spent it");
    assertThat(Duration.ofNanos(System.nanoTime() - answered)).isLessThan(Duration.ofSeconds(1));
    HttpResponse<String> refused = chat(b, "up/m", TEAM_KEY);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("\"code\":\"budget_exceeded\"").contains("it renews at");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
  }

  @Test
  void redisKilled_bothServe_degradedInReady_andItsReturnResyncs() throws Exception {
    redis.kill();
    await(() -> state(a).degraded() && state(b).degraded(), "both degraded");

    assertThat(chat(a, "up/m", ADMIN_KEY).statusCode()).isEqualTo(200);
    assertThat(chat(b, "up/m", ADMIN_KEY).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = get(a, GatewayServer.READY_PATH);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"status\":\"degraded\"").doesNotContain("s3cret");
    // a circuit opened while alone
    assertThat(chat(a, "dead/m", ADMIN_KEY).statusCode()).isEqualTo(503);

    redis.restart();

    await(() -> !state(a).degraded() && !state(b).degraded(), "both share again");
    await(
        () -> b.runtime().circuitBreakers().state(DEAD) == CircuitState.OPEN,
        "B learns the circuit A opened alone");
    assertThat(get(b, GatewayServer.READY_PATH).body()).contains("\"status\":\"ok\"");
  }

  private static dev.tta.models.state.StateStatus state(GatewayServer server) {
    return server.runtime().routingState().status();
  }

  private HttpResponse<String> chat(GatewayServer server, String model, String key)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\""
                        + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(GatewayServer server, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}

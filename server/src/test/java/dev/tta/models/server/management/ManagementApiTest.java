package dev.tta.models.server.management;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.fallback.CircuitBreakerSettings;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.fallback.FallbackPolicy;
import dev.tta.models.fallback.InMemoryFailureRegistry;
import dev.tta.models.fallback.ModelCircuitBreakers;
import dev.tta.models.management.ModelManagement;
import dev.tta.models.monitoring.PerformanceMonitor;
import dev.tta.models.routing.ModelRouter;
import dev.tta.models.routing.ProviderRegistry;
import dev.tta.models.selection.CatalogCache;
import dev.tta.models.selection.ModelSelector;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.time.ManualTimeSource;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every management endpoint over real HTTP: a Javalin on an ephemeral port serving the API over
 * three in-process providers. Catalog: {@code cloud/best} (OpenRouter type, free, safety 9,
 * performance 9), {@code cloud/paid} (0.001 in, 0.002 out per token, safety 8, performance 8),
 * {@code local/small} (free, safety 8, performance 6) and {@code router/cheap} (free, safety 8),
 * {@code router/dear} (0.0005 per token, safety 8); {@code router} has the free-model filter. The
 * admin key is "admin-key", a client key "client-key".
 */
class ManagementApiTest {

  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private final ManualTimeSource clock = new ManualTimeSource();
  private final FakeProvider cloud = new FakeProvider("cloud", ProviderType.OPENROUTER, clock);
  private final FakeProvider local = new FakeProvider("local", ProviderType.LOCAL, clock);
  private final FilterableFakeProvider router =
      new FilterableFakeProvider("router", ProviderType.CUSTOM_API, clock);
  private final HttpClient http = HttpClient.newHttpClient();
  private Javalin app;
  private String base;
  private InMemoryFailureRegistry failures;

  @BeforeEach
  void start() {
    cloud
        .add("best", m -> m.free(true).therapeuticSafetyScore(9).performanceScore(9))
        .add(
            "paid",
            m -> m.costPerToken(0.001, 0.002).therapeuticSafetyScore(8).performanceScore(8));
    local.add("small", m -> m.free(true).therapeuticSafetyScore(8).performanceScore(6));
    router
        .add("cheap", m -> m.free(true).therapeuticSafetyScore(8))
        .add("dear", m -> m.costPerToken(0.0005, 0.0005).therapeuticSafetyScore(8));
    FallbackConfig config = FallbackConfig.builder().maxAttempts(1).jitter(0.0).build();
    failures = new InMemoryFailureRegistry(config);
    ModelCircuitBreakers breakers =
        new ModelCircuitBreakers(CircuitBreakerSettings.defaults(), clock);
    PerformanceMonitor monitor = new PerformanceMonitor(clock);
    ProviderRegistry registry = ProviderRegistry.of(List.of(cloud, local, router));
    CatalogCache cache = new CatalogCache(clock);
    ModelRouter modelRouter =
        ModelRouter.builder()
            .providers(registry)
            .catalogCache(cache)
            .selector(new ModelSelector(SelectionConfig.defaults()))
            .policy(new FallbackPolicy(config, new SplittableRandom(7)))
            .failures(failures)
            .circuitBreakers(breakers)
            .monitor(monitor)
            .time(clock)
            .sleeper(clock)
            .build();
    ModelManagement management =
        ModelManagement.builder()
            .providers(registry)
            .router(modelRouter)
            .monitor(monitor)
            .failures(failures)
            .circuitBreakers(breakers)
            .catalogCache(cache)
            .time(clock)
            .build();
    AdminGuard guard =
        request -> {
          String auth = request.header("Authorization");
          if (auth == null) {
            return Optional.of(new AdminGuard.Denial(401, "no API key", "missing_api_key"));
          }
          return auth.equals("Bearer admin-key")
              ? Optional.empty()
              : Optional.of(new AdminGuard.Denial(403, "not the admin key", "forbidden"));
        };
    ManagementApi api = new ManagementApi(management, guard);
    app = Javalin.create(c -> api.register(c.routes)).start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + app.port() + ManagementApi.PREFIX;
  }

  @AfterEach
  void stop() {
    app.stop();
  }

  private record Reply(int status, JsonNode body) {}

  private Reply get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
  }

  private Reply post(String path, String body) throws IOException, InterruptedException {
    return send(admin(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private Reply put(String path, String body) throws IOException, InterruptedException {
    return send(admin(path).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
  }

  private HttpRequest.Builder admin(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer admin-key")
        .header("Content-Type", "application/json");
  }

  private Reply send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    return new Reply(response.statusCode(), JSON.readTree(response.body()));
  }

  private static List<String> keys(JsonNode listing) {
    List<String> keys = new ArrayList<>();
    for (JsonNode model : listing.get("models").values()) {
      keys.add(model.get("key").stringValue());
    }
    return keys;
  }

  private static void assertError(Reply reply, int status, String param, String code) {
    assertThat(reply.status()).isEqualTo(status);
    JsonNode error = reply.body().get("error");
    assertThat(error.get("type").stringValue()).isNotBlank();
    assertThat(error.get("message").stringValue()).isNotBlank();
    if (param == null) {
      assertThat(error.get("param").isNull()).isTrue();
    } else {
      assertThat(error.get("param").stringValue()).isEqualTo(param);
      assertThat(error.get("message").stringValue()).startsWith(param);
    }
    assertThat(error.get("code").stringValue()).isEqualTo(code);
  }

  @Test
  void generateWithAPromptIsServedByTheBestModel() throws Exception {
    Reply reply = post("/generate", "{\"prompt\":\"hi\"}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("model").stringValue()).isEqualTo("cloud/best");
    assertThat(reply.body().get("text").stringValue()).isEqualTo("hello from best");
    assertThat(reply.body().get("finish_reason").stringValue()).isEqualTo("stop");
    assertThat(reply.body().get("prompt_tokens").intValue()).isEqualTo(3);
    assertThat(reply.body().get("completion_tokens").intValue()).isEqualTo(2);
    assertThat(reply.body().get("models_tried").get(0).stringValue()).isEqualTo("cloud/best");
  }

  @Test
  void generateWithMessagesOnANamedModel() throws Exception {
    Reply reply =
        post(
            "/generate",
            "{\"model\":\"cloud/paid\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
                + "{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":5,\"temperature\":0.2}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("model").stringValue()).isEqualTo("cloud/paid");
    assertThat(reply.body().get("text").stringValue()).isEqualTo("hello from paid");
  }

  @Test
  void generateRejectsBadInputNamingTheField() throws Exception {
    assertError(post("/generate", "{}"), 400, "prompt", "invalid_value");
    assertError(
        post(
            "/generate", "{\"prompt\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"b\"}]}"),
        400,
        "prompt",
        "invalid_value");
    assertError(
        post("/generate", "{\"messages\":[{\"role\":\"wizard\",\"content\":\"b\"}]}"),
        400,
        "messages",
        "invalid_value");
    assertError(
        post("/generate", "{\"messages\":[{\"role\":\"user\"}]}"),
        400,
        "messages",
        "invalid_value");
    assertError(post("/generate", "{\"messages\":\"hi\"}"), 400, "messages", "invalid_value");
    assertError(
        post("/generate", "{\"prompt\":\"a\",\"temperature\":\"hot\"}"),
        400,
        "temperature",
        "invalid_value");
    assertError(
        post("/generate", "{\"prompt\":\"a\",\"max_tokens\":1.5}"),
        400,
        "max_tokens",
        "invalid_value");
    assertError(
        post("/generate", "{\"prompt\":\"a\",\"max_tokens\":0}"),
        400,
        "max_tokens",
        "invalid_value");
    assertError(
        post("/generate", "{\"prompt\":\"a\",\"colour\":1}"), 400, "colour", "invalid_value");
    assertError(
        post("/generate", "{\"prompt\":\"a\",\"task_type\":\"poetry\"}"),
        400,
        "task_type",
        "invalid_value");
    assertError(
        post("/generate", "{\"prompt\":\"a\",\"prefer_free\":\"yes\"}"),
        400,
        "prefer_free",
        "invalid_value");
    assertError(
        post("/generate", "{\"prompt\":\"a\",\"required_capabilities\":[1]}"),
        400,
        "required_capabilities",
        "invalid_value");
    assertError(
        post("/generate", "{\"prompt\":\"a\",\"model\":\"nope\"}"), 400, "model", "invalid_value");
    assertError(post("/generate", "{not json"), 400, null, "invalid_json");
    assertError(post("/generate", "[1,2]"), 400, null, "invalid_json");
  }

  @Test
  void generateWithRequirementsNoModelMeetsIs422() throws Exception {
    assertError(
        post("/generate", "{\"prompt\":\"a\",\"min_quality_score\":9.5}"),
        422,
        null,
        "no_eligible_model");
  }

  @Test
  void generateOnAFailingModelIs502WithTheErrorClass() throws Exception {
    cloud.fail("paid");
    assertError(
        post("/generate", "{\"prompt\":\"a\",\"model\":\"cloud/paid\"}"), 502, null, "unavailable");
  }

  @Test
  void availableModelsWithFilters() throws Exception {
    Reply all = get("/available");
    assertThat(all.status()).isEqualTo(200);
    assertThat(all.body().get("count").intValue()).isEqualTo(5);
    assertThat(keys(all.body()))
        .containsExactly("cloud/best", "cloud/paid", "local/small", "router/cheap", "router/dear");
    JsonNode paid = all.body().get("models").get(1);
    assertThat(paid.get("provider_type").stringValue()).isEqualTo("openrouter");
    assertThat(paid.get("input_cost_per_token").doubleValue()).isEqualTo(0.001);
    assertThat(paid.get("output_cost_per_token").doubleValue()).isEqualTo(0.002);
    assertThat(paid.get("free").booleanValue()).isFalse();
    assertThat(paid.get("therapeutic_safety_score").doubleValue()).isEqualTo(8.0);
    assertThat(keys(get("/available?provider=local").body())).containsExactly("local/small");
    assertThat(keys(get("/available?provider=cloud&free_only=true").body()))
        .containsExactly("cloud/best");
    assertError(get("/available?free_only=yes"), 400, "free_only", "invalid_value");
    assertError(get("/available?provider=nope"), 404, "provider", "provider_not_found");
  }

  @Test
  void freeModels() throws Exception {
    Reply reply = get("/free");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(keys(reply.body())).containsExactly("cloud/best", "local/small", "router/cheap");
  }

  @Test
  void affordableModels() throws Exception {
    Reply reply = get("/affordable?max_cost_per_token=0.0005");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(keys(reply.body()))
        .containsExactly("cloud/best", "local/small", "router/cheap", "router/dear");
    assertError(get("/affordable"), 400, "max_cost_per_token", "invalid_value");
    assertError(
        get("/affordable?max_cost_per_token=abc"), 400, "max_cost_per_token", "invalid_value");
    assertError(
        get("/affordable?max_cost_per_token=-1"), 400, "max_cost_per_token", "invalid_value");
  }

  @Test
  void openRouterFreeModels() throws Exception {
    Reply reply = get("/openrouter/free");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(keys(reply.body())).containsExactly("cloud/best");
  }

  @Test
  void recommendationsForATask() throws Exception {
    Reply reply = get("/recommendations?task_type=general_chat&limit=1");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("task_type").stringValue()).isEqualTo("general_chat");
    JsonNode first = reply.body().get("recommended").get(0);
    assertThat(reply.body().get("recommended").size()).isEqualTo(1);
    assertThat(first.get("rank").intValue()).isEqualTo(1);
    assertThat(first.get("model").get("key").stringValue()).isEqualTo("cloud/best");
    // 0.3 * performance 9 + 0.4 * safety 9 + 0.3 * cost 10 (free)
    assertThat(first.get("score").doubleValue())
        .isCloseTo(9.3, org.assertj.core.data.Offset.offset(1e-9));
    assertError(get("/recommendations?limit=0"), 400, "limit", "invalid_value");
    assertError(get("/recommendations?limit=two"), 400, "limit", "invalid_value");
    assertError(get("/recommendations?task_type=poetry"), 400, "task_type", "invalid_value");
  }

  @Test
  void connectivityTestIsAnAdminCall() throws Exception {
    Reply reply = post("/test", "{\"model\":\"local/small\"}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("model").stringValue()).isEqualTo("local/small");
    assertThat(reply.body().get("reachable").booleanValue()).isTrue();
    assertThat(reply.body().get("latency_ms").longValue()).isEqualTo(100);
    assertThat(reply.body().get("error_class").isNull()).isTrue();
    assertThat(reply.body().get("detail").stringValue()).isEqualTo("hello from small");
    cloud.fail("paid");
    Reply failed = post("/test", "{\"model\":\"cloud/paid\"}");
    assertThat(failed.status()).isEqualTo(200);
    assertThat(failed.body().get("reachable").booleanValue()).isFalse();
    assertThat(failed.body().get("error_class").stringValue()).isEqualTo("unavailable");
    assertError(post("/test", "{\"model\":\"cloud/nope\"}"), 404, "model", "model_not_found");
    assertError(post("/test", "{}"), 400, "model", "invalid_value");
    assertError(post("/test", "{\"model\":\"Bad Name/x\"}"), 400, "model", "invalid_value");
  }

  @Test
  void writesWithoutTheAdminKeyAreRefused() throws Exception {
    String body = "{\"model\":\"local/small\"}";
    for (String path :
        List.of("/test", "/load", "/unload", "/failures/reset", "/providers/reset")) {
      Reply anonymous =
          send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
      assertError(anonymous, 401, null, "missing_api_key");
      Reply client =
          send(
              HttpRequest.newBuilder(URI.create(base + path))
                  .header("Authorization", "Bearer client-key")
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build());
      assertError(client, 403, null, "forbidden");
    }
    Reply filter =
        send(
            HttpRequest.newBuilder(URI.create(base + "/openrouter/filter"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"show_free_only\":true}"))
                .build());
    assertError(filter, 401, null, "missing_api_key");
  }

  @Test
  void statusShowsProvidersAndLoadedModels() throws Exception {
    post("/load", "{\"model\":\"local/small\"}");
    clock.advance(Duration.ofSeconds(42));
    Reply reply = get("/status");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("uptime_seconds").longValue()).isEqualTo(42);
    assertThat(reply.body().get("healthy_providers").intValue()).isEqualTo(3);
    assertThat(reply.body().get("loaded_models").get(0).stringValue()).isEqualTo("local/small");
    JsonNode first = reply.body().get("providers").get(0);
    assertThat(first.get("id").stringValue()).isEqualTo("cloud");
    assertThat(first.get("type").stringValue()).isEqualTo("openrouter");
    assertThat(first.get("healthy").booleanValue()).isTrue();
    assertThat(first.get("models").intValue()).isEqualTo(2);
    assertThat(first.get("out_of_service").isNull()).isTrue();
    assertThat(reply.body().get("started_at").stringValue())
        .isEqualTo(clock.instant().minusSeconds(42).toString());
  }

  @Test
  void health() throws Exception {
    Reply reply = get("/health");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("status").stringValue()).isEqualTo("healthy");
    assertThat(reply.body().get("healthy_providers").intValue()).isEqualTo(3);
    assertThat(reply.body().get("providers").intValue()).isEqualTo(3);
  }

  @Test
  void loadAndUnload() throws Exception {
    Reply loaded = post("/load", "{\"model\":\"local/small\",\"context_length\":2048}");
    assertThat(loaded.status()).isEqualTo(200);
    assertThat(loaded.body().get("model").stringValue()).isEqualTo("local/small");
    assertThat(loaded.body().get("status").stringValue()).isEqualTo("ready");
    Reply unloaded = post("/unload", "{\"model\":\"local/small\"}");
    assertThat(unloaded.status()).isEqualTo(200);
    assertThat(unloaded.body().get("was_loaded").booleanValue()).isTrue();
    assertThat(
            post("/unload", "{\"model\":\"local/small\"}").body().get("was_loaded").booleanValue())
        .isFalse();
    assertError(
        post("/load", "{\"model\":\"local/small\",\"context_length\":-1}"),
        400,
        "context_length",
        "invalid_value");
    assertError(post("/load", "{\"model\":\"local/huge\"}"), 404, "model", "model_not_found");
    assertError(post("/unload", "{\"model\":\"gone/x\"}"), 404, "provider", "provider_not_found");
  }

  @Test
  void modelPerformanceOverAWindow() throws Exception {
    post("/generate", "{\"prompt\":\"hi\"}");
    Reply reply = get("/performance?model=cloud/best&window=1h");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("window").stringValue()).isEqualTo("1h");
    assertThat(reply.body().get("calls").longValue()).isEqualTo(1);
    assertThat(reply.body().get("successes").longValue()).isEqualTo(1);
    assertThat(reply.body().get("success_rate").doubleValue()).isEqualTo(1.0);
    assertThat(reply.body().get("prompt_tokens").longValue()).isEqualTo(3);
    assertThat(reply.body().get("latency").get("p50_ms").doubleValue())
        .isCloseTo(100.0, org.assertj.core.data.Offset.offset(0.1));
    assertThat(get("/performance?model=local/small").body().get("calls").longValue()).isZero();
    assertError(get("/performance?model=cloud/best&window=2h"), 400, "window", "invalid_value");
    assertError(get("/performance"), 400, "model", "invalid_value");
    assertError(get("/performance?model=cloud/nope"), 404, "model", "model_not_found");
  }

  @Test
  void systemPerformance() throws Exception {
    post("/generate", "{\"prompt\":\"hi\"}");
    post("/generate", "{\"prompt\":\"hi\",\"model\":\"local/small\"}");
    Reply reply = get("/performance/system?window=1d");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("overall").get("calls").longValue()).isEqualTo(2);
    assertThat(reply.body().get("overall").get("window").stringValue()).isEqualTo("1d");
    assertThat(reply.body().get("by_provider").get("local").get("calls").longValue()).isEqualTo(1);
    assertThat(reply.body().get("calls_by_task").get("general_chat").longValue()).isEqualTo(2);
    assertError(get("/performance/system?window=week"), 400, "window", "invalid_value");
  }

  @Test
  void fallbackStatisticsAndReset() throws Exception {
    cloud.fail("paid");
    post("/generate", "{\"prompt\":\"a\",\"model\":\"cloud/paid\"}");
    Reply stats = get("/fallback/statistics");
    assertThat(stats.status()).isEqualTo(200);
    assertThat(stats.body().get("total_failures").longValue()).isEqualTo(1);
    assertThat(stats.body().get("by_model").get("cloud/paid").longValue()).isEqualTo(1);
    assertThat(stats.body().get("by_error_class").get("unavailable").longValue()).isEqualTo(1);
    Reply reset = post("/failures/reset", "{\"model\":\"cloud/paid\"}");
    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.body().get("reset").booleanValue()).isTrue();
    assertThat(get("/fallback/statistics").body().get("total_failures").longValue()).isZero();
    assertError(post("/failures/reset", "{\"model\":3}"), 400, "model", "invalid_value");
  }

  @Test
  void providerReset_bringsAProviderOutForARefusedKeyBack() throws Exception {
    failures.markProviderOut(ProviderId.of("cloud"), "authentication failed", clock.instant());
    assertThat(get("/status").body().at("/providers/0/out_of_service").asString())
        .startsWith("authentication failed (since 2026-01-01T00:00:00Z");

    Reply reset = post("/providers/reset", "{\"provider\":\"cloud\"}");

    assertThat(reset.status()).isEqualTo(200);
    assertThat(reset.body().get("provider").asString()).isEqualTo("cloud");
    assertThat(reset.body().get("reset").booleanValue()).isTrue();
    assertThat(get("/status").body().at("/providers/0/out_of_service").isNull()).isTrue();
    assertError(
        post("/providers/reset", "{\"provider\":\"ghost\"}"),
        404,
        "provider",
        "provider_not_found");
    assertError(
        post("/providers/reset", "{\"provider\":\"Bad Name\"}"), 400, "provider", "invalid_value");
    assertError(post("/providers/reset", "{}"), 400, "provider", "invalid_value");
  }

  @Test
  void freeModelFilterGetAndSet() throws Exception {
    Reply before = get("/openrouter/filter");
    assertThat(before.status()).isEqualTo(200);
    JsonNode filters = before.body().get("filters");
    assertThat(filters.size()).isEqualTo(1);
    assertThat(filters.get(0).get("provider").stringValue()).isEqualTo("router");
    assertThat(filters.get(0).get("filter").get("show_free_only").booleanValue()).isFalse();
    Reply set =
        put(
            "/openrouter/filter",
            "{\"provider\":\"router\",\"show_free_only\":true,\"prefer_free\":true}");
    assertThat(set.status()).isEqualTo(200);
    JsonNode applied = set.body().get("filters").get(0);
    assertThat(applied.get("provider").stringValue()).isEqualTo("router");
    assertThat(applied.get("filter").get("show_free_only").booleanValue()).isTrue();
    assertThat(applied.get("filter").get("prefer_free").booleanValue()).isTrue();
    assertThat(applied.get("filter").get("max_cost_per_token").isNull()).isTrue();
    assertThat(keys(get("/available?provider=router").body())).containsExactly("router/cheap");
    assertError(put("/openrouter/filter", "{}"), 400, "show_free_only", "invalid_value");
    assertError(
        put("/openrouter/filter", "{\"show_free_only\":true,\"max_cost_per_token\":-2}"),
        400,
        "max_cost_per_token",
        "invalid_value");
    assertError(
        put("/openrouter/filter", "{\"show_free_only\":true,\"provider\":\"elsewhere\"}"),
        404,
        "provider",
        "provider_not_found");
    assertError(
        put("/openrouter/filter", "{\"show_free_only\":true,\"provider\":\"cloud\"}"),
        409,
        "provider",
        "unsupported");
  }

  @Test
  void explainASelection() throws Exception {
    Reply reply = post("/explain", "{\"task_type\":\"general_chat\",\"max_cost_per_token\":0.001}");
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("requirements").stringValue())
        .isEqualTo("task general_chat, max cost 0.001 per token, therapeutic safety required");
    assertThat(reply.body().get("ranked").get(0).get("model").stringValue())
        .isEqualTo("cloud/best");
    assertThat(reply.body().get("ranked").get(0).get("terms").size()).isPositive();
    JsonNode dropped = reply.body().get("dropped").get(0);
    assertThat(dropped.get("model").stringValue()).isEqualTo("cloud/paid");
    assertThat(dropped.get("rule").stringValue()).isEqualTo("cost");
    assertThat(dropped.get("detail").stringValue()).isEqualTo("effective cost 0.002 > max 0.001");
    assertThat(reply.body().get("text").stringValue())
        .startsWith("Requirements: task general_chat");
    assertError(
        post("/explain", "{\"context_length_needed\":-5}"),
        400,
        "context_length_needed",
        "invalid_value");
  }
}

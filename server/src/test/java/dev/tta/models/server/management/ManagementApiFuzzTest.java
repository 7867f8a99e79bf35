package dev.tta.models.server.management;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.tta.models.catalog.ModelRequirements;
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
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.StringJoiner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzzes the management API's request fields over real HTTP: the query parameters of its reads and
 * the JSON bodies of its writes, on one Javalin (started once for the class) over in-process
 * providers ({@code cloud/best}, {@code cloud/paid}, {@code local/small}), called with the admin
 * key.
 *
 * <p>Property: no answer is a 5xx; every 4xx is OpenAI's error shape, {@code
 * {"error":{"message","type","param","code"}}} and nothing else; a 400 names the field at fault in
 * {@code param} (one the endpoint reads, or the unknown field the body sent, or a place inside
 * either such as {@code messages[0].content}) and its message starts with it, unless the body is
 * not a JSON object at all ({@code invalid_json}, no field); a 404 names {@code model} or {@code
 * provider}.
 */
class ManagementApiFuzzTest {

  private record Endpoint(String method, String path, Set<String> fields) {}

  private static final Set<String> REQUIREMENTS = Set.copyOf(ModelRequirements.FIELD_NAMES);

  private static final List<Endpoint> ENDPOINTS =
      List.of(
          new Endpoint("GET", "/available", Set.of("provider", "free_only")),
          new Endpoint("GET", "/affordable", Set.of("max_cost_per_token")),
          new Endpoint("GET", "/recommendations", union(REQUIREMENTS, Set.of("limit"))),
          new Endpoint("GET", "/performance", Set.of("model", "window")),
          new Endpoint("GET", "/performance/system", Set.of("window")),
          new Endpoint("POST", "/test", Set.of("model")),
          new Endpoint("POST", "/load", Set.of("model", "context_length")),
          new Endpoint("POST", "/unload", Set.of("model")),
          new Endpoint("POST", "/failures/reset", Set.of("model")),
          new Endpoint(
              "PUT",
              "/openrouter/filter",
              Set.of("show_free_only", "prefer_free", "max_cost_per_token", "provider")),
          new Endpoint("POST", "/explain", REQUIREMENTS),
          new Endpoint(
              "POST",
              "/generate",
              union(
                  REQUIREMENTS,
                  Set.of("prompt", "messages", "model", "max_tokens", "temperature"))));

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static Javalin app;
  private static String base;

  @BeforeAll
  static void start() {
    ManualTimeSource clock = new ManualTimeSource();
    FakeProvider cloud = new FakeProvider("cloud", ProviderType.OPENROUTER, clock);
    FakeProvider local = new FakeProvider("local", ProviderType.LOCAL, clock);
    FilterableFakeProvider router =
        new FilterableFakeProvider("router", ProviderType.CUSTOM_API, clock);
    cloud
        .add("best", m -> m.free(true).therapeuticSafetyScore(9).performanceScore(9))
        .add(
            "paid",
            m -> m.costPerToken(0.001, 0.002).therapeuticSafetyScore(8).performanceScore(8));
    local.add("small", m -> m.free(true).therapeuticSafetyScore(8).performanceScore(6));
    router.add("cheap", m -> m.free(true).therapeuticSafetyScore(8));
    FallbackConfig config = FallbackConfig.builder().maxAttempts(1).jitter(0.0).build();
    InMemoryFailureRegistry failures = new InMemoryFailureRegistry(config);
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
    ManagementApi api = new ManagementApi(management, request -> Optional.empty());
    app = Javalin.create(c -> api.register(c.routes)).start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + app.port() + ManagementApi.PREFIX;
  }

  @AfterAll
  static void stop() {
    app.stop();
  }

  /** The last byte picks the endpoint; the rest is the query ({@code k=v&...}) or the body. */
  @FuzzTest
  void managementRequest(FuzzedDataProvider data) throws IOException, InterruptedException {
    Endpoint endpoint = ENDPOINTS.get(data.consumeInt(0, ENDPOINTS.size() - 1));
    String rest = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
    HttpRequest.Builder request;
    Set<String> named = new HashSet<>(endpoint.fields());
    if (endpoint.method().equals("GET")) {
      request = HttpRequest.newBuilder(URI.create(base + endpoint.path() + query(rest))).GET();
    } else {
      named.addAll(topLevelFields(rest));
      request =
          HttpRequest.newBuilder(URI.create(base + endpoint.path()))
              .header("Content-Type", "application/json")
              .method(endpoint.method(), HttpRequest.BodyPublishers.ofString(rest));
    }

    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as("%s %s", endpoint, response.body()).isLessThan(500);
    if (response.statusCode() >= 400) {
      assertErrorShape(response.statusCode(), JSON.readTree(response.body()), named);
    }
  }

  static void assertErrorShape(int status, JsonNode body, Set<String> named) {
    assertThat(body.propertyNames()).containsExactly("error");
    JsonNode error = body.get("error");
    assertThat(error.propertyNames()).containsExactlyInAnyOrder("message", "type", "param", "code");
    assertThat(error.get("message").isString()).isTrue();
    assertThat(error.get("message").stringValue()).isNotBlank();
    assertThat(error.get("type").isString()).isTrue();
    assertThat(error.get("code").isString()).isTrue();
    JsonNode param = error.get("param");
    String message = error.get("message").stringValue();
    if (status == 400 && !error.get("code").stringValue().equals("invalid_json")) {
      assertThat(param.isString()).as("param of: %s", message).isTrue();
      String field = param.stringValue().split("[.\\[]", 2)[0];
      assertThat(named.contains(param.stringValue()) || named.contains(field))
          .as("names a field of the request: %s", message)
          .isTrue();
      assertThat(message).startsWith(param.stringValue());
    } else if (status == 404) {
      assertThat(param.stringValue()).isIn("model", "provider");
    } else {
      assertThat(param.isNull() || param.isString()).isTrue();
    }
  }

  private static String query(String text) {
    if (text.isEmpty()) {
      return "";
    }
    StringJoiner query = new StringJoiner("&", "?", "");
    for (String pair : text.split("&", -1)) {
      String[] keyAndValue = pair.split("=", 2);
      String key = URLEncoder.encode(keyAndValue[0], StandardCharsets.UTF_8);
      query.add(
          keyAndValue.length == 1
              ? key
              : key + "=" + URLEncoder.encode(keyAndValue[1], StandardCharsets.UTF_8));
    }
    return query.toString();
  }

  private static Set<String> topLevelFields(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      return root != null && root.isObject() ? Set.copyOf(root.propertyNames()) : Set.of();
    } catch (JacksonException e) {
      return Set.of();
    }
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }
}

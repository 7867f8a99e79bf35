package dev.tta.models.server.config;

import static dev.tta.models.server.config.ConfigText.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ModelKey;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.fallback.FallbackStrategy;
import dev.tta.models.routing.CandidateSource;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {

  /** The configuration shape the gateway issue gives, with its keys and values. */
  private static final String ISSUE_EXAMPLE =
      """
      server: {host: 127.0.0.1, port: 8080}
      providers:
        - name: llamacpp
          type: custom_api
          base_url: http://127.0.0.1:18080/v1
          api_key: ${LLAMACPP_KEY:-}
          models:
            - id: tiny-random
              therapeutic_safety_score: 8.5
              performance_score: 7
              capabilities: [chat, dialogue]
        - name: local
          type: local
          model_paths: [./models]
      routes:
        therapeutic:
          task_type: therapeutic_response
          therapeutic_safety_required: true
          max_cost_per_token: 0.00001
        story:
          models: [llamacpp/tiny-random, local/tiny-random]
      fallbacks:
        llamacpp/tiny-random: [local/tiny-random]
      selection: {}
      fallback: {}
      auth: {}
      """;

  @TempDir Path folder;

  private GatewayConfig parse(String yaml, Map<String, String> env) {
    return new ConfigReader(env).parse(yaml, "test.yaml", folder);
  }

  @Test
  void theIssuesExample_readsWithEveryValueWhereItWasWritten() {
    GatewayConfig config = parse(ISSUE_EXAMPLE, Map.of());

    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.providers())
        .extracting(p -> p.id().value() + ":" + p.type().name() + ":" + p.location())
        .containsExactly(
            "llamacpp:custom_api:http://127.0.0.1:18080/v1",
            "local:local:" + folder.resolve("models"));
    RouteSettings therapeutic = config.routes().get("therapeutic");
    assertThat(therapeutic.requirements().taskType()).isEqualTo(TaskType.THERAPEUTIC_RESPONSE);
    assertThat(therapeutic.requirements().therapeuticSafetyRequired()).isTrue();
    assertThat(therapeutic.requirements().maxCostPerToken()).hasValue(0.00001);
    assertThat(therapeutic.source()).isEqualTo(CandidateSource.byRequirements());
    assertThat(config.routes().get("story").source())
        .isEqualTo(
            CandidateSource.chain(
                List.of(
                    ModelKey.parse("llamacpp/tiny-random"), ModelKey.parse("local/tiny-random"))));
    // a chain without a task is general chat, where safety is not required
    assertThat(config.routes().get("story").requirements().therapeuticSafetyRequired()).isFalse();
    assertThat(config.fallbacks())
        .containsExactly(
            Map.entry(
                ModelKey.parse("llamacpp/tiny-random"),
                List.of(ModelKey.parse("local/tiny-random"))));
    assertThat(config.fallback()).isEqualTo(FallbackConfig.defaults());
    assertThat(config.auth().open()).isTrue();
  }

  @Test
  void variables_areReplaced_withTheirDefaultWhenUnsetOrEmpty() {
    GatewayConfig config =
        parse(
            """
            server: {port: "${PORT:-9090}", host: "${HOST}"}
            fallback: {max_attempts: "${ATTEMPTS:-3}", request_deadline: "${DEADLINE:-2m}"}
            """,
            Map.of("HOST", "0.0.0.0", "ATTEMPTS", ""));

    assertThat(config.server().port()).isEqualTo(9090);
    assertThat(config.server().host()).isEqualTo("0.0.0.0");
    assertThat(config.fallback().maxAttempts()).isEqualTo(3);
    assertThat(config.fallback().requestDeadline()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void aDoubledDollar_isALiteral() {
    GatewayConfig config =
        parse(
            """
            providers:
              - {name: p, type: custom_api, base_url: "http://h/v1", headers: {X-Tag: "$${NOT_A_VAR}"}}
            """,
            Map.of());
    assertThat(config.providers()).hasSize(1);
  }

  @Test
  void everyProblem_isReportedAtOnce_withItsPath() {
    List<String> problems =
        problems(
            """
            server: {port: 99999, shutdown_timeout: soon}
            providers:
              - {name: a, type: custom_api, base_url: "ftp://x"}
              - {name: b, type: nonsense}
              - {name: a, type: ollama, api_key: "${MISSING_KEY}"}
              - {name: Bad Name, type: lm_studio}
              - {type: local}
            routes:
              auto: {task_type: general_chat}
              quick: {models: [ghost/model]}
              odd: {task_type: poetry}
            fallbacks:
              a/x: []
            fallback: {strategy: fastest, jitter: 2}
            unknown_section: 1
            """,
            Map.of());

    assertThat(problems)
        .contains(
            "server.port: must be between 0 and 65535, was 99999",
            "server.shutdown_timeout: must be a positive duration such as 500ms, 30s, 5m or 1h,"
                + " was 'soon'",
            "providers[0].base_url: not an absolute http(s) URL: 'ftp://x'",
            "providers[1].type: must be one of local, openrouter, ollama, lm_studio, custom_api,"
                + " anthropic, was 'nonsense'",
            "providers[2].api_key: environment variable MISSING_KEY is not set (write"
                + " ${MISSING_KEY:-} to make it optional)",
            "providers[2].name: 'a' is used by an earlier provider; names must be unique",
            "providers[4].name: is required",
            "providers[4].model_paths: must list at least one GGUF file or folder",
            "routes.auto: a route name must not contain '/' and must not be 'auto' (those are model"
                + " names)",
            "routes.quick.models[0]: 'ghost/model' names provider 'ghost', which is not configured",
            "fallbacks.a/x: must list at least one model to fall back to",
            "fallback.strategy: must be one of performance, cost, availability, was" + " 'fastest'",
            "unknown_section: unknown key; expected one of auth, circuit_breaker, data_dir,"
                + " fallback, fallbacks, providers, routes, selection, server, storage,"
                + " telemetry")
        .anySatisfy(
            p -> assertThat(p).startsWith("providers[3].name: provider id: must be lower-case"))
        .anySatisfy(p -> assertThat(p).startsWith("routes.odd.task_type: must be one of"))
        .anySatisfy(p -> assertThat(p).startsWith("fallback: jitter"))
        .hasSize(16);
  }

  /** Found by ConfigReaderFuzzTest: an empty key's problem had the empty path of the file. */
  @Test
  void anEmptyKey_isNamedQuotedInThePath() {
    assertThat(problems("'': 1\nserver: {'': 2}\n"))
        .containsExactly(
            "'': unknown key; expected one of auth, circuit_breaker, data_dir, fallback, fallbacks,"
                + " providers, routes, selection, server, storage,"
                + " telemetry",
            "server.'': unknown key; expected one of host, max_body_bytes, port,"
                + " shutdown_timeout");
  }

  @Test
  void cloudProviders_takeTheirKeyFromTheEnvironment_andSayWhichVariableWhenItIsMissing() {
    String yaml =
        """
        providers:
          - {name: openrouter, type: openrouter}
          - {name: claude, type: anthropic}
        """;
    assertThat(problems(yaml, Map.of()))
        .containsExactly(
            "providers[0].api_key: is required (or set OPENROUTER_API_KEY)",
            "providers[1].api_key: is required (or set ANTHROPIC_API_KEY)");

    GatewayConfig config =
        parse(yaml, Map.of("OPENROUTER_API_KEY", "sk-or-1", "ANTHROPIC_API_KEY", "sk-ant-1"));
    assertThat(config.providers())
        .extracting(ProviderSettings::type)
        .containsExactly(ProviderType.OPENROUTER, ProviderType.ANTHROPIC);
    assertThat(config.providers())
        .extracting(ProviderSettings::location)
        .containsExactly("https://openrouter.ai/api/v1/", "https://api.anthropic.com/v1/");
  }

  @Test
  void ollamaAndLmStudio_defaultToTheirLocalPorts_andHonourTheirHostVariables() {
    String yaml =
        """
        providers:
          - {name: ollama, type: ollama}
          - {name: lms, type: lm_studio}
        """;
    assertThat(parse(yaml, Map.of()).providers())
        .extracting(ProviderSettings::location)
        .containsExactly("http://127.0.0.1:11434/", "http://127.0.0.1:1234/v1/");
    assertThat(
            parse(yaml, Map.of("OLLAMA_HOST", "gpu-box:11500", "LMSTUDIO_HOST", "10.0.0.7"))
                .providers())
        .extracting(ProviderSettings::location)
        .containsExactly("http://gpu-box:11500/", "http://10.0.0.7:1234/v1/");
  }

  @Test
  void keys_areKeptOnlyAsHashes() {
    GatewayConfig config =
        parse(
            """
            auth:
              client_keys: ["client-key-0001", "sha256:%s"]
              admin_key: ${ADMIN}
            """
                .formatted("AB".repeat(32)),
            Map.of("ADMIN", "admin-key-0001", "MM_API_KEYS", "env-key-00001, ,env-key-00002"));

    // sha256("client-key-0001"), worked out with sha256sum
    assertThat(config.auth().clientKeyHashes())
        .hasSize(4)
        .contains(
            "sha256:64eae4db4b1eb8b30da6f7d02065dbd9f7d7f54b85941144f233dd4b3346d12b",
            "sha256:" + "ab".repeat(32))
        .allSatisfy(h -> assertThat(h).matches("sha256:[0-9a-f]{64}"))
        .doesNotContain("client-key-0001");
    assertThat(config.auth().adminKeyHash()).isPresent();
    assertThat(config.toString()).doesNotContain("admin-key-0001").doesNotContain("env-key-00001");
  }

  @Test
  void aShortKey_orAMalformedHash_isRefused() {
    assertThat(
            problems(
                """
                auth: {client_keys: [short], admin_key: "sha256:12"}
                """,
                Map.of()))
        .containsExactly(
            "auth.client_keys[0]: a key must be at least 12 characters long",
            "auth.admin_key: a hashed key must be sha256: followed by 64 hex digits (mm hash-key"
                + " makes one)");
  }

  @Test
  void telemetry_isOffWithoutAnEndpoint() {
    GatewayConfig config = parse("server: {port: 0}\n", Map.of());

    assertThat(config.telemetry().enabled()).isFalse();
    assertThat(config.telemetry().tracesUrl()).isEmpty();
    assertThat(config.telemetry().serviceName()).isEqualTo("mm-gateway");
  }

  @Test
  void telemetry_sendsToTheEndpointsTracesPath_withItsHeaders_andNamesNoHeaderValue() {
    GatewayConfig config =
        parse(
            """
            telemetry:
              otlp_endpoint: ${OTLP:-http://127.0.0.1:4318/}
              service_name: team-gateway
              headers: {x-collector-key: "${COLLECTOR_KEY}"}
              export_timeout: 3s
            """,
            Map.of("COLLECTOR_KEY", "collector-secret-1"));

    TelemetrySettings telemetry = config.telemetry();
    assertThat(telemetry.tracesUrl()).hasValue(URI.create("http://127.0.0.1:4318/v1/traces"));
    assertThat(telemetry.serviceName()).isEqualTo("team-gateway");
    assertThat(telemetry.headers())
        .containsExactly(Map.entry("x-collector-key", "collector-secret-1"));
    assertThat(telemetry.exportTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(telemetry.toString())
        .contains("x-collector-key")
        .doesNotContain("collector-secret-1");
  }

  @Test
  void telemetry_thatIsNotAMapping_isAProblem_andAnEmptyServiceNameIsTheDefault() {
    assertThat(problems("telemetry: 5\n"))
        .containsExactly("telemetry: must be a mapping of keys to values");
    assertThat(
            parse("telemetry: {service_name: '${NAME:-}'}\n", Map.of()).telemetry().serviceName())
        .isEqualTo("mm-gateway");
  }

  @Test
  void telemetry_takesAFullTracesUrlAsItIs() {
    GatewayConfig config =
        parse("telemetry: {otlp_endpoint: 'https://otel.example:4318/v1/traces'}\n", Map.of());

    assertThat(config.telemetry().tracesUrl())
        .hasValue(URI.create("https://otel.example:4318/v1/traces"));
  }

  @Test
  void telemetry_problems_nameTheirKey() {
    assertThat(
            problems(
                "telemetry: {otlp_endpoint: 'grpc://collector:4317', export_timeout: soon,"
                    + " sampler: always}\n"))
        .containsExactly(
            "telemetry.sampler: unknown key; expected one of export_timeout, headers,"
                + " otlp_endpoint, service_name",
            "telemetry.otlp_endpoint: not an absolute http(s) URL: 'grpc://collector:4317'",
            "telemetry.export_timeout: must be a positive duration such as 500ms, 30s, 5m or 1h,"
                + " was 'soon'");
  }

  @Test
  void selectionAndFallbackSettings_overrideTheDefaults() {
    GatewayConfig config =
        parse(
            """
            selection: {safety_weight: 0.5, performance_weight: 0.3, cost_weight: 0.2, min_therapeutic_safety_score: 8}
            fallback: {strategy: cost, max_attempts: 2, max_retries_per_model: 0, backoff_base: 250ms, request_deadline: 45s}
            """,
            Map.of());

    assertThat(config.selection().safetyWeight()).isEqualTo(0.5);
    assertThat(config.selection().costWeight()).isEqualTo(0.2);
    assertThat(config.selection().minTherapeuticSafetyScore()).isEqualTo(8.0);
    assertThat(config.fallback().strategy()).isEqualTo(FallbackStrategy.COST);
    assertThat(config.fallback().maxAttempts()).isEqualTo(2);
    assertThat(config.fallback().maxRetriesPerModel()).isZero();
    assertThat(config.fallback().backoffBase()).isEqualTo(Duration.ofMillis(250));
    assertThat(config.fallback().requestDeadline()).isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void aFile_thatIsMissingOrNotYaml_isOneProblemOnTheFile() throws Exception {
    ConfigReader reader = new ConfigReader(Map.of());
    assertThatThrownBy(() -> reader.read(folder.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("nope.yaml has 1 problem:")
        .hasMessageContaining("the file does not exist");
    Path broken = Files.writeString(folder.resolve("broken.yaml"), "providers: [\n  - {name: x");
    assertThatThrownBy(() -> reader.read(broken))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not valid YAML");
  }
}

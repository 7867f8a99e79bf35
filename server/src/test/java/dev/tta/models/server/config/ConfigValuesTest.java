package dev.tta.models.server.config;

import static dev.tta.models.server.config.ConfigText.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.catalog.ModelRequirements;
import dev.tta.models.catalog.TaskType;
import dev.tta.models.fallback.FallbackConfig;
import dev.tta.models.fallback.FallbackStrategy;
import dev.tta.models.providers.anthropic.AnthropicSettings;
import dev.tta.models.providers.customapi.CustomApiSettings;
import dev.tta.models.providers.openai.KeyHeader;
import dev.tta.models.providers.openrouter.OpenRouterSettings;
import dev.tta.models.selection.SelectionConfig;
import dev.tta.models.server.auth.ApiKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each kind of value (numbers, booleans, durations, lists) and each section's keys, by value. */
class ConfigValuesTest {

  private static final Path FOLDER = Path.of("/etc/mm");

  private static GatewayConfig parse(String yaml, Map<String, String> env) {
    return new ConfigReader(env).parse(yaml, "v.yaml", FOLDER);
  }

  @Test
  void durations_takeEveryUnit_andIso8601() {
    FallbackConfig f =
        parse(
                """
                fallback:
                  backoff_base: 120ms
                  backoff_max: 1.5s
                  exclusion_window: 10m
                  failure_retention: 2h
                  max_retry_after: PT3S
                  request_deadline: 90 s
                """,
                Map.of())
            .fallback();
    assertThat(f.backoffBase()).isEqualTo(Duration.ofMillis(120));
    assertThat(f.backoffMax()).isEqualTo(Duration.ofMillis(1500));
    assertThat(f.exclusionWindow()).isEqualTo(Duration.ofMinutes(10));
    assertThat(f.failureRetention()).isEqualTo(Duration.ofHours(2));
    assertThat(f.maxRetryAfter()).isEqualTo(Duration.ofSeconds(3));
    assertThat(f.requestDeadline()).isEqualTo(Duration.ofSeconds(90));
  }

  @Test
  void everyFallbackKey_andEveryBooleanSpelling() {
    FallbackConfig f =
        parse(
                """
                fallback:
                  strategy: availability
                  max_failures: 7
                  prefer_different_provider: no
                  max_attempts: 9
                  max_retries_per_model: 1
                  backoff_multiplier: 3
                  jitter: 0.1
                  fallback_on_invalid_request: "on"
                """,
                Map.of())
            .fallback();
    assertThat(f.strategy()).isEqualTo(FallbackStrategy.AVAILABILITY);
    assertThat(f.maxFailures()).isEqualTo(7);
    assertThat(f.preferDifferentProvider()).isFalse();
    assertThat(f.maxAttempts()).isEqualTo(9);
    assertThat(f.maxRetriesPerModel()).isEqualTo(1);
    assertThat(f.backoffMultiplier()).isEqualTo(3.0);
    assertThat(f.jitter()).isEqualTo(0.1);
    assertThat(f.fallbackOnInvalidRequest()).isTrue();
  }

  @Test
  void everySelectionKey_landsInItsField() {
    SelectionConfig s =
        parse(
                """
                selection:
                  performance_weight: 0.2
                  safety_weight: 0.5
                  cost_weight: 0.3
                  default_performance_score: 6
                  default_remote_safety_score: 6.5
                  default_local_safety_score: 4
                  min_therapeutic_safety_score: 8
                  cost_score_zero_at_per_token: 0.02
                  task_capability_bonus: 0.25
                  free_bonus: 2
                  local_bonus: 1.5
                  hardware_headroom_factor: 2
                  hardware_headroom_bonus: 0.75
                  hardware_fit_bonus: 0.25
                  default_local_latency_ms: 3000
                  default_remote_latency_ms: 1500
                  history_min_samples: 10
                  history_success_baseline: 0.8
                  history_success_weight: 2
                  history_latency_target_ms: 1000
                  history_latency_weight: 0.75
                  history_time_to_first_token_target_ms: 300
                  history_time_to_first_token_weight: 0.5
                  history_quality_weight: 0.5
                """,
                Map.of())
            .selection();
    assertThat(List.of(s.performanceWeight(), s.safetyWeight(), s.costWeight()))
        .containsExactly(0.2, 0.5, 0.3);
    assertThat(
            List.of(
                s.defaultPerformanceScore(),
                s.defaultRemoteSafetyScore(),
                s.defaultLocalSafetyScore()))
        .containsExactly(6.0, 6.5, 4.0);
    assertThat(s.minTherapeuticSafetyScore()).isEqualTo(8.0);
    assertThat(s.costScoreZeroAtPerToken()).isEqualTo(0.02);
    assertThat(s.taskCapabilityBonus()).isEqualTo(0.25);
    assertThat(List.of(s.freeBonus(), s.localBonus())).containsExactly(2.0, 1.5);
    assertThat(List.of(s.hardwareHeadroomFactor(), s.hardwareHeadroomBonus(), s.hardwareFitBonus()))
        .containsExactly(2.0, 0.75, 0.25);
    assertThat(List.of(s.defaultLocalLatencyMs(), s.defaultRemoteLatencyMs()))
        .containsExactly(3000L, 1500L);
    assertThat(s.historyMinSamples()).isEqualTo(10);
    assertThat(List.of(s.historySuccessBaseline(), s.historySuccessWeight()))
        .containsExactly(0.8, 2.0);
    assertThat(List.of(s.historyLatencyTargetMs(), s.historyLatencyWeight()))
        .containsExactly(1000.0, 0.75);
    assertThat(List.of(s.historyTimeToFirstTokenTargetMs(), s.historyTimeToFirstTokenWeight()))
        .containsExactly(300.0, 0.5);
    assertThat(s.historyQualityWeight()).isEqualTo(0.5);
  }

  @Test
  void everyRequirementKey_ofARoute() {
    ModelRequirements r =
        parse(
                """
                providers: [{name: p, type: custom_api, base_url: "http://p/v1"}]
                routes:
                  quick:
                    task_type: dialogue_generation
                    max_latency_ms: 800
                    min_quality_score: 6
                    max_cost_per_token: 0.000002
                    required_capabilities: [dialogue, tools]
                    context_length_needed: 8192
                    therapeutic_safety_required: true
                    prefer_free: true
                    prefer_local: true
                    models: [p/a]
                """,
                Map.of())
            .routes()
            .get("quick")
            .requirements();
    assertThat(r.taskType()).isEqualTo(TaskType.DIALOGUE_GENERATION);
    assertThat(r.maxLatencyMs()).hasValue(800);
    assertThat(r.minQualityScore()).hasValue(6.0);
    assertThat(r.maxCostPerToken()).hasValue(0.000002);
    assertThat(r.requiredCapabilities()).containsExactlyInAnyOrder("dialogue", "tools");
    assertThat(r.contextLengthNeeded()).isEqualTo(8192);
    assertThat(r.therapeuticSafetyRequired()).isTrue();
    assertThat(r.preferFree()).isTrue();
    assertThat(r.preferLocal()).isTrue();
  }

  @Test
  void serverSection_andDataDirectory() {
    GatewayConfig c =
        parse(
            "server: {host: 0.0.0.0, port: 0, max_body_bytes: 2048, shutdown_timeout: 5s}\ndata_dir: state\n",
            Map.of());
    assertThat(c.server()).isEqualTo(new ServerSettings("0.0.0.0", 0, 2048, Duration.ofSeconds(5)));
    assertThat(c.server().loopbackOnly()).isFalse();
    assertThat(c.dataDirectory()).isEqualTo(Path.of("/etc/mm/state"));
    assertThat(parse("{}", Map.of()).server()).isEqualTo(ServerSettings.defaults());
    assertThat(parse("", Map.of()).providers()).isEmpty();
  }

  @Test
  void theDataDirectory_defaultsFromTheEnvironment() {
    assertThat(
            ConfigReader.defaultDataDirectory(
                Map.of("MM_DATA_DIR", "/data/mm", "XDG_DATA_HOME", "/x")))
        .isEqualTo(Path.of("/data/mm"));
    assertThat(ConfigReader.defaultDataDirectory(Map.of("XDG_DATA_HOME", "/x")))
        .isEqualTo(Path.of("/x/mm"));
    assertThat(ConfigReader.defaultDataDirectory(Map.of("MM_DATA_DIR", " ")))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".local", "share", "mm"));
  }

  @Test
  void loopback_isOnlyTheLoopbackNames() {
    for (String host : List.of("127.0.0.1", "localhost", "::1")) {
      assertThat(ServerSettings.defaults().withHost(host).loopbackOnly()).as(host).isTrue();
    }
    assertThat(ServerSettings.defaults().withHost("192.168.1.2").loopbackOnly()).isFalse();
  }

  @Test
  void valuesOfTheWrongKind_areNamedWithTheRule() {
    assertThat(
            problems(
                """
                server: {port: eighty, max_body_bytes: 12, host: [a]}
                fallback: {jitter: lots, prefer_different_provider: maybe, max_attempts: 2.5, backoff_base: 0s}
                selection: [1]
                routes: {r: {required_capabilities: {a: 1}, models: x}}
                """))
        .containsExactly(
            "server.host: must be a single value, not a list",
            "server.port: must be a whole number, was 'eighty'",
            "server.max_body_bytes: must be between 1024 and 2147483647, was 12",
            "routes.r.models: must be a list",
            "routes.r.required_capabilities: must be a list",
            "selection: must be a mapping of keys to values",
            "fallback.prefer_different_provider: must be true or false, was 'maybe'",
            "fallback.max_attempts: must be a whole number, was '2.5'",
            "fallback.backoff_base: must be a positive duration such as 500ms, 30s, 5m or 1h, was '0s'",
            "fallback.jitter: must be a number, was 'lots'");
  }

  @Test
  void aTopLevelThatIsNotAMapping_isOneProblem() {
    assertThat(problems("- a\n- b\n"))
        .containsExactly("must be a mapping with keys such as providers");
  }

  @Test
  void everySection_refusesKeysItDoesNotHave() {
    assertThat(
            problems(
                """
                server: {hots: x}
                selection: {safety: 1}
                fallback: {retries: 1}
                auth: {keys: []}
                providers:
                  - {name: a, type: custom_api, base_url: "http://a/v1", site_url: "http://x"}
                  - {name: b, type: anthropic, api_key: k, key_header: bearer}
                  - {name: c, type: openrouter, api_key: k, anthropic_version: v}
                routes: {r: {task: general_chat, models: [a/x]}}
                """))
        .extracting(p -> p.substring(0, p.indexOf(':')))
        .containsExactly(
            "server.hots",
            "providers[0].site_url",
            "providers[1].key_header",
            "providers[2].anthropic_version",
            "routes.r.task",
            "selection.safety",
            "fallback.retries",
            "auth.keys");
  }

  @Test
  void emptyValues_leaveTheDefaults() {
    GatewayConfig c =
        parse(
            """
            server: {host: "", port: ""}
            data_dir: ""
            fallback: {strategy: "", max_attempts: ""}
            auth: {client_keys: [""], admin_key: ""}
            providers:
              - {name: o, type: openrouter, api_key: "", app_name: "", site_url: ""}
              - {name: c, type: anthropic, anthropic_version: "", api_key: ""}
              - {name: p, type: custom_api, base_url: "http://p/v1", health_path: "", key_header: ""}
            """,
            Map.of(
                "OPENROUTER_API_KEY", "sk-or-env-0001",
                "ANTHROPIC_API_KEY", "sk-ant-env-0001",
                "MM_ADMIN_KEY", "admin-from-env-0001"));
    assertThat(c.server()).isEqualTo(ServerSettings.defaults());
    assertThat(c.dataDirectory())
        .isEqualTo(Path.of(System.getProperty("user.home"), ".local", "share", "mm"));
    assertThat(c.fallback()).isEqualTo(FallbackConfig.defaults());
    assertThat(c.auth().clientKeyHashes()).isEmpty();
    // the admin key from the environment, as the file gives none
    assertThat(c.auth().adminKeyHash()).isPresent();
    var router = (OpenRouterSettings) c.providers().get(0).settings();
    assertThat(router.connection().apiKey().orElseThrow().reveal()).isEqualTo("sk-or-env-0001");
    assertThat(router.appName()).isEmpty();
    assertThat(router.siteUrl()).isEmpty();
    var claude = (AnthropicSettings) c.providers().get(1).settings();
    assertThat(claude.anthropicVersion()).isEqualTo("2023-06-01");
    assertThat(claude.connection().apiKey().orElseThrow().reveal()).isEqualTo("sk-ant-env-0001");
    var custom = (CustomApiSettings) c.providers().get(2).settings();
    assertThat(custom.connection().healthPath()).isEqualTo("models");
    assertThat(custom.connection().keyHeader()).isEqualTo(KeyHeader.BEARER);
  }

  @Test
  void aKeyInTheFile_winsOverTheEnvironments() {
    GatewayConfig c =
        parse(
            "auth: {admin_key: file-admin-key-0001}",
            Map.of("MM_ADMIN_KEY", "admin-from-env-0001"));
    assertThat(c.auth().adminKeyHash()).contains(ApiKeys.hashed("file-admin-key-0001"));
  }

  @Test
  void aSingleValue_isAOneItemList_whereAListIsExpected() {
    GatewayConfig c =
        parse(
            """
            providers: [{name: p, type: custom_api, base_url: "http://p/v1"}]
            routes: {r: {required_capabilities: tools, models: [p/a]}}
            """,
            Map.of());
    assertThat(c.routes().get("r").requirements().requiredCapabilities()).containsExactly("tools");
  }
}

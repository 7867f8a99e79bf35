package dev.tta.models.server.config;

import static dev.tta.models.server.config.ConfigText.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.providers.anthropic.AnthropicSettings;
import dev.tta.models.providers.customapi.CustomApiSettings;
import dev.tta.models.providers.customapi.CustomModelSettings;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.lmstudio.LmStudioSettings;
import dev.tta.models.providers.local.LocalSettings;
import dev.tta.models.providers.ollama.OllamaSettings;
import dev.tta.models.providers.openai.KeyHeader;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.providers.openai.TokenLimitField;
import dev.tta.models.providers.openrouter.OpenRouterFilter;
import dev.tta.models.providers.openrouter.OpenRouterSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every key of every provider type lands in that type's settings with the value written. */
class ProviderSectionsTest {

  private static final Path FOLDER = Path.of("/etc/mm");

  private static Object settings(String yaml, Map<String, String> env) {
    GatewayConfig config = new ConfigReader(env).parse(yaml, "p.yaml", FOLDER);
    assertThat(config.providers()).hasSize(1);
    return config.providers().get(0).settings();
  }

  @Test
  void customApi_everyConnectionKey_andModelMetadata() {
    CustomApiSettings s =
        (CustomApiSettings)
            settings(
                """
                providers:
                  - name: vllm
                    type: custom_api
                    base_url: https://llm.example.org/v1
                    api_key: sk-test-0001
                    headers: {X-Team: narrative}
                    health_path: /health
                    health_timeout: 2s
                    catalog_timeout: 1m
                    connect_timeout: 750ms
                    discover_models: false
                    key_header: x-api-key
                    token_limit_field: max_completion_tokens
                    stream_usage: false
                    models:
                      - id: qwen2.5-7b
                        name: Qwen 2.5 7B
                        description: tuned for dialogue
                        context_length: 32768
                        input_cost_per_token: 0.0000002
                        output_cost_per_token: 0.0000004
                        capabilities: [chat, dialogue]
                        therapeutic_safety_score: 8.5
                        performance_score: 7
                      - {id: tiny, free: true}
                """,
                Map.of());

    OpenAiClientConfig c = s.connection();
    assertThat(c.baseUrl()).isEqualTo(URI.create("https://llm.example.org/v1/"));
    assertThat(c.apiKey()).contains(Secret.of("sk-test-0001"));
    assertThat(c.headers()).containsExactly(Map.entry("X-Team", "narrative"));
    assertThat(c.healthPath()).isEqualTo("/health");
    assertThat(c.healthTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.catalogTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(750));
    assertThat(c.keyHeader()).isEqualTo(KeyHeader.X_API_KEY);
    assertThat(c.tokenLimitField()).isEqualTo(TokenLimitField.MAX_COMPLETION_TOKENS);
    assertThat(c.streamUsage()).isFalse();
    assertThat(s.discoverModels()).isFalse();
    CustomModelSettings qwen = s.models().get(0);
    assertThat(qwen.id()).isEqualTo("qwen2.5-7b");
    assertThat(qwen.name()).isEqualTo("Qwen 2.5 7B");
    assertThat(qwen.description()).isEqualTo("tuned for dialogue");
    assertThat(qwen.contextLength()).isEqualTo(OptionalInt.of(32768));
    assertThat(qwen.inputCostPerToken()).isEqualTo(0.0000002);
    assertThat(qwen.outputCostPerToken()).isEqualTo(0.0000004);
    assertThat(qwen.capabilities()).isEqualTo(Set.of("chat", "dialogue"));
    assertThat(qwen.therapeuticSafetyScore()).isEqualTo(OptionalDouble.of(8.5));
    assertThat(qwen.performanceScore()).isEqualTo(OptionalDouble.of(7.0));
    assertThat(qwen.free()).isFalse();
    assertThat(s.models().get(1).free()).isTrue();
    assertThat(s.toString()).doesNotContain("sk-test-0001");
  }

  @Test
  void customApi_defaults_whenOnlyTheAddressIsGiven() {
    CustomApiSettings s =
        (CustomApiSettings)
            settings(
                "providers: [{name: llamacpp, type: custom_api, base_url: 'http://127.0.0.1:18080/v1'}]",
                Map.of());

    OpenAiClientConfig c = s.connection();
    assertThat(c.apiKey()).isEmpty();
    assertThat(c.headers()).isEmpty();
    assertThat(c.keyHeader()).isEqualTo(KeyHeader.BEARER);
    assertThat(c.tokenLimitField()).isEqualTo(TokenLimitField.MAX_TOKENS);
    assertThat(c.streamUsage()).isTrue();
    assertThat(c.healthPath()).isEqualTo(OpenAiClientConfig.DEFAULT_HEALTH_PATH);
    assertThat(c.healthTimeout()).isEqualTo(OpenAiClientConfig.DEFAULT_HEALTH_TIMEOUT);
    assertThat(s.discoverModels()).isTrue();
    assertThat(s.models()).isEmpty();
  }

  @Test
  void local_pathsFromTheFilesFolder_andItsLimits() {
    LocalSettings s =
        (LocalSettings)
            settings(
                """
                providers:
                  - name: local
                    type: local
                    model_paths: [models, /srv/gguf/llama.gguf]
                    max_loaded_models: 2
                    context_length: 2048
                    threads: 3
                    default_max_tokens: 128
                """,
                Map.of());

    assertThat(s.modelPaths())
        .containsExactly(Path.of("/etc/mm/models"), Path.of("/srv/gguf/llama.gguf"));
    assertThat(s.maxLoadedModels()).isEqualTo(2);
    assertThat(s.contextLength()).isEqualTo(OptionalInt.of(2048));
    assertThat(s.threads()).isEqualTo(3);
    assertThat(s.defaultMaxTokens()).isEqualTo(128);
  }

  @Test
  void ollama_andLmStudio_takeTheirAddressFromTheFile_overTheirVariables() {
    Map<String, String> env = Map.of("OLLAMA_HOST", "elsewhere:1", "LMSTUDIO_HOST", "elsewhere:2");
    OllamaSettings ollama =
        (OllamaSettings)
            settings(
                """
                providers:
                  - name: ollama
                    type: ollama
                    base_url: http://gpu:11434
                    models: [{id: llama3.2, therapeutic_safety_score: 8}]
                """,
                env);
    assertThat(ollama.connection().baseUrl()).isEqualTo(URI.create("http://gpu:11434/"));
    assertThat(ollama.models()).extracting(CustomModelSettings::id).containsExactly("llama3.2");

    LmStudioSettings lms =
        (LmStudioSettings)
            settings(
                "providers: [{name: lms, type: lm_studio, base_url: 'http://box:1234/v1', api_key: lm-key-0001}]",
                env);
    assertThat(lms.connection().baseUrl()).isEqualTo(URI.create("http://box:1234/v1/"));
    assertThat(lms.connection().apiKey()).contains(Secret.of("lm-key-0001"));
  }

  @Test
  void openRouter_attributionAndFilter_withTheVariablesWinningOverTheFile() {
    String yaml =
        """
        providers:
          - name: openrouter
            type: openrouter
            api_key: sk-or-0001
            site_url: https://tta.example.org
            app_name: TTA
            show_free_only: false
            prefer_free: true
            max_cost_per_token: 0.00001
        """;
    OpenRouterSettings s = (OpenRouterSettings) settings(yaml, Map.of());
    assertThat(s.connection().apiKey()).contains(Secret.of("sk-or-0001"));
    assertThat(s.siteUrl()).contains(URI.create("https://tta.example.org"));
    assertThat(s.appName()).contains("TTA");
    assertThat(s.filter()).isEqualTo(new OpenRouterFilter(false, true, OptionalDouble.of(0.00001)));

    OpenRouterSettings overridden =
        (OpenRouterSettings) settings(yaml, Map.of("OPENROUTER_SHOW_FREE_ONLY", "true"));
    assertThat(overridden.filter().showFreeOnly()).isTrue();
    assertThat(overridden.filter().preferFree()).isTrue();
  }

  @Test
  void anthropic_versionTokensDiscoveryAndModels() {
    AnthropicSettings s =
        (AnthropicSettings)
            settings(
                """
                providers:
                  - name: claude
                    type: anthropic
                    anthropic_version: 2024-01-01
                    default_max_tokens: 2048
                    discover_models: false
                    models: [{id: claude-sonnet-4-5, context_length: 200000, therapeutic_safety_score: 9.5}]
                """,
                Map.of("ANTHROPIC_API_KEY", "sk-ant-0001"));

    assertThat(s.connection().apiKey()).contains(Secret.of("sk-ant-0001"));
    assertThat(s.connection().keyHeader()).isEqualTo(KeyHeader.X_API_KEY);
    assertThat(s.anthropicVersion()).isEqualTo("2024-01-01");
    assertThat(s.defaultMaxTokens()).isEqualTo(2048);
    assertThat(s.discoverModels()).isFalse();
    assertThat(s.models()).extracting(CustomModelSettings::id).containsExactly("claude-sonnet-4-5");
  }

  @Test
  void eachTypeRefusesKeysItDoesNotTake_andBadValuesAreNamedByPath() {
    List<String> all = new ArrayList<>();
    all.addAll(
        problems("providers: [{name: a, type: local, model_paths: [m], base_url: 'http://x/'}]"));
    all.addAll(problems("providers: [{name: a, type: lm_studio, models: []}]"));
    all.addAll(problems("providers: [{name: a, type: ollama, key_header: bearer}]"));
    all.addAll(
        problems(
            "providers: [{name: a, type: custom_api, base_url: 'http://x/v1', key_header: basic}]"));
    all.addAll(
        problems(
            "providers: [{name: a, type: custom_api, base_url: 'http://x/v1', models: [{id: m}, {id: m}]}]"));
    all.addAll(
        problems(
            "providers: [{name: a, type: custom_api, base_url: 'http://x/v1', models: [{name: nameless}]}]"));
    all.addAll(
        problems(
            "providers: [{name: a, type: custom_api, base_url: 'http://x/v1', models: [{id: m, therapeutic_safety_score: 11}]}]"));
    all.addAll(
        problems(
            "providers: [{name: a, type: custom_api, base_url: 'http://x/v1', models: [{id: m, colour: red}]}]"));
    all.addAll(
        problems("providers: [{name: a, type: openrouter, api_key: k, site_url: 'not a url'}]"));

    assertThat(all)
        .containsExactly(
            "providers[0].base_url: unknown key; expected one of context_length, default_max_tokens,"
                + " max_loaded_models, model_paths, name, threads, timeouts, type",
            "providers[0].models: unknown key; expected one of api_key, base_url, catalog_timeout,"
                + " connect_timeout, headers, health_path, health_timeout, name, timeouts, type",
            "providers[0].key_header: unknown key; expected one of api_key, base_url,"
                + " catalog_timeout, connect_timeout, headers, health_path, health_timeout, models,"
                + " name, timeouts, type",
            "providers[0].key_header: must be one of bearer, x_api_key, was 'basic'",
            "providers[0].models[1].id: 'm' is listed more than once",
            "providers[0].models[0].id: is required",
            "providers[0].models[0]: models[m].therapeutic_safety_score: must be between 0.0 and 10.0,"
                + " was 11.0",
            "providers[0].models[0].colour: unknown key; expected one of assistant_prefill,"
                + " capabilities, context_length, description, free, id, input_cost_per_token, name,"
                + " output_cost_per_token, performance_score, therapeutic_safety_score",
            "providers[0].site_url: not an absolute http(s) URL: 'not a url'");
  }

  @Test
  void aProviderWithoutAName_stillHasItsOtherKeysChecked() {
    assertThat(problems("providers: [{type: custom_api, base_url: 'nope'}]"))
        .containsExactly(
            "providers[0].name: is required",
            "providers[0].base_url: not an absolute http(s) URL: 'nope'");
    assertThat(problems("providers: [{name: a}]"))
        .containsExactly("providers[0].type: is required");
    assertThat(problems("providers: [7]"))
        .containsExactly("providers[0]: must be a mapping of keys to values");
    assertThat(problems("providers: {name: a}")).containsExactly("providers: must be a list");
  }

  @Test
  void aProvidersStarter_buildsTheProviderOfItsType() {
    GatewayConfig config =
        new ConfigReader(Map.of())
            .parse(
                "providers: [{name: llamacpp, type: custom_api, base_url: 'http://127.0.0.1:9/v1'}]",
                "p.yaml",
                FOLDER);
    try (var provider = config.providers().get(0).start()) {
      assertThat(provider.id().value()).isEqualTo("llamacpp");
      assertThat(provider.type().name()).isEqualTo("custom_api");
    }
    assertThat(config.providers().get(0).location()).isEqualTo("http://127.0.0.1:9/v1");
  }
}

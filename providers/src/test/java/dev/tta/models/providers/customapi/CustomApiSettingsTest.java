package dev.tta.models.providers.customapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.providers.openai.TokenLimitField;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CustomApiSettingsTest {

  static CustomApiSettings.Builder builder() {
    return CustomApiSettings.builder("llamacpp", URI.create("http://127.0.0.1:8080/v1"));
  }

  @Test
  void defaults_discoverModelsAndTheClientDefaults() {
    CustomApiSettings settings = builder().build();

    assertThat(settings.id()).isEqualTo(ProviderId.of("llamacpp"));
    assertThat(settings.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8080/v1/"));
    assertThat(settings.discoverModels()).isTrue();
    assertThat(settings.models()).isEmpty();
    assertThat(settings.apiKey()).isEmpty();
    assertThat(CustomApiSettings.DEFAULT_CONTEXT_LENGTH).isEqualTo(4096);
    OpenAiClientConfig client = settings.clientConfig();
    assertThat(client)
        .isEqualTo(
            OpenAiClientConfig.builder(
                    ProviderId.of("llamacpp"), URI.create("http://127.0.0.1:8080/v1"))
                .build());
  }

  @Test
  void clientConfig_carriesEverySetting() {
    CustomApiSettings settings =
        builder()
            .apiKey(Secret.of("sk-local-test"))
            .headers(Map.of("X-Team", "tta"))
            .tokenLimitField(TokenLimitField.MAX_COMPLETION_TOKENS)
            .streamUsage(false)
            .healthPath("/health")
            .healthTimeout(Duration.ofSeconds(2))
            .catalogTimeout(Duration.ofSeconds(3))
            .connectTimeout(Duration.ofSeconds(4))
            .build();

    assertThat(settings.clientConfig())
        .isEqualTo(
            new OpenAiClientConfig(
                ProviderId.of("llamacpp"),
                URI.create("http://127.0.0.1:8080/v1/"),
                java.util.Optional.of(Secret.of("sk-local-test")),
                Map.of("X-Team", "tta"),
                TokenLimitField.MAX_COMPLETION_TOKENS,
                false,
                "/health",
                Duration.ofSeconds(2),
                Duration.ofSeconds(3),
                Duration.ofSeconds(4)));
  }

  @Test
  void badSettings_refusedNamingTheKey() {
    assertThatThrownBy(() -> CustomApiSettings.builder("Bad Id", URI.create("http://h")).build())
        .hasMessageStartingWith("provider id: must be lower-case");
    assertThatThrownBy(() -> CustomApiSettings.builder("x", URI.create("file:///tmp")).build())
        .hasMessage("base_url: must be an http or https URL, was 'file:///tmp'");
    assertThatThrownBy(() -> builder().healthPath("http://elsewhere/health").build())
        .hasMessageStartingWith("health_path: must be a path");
    assertThatThrownBy(() -> builder().healthTimeout(Duration.ZERO).build())
        .hasMessage("health_timeout: must be positive, was PT0S");
    assertThatThrownBy(() -> builder().catalogTimeout(Duration.ZERO).build())
        .hasMessage("catalog_timeout: must be positive, was PT0S");
    assertThatThrownBy(() -> builder().connectTimeout(Duration.ZERO).build())
        .hasMessage("connect_timeout: must be positive, was PT0S");
    assertThatThrownBy(() -> builder().headers(Map.of("Authorization", "x")).build())
        .hasMessage("headers: 'Authorization' is set by the client itself");
    assertThatThrownBy(() -> builder().tokenLimitField(null).build())
        .hasMessage("token_limit_field: is required");
  }

  @Test
  void models_duplicateIdsRefused() {
    assertThatThrownBy(
            () ->
                builder()
                    .addModel(CustomModelSettings.builder("a").build())
                    .addModel(CustomModelSettings.builder("a").contextLength(512).build())
                    .build())
        .hasMessage("models: lists 'a' more than once");
  }

  @Test
  void noDiscoveryAndNoModels_refused() {
    assertThatThrownBy(() -> builder().discoverModels(false).build())
        .hasMessage("models: must name at least one model when discover_models is false");
    assertThat(
            builder()
                .discoverModels(false)
                .addModel(CustomModelSettings.builder("a").build())
                .build()
                .models())
        .hasSize(1);
  }

  @Test
  void toString_hidesSecrets() {
    String text =
        builder()
            .apiKey(Secret.of("sk-local-test"))
            .headers(Map.of("X-Gateway-Token", "gw-secret"))
            .addModel(CustomModelSettings.builder("tiny-random").build())
            .build()
            .toString();

    assertThat(text)
        .isEqualTo(
            "CustomApiSettings[id=llamacpp, baseUrl=http://127.0.0.1:8080/v1/, apiKey=[redacted],"
                + " headers=[X-Gateway-Token], discoverModels=true, models=[tiny-random]]");
    assertThat(builder().build().toString()).contains("apiKey=none");
  }

  @Test
  void modelSettings_defaultsAndValues() {
    CustomModelSettings plain = CustomModelSettings.builder("m").build();
    assertThat(plain.name()).isEqualTo("m");
    assertThat(plain.description()).isEmpty();
    assertThat(plain.contextLength()).isEmpty();
    assertThat(plain.capabilities()).containsExactly("chat");
    assertThat(plain.free()).isFalse();
    assertThat(plain.therapeuticSafetyScore()).isEmpty();

    CustomModelSettings full =
        CustomModelSettings.builder("m")
            .name("My model")
            .description("d")
            .contextLength(512)
            .costPerToken(0.000001, 0.000002)
            .capabilities("Chat", "tools")
            .therapeuticSafetyScore(8.5)
            .performanceScore(6)
            .build();
    assertThat(full.name()).isEqualTo("My model");
    assertThat(full.contextLength()).isEqualTo(OptionalInt.of(512));
    assertThat(full.capabilities()).isEqualTo(Set.of("chat", "tools"));
    assertThat(full.therapeuticSafetyScore()).isEqualTo(OptionalDouble.of(8.5));
    assertThat(full.performanceScore()).isEqualTo(OptionalDouble.of(6));
    assertThat(full.inputCostPerToken()).isEqualTo(0.000001);
    assertThat(full.outputCostPerToken()).isEqualTo(0.000002);
    assertThat(CustomModelSettings.builder("f").free(true).build().free()).isTrue();
  }

  @Test
  void modelSettings_badValues_refusedNamingTheModelAndKey() {
    assertThatThrownBy(() -> CustomModelSettings.builder(" ").build())
        .hasMessage("models[].id: must not be blank");
    assertThatThrownBy(() -> CustomModelSettings.builder("m").contextLength(0).build())
        .hasMessage("models[m].context_length: must be greater than 0, was 0");
    assertThatThrownBy(() -> CustomModelSettings.builder("m").costPerToken(-1, 0).build())
        .hasMessage(
            "models[m].input_cost_per_token: must be a finite number of at least 0, was -1.0");
    assertThatThrownBy(() -> CustomModelSettings.builder("m").costPerToken(0, Double.NaN).build())
        .hasMessage(
            "models[m].output_cost_per_token: must be a finite number of at least 0, was NaN");
    assertThatThrownBy(
            () -> CustomModelSettings.builder("m").costPerToken(0, 0.1).free(true).build())
        .hasMessage("models[m].free: must be false when a price is above 0");
    assertThatThrownBy(
            () -> CustomModelSettings.builder("m").costPerToken(0.1, 0).free(true).build())
        .hasMessage("models[m].free: must be false when a price is above 0");
    assertThatThrownBy(() -> CustomModelSettings.builder("m").therapeuticSafetyScore(10.5).build())
        .hasMessage("models[m].therapeutic_safety_score: must be between 0.0 and 10.0, was 10.5");
    assertThatThrownBy(() -> CustomModelSettings.builder("m").performanceScore(-0.1).build())
        .hasMessage("models[m].performance_score: must be between 0.0 and 10.0, was -0.1");
    assertThatThrownBy(() -> CustomModelSettings.builder("m").capabilities(" ").build())
        .hasMessage("models[m].capabilities: must not contain a blank entry");
    // exactly at the limits
    assertThat(
            CustomModelSettings.builder("m").therapeuticSafetyScore(10).performanceScore(0).build())
        .isNotNull();
  }
}

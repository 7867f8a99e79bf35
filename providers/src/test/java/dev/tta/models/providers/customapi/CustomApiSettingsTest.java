package dev.tta.models.providers.customapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import java.net.URI;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CustomApiSettingsTest {

  static final OpenAiClientConfig LLAMACPP =
      OpenAiClientConfig.builder(ProviderId.of("llamacpp"), URI.create("http://127.0.0.1:8080/v1"))
          .build();

  static CustomApiSettings.Builder builder() {
    return CustomApiSettings.builder(LLAMACPP);
  }

  @Test
  void defaults_discoverModelsWithNoMetadata() {
    CustomApiSettings settings = builder().build();

    assertThat(settings.id()).isEqualTo(ProviderId.of("llamacpp"));
    assertThat(settings.connection()).isSameAs(LLAMACPP);
    assertThat(settings.discoverModels()).isTrue();
    assertThat(settings.models()).isEmpty();
  }

  @Test
  void connection_required() {
    assertThatThrownBy(() -> CustomApiSettings.builder(null).build())
        .hasMessage("connection: is required");
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
        CustomApiSettings.builder(
                OpenAiClientConfig.builder(
                        ProviderId.of("llamacpp"), URI.create("http://127.0.0.1:8080/v1"))
                    .apiKey(Secret.of("sk-local-test"))
                    .headers(Map.of("X-Gateway-Token", "gw-secret"))
                    .build())
            .addModel(CustomModelSettings.builder("tiny-random").build())
            .build()
            .toString();

    assertThat(text)
        .startsWith("CustomApiSettings[connection=OpenAiClientConfig[")
        .contains("apiKey=[redacted]")
        .endsWith(", discoverModels=true, models=[tiny-random]]")
        .doesNotContain("sk-local-test")
        .doesNotContain("gw-secret");
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

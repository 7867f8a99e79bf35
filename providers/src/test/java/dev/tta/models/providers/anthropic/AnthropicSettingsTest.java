package dev.tta.models.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.providers.customapi.CustomModelSettings;
import dev.tta.models.providers.openai.KeyHeader;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicSettingsTest {

  static OpenAiClientConfig connection() {
    return AnthropicSettings.connection(ProviderId.of("claude"), AnthropicSettings.DEFAULT_BASE_URL)
        .headers(Map.of("X-Team", "tta"))
        .build();
  }

  @Test
  void defaults() {
    AnthropicSettings settings = AnthropicSettings.builder(connection()).build();

    assertThat(settings.id()).isEqualTo(ProviderId.of("claude"));
    assertThat(settings.anthropicVersion()).isEqualTo("2023-06-01");
    assertThat(settings.defaultMaxTokens()).isEqualTo(1024);
    assertThat(settings.discoverModels()).isTrue();
    assertThat(settings.models()).isEmpty();
    assertThat(settings.connection().keyHeader()).isEqualTo(KeyHeader.X_API_KEY);
    assertThat(AnthropicSettings.DEFAULT_BASE_URL)
        .isEqualTo(URI.create("https://api.anthropic.com/v1/"));
    assertThat(settings.clientConfig().headers())
        .isEqualTo(Map.of("X-Team", "tta", "anthropic-version", "2023-06-01"));
  }

  @Test
  void everySetting() {
    AnthropicSettings settings =
        AnthropicSettings.builder(connection())
            .anthropicVersion("2024-01-01")
            .defaultMaxTokens(4096)
            .discoverModels(false)
            .addModel(CustomModelSettings.builder("claude-opus-4").build())
            .build();

    assertThat(settings.clientConfig().headers()).containsEntry("anthropic-version", "2024-01-01");
    assertThat(settings.defaultMaxTokens()).isEqualTo(4096);
    assertThat(settings.discoverModels()).isFalse();
    assertThat(settings.models()).hasSize(1);
  }

  @Test
  void badSettings_refusedNamingTheKey() {
    OpenAiClientConfig bearer =
        OpenAiClientConfig.builder(ProviderId.of("claude"), AnthropicSettings.DEFAULT_BASE_URL)
            .build();
    assertThatThrownBy(() -> AnthropicSettings.builder(bearer).build())
        .hasMessage(
            "connection: must send the key as x-api-key (use AnthropicSettings.connection)");
    assertThatThrownBy(() -> AnthropicSettings.builder(connection()).anthropicVersion(" ").build())
        .hasMessage("anthropic_version: must not be blank");
    assertThatThrownBy(() -> AnthropicSettings.builder(connection()).defaultMaxTokens(0).build())
        .hasMessage("default_max_tokens: must be greater than 0, was 0");
    assertThatThrownBy(() -> AnthropicSettings.builder(connection()).discoverModels(false).build())
        .hasMessage("models: must name at least one model when discover_models is false");
    assertThatThrownBy(
            () ->
                AnthropicSettings.builder(connection())
                    .addModel(CustomModelSettings.builder("a").build())
                    .addModel(CustomModelSettings.builder("a").build())
                    .build())
        .hasMessage("models: lists 'a' more than once");
  }
}

package dev.tta.models.providers.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class OpenRouterSettingsTest {

  static final String KEY = "sk-or-v1-settings-test-key";

  static OpenAiClientConfig.Builder connection() {
    return OpenAiClientConfig.builder(
            ProviderId.of("openrouter"), URI.create("http://127.0.0.1:9/api/v1"))
        .apiKey(Secret.of(KEY));
  }

  @Test
  void defaults_noAttributionNoFilter() {
    OpenRouterSettings settings = OpenRouterSettings.builder(connection().build()).build();

    assertThat(settings.id()).isEqualTo(ProviderId.of("openrouter"));
    assertThat(settings.siteUrl()).isEmpty();
    assertThat(settings.appName()).isEmpty();
    assertThat(settings.filter()).isEqualTo(OpenRouterFilter.NONE);
    OpenRouterFilter freeOnly = new OpenRouterFilter(true, false, OptionalDouble.empty());
    assertThat(OpenRouterSettings.builder(connection().build()).filter(freeOnly).build().filter())
        .isEqualTo(freeOnly);
  }

  @Test
  void settings_requireAKeyAndCheckAttribution() {
    OpenAiClientConfig noKey =
        OpenAiClientConfig.builder(ProviderId.of("openrouter"), OpenRouterSettings.DEFAULT_BASE_URL)
            .build();
    assertThatThrownBy(() -> OpenRouterSettings.builder(noKey).build())
        .hasMessage("api_key: is required for OpenRouter");
    assertThatThrownBy(
            () ->
                OpenRouterSettings.builder(connection().build())
                    .siteUrl(URI.create("tta.example"))
                    .build())
        .hasMessage("site_url: must be an absolute http or https URL, was 'tta.example'");
    assertThatThrownBy(
            () ->
                OpenRouterSettings.builder(connection().build())
                    .siteUrl(URI.create("ftp://tta.example"))
                    .build())
        .hasMessage("site_url: must be an absolute http or https URL, was 'ftp://tta.example'");
    assertThatThrownBy(() -> OpenRouterSettings.builder(connection().build()).appName(" ").build())
        .hasMessage("app_name: must not be blank");
  }

  @Test
  void clientConfig_addsAttributionToConfiguredHeaders() {
    OpenRouterSettings settings =
        OpenRouterSettings.builder(connection().headers(Map.of("X-Team", "tta")).build())
            .appName("TTA")
            .build();

    assertThat(settings.clientConfig().headers())
        .isEqualTo(Map.of("X-Team", "tta", "X-Title", "TTA"));
    assertThat(settings.clientConfig().apiKey()).isEqualTo(Optional.of(Secret.of(KEY)));
    assertThat(OpenRouterSettings.builder(connection().build()).build().clientConfig().headers())
        .isEmpty();
    assertThat(
            OpenRouterSettings.builder(connection().build())
                .siteUrl(URI.create("http://localhost:3000/"))
                .build()
                .clientConfig()
                .headers())
        .isEqualTo(Map.of("HTTP-Referer", "http://localhost:3000/"));
    assertThat(
            OpenRouterSettings.builder(connection().build())
                .siteUrl(URI.create("https://tta.example/"))
                .build()
                .siteUrl())
        .contains(URI.create("https://tta.example/"));
    assertThat(OpenRouterSettings.DEFAULT_BASE_URL)
        .isEqualTo(URI.create("https://openrouter.ai/api/v1/"));
  }
}

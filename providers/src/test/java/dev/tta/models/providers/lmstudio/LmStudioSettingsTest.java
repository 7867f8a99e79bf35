package dev.tta.models.providers.lmstudio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ProviderId;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LmStudioSettingsTest {

  @Test
  void connection_checksHealthOnTheRestListing() {
    LmStudioSettings settings =
        new LmStudioSettings(
            LmStudioSettings.connection(
                    ProviderId.of("lmstudio"), LmStudioSettings.DEFAULT_BASE_URL)
                .build());

    assertThat(settings.id()).isEqualTo(ProviderId.of("lmstudio"));
    assertThat(settings.connection().healthPath()).isEqualTo("/api/v0/models");
    assertThat(settings.connection().baseUrl()).isEqualTo(URI.create("http://127.0.0.1:1234/v1/"));
    assertThatThrownBy(() -> new LmStudioSettings(null)).hasMessage("connection: is required");
  }

  @Test
  void defaultBaseUrl_fromLmStudioHost() {
    assertThat(LmStudioSettings.defaultBaseUrl(Map.of())).hasToString("http://127.0.0.1:1234/v1/");
    assertThat(LmStudioSettings.defaultBaseUrl(Map.of("LMSTUDIO_HOST", " ")))
        .hasToString("http://127.0.0.1:1234/v1/");
    assertThat(LmStudioSettings.defaultBaseUrl(Map.of("LMSTUDIO_HOST", "gpu-box")))
        .hasToString("http://gpu-box:1234/v1/");
    assertThat(LmStudioSettings.defaultBaseUrl(Map.of("LMSTUDIO_HOST", "gpu-box:4321")))
        .hasToString("http://gpu-box:4321/v1/");
    assertThat(LmStudioSettings.defaultBaseUrl(Map.of("LMSTUDIO_HOST", "https://lms.example")))
        .hasToString("https://lms.example/v1/");
    assertThatThrownBy(
            () -> LmStudioSettings.defaultBaseUrl(Map.of("LMSTUDIO_HOST", "ftp://gpu-box")))
        .hasMessage("LMSTUDIO_HOST: must be an http or https address, was 'ftp://gpu-box'");
  }
}

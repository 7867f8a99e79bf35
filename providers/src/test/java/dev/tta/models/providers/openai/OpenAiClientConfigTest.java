package dev.tta.models.providers.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.providers.http.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpenAiClientConfigTest {

  static OpenAiClientConfig.Builder builder(String url) {
    return OpenAiClientConfig.builder(ProviderId.of("p"), URI.create(url));
  }

  @Test
  void defaults_namedConstants() {
    OpenAiClientConfig config = builder("https://api.openai.com/v1").build();

    assertThat(config.baseUrl()).isEqualTo(URI.create("https://api.openai.com/v1/"));
    assertThat(config.apiKey()).isEmpty();
    assertThat(config.headers()).isEmpty();
    assertThat(config.tokenLimitField()).isEqualTo(TokenLimitField.MAX_TOKENS);
    assertThat(config.streamUsage()).isTrue();
    assertThat(config.healthPath()).isEqualTo("models");
    assertThat(config.healthTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.catalogTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void baseUrl_trailingSlashKept() {
    assertThat(builder("http://127.0.0.1:8080/v1/").build().baseUrl())
        .isEqualTo(URI.create("http://127.0.0.1:8080/v1/"));
    assertThat(builder("HTTP://localhost:1234").build().baseUrl())
        .isEqualTo(URI.create("HTTP://localhost:1234/"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "ftp://host/v1 | base_url: must be an http or https URL, was 'ftp://host/v1'",
        "/v1 | base_url: must be an http or https URL, was '/v1'",
        "http:/v1 | base_url: must name a host, was 'http:/v1'",
        "http://h/v1?key=1 | base_url: must not have a query or fragment, was 'http://h/v1?key=1'",
        "http://h/v1#x | base_url: must not have a query or fragment, was 'http://h/v1#x'",
        "http://user:pw@h/v1 | base_url: must not hold credentials; use api_key",
      })
  void baseUrl_bad_refusedNamingTheField(String url, String message) {
    assertThatThrownBy(() -> builder(url).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void baseUrl_missing_refused() {
    assertThatThrownBy(() -> OpenAiClientConfig.builder(ProviderId.of("p"), null).build())
        .hasMessage("base_url: is required");
  }

  @Test
  void headers_checked() {
    assertThatThrownBy(() -> builder("http://h").headers(Map.of("Bad Name", "x")).build())
        .hasMessage("headers: 'Bad Name' is not a valid header name");
    assertThatThrownBy(() -> builder("http://h").headers(Map.of("X-A", "a\r\nb")).build())
        .hasMessage("headers.X-A: must not contain a line break");
    assertThatThrownBy(() -> builder("http://h").headers(Map.of("X-A", "a\nb")).build())
        .hasMessage("headers.X-A: must not contain a line break");
    assertThatThrownBy(
            () -> builder("http://h").headers(Map.of("authorization", "Bearer x")).build())
        .hasMessage("headers: 'authorization' is set by the client itself");
    Map<String, String> nullValue = new LinkedHashMap<>();
    nullValue.put("X-A", null);
    assertThatThrownBy(() -> builder("http://h").headers(nullValue).build())
        .hasMessage("headers.X-A: is required");
    assertThat(
            builder("http://h")
                .headers(Map.of("HTTP-Referer", "https://tta.dev"))
                .build()
                .headers())
        .containsExactly(Map.entry("HTTP-Referer", "https://tta.dev"));
  }

  @Test
  void healthPath_mustBeAPath() {
    assertThatThrownBy(() -> builder("http://h").healthPath("http://other/health").build())
        .hasMessage("health_path: must be a path, not a full address, was 'http://other/health'");
    assertThatThrownBy(() -> builder("http://h").healthPath("//other/health").build())
        .hasMessage("health_path: must be a path, not a full address, was '//other/health'");
    assertThatThrownBy(() -> builder("http://h").healthPath("a b").build())
        .hasMessage("health_path: is not a valid path, was 'a b'");
    assertThatThrownBy(() -> builder("http://h").healthPath(" ").build())
        .hasMessage("health_path: must not be blank");
  }

  @Test
  void timeouts_mustBePositive() {
    assertThatThrownBy(() -> builder("http://h").healthTimeout(Duration.ZERO).build())
        .hasMessage("health_timeout: must be positive, was PT0S");
    assertThatThrownBy(() -> builder("http://h").catalogTimeout(Duration.ofSeconds(-1)).build())
        .hasMessage("catalog_timeout: must be positive, was PT-1S");
    assertThatThrownBy(() -> builder("http://h").connectTimeout(null).build())
        .hasMessage("connect_timeout: is required");
    assertThat(builder("http://h").connectTimeout(Duration.ofNanos(1)).build().connectTimeout())
        .isEqualTo(Duration.ofNanos(1));
  }

  @Test
  void toString_hidesTheKeyAndHeaderValues() {
    OpenAiClientConfig config =
        builder("http://h/v1")
            .apiKey(Secret.of("sk-live-secret"))
            .headers(Map.of("X-Gateway-Token", "gw-secret"))
            .build();

    assertThat(config.toString())
        .doesNotContain("sk-live-secret")
        .doesNotContain("gw-secret")
        .contains("apiKey=[redacted]")
        .contains("headers=[X-Gateway-Token]");
    assertThat(builder("http://h/v1").build().toString()).contains("apiKey=none");
    assertThat(builder("http://h/v1").apiKey(null).build().apiKey()).isEqualTo(Optional.empty());
  }

  @Test
  void builder_everySetting() {
    OpenAiClientConfig config =
        builder("http://h/v1")
            .tokenLimitField(TokenLimitField.MAX_COMPLETION_TOKENS)
            .streamUsage(false)
            .build();

    assertThat(config.tokenLimitField().wireName()).isEqualTo("max_completion_tokens");
    assertThat(TokenLimitField.MAX_TOKENS.wireName()).isEqualTo("max_tokens");
    assertThat(config.streamUsage()).isFalse();
    assertThat(config.keyHeader()).isEqualTo(KeyHeader.BEARER);
  }

  @Test
  void toBuilder_keepsEverySetting() {
    OpenAiClientConfig config =
        builder("http://h/v1")
            .apiKey(Secret.of("sk-to-builder"))
            .headers(Map.of("X-A", "a"))
            .tokenLimitField(TokenLimitField.MAX_COMPLETION_TOKENS)
            .streamUsage(false)
            .healthPath("/health")
            .healthTimeout(Duration.ofSeconds(1))
            .catalogTimeout(Duration.ofSeconds(2))
            .connectTimeout(Duration.ofSeconds(3))
            .keyHeader(KeyHeader.X_API_KEY)
            .build();

    assertThat(config.toBuilder().build()).isEqualTo(config);
    assertThat(builder("http://h/v1").build().toBuilder().build().apiKey()).isEmpty();
    assertThatThrownBy(() -> builder("http://h/v1").keyHeader(null).build())
        .hasMessage("key_header: is required");
  }
}

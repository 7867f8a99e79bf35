package dev.tta.models.providers.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretTest {

  @Test
  void toString_neverShowsTheValue() {
    Secret secret = Secret.of("sk-live-1234567890");

    assertThat(secret.toString()).isEqualTo("[redacted]");
    assertThat(String.valueOf(java.util.Optional.of(secret))).doesNotContain("1234567890");
    assertThat(secret.reveal()).isEqualTo("sk-live-1234567890");
  }

  @Test
  void equals_byValue() {
    assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).hasSameHashCodeAs(Secret.of("a"));
    assertThat(Secret.of("a")).isNotEqualTo(Secret.of("b")).isNotEqualTo("a");
  }

  @Test
  void of_blank_refusedNamingTheField() {
    assertThatThrownBy(() -> Secret.of(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("secret: must not be blank");
  }

  @Test
  void httpCall_toString_leavesHeadersOut() {
    HttpCall call =
        HttpCall.get(
            URI.create("http://127.0.0.1:1/v1/models"),
            Map.of("Authorization", "Bearer sk-x-12345"));

    assertThat(call.toString()).isEqualTo("GET http://127.0.0.1:1/v1/models");
  }

  @Test
  void httpCall_relativeUri_refused() {
    assertThatThrownBy(() -> HttpCall.get(URI.create("/v1/models"), Map.of()))
        .hasMessage("uri: must be absolute, was /v1/models");
  }

  @Test
  void httpCall_body_isACopy() {
    byte[] body = {1, 2};
    HttpCall call = HttpCall.post(URI.create("http://h/x"), Map.of(), body);
    body[0] = 9;
    call.body()[1] = 9;

    assertThat(call.body()).containsExactly(1, 2);
    assertThat(call)
        .isEqualTo(HttpCall.post(URI.create("http://h/x"), Map.of(), new byte[] {1, 2}));
    assertThat(call.hashCode())
        .isEqualTo(HttpCall.post(URI.create("http://h/x"), Map.of(), new byte[] {1, 2}).hashCode());
    assertThat(call)
        .isNotEqualTo(HttpCall.post(URI.create("http://h/x"), Map.of(), new byte[] {1}));
  }
}

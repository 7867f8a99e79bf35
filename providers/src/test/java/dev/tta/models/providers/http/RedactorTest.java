package dev.tta.models.providers.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {

  @Test
  void redact_configuredSecret_replacedEverywhere() {
    Redactor redactor = Redactor.of(List.of(Secret.of("DEADBEEF")));

    assertThat(redactor.redact("key DEADBEEF and DEADBEEF again"))
        .isEqualTo("key [redacted] and [redacted] again");
  }

  @Test
  void redact_openAiEchoOfAnyKey_replacedWithoutKnowingTheKey() {
    // the message of openai/error_401_invalid_api_key.json
    String message =
        "Incorrect API key provided: DEADBEEF. You can find your API key at"
            + " https://platform.openai.com/account/api-keys.";

    assertThat(Redactor.of(List.of()).redact(message))
        .isEqualTo(
            "Incorrect API key provided: [redacted] You can find your API key at"
                + " https://platform.openai.com/account/api-keys.");
  }

  @Test
  void redact_keyLikeText_replaced() {
    Redactor redactor = Redactor.of(List.of());

    assertThat(redactor.redact("sent sk-proj-abc123XYZ to the server"))
        .isEqualTo("sent [redacted] to the server");
    assertThat(redactor.redact("Authorization: Bearer abc.def-123"))
        .isEqualTo("Authorization: Bearer [redacted]");
    assertThat(redactor.redact("sk-abc is too short to be a key"))
        .isEqualTo("sk-abc is too short to be a key");
  }

  @Test
  void redact_plainText_unchanged() {
    assertThat(Redactor.of(List.of(Secret.of("s3cret"))).redact("Invalid API Key"))
        .isEqualTo("Invalid API Key");
  }

  @Test
  void redact_null_empty() {
    assertThat(Redactor.of(List.of()).redact(null)).isEmpty();
  }

  @Test
  void redact_severalSecrets_allReplaced() {
    Redactor redactor = Redactor.of(List.of(Secret.of("first-key"), Secret.of("second-key")));

    assertThat(redactor.redact("first-key/second-key")).isEqualTo("[redacted]/[redacted]");
  }
}

package dev.tta.models.testkit.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FixtureSetTest {

  static final FixtureSet HAND_WRITTEN =
      FixtureSet.classpath("/dev/tta/models/testkit/fixtures/openai-compatible");

  @Test
  void classpath_exchangeWithRequest() {
    Exchange chat = HAND_WRITTEN.exchange("chat");

    assertThat(chat.method()).isEqualTo("POST");
    assertThat(chat.path()).isEqualTo("/v1/chat/completions");
    assertThat(chat.request().orElseThrow().bodyText()).startsWith("{\"model\":\"gpt-4o-mini\"");
    assertThat(chat.response().status()).isEqualTo(200);
    assertThat(chat.toString()).isEqualTo("chat (POST /v1/chat/completions -> 200)");
  }

  @Test
  void classpath_exchangeWithoutRequest_servedAtRootUntilPlaced() {
    Exchange models = HAND_WRITTEN.exchange("models");

    assertThat(models.request()).isEmpty();
    assertThat(models.path()).isEqualTo("/");
    assertThat(models.servedAt("GET", "/v1/models").path()).isEqualTo("/v1/models");
    assertThat(models.withRequestBody("{}".getBytes()).request().orElseThrow().bodyText())
        .isEqualTo("{}");
  }

  @Test
  void classpath_missingOrUnlistable_refused() {
    assertThatThrownBy(() -> HAND_WRITTEN.bytes("nope.json"))
        .hasMessage(
            "classpath:/dev/tta/models/testkit/fixtures/openai-compatible/ has no nope.json");
    assertThatThrownBy(HAND_WRITTEN::exchangeNames).isInstanceOf(IllegalStateException.class);
    assertThat(HAND_WRITTEN.file("models.response.http")).isEmpty();
    assertThat(HAND_WRITTEN.toString()).isEqualTo(HAND_WRITTEN.description());
  }

  @Test
  void shared_listsTheLlamaRecordings() {
    FixtureSet llama = FixtureSet.shared("llama-server");

    assertThat(llama.exchangeNames()).hasSize(27).contains("chat_nonstream", "metrics");
    assertThat(llama.description()).isEqualTo("../shared/fixtures/llama-server");
    assertThat(FixtureSet.sharedPresent("llama-server")).isTrue();
    assertThat(FixtureSet.sharedPresent("no-such-provider")).isFalse();
  }
}

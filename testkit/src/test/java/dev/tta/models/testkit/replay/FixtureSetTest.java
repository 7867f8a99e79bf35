package dev.tta.models.testkit.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

  static void write(Path folder, String name, String text) throws IOException {
    Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
  }

  @Test
  void directory_listsTheExchangesRecordedWhole_andReadsThem(@TempDir Path folder)
      throws IOException {
    write(folder, "models.response.http", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    write(
        folder,
        "chat.request.http",
        "POST /v1/chat/completions HTTP/1.1\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
    write(folder, "chat.response.http", "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n");
    write(folder, "notes.txt", "not an exchange");

    FixtureSet own = FixtureSet.directory(folder);

    assertThat(own.exchangeNames()).containsExactly("chat", "models");
    Exchange chat = own.exchange("chat");
    assertThat(chat.toString()).isEqualTo("chat (POST /v1/chat/completions -> 503)");
    assertThat(chat.request().orElseThrow().bodyText()).isEqualTo("{\"a\":1}");
    assertThat(own.exchange("models").request()).isEmpty();
    assertThat(own.bytes("notes.txt")).asString().isEqualTo("not an exchange");
    assertThat(own.file("notes.txt")).contains(folder.resolve("notes.txt"));
    assertThat(own.description()).isEqualTo(folder.toString());
  }

  @Test
  void directory_aMissingFileIsAnError_notASkip(@TempDir Path folder) {
    FixtureSet own = FixtureSet.directory(folder);

    assertThatThrownBy(() -> own.bytes("nope.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(folder + " has no nope.json");
    assertThatThrownBy(() -> FixtureSet.directory(folder.resolve("absent")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fixtures: " + folder.resolve("absent") + " is not a folder");
  }
}

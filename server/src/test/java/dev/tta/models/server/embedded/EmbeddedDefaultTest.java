package dev.tta.models.server.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tta.models.server.config.GatewayConfig;
import dev.tta.models.server.config.ProviderSettings;
import dev.tta.models.testkit.servers.RefusingPort;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDefaultTest {

  @TempDir Path data;

  private final RefusingPort noOllama = RefusingPort.open();
  private final RefusingPort noLmStudio = RefusingPort.open();

  @AfterEach
  void releasePorts() {
    noOllama.close();
    noLmStudio.close();
  }

  @Test
  void offline_itIsTheLocalProviderOverTheDataFolder_withTheBuiltInModelWritten() throws Exception {
    Map<String, String> env =
        Map.of(
            "MM_DATA_DIR", data.toString(),
            "OLLAMA_HOST", "127.0.0.1:" + noOllama.port(),
            "LMSTUDIO_HOST", "127.0.0.1:" + noLmStudio.port());

    GatewayConfig config = EmbeddedDefault.create(env);

    assertThat(config.providers())
        .extracting(p -> p.id() + " " + p.type() + " " + p.location())
        .containsExactly("local local " + data.resolve("models"));
    Path model = data.resolve("models").resolve("tta-tiny-random.gguf");
    assertThat(model).isRegularFile();
    // GGUF files begin with the magic "GGUF"
    assertThat(new String(Files.readAllBytes(model), 0, 4, StandardCharsets.US_ASCII))
        .isEqualTo("GGUF");
    assertThat(config.notices()).hasSize(1);
    assertThat(config.notices().get(0))
        .contains("local/tta-tiny-random has random weights")
        .contains(
            "run: ./mm pull local"
                + " hf://Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf")
        .contains(data.resolve("models").toString());
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.server().port()).isEqualTo(8080);
    assertThat(config.auth().open()).isTrue();
  }

  @Test
  void theBuiltInModel_isWrittenOnce_andKeptOnLaterStarts() throws Exception {
    Map<String, String> env =
        Map.of(
            "MM_DATA_DIR",
            data.toString(),
            "OLLAMA_HOST",
            "127.0.0.1:" + noOllama.port(),
            "LMSTUDIO_HOST",
            "127.0.0.1:" + noLmStudio.port());
    EmbeddedDefault.create(env);
    Path model = data.resolve("models").resolve("tta-tiny-random.gguf");
    FileTime marked = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(model, marked);

    EmbeddedDefault.create(env);

    assertThat(Files.getLastModifiedTime(model)).isEqualTo(marked);
    assertThat(Files.list(data.resolve("models"))).hasSize(1);
  }

  @Test
  void localServersThatListen_andKeysThatAreSet_addTheirProviders() throws Exception {
    try (ServerSocket ollama = new ServerSocket(0)) {
      Map<String, String> env = new HashMap<>();
      env.put("MM_DATA_DIR", data.toString());
      env.put("OLLAMA_HOST", "127.0.0.1:" + ollama.getLocalPort());
      env.put("LMSTUDIO_HOST", "127.0.0.1:" + noLmStudio.port());
      env.put("OPENROUTER_API_KEY", "sk-or-test-0001");
      env.put("ANTHROPIC_API_KEY", "sk-ant-test-0001");
      env.put("OPENAI_API_KEY", "sk-openai-test-0001");

      GatewayConfig config = EmbeddedDefault.create(env);

      assertThat(config.providers())
          .extracting(ProviderSettings::location)
          .containsExactly(
              data.resolve("models").toString(),
              "http://127.0.0.1:" + ollama.getLocalPort() + "/",
              "https://openrouter.ai/api/v1/",
              "https://api.anthropic.com/v1/",
              "https://api.openai.com/v1");
      assertThat(config.providers())
          .extracting(p -> p.id().value())
          .containsExactly("local", "ollama", "openrouter", "anthropic", "openai");
      assertThat(config.notices()).last().isEqualTo("Found running: Ollama.");
      assertThat(config.toString()).doesNotContain("sk-openai-test-0001");
    }
  }
}

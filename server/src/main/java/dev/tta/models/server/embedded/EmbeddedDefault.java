package dev.tta.models.server.embedded;

import dev.tta.models.providers.lmstudio.LmStudioSettings;
import dev.tta.models.providers.local.gguf.TinyLlamaWriter;
import dev.tta.models.providers.ollama.OllamaSettings;
import dev.tta.models.server.config.ConfigReader;
import dev.tta.models.server.config.GatewayConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the gateway serves with no configuration file: the local provider over the data directory's
 * {@code models} folder, with a tiny random-weights model written there on first run so that it
 * answers offline; Ollama and LM Studio when something listens on their ports; OpenRouter,
 * Anthropic and OpenAI when their key variables are set. Built as a configuration and read by
 * {@link ConfigReader}, so it is checked like any file.
 */
public final class EmbeddedDefault {

  /** The built-in model's file name in the models folder. */
  public static final String BUILT_IN_FILE = TinyLlamaWriter.NAME + ".gguf";

  /** Fixed, so that every first run writes the same model. */
  public static final long BUILT_IN_SEED = 20_261_128L;

  public static final String OPENAI_KEY_ENV = "OPENAI_API_KEY";

  /**
   * A real small instruct model the banner offers in one command: Qwen's own GGUF of Qwen2.5 0.5B
   * Instruct at Q4_K_M, which carries its chat template.
   */
  public static final String REAL_MODEL =
      "hf://Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q4_k_m.gguf";

  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(300);

  private EmbeddedDefault() {}

  /** The embedded default for this environment; writes the built-in model when it is missing. */
  public static GatewayConfig create(Map<String, String> env) {
    Path dataDir = ConfigReader.defaultDataDirectory(env);
    Path models = dataDir.resolve("models");
    Path builtIn = models.resolve(BUILT_IN_FILE);
    try {
      Files.createDirectories(models);
      if (!Files.exists(builtIn)) {
        Path partial = models.resolve(BUILT_IN_FILE + ".partial");
        TinyLlamaWriter.write(partial, BUILT_IN_SEED);
        Files.move(partial, builtIn, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the built-in model into " + models, e);
    }
    JsonMapper json = JsonMapper.builder().build();
    ObjectNode root = json.createObjectNode();
    root.put("data_dir", dataDir.toString());
    ArrayNode providers = root.putArray("providers");
    ObjectNode local = providers.addObject();
    local.put("name", "local");
    local.put("type", "local");
    local.putArray("model_paths").add(models.toString());
    List<String> found = new ArrayList<>();
    if (listening(OllamaSettings.defaultBaseUrl(env))) {
      providers.addObject().put("name", "ollama").put("type", "ollama");
      found.add("Ollama");
    }
    if (listening(LmStudioSettings.defaultBaseUrl(env))) {
      providers.addObject().put("name", "lmstudio").put("type", "lm_studio");
      found.add("LM Studio");
    }
    if (set(env, "OPENROUTER_API_KEY")) {
      providers.addObject().put("name", "openrouter").put("type", "openrouter");
    }
    if (set(env, "ANTHROPIC_API_KEY")) {
      providers.addObject().put("name", "anthropic").put("type", "anthropic");
    }
    if (set(env, OPENAI_KEY_ENV)) {
      providers
          .addObject()
          .put("name", "openai")
          .put("type", "custom_api")
          .put("base_url", "https://api.openai.com/v1")
          .put("api_key", "${" + OPENAI_KEY_ENV + "}")
          .put("token_limit_field", "max_completion_tokens");
    }
    GatewayConfig read =
        new ConfigReader(env).parse(json.writeValueAsString(root), "the embedded default", dataDir);
    List<String> notices = new ArrayList<>();
    notices.add(
        "The built-in model local/"
            + TinyLlamaWriter.NAME
            + " has random weights: it answers offline, but only with a meaningless planted phrase."
            + " For a real small instruct model (about 400 MB) run: ./mm pull local "
            + REAL_MODEL
            + " -- or put GGUF files in "
            + models
            + ", start Ollama or LM Studio, set OPENROUTER_API_KEY / ANTHROPIC_API_KEY /"
            + " OPENAI_API_KEY, or write a configuration (docs/features/configuration.md).");
    if (!found.isEmpty()) {
      notices.add("Found running: " + String.join(", ", found) + ".");
    }
    return read.describedAs("the embedded default (no configuration file)", notices);
  }

  private static boolean set(Map<String, String> env, String name) {
    String value = env.get(name);
    return value != null && !value.isBlank();
  }

  private static boolean listening(URI base) {
    int port = base.getPort() > 0 ? base.getPort() : ("https".equals(base.getScheme()) ? 443 : 80);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), port), (int) PROBE_TIMEOUT.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}

package dev.tta.models.providers.lmstudio;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.http.ServerAddress;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.providers.spi.NamedSettings;
import java.net.URI;
import java.util.Map;

/**
 * The configuration of an {@code lm_studio} provider: LM Studio's local server.
 *
 * @param connection {@code base_url} (its OpenAI-compatible root, default {@link
 *     #DEFAULT_BASE_URL}, or from {@code LMSTUDIO_HOST}), {@code api_key} (only when the server
 *     demands one), timeouts and the other keys of {@link OpenAiClientConfig}. Its health path is
 *     LM Studio's model listing unless configured otherwise.
 */
public record LmStudioSettings(OpenAiClientConfig connection) implements NamedSettings {

  public static final int DEFAULT_PORT = 1234;
  public static final URI DEFAULT_BASE_URL = URI.create("http://127.0.0.1:1234/v1/");
  public static final String HOST_ENV = "LMSTUDIO_HOST";

  /** LM Studio's own listing, with load state, type and context; outside {@code /v1}. */
  public static final String REST_MODELS_PATH = "/api/v0/models";

  public LmStudioSettings {
    Checks.notNull(connection, "connection");
  }

  /**
   * The OpenAI-compatible root: {@code LMSTUDIO_HOST} ({@code host}, {@code host:port} or a URL)
   * with {@code /v1}, or {@link #DEFAULT_BASE_URL}.
   *
   * @throws IllegalArgumentException naming the variable when its value is no address
   */
  public static URI defaultBaseUrl(Map<String, String> env) {
    String host = env.get(HOST_ENV);
    if (host == null || host.isBlank()) {
      return DEFAULT_BASE_URL;
    }
    return ServerAddress.parse(host, DEFAULT_PORT, HOST_ENV).resolve("v1/");
  }

  /** A connection to the given root whose health check asks LM Studio's model listing. */
  public static OpenAiClientConfig.Builder connection(ProviderId id, URI baseUrl) {
    return OpenAiClientConfig.builder(id, baseUrl).healthPath(REST_MODELS_PATH);
  }

  @Override
  public ProviderId id() {
    return connection.providerId();
  }
}

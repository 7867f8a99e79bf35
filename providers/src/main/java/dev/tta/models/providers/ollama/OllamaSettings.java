package dev.tta.models.providers.ollama;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.customapi.CustomModelSettings;
import dev.tta.models.providers.http.ServerAddress;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.providers.spi.NamedSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configuration of an {@code ollama} provider: Ollama's native API ({@code /api/*}).
 *
 * @param connection {@code base_url} (the server root, default {@link #DEFAULT_BASE_URL}, or from
 *     {@code OLLAMA_HOST}), {@code api_key} (only behind a proxy that wants one), timeouts and the
 *     other keys of {@link OpenAiClientConfig}; {@link #connection(ProviderId, URI)} starts one
 *     whose health check asks {@code /api/version}
 * @param models {@code models}: per-model metadata (scores, capabilities, context) merged over what
 *     Ollama reports; a configured model Ollama does not have is not offered (it would have to be
 *     pulled first)
 */
public record OllamaSettings(OpenAiClientConfig connection, List<CustomModelSettings> models)
    implements NamedSettings {

  public static final int DEFAULT_PORT = 11434;
  public static final URI DEFAULT_BASE_URL = URI.create("http://127.0.0.1:11434/");
  public static final String HOST_ENV = "OLLAMA_HOST";
  static final String VERSION_PATH = "api/version";

  public OllamaSettings {
    Checks.notNull(connection, "connection");
    models = Checks.listOf(models, "models");
    Set<String> seen = new HashSet<>();
    for (CustomModelSettings model : models) {
      Checks.require(seen.add(model.id()), "models", "lists '" + model.id() + "' more than once");
    }
  }

  /**
   * The server root: {@code OLLAMA_HOST} ({@code host}, {@code host:port} or a URL, as Ollama reads
   * it) or {@link #DEFAULT_BASE_URL}.
   *
   * @throws IllegalArgumentException naming the variable when its value is no address
   */
  public static URI defaultBaseUrl(Map<String, String> env) {
    String host = env.get(HOST_ENV);
    if (host == null || host.isBlank()) {
      return DEFAULT_BASE_URL;
    }
    return ServerAddress.parse(host, DEFAULT_PORT, HOST_ENV);
  }

  /** A connection to the given root whose health check asks {@code /api/version}. */
  public static OpenAiClientConfig.Builder connection(ProviderId id, URI baseUrl) {
    return OpenAiClientConfig.builder(id, baseUrl).healthPath(VERSION_PATH);
  }

  public static OllamaSettings of(OpenAiClientConfig connection) {
    return new OllamaSettings(connection, List.of());
  }

  @Override
  public ProviderId id() {
    return connection.providerId();
  }

  /** These settings with one more model's metadata. */
  public OllamaSettings withModel(CustomModelSettings model) {
    List<CustomModelSettings> more = new ArrayList<>(models);
    more.add(model);
    return new OllamaSettings(connection, more);
  }
}

package dev.tta.models.providers.anthropic;

import dev.tta.models.catalog.AssistantPrefill;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.customapi.CustomApiCatalog;
import dev.tta.models.providers.customapi.CustomModelSettings;
import dev.tta.models.providers.openai.KeyHeader;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.providers.spi.NamedSettings;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The configuration of an {@code anthropic} provider: Anthropic's Messages API, or a server that
 * copies it. Validated on construction: a bad value is refused with a message naming its key.
 *
 * @param connection {@code base_url} (the API root with its version segment, default {@link
 *     #DEFAULT_BASE_URL}), {@code api_key} (sent as {@code x-api-key}), {@code headers}, timeouts;
 *     {@link #connection(ProviderId, URI)} starts one with the right key header and health path
 * @param anthropicVersion {@code anthropic_version}: the {@code anthropic-version} header
 * @param defaultMaxTokens {@code default_max_tokens}: the API requires {@code max_tokens}; this is
 *     sent when a request sets none
 * @param discoverModels {@code discover_models}: also offer the models {@code GET models} lists
 * @param models {@code models}: per-model metadata (context window, prices, scores, capabilities)
 */
public record AnthropicSettings(
    OpenAiClientConfig connection,
    String anthropicVersion,
    int defaultMaxTokens,
    boolean discoverModels,
    List<CustomModelSettings> models)
    implements NamedSettings {

  public static final URI DEFAULT_BASE_URL = URI.create("https://api.anthropic.com/v1/");
  public static final String DEFAULT_VERSION = "2023-06-01";
  public static final int DEFAULT_MAX_TOKENS = 1024;

  /**
   * Claude models' window as Anthropic documents it for every current model (its models API does
   * not say), for a listed model configuration says nothing about.
   */
  public static final int DEFAULT_CONTEXT_LENGTH = 200_000;

  /**
   * What every Claude model does: the documented window, tool use, and continuing an answer sent as
   * the last (assistant) message, which Anthropic calls prefill.
   */
  public static final CustomApiCatalog.TypeDefaults TYPE_DEFAULTS =
      new CustomApiCatalog.TypeDefaults(
          OptionalInt.of(DEFAULT_CONTEXT_LENGTH),
          Set.of("chat", "tools"),
          AssistantPrefill.SUPPORTED);

  static final String VERSION_HEADER = "anthropic-version";

  public AnthropicSettings {
    Checks.notNull(connection, "connection");
    Checks.require(
        connection.keyHeader() == KeyHeader.X_API_KEY,
        "connection",
        "must send the key as x-api-key (use AnthropicSettings.connection)");
    Checks.notBlank(anthropicVersion, "anthropic_version");
    Checks.positive(defaultMaxTokens, "default_max_tokens");
    models = Checks.listOf(models, "models");
    Set<String> seen = new HashSet<>();
    for (CustomModelSettings model : models) {
      Checks.require(seen.add(model.id()), "models", "lists '" + model.id() + "' more than once");
    }
    Checks.require(
        discoverModels || !models.isEmpty(),
        "models",
        "must name at least one model when discover_models is false");
  }

  /** A connection that sends the key as {@code x-api-key} and checks health on the model list. */
  public static OpenAiClientConfig.Builder connection(ProviderId id, URI baseUrl) {
    return OpenAiClientConfig.builder(id, baseUrl).keyHeader(KeyHeader.X_API_KEY);
  }

  public static Builder builder(OpenAiClientConfig connection) {
    return new Builder(connection);
  }

  @Override
  public ProviderId id() {
    return connection.providerId();
  }

  /** The connection with the version header added to the configured ones. */
  public OpenAiClientConfig clientConfig() {
    Map<String, String> headers = new LinkedHashMap<>(connection.headers());
    headers.put(VERSION_HEADER, anthropicVersion);
    return connection.toBuilder().headers(headers).build();
  }

  /** Defaults: {@link #DEFAULT_VERSION}, {@link #DEFAULT_MAX_TOKENS}, discovery on. */
  public static final class Builder {
    private final OpenAiClientConfig connection;
    private String anthropicVersion = DEFAULT_VERSION;
    private int defaultMaxTokens = DEFAULT_MAX_TOKENS;
    private boolean discoverModels = true;
    private final List<CustomModelSettings> models = new ArrayList<>();

    private Builder(OpenAiClientConfig connection) {
      this.connection = connection;
    }

    public Builder anthropicVersion(String anthropicVersion) {
      this.anthropicVersion = anthropicVersion;
      return this;
    }

    public Builder defaultMaxTokens(int defaultMaxTokens) {
      this.defaultMaxTokens = defaultMaxTokens;
      return this;
    }

    public Builder discoverModels(boolean discoverModels) {
      this.discoverModels = discoverModels;
      return this;
    }

    public Builder addModel(CustomModelSettings model) {
      this.models.add(model);
      return this;
    }

    public AnthropicSettings build() {
      return new AnthropicSettings(
          connection, anthropicVersion, defaultMaxTokens, discoverModels, models);
    }
  }
}

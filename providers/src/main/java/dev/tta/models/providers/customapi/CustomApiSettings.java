package dev.tta.models.providers.customapi;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.providers.openai.TokenLimitField;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration of a {@code custom_api} provider: any server that speaks the OpenAI chat API
 * (vLLM, llama.cpp's server, LocalAI, OpenAI itself). Validated on construction: a bad value is
 * refused with a message naming its configuration key.
 *
 * @param id the provider's name, the prefix of its model keys ({@code llamacpp/tiny-random})
 * @param baseUrl {@code base_url}: the API root with its version segment, {@code
 *     http://127.0.0.1:8080/v1}
 * @param apiKey {@code api_key}: sent as a bearer token when present
 * @param headers {@code headers}: extra headers for every request
 * @param tokenLimitField {@code token_limit_field}: {@code max_tokens} (default) or {@code
 *     max_completion_tokens}
 * @param streamUsage {@code stream_usage}: ask for usage in streams
 * @param healthPath {@code health_path}: what a health check asks for ({@code models}, or {@code
 *     /health} for llama.cpp's server)
 * @param healthTimeout {@code health_timeout}
 * @param catalogTimeout {@code catalog_timeout}: for listing models
 * @param connectTimeout {@code connect_timeout}
 * @param discoverModels {@code discover_models}: also offer the models the server lists
 * @param models {@code models}: per-model metadata; configured models are offered even when the
 *     server does not list them
 */
public record CustomApiSettings(
    ProviderId id,
    URI baseUrl,
    Optional<Secret> apiKey,
    Map<String, String> headers,
    TokenLimitField tokenLimitField,
    boolean streamUsage,
    String healthPath,
    Duration healthTimeout,
    Duration catalogTimeout,
    Duration connectTimeout,
    boolean discoverModels,
    List<CustomModelSettings> models) {

  public static final boolean DEFAULT_DISCOVER_MODELS = true;

  /** The context window of a model whose window neither configuration nor server gives. */
  public static final int DEFAULT_CONTEXT_LENGTH = 4096;

  public CustomApiSettings {
    Checks.notNull(id, "id");
    baseUrl = OpenAiClientConfig.normaliseBaseUrl(baseUrl, "base_url");
    Checks.notNull(apiKey, "api_key");
    headers = OpenAiClientConfig.headers(headers, "headers");
    Checks.notNull(tokenLimitField, "token_limit_field");
    OpenAiClientConfig.healthPath(healthPath, "health_path");
    OpenAiClientConfig.positive(healthTimeout, "health_timeout");
    OpenAiClientConfig.positive(catalogTimeout, "catalog_timeout");
    OpenAiClientConfig.positive(connectTimeout, "connect_timeout");
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

  public static Builder builder(String id, URI baseUrl) {
    return new Builder(ProviderId.of(id), baseUrl);
  }

  /** The shared client's configuration for these settings. */
  public OpenAiClientConfig clientConfig() {
    return new OpenAiClientConfig(
        id,
        baseUrl,
        apiKey,
        headers,
        tokenLimitField,
        streamUsage,
        healthPath,
        healthTimeout,
        catalogTimeout,
        connectTimeout);
  }

  /** Header values are left out: a gateway header can be a credential. */
  @Override
  public String toString() {
    return "CustomApiSettings[id="
        + id
        + ", baseUrl="
        + baseUrl
        + ", apiKey="
        + apiKey.map(Secret::toString).orElse("none")
        + ", headers="
        + headers.keySet()
        + ", discoverModels="
        + discoverModels
        + ", models="
        + models.stream().map(CustomModelSettings::id).toList()
        + "]";
  }

  /** Defaults as in {@link OpenAiClientConfig} and {@link #DEFAULT_DISCOVER_MODELS}. */
  public static final class Builder {
    private final ProviderId id;
    private final URI baseUrl;
    private Optional<Secret> apiKey = Optional.empty();
    private Map<String, String> headers = Map.of();
    private TokenLimitField tokenLimitField = OpenAiClientConfig.DEFAULT_TOKEN_LIMIT_FIELD;
    private boolean streamUsage = OpenAiClientConfig.DEFAULT_STREAM_USAGE;
    private String healthPath = OpenAiClientConfig.DEFAULT_HEALTH_PATH;
    private Duration healthTimeout = OpenAiClientConfig.DEFAULT_HEALTH_TIMEOUT;
    private Duration catalogTimeout = OpenAiClientConfig.DEFAULT_CATALOG_TIMEOUT;
    private Duration connectTimeout = OpenAiClientConfig.DEFAULT_CONNECT_TIMEOUT;
    private boolean discoverModels = DEFAULT_DISCOVER_MODELS;
    private final List<CustomModelSettings> models = new ArrayList<>();

    private Builder(ProviderId id, URI baseUrl) {
      this.id = id;
      this.baseUrl = baseUrl;
    }

    public Builder apiKey(Secret apiKey) {
      this.apiKey = Optional.ofNullable(apiKey);
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      this.headers = headers;
      return this;
    }

    public Builder tokenLimitField(TokenLimitField tokenLimitField) {
      this.tokenLimitField = tokenLimitField;
      return this;
    }

    public Builder streamUsage(boolean streamUsage) {
      this.streamUsage = streamUsage;
      return this;
    }

    public Builder healthPath(String healthPath) {
      this.healthPath = healthPath;
      return this;
    }

    public Builder healthTimeout(Duration healthTimeout) {
      this.healthTimeout = healthTimeout;
      return this;
    }

    public Builder catalogTimeout(Duration catalogTimeout) {
      this.catalogTimeout = catalogTimeout;
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = connectTimeout;
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

    public CustomApiSettings build() {
      return new CustomApiSettings(
          id,
          baseUrl,
          apiKey,
          headers,
          tokenLimitField,
          streamUsage,
          healthPath,
          healthTimeout,
          catalogTimeout,
          connectTimeout,
          discoverModels,
          models);
    }
  }
}

package dev.tta.models.providers.customapi;

import dev.tta.models.catalog.ProviderId;
import dev.tta.models.internal.Checks;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import dev.tta.models.providers.spi.NamedSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The configuration of a {@code custom_api} provider: any server that speaks the OpenAI chat API
 * (vLLM, llama.cpp's server, LocalAI, OpenAI itself). Validated on construction: a bad value is
 * refused with a message naming its configuration key.
 *
 * @param connection how to reach the server: {@code base_url} (the API root with its version
 *     segment, {@code http://127.0.0.1:8080/v1}), {@code api_key}, {@code headers}, timeouts and
 *     the other keys of {@link OpenAiClientConfig}; its provider id is the prefix of the model keys
 *     ({@code llamacpp/tiny-random})
 * @param discoverModels {@code discover_models}: also offer the models the server lists
 * @param models {@code models}: per-model metadata; configured models are offered even when the
 *     server does not list them
 */
public record CustomApiSettings(
    OpenAiClientConfig connection, boolean discoverModels, List<CustomModelSettings> models)
    implements NamedSettings {

  public static final boolean DEFAULT_DISCOVER_MODELS = true;

  public CustomApiSettings {
    Checks.notNull(connection, "connection");
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

  /** Settings that discover the server's models and add no metadata of their own. */
  public static Builder builder(OpenAiClientConfig connection) {
    return new Builder(connection);
  }

  /** The provider's name, the prefix of its model keys. */
  @Override
  public ProviderId id() {
    return connection.providerId();
  }

  @Override
  public String toString() {
    return "CustomApiSettings[connection="
        + connection
        + ", discoverModels="
        + discoverModels
        + ", models="
        + models.stream().map(CustomModelSettings::id).toList()
        + "]";
  }

  /** Defaults: {@link #DEFAULT_DISCOVER_MODELS}, no per-model metadata. */
  public static final class Builder {
    private final OpenAiClientConfig connection;
    private boolean discoverModels = DEFAULT_DISCOVER_MODELS;
    private final List<CustomModelSettings> models = new ArrayList<>();

    private Builder(OpenAiClientConfig connection) {
      this.connection = connection;
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
      return new CustomApiSettings(connection, discoverModels, models);
    }
  }
}

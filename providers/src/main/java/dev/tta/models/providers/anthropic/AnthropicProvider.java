package dev.tta.models.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.customapi.CustomApiCatalog;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.openai.OpenAiModel;
import dev.tta.models.providers.spi.HttpModelProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The {@code anthropic} provider: Claude models through the Messages API, described by
 * configuration merged with what {@code GET models} lists (as {@code custom_api} merges them, with
 * Claude's 200,000-token window where nothing says otherwise). Built by {@link
 * AnthropicProviderFactory}.
 */
public final class AnthropicProvider extends HttpModelProvider<AnthropicSettings> {

  static final String MODELS = "models";

  AnthropicProvider(AnthropicSettings settings, OpenAiClient client) {
    super(ProviderType.ANTHROPIC, settings, client);
  }

  @Override
  public List<ModelInfo> configuredModels() {
    return CustomApiCatalog.configuredOnly(
        id(), ProviderType.ANTHROPIC, AnthropicSettings.TYPE_DEFAULTS, settings().models());
  }

  /**
   * The configured models, and with {@code discover_models} the listed ones.
   *
   * @throws ProviderException when the listing failed
   */
  @Override
  protected List<ModelInfo> catalog() {
    List<OpenAiModel> listed = settings().discoverModels() ? listed() : List.of();
    return CustomApiCatalog.merge(
        id(), ProviderType.ANTHROPIC, AnthropicSettings.TYPE_DEFAULTS, settings().models(), listed);
  }

  /** Calls go through the Messages API, not the OpenAI-compatible one. */
  @Override
  protected ModelInstance open(ModelInfo info) {
    return new AnthropicModel(info, client(), settings().defaultMaxTokens());
  }

  /**
   * {@code data[].id} of Anthropic's listing; entries without an id are left out. A listing without
   * {@code data} fails here without a cause, as there is no parser error to carry.
   */
  private List<OpenAiModel> listed() {
    JsonNode data = client().getJson(MODELS).path("data");
    if (!data.isArray()) {
      throw new ProviderException.Unavailable(
          id(), null, "GET " + MODELS + ": the model listing has no 'data' array", null);
    }
    List<OpenAiModel> models = new ArrayList<>();
    for (JsonNode model : data) {
      String modelId = model.path("id").asText("");
      if (!modelId.isBlank()) {
        models.add(new OpenAiModel(modelId, "anthropic", OptionalInt.empty()));
      }
    }
    return models;
  }
}

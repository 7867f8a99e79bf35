package dev.tta.models.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.providers.customapi.CustomApiCatalog;
import dev.tta.models.providers.loading.ModelHandles;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.openai.OpenAiModel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The {@code anthropic} provider: Claude models through the Messages API, described by
 * configuration merged with what {@code GET models} lists (as {@code custom_api} merges them, with
 * Claude's 200,000-token window where nothing says otherwise). Built by {@link
 * AnthropicProviderFactory}.
 */
public final class AnthropicProvider implements ModelProvider {

  static final String MODELS = "models";

  private final AnthropicSettings settings;
  private final OpenAiClient client;
  private final ModelHandles<AnthropicModel> handles;

  AnthropicProvider(AnthropicSettings settings, OpenAiClient client) {
    this.settings = settings;
    this.client = client;
    this.handles = new ModelHandles<>(settings.id());
  }

  public AnthropicSettings settings() {
    return settings;
  }

  @Override
  public ProviderId id() {
    return settings.id();
  }

  @Override
  public ProviderType type() {
    return ProviderType.ANTHROPIC;
  }

  /**
   * The configured models, and with {@code discover_models} the listed ones, that pass the filter.
   *
   * @throws ProviderException when the listing failed
   */
  @Override
  public List<ModelInfo> listModels(ModelFilter filter) {
    return catalog().stream().filter(filter::accepts).toList();
  }

  /**
   * A handle for a configured or listed model; the same handle until it is unloaded.
   *
   * @throws ProviderException.ModelNotFound when neither configuration nor the server has it
   */
  @Override
  public ModelInstance load(String modelId, LoadOptions options) {
    return handles.load(
        modelId,
        this::catalog,
        configuredModels(),
        info -> new AnthropicModel(info, client, settings.defaultMaxTokens()));
  }

  @Override
  public List<ModelInfo> configuredModels() {
    return CustomApiCatalog.configuredOnly(
        id(), ProviderType.ANTHROPIC, AnthropicSettings.TYPE_DEFAULTS, settings.models());
  }

  @Override
  public void unload(String modelId) {
    handles.unload(modelId);
  }

  @Override
  public ProviderHealth health() {
    return client.health();
  }

  @Override
  public void close() {
    handles.clear();
    client.close();
  }

  private List<ModelInfo> catalog() {
    List<OpenAiModel> listed = settings.discoverModels() ? listed() : List.of();
    return CustomApiCatalog.merge(
        id(), ProviderType.ANTHROPIC, AnthropicSettings.TYPE_DEFAULTS, settings.models(), listed);
  }

  /** {@code data[].id} of Anthropic's listing; entries without an id are left out. */
  private List<OpenAiModel> listed() {
    JsonNode data = client.getJson(MODELS).path("data");
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

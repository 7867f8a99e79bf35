package dev.tta.models.providers.customapi;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ModelProvider;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.provider.ProviderHealth;
import dev.tta.models.providers.loading.ModelHandles;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.openai.OpenAiModel;
import dev.tta.models.providers.openai.OpenAiModelHandle;
import java.util.List;

/**
 * The {@code custom_api} provider: any OpenAI-compatible server, its models described by
 * configuration merged with what the server lists (see {@link CustomApiCatalog}). Built by {@link
 * CustomApiProviderFactory}.
 */
public final class CustomApiProvider implements ModelProvider {

  private final CustomApiSettings settings;
  private final OpenAiClient client;
  private final ModelHandles<OpenAiModelHandle> handles;

  CustomApiProvider(CustomApiSettings settings, OpenAiClient client) {
    this.settings = settings;
    this.client = client;
    this.handles = new ModelHandles<>(settings.id());
  }

  public CustomApiSettings settings() {
    return settings;
  }

  @Override
  public ProviderId id() {
    return settings.id();
  }

  @Override
  public ProviderType type() {
    return ProviderType.CUSTOM_API;
  }

  /**
   * The configured models, and with {@code discover_models} those the server lists, that pass the
   * filter.
   *
   * @throws ProviderException when the server's listing failed
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
        modelId, this::catalog, configuredModels(), info -> new OpenAiModelHandle(info, client));
  }

  @Override
  public List<ModelInfo> configuredModels() {
    return CustomApiCatalog.configuredOnly(
        settings.id(),
        ProviderType.CUSTOM_API,
        CustomApiCatalog.CUSTOM_API_DEFAULTS,
        settings.models());
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
    List<OpenAiModel> listed = settings.discoverModels() ? client.listModels() : List.of();
    return CustomApiCatalog.merge(settings.id(), settings.models(), listed);
  }
}

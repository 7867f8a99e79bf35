package dev.tta.models.providers.lmstudio;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code lm_studio} provider: LM Studio's downloaded models from its REST listing (load state,
 * type, context window), chats through its OpenAI-compatible API. Only language models ({@code
 * llm}, {@code vlm}) are offered for chat. Built by {@link LmStudioProviderFactory}.
 */
public final class LmStudioProvider implements ModelProvider {

  private final LmStudioSettings settings;
  private final OpenAiClient client;
  private final ModelHandles<LmStudioModel> handles;

  LmStudioProvider(LmStudioSettings settings, OpenAiClient client) {
    this.settings = settings;
    this.client = client;
    this.handles = new ModelHandles<>(settings.id());
  }

  public LmStudioSettings settings() {
    return settings;
  }

  @Override
  public ProviderId id() {
    return settings.id();
  }

  @Override
  public ProviderType type() {
    return ProviderType.LM_STUDIO;
  }

  /**
   * The chat-capable models LM Studio has downloaded, loaded or not, that pass the filter.
   *
   * @throws ProviderException when the listing failed
   */
  @Override
  public List<ModelInfo> listModels(ModelFilter filter) {
    return chatModels(listing()).stream().filter(filter::accepts).toList();
  }

  /**
   * A handle for a chat-capable model; LM Studio loads it on its first call if it is not loaded.
   *
   * @throws ProviderException.ModelNotFound when LM Studio lacks the model, or has it only for
   *     embeddings
   */
  @Override
  public ModelInstance load(String modelId, LoadOptions options) {
    // the catalog is read only for a model not loaded yet, and its state is kept for the handle
    Map<String, ModelStatus> states = new HashMap<>();
    return handles.load(
        modelId,
        () -> {
          List<LmStudioCatalog.Listed> listed = listing();
          for (LmStudioCatalog.Listed model : listed) {
            if (model.info().id().equals(modelId) && !model.chat()) {
              throw new ProviderException.ModelNotFound(
                  id(),
                  modelId,
                  "provider " + id() + " has '" + modelId + "' only as an embeddings model",
                  null);
            }
            states.put(model.info().id(), model.status());
          }
          return chatModels(listed);
        },
        info -> new LmStudioModel(info, states.get(info.id()), client));
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

  private static List<ModelInfo> chatModels(List<LmStudioCatalog.Listed> listed) {
    return listed.stream()
        .filter(LmStudioCatalog.Listed::chat)
        .map(LmStudioCatalog.Listed::info)
        .toList();
  }

  private List<LmStudioCatalog.Listed> listing() {
    try {
      return LmStudioCatalog.parse(id(), client.getJson(LmStudioSettings.REST_MODELS_PATH));
    } catch (IllegalArgumentException e) {
      throw new ProviderException.Unavailable(
          id(), null, "GET " + LmStudioSettings.REST_MODELS_PATH + ": " + e.getMessage(), e);
    }
  }
}

package dev.tta.models.providers.lmstudio;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.catalog.ProviderType;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.spi.HttpModelProvider;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code lm_studio} provider: LM Studio's downloaded models from its REST listing (load state,
 * type, context window), chats through its OpenAI-compatible API. Only language models ({@code
 * llm}, {@code vlm}) are offered for chat. Built by {@link LmStudioProviderFactory}.
 */
public final class LmStudioProvider extends HttpModelProvider<LmStudioSettings> {

  LmStudioProvider(LmStudioSettings settings, OpenAiClient client) {
    super(ProviderType.LM_STUDIO, settings, client);
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
    return handle(
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
        info -> new LmStudioModel(info, states.get(info.id()), client()));
  }

  /**
   * The chat-capable models LM Studio has downloaded, loaded or not.
   *
   * @throws ProviderException when the listing failed
   */
  @Override
  protected List<ModelInfo> catalog() {
    return chatModels(listing());
  }

  private static List<ModelInfo> chatModels(List<LmStudioCatalog.Listed> listed) {
    return listed.stream()
        .filter(LmStudioCatalog.Listed::chat)
        .map(LmStudioCatalog.Listed::info)
        .toList();
  }

  private List<LmStudioCatalog.Listed> listing() {
    return listing(LmStudioSettings.REST_MODELS_PATH, body -> LmStudioCatalog.parse(id(), body));
  }
}

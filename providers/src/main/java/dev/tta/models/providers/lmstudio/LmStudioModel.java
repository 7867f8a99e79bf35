package dev.tta.models.providers.lmstudio;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.openai.OpenAiModelHandle;

/**
 * A model of LM Studio: calls go through the OpenAI-compatible API (LM Studio loads a model that is
 * not loaded on its first call); the status is the load state LM Studio reported when the handle
 * was made.
 */
final class LmStudioModel implements ModelInstance {

  private final OpenAiModelHandle calls;
  private final ModelStatus status;

  LmStudioModel(ModelInfo info, ModelStatus status, OpenAiClient client) {
    this.calls = new OpenAiModelHandle(info, client);
    this.status = status;
  }

  @Override
  public ModelInfo info() {
    return calls.info();
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    return calls.chat(request, options);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallOptions options) {
    return calls.stream(request, options);
  }

  @Override
  public ModelStatus status() {
    return status;
  }
}

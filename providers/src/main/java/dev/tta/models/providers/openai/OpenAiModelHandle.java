package dev.tta.models.providers.openai;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ModelInstance;

/**
 * A model of an OpenAI-compatible server: a handle that sends its calls through the provider's
 * client.
 */
public final class OpenAiModelHandle implements ModelInstance {

  private final ModelInfo info;
  private final OpenAiClient client;

  public OpenAiModelHandle(ModelInfo info, OpenAiClient client) {
    this.info = info;
    this.client = client;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    return client.chat(info.id(), request, options);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallOptions options) {
    return client.stream(info.id(), request, options);
  }

  /** Remote: always available to call; whether it answers is what health checks are for. */
  @Override
  public ModelStatus status() {
    return ModelStatus.AVAILABLE;
  }
}

package dev.tta.models.providers.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.openai.OpenAiClient;
import dev.tta.models.providers.openai.OpenAiJson;
import java.io.IOException;

/** A pulled Ollama model: calls go to {@code POST /api/chat}. */
final class OllamaModel implements ModelInstance {

  static final String CHAT = "api/chat";

  private final ModelInfo info;
  private final OpenAiClient client;

  OllamaModel(ModelInfo info, OpenAiClient client) {
    this.info = info;
    this.client = client;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    byte[] body = client.postJson(info.id(), CHAT, encode(request, false), options.timeout());
    try {
      return OllamaMapping.response(OpenAiJson.mapper().readTree(body), info.id());
    } catch (IOException | IllegalArgumentException e) {
      throw new ProviderException.Unavailable(
          info.providerId(),
          info.id(),
          "POST " + CHAT + ": the server's answer cannot be read (" + e.getMessage() + ")",
          e);
    }
  }

  @Override
  public ChatStream stream(ChatRequest request, CallOptions options) {
    return client.postStream(
        info.id(),
        CHAT,
        encode(request, true),
        options,
        new OllamaStreamDecoder(info.providerId(), info.id(), client.errors()));
  }

  /** Pulled, so callable; whether it is in memory now is {@link OllamaProvider#running()}. */
  @Override
  public ModelStatus status() {
    return ModelStatus.AVAILABLE;
  }

  private byte[] encode(ChatRequest request, boolean stream) {
    try {
      return OpenAiJson.mapper()
          .writeValueAsBytes(OllamaMapping.requestBody(info.id(), request, stream));
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw new ProviderException.InvalidRequest(
          info.providerId(), info.id(), "the request cannot be sent: " + e.getMessage(), e);
    }
  }
}

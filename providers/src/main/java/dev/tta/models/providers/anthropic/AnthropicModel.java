package dev.tta.models.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
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

/** A model of the Messages API: calls go to {@code POST messages}. */
final class AnthropicModel implements ModelInstance {

  static final String MESSAGES = "messages";

  private final ModelInfo info;
  private final OpenAiClient client;
  private final int defaultMaxTokens;

  AnthropicModel(ModelInfo info, OpenAiClient client, int defaultMaxTokens) {
    this.info = info;
    this.client = client;
    this.defaultMaxTokens = defaultMaxTokens;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public ChatResponse chat(ChatRequest request, CallOptions options) {
    byte[] body = client.postJson(info.id(), MESSAGES, encode(request, false), options.timeout());
    try {
      return AnthropicMapping.response(
          OpenAiJson.mapper().readTree(body),
          info.id(),
          AnthropicMapping.answerTool(request.responseFormat()));
    } catch (IOException | IllegalArgumentException e) {
      throw new ProviderException.Unavailable(
          info.providerId(),
          info.id(),
          "POST " + MESSAGES + ": the server's answer cannot be read (" + e.getMessage() + ")",
          e);
    }
  }

  @Override
  public ChatStream stream(ChatRequest request, CallOptions options) {
    return client.postStream(
        info.id(),
        MESSAGES,
        encode(request, true),
        options,
        new AnthropicStreamDecoder(
            info.providerId(),
            info.id(),
            client.errors(),
            AnthropicMapping.answerTool(request.responseFormat())));
  }

  /** Remote: always available to call; whether it answers is what health checks are for. */
  @Override
  public ModelStatus status() {
    return ModelStatus.AVAILABLE;
  }

  private byte[] encode(ChatRequest request, boolean stream) {
    try {
      JsonNode body = AnthropicMapping.requestBody(info.id(), request, defaultMaxTokens, stream);
      return OpenAiJson.mapper().writeValueAsBytes(body);
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw new ProviderException.InvalidRequest(
          info.providerId(), info.id(), "the request cannot be sent: " + e.getMessage(), e);
    }
  }
}

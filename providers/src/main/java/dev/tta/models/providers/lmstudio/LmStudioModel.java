package dev.tta.models.providers.lmstudio;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ModelStatus;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.ResponseFormat;
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

  static final String ANY_OBJECT_SCHEMA = "{\"type\":\"object\"}";

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
    return calls.chat(jsonObjectAsSchema(request), options);
  }

  @Override
  public ChatStream stream(ChatRequest request, CallOptions options) {
    return calls.stream(jsonObjectAsSchema(request), options);
  }

  /**
   * LM Studio refuses {@code response_format: {"type": "json_object"}} with a 400 ("must be
   * 'json_schema' or 'text'", lmstudio-ai/lmstudio-bug-tracker#189); the same request as a schema
   * that admits any object is one it honours.
   */
  static ChatRequest jsonObjectAsSchema(ChatRequest request) {
    if (!(request.responseFormat() instanceof ResponseFormat.JsonObject)) {
      return request;
    }
    return request.toBuilder()
        .responseFormat(new ResponseFormat.JsonSchema("json_object", "", ANY_OBJECT_SCHEMA, false))
        .build();
  }

  @Override
  public ModelStatus status() {
    return status;
  }
}

package dev.tta.models.providers.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code GET /models}. Besides OpenAI's {@code id} and {@code owned_by}, servers put a model's
 * context window in different places; each known one is read.
 */
record ModelListBody(List<Entry> data) {

  record Entry(
      String id,
      @JsonProperty("owned_by") String ownedBy,
      @JsonProperty("context_length") Integer contextLength,
      @JsonProperty("max_model_len") Integer maxModelLen,
      @JsonProperty("max_context_length") Integer maxContextLength,
      Meta meta) {}

  /** llama.cpp's server: {@code meta.n_ctx_train}, the context the model was trained with. */
  record Meta(@JsonProperty("n_ctx_train") Integer trainedContext) {}
}

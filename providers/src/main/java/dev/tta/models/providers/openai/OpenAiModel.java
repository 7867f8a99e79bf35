package dev.tta.models.providers.openai;

import dev.tta.models.internal.Checks;
import java.util.OptionalInt;

/**
 * A model as an OpenAI-compatible server lists it.
 *
 * @param id the id to send as {@code model}
 * @param ownedBy the {@code owned_by} field, empty when absent
 * @param contextLength the context window when the server says it: {@code context_length}
 *     (OpenRouter and others), {@code max_model_len} (vLLM), {@code max_context_length} (LM Studio)
 *     or {@code meta.n_ctx_train} (llama.cpp), first found in that order
 */
public record OpenAiModel(String id, String ownedBy, OptionalInt contextLength) {

  public OpenAiModel {
    Checks.notBlank(id, "id");
    ownedBy = ownedBy == null ? "" : ownedBy;
    Checks.notNull(contextLength, "context_length");
    contextLength.ifPresent(n -> Checks.positive(n, "context_length"));
  }
}

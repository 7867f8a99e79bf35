package dev.tta.models.chat;

import dev.tta.models.internal.Checks;
import java.util.Optional;

/**
 * A finished, non-streamed answer.
 *
 * @param id the provider's response id
 * @param model the model id the provider says served the call
 * @param message the assistant message
 * @param finishReason why generation stopped
 * @param usage token counts, when the provider reports them
 */
public record ChatResponse(
    String id,
    String model,
    ChatMessage message,
    FinishReason finishReason,
    Optional<Usage> usage) {

  public ChatResponse {
    id = id == null ? "" : id;
    Checks.notBlank(model, "model");
    Checks.notNull(message, "message");
    Checks.notNull(finishReason, "finish_reason");
    Checks.notNull(usage, "usage");
  }

  public String text() {
    return message.content();
  }
}

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
 * @param upstreamProvider who actually ran the model, when a router in front of it says
 *     (OpenRouter's {@code provider}, such as {@code Amazon Bedrock})
 */
public record ChatResponse(
    String id,
    String model,
    ChatMessage message,
    FinishReason finishReason,
    Optional<Usage> usage,
    Optional<String> upstreamProvider) {

  public ChatResponse {
    id = id == null ? "" : id;
    Checks.notBlank(model, "model");
    Checks.notNull(message, "message");
    Checks.notNull(finishReason, "finish_reason");
    Checks.notNull(usage, "usage");
    Checks.notNull(upstreamProvider, "provider");
    upstreamProvider = upstreamProvider.filter(p -> !p.isBlank());
  }

  public ChatResponse(
      String id,
      String model,
      ChatMessage message,
      FinishReason finishReason,
      Optional<Usage> usage) {
    this(id, model, message, finishReason, usage, Optional.empty());
  }

  public String text() {
    return message.content();
  }
}

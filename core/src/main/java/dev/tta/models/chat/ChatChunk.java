package dev.tta.models.chat;

import dev.tta.models.internal.Checks;
import java.util.List;
import java.util.Optional;

/**
 * One piece of a streamed answer. Most chunks carry a content delta; the last ones carry the finish
 * reason and, where the provider sends it, the usage.
 *
 * @param model the model id the provider says is serving the stream
 * @param contentDelta text to append, possibly empty
 * @param toolCallDeltas fragments of tool calls
 * @param finishReason present on the chunk that ends generation
 * @param usage present on the chunk that reports token counts
 */
public record ChatChunk(
    String model,
    String contentDelta,
    List<ToolCallDelta> toolCallDeltas,
    Optional<FinishReason> finishReason,
    Optional<Usage> usage) {

  public ChatChunk {
    model = model == null ? "" : model;
    contentDelta = contentDelta == null ? "" : contentDelta;
    toolCallDeltas = Checks.listOf(toolCallDeltas, "tool_calls");
    Checks.notNull(finishReason, "finish_reason");
    Checks.notNull(usage, "usage");
  }

  public static ChatChunk content(String model, String delta) {
    return new ChatChunk(model, delta, List.of(), Optional.empty(), Optional.empty());
  }

  public static ChatChunk finish(String model, FinishReason reason, Usage usage) {
    return new ChatChunk(model, "", List.of(), Optional.of(reason), Optional.ofNullable(usage));
  }

  /** True when this chunk carries generated output (text or a tool-call fragment). */
  public boolean hasOutput() {
    return !contentDelta.isEmpty() || !toolCallDeltas.isEmpty();
  }
}

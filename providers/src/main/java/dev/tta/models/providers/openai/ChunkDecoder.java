package dev.tta.models.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.SseEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the events of a {@code chat/completions} stream into chunks, one event at a time, with no
 * I/O of its own. What it tolerates and how it ends:
 *
 * <ul>
 *   <li>events without data (comments, keep-alives) and chunks that carry nothing (OpenAI's opening
 *       role-only chunk) produce no chunk;
 *   <li>the finish reason is held back until the next event, so that a usage-only chunk that
 *       follows it ({@code choices: []}, sent for {@code include_usage}) is merged into the one
 *       finishing chunk; a repeated finish reason is ignored;
 *   <li>{@code data: [DONE]} ends the stream; so does the end of the body after a finish reason,
 *       without {@code [DONE]};
 *   <li>an error inside the stream fails it: an {@code error} object in a chunk (OpenRouter), or
 *       llama.cpp's bare {@code error: {...}} line; after it the stream is failed whatever follows;
 *   <li>a chunk holding a value no chunk may hold (a negative token count or tool call index) fails
 *       it, naming the field;
 *   <li>a body that ends with neither a finish reason nor {@code [DONE]} was cut off: failed.
 * </ul>
 */
final class ChunkDecoder implements StreamDecoder {

  static final String DONE = "[DONE]";
  static final String ERROR_FIELD = "error";

  private final ProviderId provider;
  private final String requestedModel;
  private final OpenAiErrors errors;
  private String model;
  private ChatChunk heldFinish;
  private boolean finished;
  private boolean done;

  ChunkDecoder(ProviderId provider, String requestedModel, OpenAiErrors errors) {
    this.provider = provider;
    this.requestedModel = requestedModel;
    this.model = requestedModel;
    this.errors = errors;
  }

  /**
   * The chunks this event completes, in order.
   *
   * @throws ProviderException when the event reports an error or cannot be read
   */
  @Override
  public List<ChatChunk> onEvent(SseEvent event) {
    Optional<String> bareError = event.field(ERROR_FIELD);
    if (bareError.isPresent()) {
      throw errors.fromStreamError(requestedModel, bareError.get());
    }
    List<ChatChunk> out = new ArrayList<>();
    String data = event.data().strip();
    if (data.equals(DONE)) {
      done = true;
      releaseHeld(out);
    } else if (!data.isEmpty() && !done) {
      try {
        decode(data, out);
      } catch (IllegalArgumentException e) {
        // a value the chunk's JSON allows but a chunk may not hold, such as a negative count
        throw new ProviderException.Unavailable(
            provider,
            requestedModel,
            "the stream sent a chunk that cannot be used: " + e.getMessage(),
            e);
      }
    }
    return out;
  }

  private void decode(String data, List<ChatChunk> out) {
    ChatCompletionChunkBody chunk = parse(data);
    if (chunk.error() != null && !chunk.error().isNull()) {
      throw errors.fromStreamError(requestedModel, chunk.error().toString());
    }
    model = ChatMapping.servedModel(chunk.model(), model);
    Optional<Usage> usage = ChatMapping.usage(chunk.usage());
    ChatCompletionChunkBody.Choice choice =
        chunk.choices() == null || chunk.choices().isEmpty() ? null : chunk.choices().getFirst();
    String content = "";
    List<ToolCallDelta> toolCalls = List.of();
    String finishReason = null;
    if (choice != null) {
      finishReason = choice.finishReason();
      if (choice.delta() != null) {
        content = choice.delta().content() == null ? "" : choice.delta().content();
        toolCalls = toolCallDeltas(choice.delta().toolCalls());
      }
    }
    if (!content.isEmpty() || !toolCalls.isEmpty()) {
      releaseHeld(out);
      out.add(new ChatChunk(model, content, toolCalls, Optional.empty(), Optional.empty()));
    }
    if (finishReason != null && !finished) {
      finished = true;
      heldFinish =
          ChatChunk.finish(model, ChatMapping.finishReason(finishReason), usage.orElse(null));
      if (usage.isPresent()) {
        releaseHeld(out);
      }
    } else if (usage.isPresent()) {
      out.add(usageFor(usage.get()));
    }
  }

  /**
   * The body ended.
   *
   * @return the held finishing chunk, if any
   * @throws ProviderException when the stream was cut off before it finished
   */
  @Override
  public List<ChatChunk> onEnd() {
    List<ChatChunk> out = new ArrayList<>();
    if (!done && !finished) {
      throw new ProviderException.Unavailable(
          provider,
          requestedModel,
          "the stream ended before the server finished it (no finish_reason, no [DONE])",
          null);
    }
    releaseHeld(out);
    return out;
  }

  /** Usage that comes after the finish: merged into the held finishing chunk when there is one. */
  private ChatChunk usageFor(Usage usage) {
    if (heldFinish != null) {
      ChatChunk merged = ChatChunk.finish(model, heldFinish.finishReason().orElseThrow(), usage);
      heldFinish = null;
      return merged;
    }
    return new ChatChunk(model, "", List.of(), Optional.empty(), Optional.of(usage));
  }

  private void releaseHeld(List<ChatChunk> out) {
    if (heldFinish != null) {
      out.add(heldFinish);
      heldFinish = null;
    }
  }

  private ChatCompletionChunkBody parse(String data) {
    try {
      return OpenAiJson.mapper().readValue(data, ChatCompletionChunkBody.class);
    } catch (JsonProcessingException e) {
      throw new ProviderException.Unavailable(
          provider, requestedModel, "the stream sent a chunk that is not valid JSON", e);
    }
  }

  private static List<ToolCallDelta> toolCallDeltas(
      List<ChatCompletionChunkBody.ToolCallDeltaBody> deltas) {
    if (deltas == null) {
      return List.of();
    }
    List<ToolCallDelta> out = new ArrayList<>();
    for (ChatCompletionChunkBody.ToolCallDeltaBody delta : deltas) {
      ChatCompletionChunkBody.FunctionDeltaBody function = delta.function();
      out.add(
          new ToolCallDelta(
              delta.index() == null ? 0 : delta.index(),
              delta.id(),
              function == null ? null : function.name(),
              function == null ? null : function.arguments()));
    }
    return out;
  }
}

package dev.tta.models.providers.ollama;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.SseEvent;
import dev.tta.models.providers.openai.OpenAiErrors;
import dev.tta.models.providers.openai.OpenAiJson;
import dev.tta.models.providers.openai.StreamDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the lines of a streamed {@code /api/chat} answer into chunks: each line's message content
 * is a chunk, tool calls come whole, and the final {@code done: true} object gives the one
 * finishing chunk with the token counts. An {@code error} line fails the stream (Ollama keeps the
 * status 200 once streaming started), and so do a line holding a value no answer may hold (a
 * nameless tool call, a negative count), naming the field, and a body that ends before {@code
 * done}.
 */
final class OllamaStreamDecoder implements StreamDecoder {

  private final ProviderId provider;
  private final String requestedModel;
  private final OpenAiErrors errors;
  private String model;
  private int toolCalls;
  private boolean done;

  OllamaStreamDecoder(ProviderId provider, String requestedModel, OpenAiErrors errors) {
    this.provider = provider;
    this.requestedModel = requestedModel;
    this.model = requestedModel;
    this.errors = errors;
  }

  @Override
  public boolean lineDelimited() {
    return true;
  }

  @Override
  public List<ChatChunk> onEvent(SseEvent event) {
    JsonNode line = parse(event.data());
    if (line.has("error")) {
      throw errors.fromStreamError(requestedModel, event.data());
    }
    if (done) {
      return List.of();
    }
    try {
      return chunks(line);
    } catch (IllegalArgumentException e) {
      // a value the line's JSON allows but an answer may not hold, such as a nameless tool call
      throw new ProviderException.Unavailable(
          provider, requestedModel, "a stream line cannot be used: " + e.getMessage(), e);
    }
  }

  private List<ChatChunk> chunks(JsonNode line) {
    String named = line.path("model").asText("");
    if (!named.isBlank()) {
      model = named;
    }
    List<ChatChunk> chunks = new ArrayList<>();
    JsonNode message = line.path("message");
    String text = message.path("content").asText("");
    List<ToolCall> calls = OllamaMapping.toolCalls(message, toolCalls);
    if (!text.isEmpty() || !calls.isEmpty()) {
      List<ToolCallDelta> deltas = new ArrayList<>();
      for (ToolCall call : calls) {
        deltas.add(new ToolCallDelta(toolCalls++, call.id(), call.name(), call.arguments()));
      }
      chunks.add(new ChatChunk(model, text, deltas, Optional.empty(), Optional.empty()));
    }
    if (line.path("done").asBoolean(false)) {
      done = true;
      chunks.add(
          new ChatChunk(
              model,
              "",
              List.of(),
              Optional.of(OllamaMapping.finishReason(line, toolCalls > 0)),
              OllamaMapping.usage(line)));
    }
    return chunks;
  }

  @Override
  public List<ChatChunk> onEnd() {
    if (!done) {
      throw new ProviderException.Unavailable(
          provider, requestedModel, "the stream ended before its final (done) object", null);
    }
    return List.of();
  }

  private JsonNode parse(String data) {
    try {
      return OpenAiJson.mapper().readTree(data);
    } catch (JsonProcessingException e) {
      throw new ProviderException.Unavailable(
          provider, requestedModel, "a stream line cannot be read: " + e.getOriginalMessage(), e);
    }
  }
}

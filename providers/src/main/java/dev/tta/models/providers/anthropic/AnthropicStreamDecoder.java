package dev.tta.models.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ToolCallDelta;
import dev.tta.models.chat.Usage;
import dev.tta.models.provider.ProviderException;
import dev.tta.models.providers.http.SseEvent;
import dev.tta.models.providers.openai.OpenAiErrors;
import dev.tta.models.providers.openai.OpenAiJson;
import dev.tta.models.providers.openai.StreamDecoder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the events of a streamed Messages answer into chunks: {@code message_start} names the model
 * and the prompt's tokens; text deltas become content; a {@code tool_use} block becomes a tool call
 * (its id and name first, then its argument fragments), except the answer tool's, whose input
 * fragments are the answer's text (see {@link AnthropicMapping#answerTool}); {@code message_delta}
 * carries the stop reason and the output tokens so far; {@code message_stop} ends the answer with
 * one finishing chunk. {@code ping} is ignored. An {@code error} event fails the stream, and so do
 * an event holding a value no answer may hold (a negative token count), naming the field, and a
 * body that ends before {@code message_stop}.
 */
final class AnthropicStreamDecoder implements StreamDecoder {

  private final ProviderId provider;
  private final String requestedModel;
  private final OpenAiErrors errors;
  private final Optional<String> answerTool;
  private final Map<Integer, Integer> toolByBlock = new HashMap<>();
  private final Set<Integer> answerBlocks = new HashSet<>();
  private String model;
  private int inputTokens;
  private int outputTokens;
  private boolean usageSeen;
  private FinishReason finish = FinishReason.STOP;
  private boolean stopped;

  AnthropicStreamDecoder(
      ProviderId provider,
      String requestedModel,
      OpenAiErrors errors,
      Optional<String> answerTool) {
    this.provider = provider;
    this.answerTool = answerTool;
    this.requestedModel = requestedModel;
    this.model = requestedModel;
    this.errors = errors;
  }

  @Override
  public List<ChatChunk> onEvent(SseEvent event) {
    if (event.data() == null || event.data().isBlank()) {
      return List.of();
    }
    JsonNode data = parse(event.data());
    String type = data.path("type").asText(event.type());
    if (stopped) {
      return List.of();
    }
    try {
      return chunks(type, data, event);
    } catch (IllegalArgumentException e) {
      // a value the event's JSON allows but an answer may not hold, such as a negative count
      throw new ProviderException.Unavailable(
          provider, requestedModel, "a stream event cannot be used: " + e.getMessage(), e);
    }
  }

  private List<ChatChunk> chunks(String type, JsonNode data, SseEvent event) {
    return switch (type) {
      case "message_start" -> {
        JsonNode message = data.path("message");
        String named = message.path("model").asText("");
        if (!named.isBlank()) {
          model = named;
        }
        count(message.path("usage"));
        yield List.of();
      }
      case "content_block_start" -> blockStart(data);
      case "content_block_delta" -> blockDelta(data);
      case "message_delta" -> {
        String reason = data.path("delta").path("stop_reason").asText("");
        if (!reason.isEmpty()) {
          finish =
              !answerBlocks.isEmpty() && toolByBlock.isEmpty()
                  ? FinishReason.STOP
                  : AnthropicMapping.finishReason(reason);
        }
        count(data.path("usage"));
        yield List.of();
      }
      case "message_stop" -> {
        stopped = true;
        yield List.of(
            ChatChunk.finish(
                model, finish, usageSeen ? new Usage(inputTokens, outputTokens) : null));
      }
      case "error" -> throw errors.fromStreamError(requestedModel, event.data());
      default -> List.of();
    };
  }

  @Override
  public List<ChatChunk> onEnd() {
    if (!stopped) {
      throw new ProviderException.Unavailable(
          provider, requestedModel, "the stream ended before message_stop", null);
    }
    return List.of();
  }

  private List<ChatChunk> blockStart(JsonNode data) {
    JsonNode block = data.path("content_block");
    if (!block.path("type").asText("").equals("tool_use")) {
      String text = block.path("text").asText("");
      return text.isEmpty() ? List.of() : List.of(ChatChunk.content(model, text));
    }
    if (answerTool.isPresent() && answerTool.get().equals(block.path("name").asText())) {
      answerBlocks.add(data.path("index").asInt());
      return List.of();
    }
    int tool = toolByBlock.size();
    toolByBlock.put(data.path("index").asInt(), tool);
    return List.of(
        toolChunk(
            new ToolCallDelta(tool, block.path("id").asText(), block.path("name").asText(), "")));
  }

  private List<ChatChunk> blockDelta(JsonNode data) {
    JsonNode delta = data.path("delta");
    switch (delta.path("type").asText("")) {
      case "text_delta" -> {
        String text = delta.path("text").asText("");
        return text.isEmpty() ? List.of() : List.of(ChatChunk.content(model, text));
      }
      case "input_json_delta" -> {
        String fragment = delta.path("partial_json").asText("");
        if (answerBlocks.contains(data.path("index").asInt())) {
          return fragment.isEmpty() ? List.of() : List.of(ChatChunk.content(model, fragment));
        }
        Integer tool = toolByBlock.get(data.path("index").asInt());
        if (tool == null || fragment.isEmpty()) {
          return List.of();
        }
        return List.of(toolChunk(new ToolCallDelta(tool, null, null, fragment)));
      }
      default -> {
        return List.of();
      }
    }
  }

  private ChatChunk toolChunk(ToolCallDelta delta) {
    return new ChatChunk(model, "", List.of(delta), Optional.empty(), Optional.empty());
  }

  /** Anthropic's counts are cumulative: the latest seen is the total. */
  private void count(JsonNode usage) {
    if (usage.has("input_tokens")) {
      inputTokens = usage.path("input_tokens").asInt();
      usageSeen = true;
    }
    if (usage.has("output_tokens")) {
      outputTokens = usage.path("output_tokens").asInt();
      usageSeen = true;
    }
  }

  private JsonNode parse(String data) {
    try {
      return OpenAiJson.mapper().readTree(data);
    } catch (JsonProcessingException e) {
      throw new ProviderException.Unavailable(
          provider, requestedModel, "a stream event cannot be read: " + e.getOriginalMessage(), e);
    }
  }
}

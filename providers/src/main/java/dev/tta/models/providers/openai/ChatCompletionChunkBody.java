package dev.tta.models.providers.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One {@code chat.completion.chunk} of a stream. {@code error} is set when a server reports a
 * failure inside an HTTP 200 stream (OpenRouter does, next to the usual fields).
 */
record ChatCompletionChunkBody(
    String id, String model, List<Choice> choices, UsageBody usage, JsonNode error) {

  record Choice(Integer index, Delta delta, @JsonProperty("finish_reason") String finishReason) {}

  record Delta(String content, @JsonProperty("tool_calls") List<ToolCallDeltaBody> toolCalls) {}

  record ToolCallDeltaBody(Integer index, String id, FunctionDeltaBody function) {}

  record FunctionDeltaBody(String name, String arguments) {}
}

package dev.tta.models.providers.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** A {@code chat.completion} response: the fields this client reads, unknown ones ignored. */
record ChatCompletionBody(String id, String model, List<Choice> choices, UsageBody usage) {

  record Choice(
      Integer index, ResponseMessage message, @JsonProperty("finish_reason") String finishReason) {}

  record ResponseMessage(
      String role, String content, @JsonProperty("tool_calls") List<ToolCallBody> toolCalls) {}

  record ToolCallBody(String id, String type, FunctionBody function) {}

  record FunctionBody(String name, String arguments) {}
}

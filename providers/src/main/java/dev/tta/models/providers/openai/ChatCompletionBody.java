package dev.tta.models.providers.openai;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A {@code chat.completion} response: the fields this client reads, unknown ones ignored; {@code
 * provider} is OpenRouter's name for who ran the model.
 */
record ChatCompletionBody(
    String id, String model, List<Choice> choices, UsageBody usage, String provider) {

  record Choice(
      Integer index, ResponseMessage message, @JsonProperty("finish_reason") String finishReason) {}

  record ResponseMessage(
      String role, String content, @JsonProperty("tool_calls") List<ToolCallBody> toolCalls) {}

  record ToolCallBody(String id, String type, FunctionBody function) {}

  record FunctionBody(String name, String arguments) {}
}

package dev.tta.models.providers.openai;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The body of {@code POST /chat/completions}. Every optional field is null unless the caller set
 * it, and null fields are left out: some servers reject fields they do not expect.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ChatCompletionRequestBody(
    String model,
    List<Message> messages,
    @JsonProperty("max_tokens") Integer maxTokens,
    @JsonProperty("max_completion_tokens") Integer maxCompletionTokens,
    Double temperature,
    @JsonProperty("top_p") Double topP,
    @JsonProperty("frequency_penalty") Double frequencyPenalty,
    @JsonProperty("presence_penalty") Double presencePenalty,
    List<String> stop,
    Long seed,
    List<Tool> tools,
    @JsonProperty("tool_choice") JsonNode toolChoice,
    @JsonProperty("response_format") ResponseFormat responseFormat,
    Boolean stream,
    @JsonProperty("stream_options") StreamOptions streamOptions) {

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Message(
      String role,
      String content,
      @JsonProperty("tool_calls") List<ToolCall> toolCalls,
      @JsonProperty("tool_call_id") String toolCallId) {}

  record ToolCall(String id, String type, FunctionCall function) {}

  record FunctionCall(String name, String arguments) {}

  record Tool(String type, Function function) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Function(String name, String description, JsonNode parameters) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record ResponseFormat(String type, @JsonProperty("json_schema") JsonSchema jsonSchema) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record JsonSchema(String name, String description, JsonNode schema, Boolean strict) {}

  record StreamOptions(@JsonProperty("include_usage") boolean includeUsage) {}
}

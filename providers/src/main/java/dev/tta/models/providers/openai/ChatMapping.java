package dev.tta.models.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ResponseFormat;
import dev.tta.models.chat.Role;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Between the core's chat records and this API's wire bodies, in both directions. */
final class ChatMapping {

  private static final String FUNCTION = "function";

  private ChatMapping() {}

  /**
   * The request body: only what the request sets, the token limit in the configured field, and for
   * a stream {@code stream: true} plus, when asked for, {@code stream_options.include_usage}.
   *
   * @throws IllegalArgumentException when a tool schema or tool choice is not valid JSON
   */
  static ChatCompletionRequestBody requestBody(
      String model,
      ChatRequest request,
      TokenLimitField tokenLimitField,
      boolean stream,
      boolean streamUsage) {
    Integer maxTokens = request.maxTokens().isPresent() ? request.maxTokens().getAsInt() : null;
    return new ChatCompletionRequestBody(
        model,
        request.messages().stream().map(ChatMapping::message).toList(),
        tokenLimitField == TokenLimitField.MAX_TOKENS ? maxTokens : null,
        tokenLimitField == TokenLimitField.MAX_COMPLETION_TOKENS ? maxTokens : null,
        boxed(request.temperature()),
        boxed(request.topP()),
        boxed(request.frequencyPenalty()),
        boxed(request.presencePenalty()),
        request.stop().isEmpty() ? null : request.stop(),
        request.seed().isPresent() ? request.seed().getAsLong() : null,
        request.tools().isEmpty() ? null : request.tools().stream().map(ChatMapping::tool).toList(),
        toolChoice(request.toolChoice()),
        responseFormat(request.responseFormat()),
        stream ? Boolean.TRUE : null,
        stream && streamUsage ? new ChatCompletionRequestBody.StreamOptions(true) : null);
  }

  private static ChatCompletionRequestBody.Message message(ChatMessage message) {
    List<ChatCompletionRequestBody.ToolCall> toolCalls =
        message.toolCalls().isEmpty()
            ? null
            : message.toolCalls().stream()
                .map(
                    call ->
                        new ChatCompletionRequestBody.ToolCall(
                            call.id(),
                            FUNCTION,
                            new ChatCompletionRequestBody.FunctionCall(
                                call.name(), call.arguments())))
                .toList();
    String content = toolCalls != null && message.content().isEmpty() ? null : message.content();
    return new ChatCompletionRequestBody.Message(
        message.role().wireName(), content, toolCalls, message.toolCallId());
  }

  private static ChatCompletionRequestBody.Tool tool(ToolDefinition tool) {
    return new ChatCompletionRequestBody.Tool(
        FUNCTION,
        new ChatCompletionRequestBody.Function(
            tool.name(),
            tool.description().isEmpty() ? null : tool.description(),
            tool.parametersSchema().isBlank()
                ? null
                : json(tool.parametersSchema(), "tools[" + tool.name() + "].parameters")));
  }

  private static JsonNode toolChoice(String toolChoice) {
    if (toolChoice == null || toolChoice.isBlank()) {
      return null;
    }
    String trimmed = toolChoice.strip();
    return trimmed.startsWith("{") ? json(trimmed, "tool_choice") : TextNode.valueOf(trimmed);
  }

  /** Nothing for free text (the API's default); otherwise the format as OpenAI's API spells it. */
  private static ChatCompletionRequestBody.ResponseFormat responseFormat(ResponseFormat format) {
    return switch (format) {
      case ResponseFormat.Text text -> null;
      case ResponseFormat.JsonObject object ->
          new ChatCompletionRequestBody.ResponseFormat(format.wireName(), null);
      case ResponseFormat.JsonSchema schema ->
          new ChatCompletionRequestBody.ResponseFormat(
              format.wireName(),
              new ChatCompletionRequestBody.JsonSchema(
                  schema.name(),
                  schema.description().isEmpty() ? null : schema.description(),
                  schema.schema().isEmpty()
                      ? null
                      : json(schema.schema(), "response_format.json_schema.schema"),
                  schema.strict() ? Boolean.TRUE : null));
    };
  }

  private static JsonNode json(String text, String field) {
    try {
      return OpenAiJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(field + ": must be valid JSON", e);
    }
  }

  private static Double boxed(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : null;
  }

  /**
   * A whole answer: the first choice, its text ({@code null} content counts as empty), its tool
   * calls, its finish reason, and the model the server names (the requested one when it names
   * none).
   *
   * @throws IllegalArgumentException when the body has no choice or no message
   */
  static ChatResponse response(ChatCompletionBody body, String requestedModel) {
    if (body.choices() == null || body.choices().isEmpty()) {
      throw new IllegalArgumentException("choices: the response has none");
    }
    ChatCompletionBody.Choice choice = body.choices().getFirst();
    if (choice.message() == null) {
      throw new IllegalArgumentException("choices[0].message: missing");
    }
    List<ToolCall> toolCalls = new ArrayList<>();
    if (choice.message().toolCalls() != null) {
      for (ChatCompletionBody.ToolCallBody call : choice.message().toolCalls()) {
        ChatCompletionBody.FunctionBody function =
            call.function() == null
                ? new ChatCompletionBody.FunctionBody(null, null)
                : call.function();
        toolCalls.add(new ToolCall(call.id(), function.name(), function.arguments()));
      }
    }
    ChatMessage message =
        new ChatMessage(Role.ASSISTANT, choice.message().content(), toolCalls, null);
    return new ChatResponse(
        body.id(),
        servedModel(body.model(), requestedModel),
        message,
        finishReason(choice.finishReason()),
        usage(body.usage()),
        Optional.ofNullable(body.provider()));
  }

  static String servedModel(String named, String requested) {
    return named == null || named.isBlank() ? requested : named;
  }

  /**
   * {@code length}, {@code tool_calls} (and the older {@code function_call}) and {@code
   * content_filter} map to their own reasons; {@code stop}, a missing reason and any other value
   * (servers invent their own, such as {@code eos}) count as a normal stop.
   */
  static FinishReason finishReason(String wire) {
    String value = wire == null ? "" : wire.toLowerCase(Locale.ROOT);
    return switch (value) {
      case "length" -> FinishReason.LENGTH;
      case "tool_calls", "function_call" -> FinishReason.TOOL_CALLS;
      case "content_filter" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP;
    };
  }

  /** Token counts (a missing count is 0) and OpenRouter's {@code cost}; empty for no usage. */
  static Optional<Usage> usage(UsageBody usage) {
    if (usage == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Usage(
            orZero(usage.promptTokens()),
            orZero(usage.completionTokens()),
            usage.cost() == null ? OptionalDouble.empty() : OptionalDouble.of(usage.cost())));
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  /** The listed models, skipping entries without an id. */
  static List<OpenAiModel> models(ModelListBody body) {
    List<OpenAiModel> models = new ArrayList<>();
    for (ModelListBody.Entry entry :
        body.data() == null ? List.<ModelListBody.Entry>of() : body.data()) {
      if (entry.id() != null && !entry.id().isBlank()) {
        models.add(new OpenAiModel(entry.id(), entry.ownedBy(), contextLength(entry)));
      }
    }
    return models;
  }

  private static OptionalInt contextLength(ModelListBody.Entry entry) {
    Integer trained = entry.meta() == null ? null : entry.meta().trainedContext();
    for (Integer candidate :
        new Integer[] {
          entry.contextLength(), entry.maxModelLen(), entry.maxContextLength(), trained
        }) {
      if (candidate != null && candidate > 0) {
        return OptionalInt.of(candidate);
      }
    }
    return OptionalInt.empty();
  }
}

package dev.tta.models.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.Role;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolDefinition;
import dev.tta.models.chat.Usage;
import dev.tta.models.providers.openai.OpenAiJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Our chat records to and from Anthropic's Messages API. System messages become the top-level
 * {@code system} text; tool calls become {@code tool_use} blocks and tool results {@code
 * tool_result} blocks of a user turn (consecutive results share one turn, as the API demands);
 * OpenAI-style tool choices become Anthropic's ({@code required} is {@code any}).
 */
final class AnthropicMapping {

  private AnthropicMapping() {}

  /**
   * The request body; only the fields the request sets are sent, and {@code max_tokens} always.
   *
   * @throws IllegalArgumentException when a tool schema, tool-call arguments or the tool choice is
   *     not valid JSON
   */
  static ObjectNode requestBody(
      String modelId, ChatRequest request, int defaultMaxTokens, boolean stream) {
    ObjectNode body = OpenAiJson.mapper().createObjectNode();
    body.put("model", modelId);
    body.put("max_tokens", request.maxTokens().orElse(defaultMaxTokens));
    List<String> system = new ArrayList<>();
    ArrayNode messages = body.putArray("messages");
    ArrayNode pendingResults = null;
    for (ChatMessage message : request.messages()) {
      if (message.role() == Role.SYSTEM) {
        system.add(message.content());
        continue;
      }
      if (message.role() == Role.TOOL) {
        if (pendingResults == null) {
          ObjectNode turn = messages.addObject();
          turn.put("role", "user");
          pendingResults = turn.putArray("content");
        }
        ObjectNode result = pendingResults.addObject();
        result.put("type", "tool_result");
        result.put("tool_use_id", message.toolCallId());
        result.put("content", message.content());
        continue;
      }
      pendingResults = null;
      messages.add(turn(message));
    }
    if (!system.isEmpty()) {
      body.put("system", String.join("\n\n", system));
    }
    request.temperature().ifPresent(t -> body.put("temperature", t));
    request.topP().ifPresent(p -> body.put("top_p", p));
    if (!request.stop().isEmpty()) {
      ArrayNode stop = body.putArray("stop_sequences");
      request.stop().forEach(stop::add);
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode node = tools.addObject();
        node.put("name", tool.name());
        node.put("description", tool.description());
        node.set("input_schema", json(tool.parametersSchema(), "tools[" + tool.name() + "]"));
      }
    }
    toolChoice(request.toolChoice()).ifPresent(choice -> body.set("tool_choice", choice));
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  private static ObjectNode turn(ChatMessage message) {
    ObjectNode turn = OpenAiJson.mapper().createObjectNode();
    turn.put("role", message.role() == Role.ASSISTANT ? "assistant" : "user");
    if (message.toolCalls().isEmpty()) {
      turn.put("content", message.content());
      return turn;
    }
    ArrayNode content = turn.putArray("content");
    if (message.content() != null && !message.content().isEmpty()) {
      content.addObject().put("type", "text").put("text", message.content());
    }
    for (ToolCall call : message.toolCalls()) {
      ObjectNode use = content.addObject();
      use.put("type", "tool_use");
      use.put("id", call.id());
      use.put("name", call.name());
      use.set("input", json(call.arguments(), "tool call " + call.id()));
    }
    return turn;
  }

  /** {@code auto}, {@code none}, {@code required}, a tool's name, or OpenAI's object form. */
  private static Optional<JsonNode> toolChoice(String toolChoice) {
    if (toolChoice == null || toolChoice.isBlank()) {
      return Optional.empty();
    }
    String choice = toolChoice.strip();
    ObjectNode node = OpenAiJson.mapper().createObjectNode();
    switch (choice) {
      case "auto" -> node.put("type", "auto");
      case "none" -> node.put("type", "none");
      case "required" -> node.put("type", "any");
      default -> {
        String name =
            choice.startsWith("{")
                ? json(choice, "tool_choice").path("function").path("name").asText("")
                : choice;
        if (name.isEmpty()) {
          throw new IllegalArgumentException(
              "tool_choice: names no function, was '" + choice + "'");
        }
        node.put("type", "tool").put("name", name);
      }
    }
    return Optional.of(node);
  }

  private static JsonNode json(String text, String what) {
    try {
      return OpenAiJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + ": is not valid JSON", e);
    }
  }

  /**
   * A whole answer: its text blocks joined, its {@code tool_use} blocks as tool calls.
   *
   * @throws IllegalArgumentException when the body is not a message
   */
  static ChatResponse response(JsonNode body, String requestedModel) {
    if (!body.path("content").isArray()) {
      throw new IllegalArgumentException("the answer has no 'content' array");
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode block : body.path("content")) {
      switch (block.path("type").asText("")) {
        case "text" -> text.append(block.path("text").asText(""));
        case "tool_use" ->
            calls.add(
                new ToolCall(
                    block.path("id").asText(),
                    block.path("name").asText(),
                    block.path("input").toString()));
        default -> {}
      }
    }
    ChatMessage message =
        calls.isEmpty()
            ? ChatMessage.assistant(text.toString())
            : new ChatMessage(Role.ASSISTANT, text.toString(), calls, null);
    String model = body.path("model").asText("");
    return new ChatResponse(
        body.path("id").asText(""),
        model.isBlank() ? requestedModel : model,
        message,
        finishReason(body.path("stop_reason").asText("")),
        usage(body.path("usage")));
  }

  /** {@code tool_use} asks for tool calls, {@code max_tokens} ran out, a refusal is filtered. */
  static FinishReason finishReason(String stopReason) {
    return switch (stopReason) {
      case "max_tokens" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "refusal" -> FinishReason.CONTENT_FILTER;
      default -> FinishReason.STOP;
    };
  }

  static Optional<Usage> usage(JsonNode usage) {
    if (!usage.has("input_tokens") && !usage.has("output_tokens")) {
      return Optional.empty();
    }
    return Optional.of(
        new Usage(usage.path("input_tokens").asInt(0), usage.path("output_tokens").asInt(0)));
  }
}

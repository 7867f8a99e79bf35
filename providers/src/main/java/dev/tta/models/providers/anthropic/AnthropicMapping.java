package dev.tta.models.providers.anthropic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.chat.FinishReason;
import dev.tta.models.chat.ResponseFormat;
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
    Optional<String> answerTool = answerTool(request.responseFormat());
    if (!request.tools().isEmpty() || answerTool.isPresent()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        if (answerTool.isPresent() && answerTool.get().equals(tool.name())) {
          throw new IllegalArgumentException(
              "response_format.json_schema.name: '"
                  + tool.name()
                  + "' is also the name of one of the request's tools; give the schema another"
                  + " name");
        }
        ObjectNode node = tools.addObject();
        node.put("name", tool.name());
        node.put("description", tool.description());
        node.set("input_schema", json(tool.parametersSchema(), "tools[" + tool.name() + "]"));
      }
      answerTool.ifPresent(name -> tools.add(answerToolDefinition(name, request.responseFormat())));
    }
    Optional<JsonNode> choice = toolChoice(request.toolChoice());
    if (choice.isEmpty() && answerTool.isPresent()) {
      ObjectNode forced = OpenAiJson.mapper().createObjectNode();
      if (request.tools().isEmpty()) {
        forced.put("type", "tool").put("name", answerTool.get());
      } else {
        // the model may still call one of the caller's tools; it must call one of them or answer
        forced.put("type", "any");
      }
      choice = Optional.of(forced);
    }
    choice.ifPresent(c -> body.set("tool_choice", c));
    if (stream) {
      body.put("stream", true);
    }
    return body;
  }

  /**
   * The tool through which a model answers in JSON: the Messages API has no JSON mode that every
   * model honours, but a model made to call a tool writes that tool's input as JSON that the tool's
   * schema describes. Named after the schema ({@code json_object} for any object); empty for free
   * text.
   */
  static Optional<String> answerTool(ResponseFormat format) {
    return switch (format) {
      case ResponseFormat.Text text -> Optional.empty();
      case ResponseFormat.JsonObject object -> Optional.of(format.wireName());
      case ResponseFormat.JsonSchema schema -> Optional.of(schema.name());
    };
  }

  private static ObjectNode answerToolDefinition(String name, ResponseFormat format) {
    ObjectNode tool = OpenAiJson.mapper().createObjectNode();
    tool.put("name", name);
    String description =
        format instanceof ResponseFormat.JsonSchema schema && !schema.description().isEmpty()
            ? schema.description()
            : "Give your answer as this tool's input.";
    tool.put("description", description);
    JsonNode inputSchema =
        format instanceof ResponseFormat.JsonSchema schema && !schema.schema().isEmpty()
            ? json(schema.schema(), "response_format.json_schema.schema")
            : OpenAiJson.mapper().createObjectNode().put("type", "object");
    JsonNode type = inputSchema.path("type");
    if (!type.isMissingNode() && !type.asText("").equals("object")) {
      throw new IllegalArgumentException(
          "response_format.json_schema.schema: the answer must be a JSON object (a tool's input"
              + " is one), the schema's root type was "
              + type);
    }
    tool.set("input_schema", inputSchema);
    return tool;
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
   * A whole answer: its text blocks joined, its {@code tool_use} blocks as tool calls, except the
   * answer tool's, whose input is the answer's text.
   *
   * @throws IllegalArgumentException when the body is not a message
   */
  static ChatResponse response(JsonNode body, String requestedModel, Optional<String> answerTool) {
    if (!body.path("content").isArray()) {
      throw new IllegalArgumentException("the answer has no 'content' array");
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    boolean answered = false;
    for (JsonNode block : body.path("content")) {
      switch (block.path("type").asText("")) {
        case "text" -> text.append(block.path("text").asText(""));
        case "tool_use" -> {
          if (answerTool.isPresent() && answerTool.get().equals(block.path("name").asText())) {
            // a model made to call a tool writes no text before it (Anthropic's tool use guide)
            text.append(block.path("input").toString());
            answered = true;
          } else {
            calls.add(
                new ToolCall(
                    block.path("id").asText(),
                    block.path("name").asText(),
                    block.path("input").toString()));
          }
        }
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
        answered && calls.isEmpty()
            ? FinishReason.STOP
            : finishReason(body.path("stop_reason").asText("")),
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

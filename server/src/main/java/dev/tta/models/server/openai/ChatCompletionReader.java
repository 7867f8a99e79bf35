package dev.tta.models.server.openai;

import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ResponseFormat;
import dev.tta.models.chat.Role;
import dev.tta.models.chat.ToolCall;
import dev.tta.models.chat.ToolDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Reads and checks a chat completions body as OpenAI documents it. Every problem is an {@link
 * OpenAiError} 400 that names the field ({@code messages[1].content}); fields the gateway cannot
 * honour are refused when their value would change the answer and listed as ignored otherwise.
 */
final class ChatCompletionReader {

  /** Accepted and passed on, or acted on by the gateway itself. */
  private static final Set<String> KNOWN =
      Set.of(
          "model",
          "models",
          "messages",
          "stream",
          "stream_options",
          "max_tokens",
          "max_completion_tokens",
          "temperature",
          "top_p",
          "frequency_penalty",
          "presence_penalty",
          "stop",
          "seed",
          "tools",
          "tool_choice",
          "response_format",
          "metadata",
          "n",
          "user",
          "logprobs");

  private final ObjectMapper mapper;

  ChatCompletionReader(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  ChatCompletionCall read(String body, Function<String, String> header) {
    JsonNode root;
    try {
      root = mapper.readTree(body);
    } catch (JacksonException e) {
      throw new OpenAiError(
          400,
          "invalid_request_error",
          null,
          "invalid_json",
          "the body is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new OpenAiError(
          400, "invalid_request_error", null, "invalid_json", "the body must be a JSON object");
    }
    String model = text(root, "model", true);
    List<String> fallbacks = new ArrayList<>();
    JsonNode models = root.get("models");
    if (models != null && !models.isNull()) {
      if (!models.isArray()) {
        throw OpenAiError.invalid("models", "models: must be an array of model names");
      }
      for (int i = 0; i < models.size(); i++) {
        JsonNode m = models.get(i);
        if (!m.isString() || m.stringValue().isBlank()) {
          throw OpenAiError.invalid("models", "models[" + i + "]: must be a model name");
        }
        fallbacks.add(m.stringValue().trim());
      }
    }
    ChatRequest.Builder chat = ChatRequest.builder().messages(messages(root));
    integer(root, "max_completion_tokens")
        .or(() -> integer(root, "max_tokens"))
        .ifPresent(chat::maxTokens);
    number(root, "temperature").ifPresent(chat::temperature);
    number(root, "top_p").ifPresent(chat::topP);
    number(root, "frequency_penalty").ifPresent(chat::frequencyPenalty);
    number(root, "presence_penalty").ifPresent(chat::presencePenalty);
    chat.stop(stop(root));
    JsonNode seed = root.get("seed");
    if (seed != null && !seed.isNull()) {
      if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
        throw OpenAiError.invalid("seed", "seed: must be an integer");
      }
      chat.seed(seed.longValue());
    }
    chat.tools(tools(root));
    JsonNode toolChoice = root.get("tool_choice");
    if (toolChoice != null && !toolChoice.isNull()) {
      chat.toolChoice(toolChoice.isString() ? toolChoice.stringValue() : toolChoice.toString());
    }
    chat.responseFormat(responseFormat(root));
    boolean stream = bool(root, "stream", "stream");
    boolean includeUsage = false;
    JsonNode options = root.get("stream_options");
    if (options != null && !options.isNull()) {
      if (!options.isObject()) {
        throw OpenAiError.invalid("stream_options", "stream_options: must be an object");
      }
      includeUsage = bool(options, "include_usage", "stream_options.include_usage");
    }
    JsonNode n = root.get("n");
    if (n != null
        && !n.isNull()
        && !(n.isIntegralNumber() && n.canConvertToInt() && n.intValue() == 1)) {
      throw OpenAiError.invalid("n", "n: only 1 choice per request is supported");
    }
    JsonNode logprobs = root.get("logprobs");
    if (logprobs != null && logprobs.isBoolean() && logprobs.booleanValue()) {
      throw OpenAiError.invalid("logprobs", "logprobs: log probabilities are not supported");
    }
    RequirementHints hints = new RequirementHints();
    Map<String, String> metadata = new LinkedHashMap<>();
    JsonNode meta = root.get("metadata");
    if (meta != null && !meta.isNull()) {
      if (!meta.isObject()) {
        throw OpenAiError.invalid("metadata", "metadata: must be an object of string values");
      }
      for (Map.Entry<String, JsonNode> e : meta.properties()) {
        JsonNode v = e.getValue();
        if (!v.isValueNode() || v.isNull()) {
          throw OpenAiError.invalid(
              "metadata", "metadata." + e.getKey() + ": must be a string, number or boolean");
        }
        String value = v.asString();
        if (RequirementHints.HEADERS.containsKey(e.getKey())) {
          hints.put(e.getKey(), value, "metadata." + e.getKey());
        } else {
          metadata.put(e.getKey(), value);
        }
      }
    }
    RequirementHints.HEADERS.forEach(
        (requirement, name) -> {
          String value = header.apply(name);
          if (value != null && !value.isBlank()) {
            hints.put(requirement, value, name);
          }
        });
    chat.metadata(metadata);
    List<String> ignored = new ArrayList<>();
    for (String field : root.propertyNames()) {
      if (!KNOWN.contains(field)) {
        ignored.add(field);
      }
    }
    ChatRequest request;
    try {
      request = chat.build();
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      int colon = message.indexOf(": ");
      throw OpenAiError.invalid(colon > 0 ? message.substring(0, colon) : null, message);
    }
    return new ChatCompletionCall(model, fallbacks, request, stream, includeUsage, hints, ignored);
  }

  private static List<ChatMessage> messages(JsonNode root) {
    JsonNode messages = root.get("messages");
    if (messages == null || messages.isNull()) {
      throw OpenAiError.missing("messages");
    }
    if (!messages.isArray()) {
      throw OpenAiError.invalid("messages", "messages: must be an array of messages");
    }
    if (messages.isEmpty()) {
      throw OpenAiError.invalid("messages", "messages: must contain at least one message");
    }
    List<ChatMessage> out = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      out.add(message(messages.get(i), "messages[" + i + "]"));
    }
    return out;
  }

  private static ChatMessage message(JsonNode node, String at) {
    if (!node.isObject()) {
      throw OpenAiError.invalid(at, at + ": must be an object with role and content");
    }
    JsonNode roleNode = node.get("role");
    if (roleNode == null || !roleNode.isString()) {
      throw OpenAiError.invalid(at + ".role", at + ".role: is required and must be a string");
    }
    String roleName = roleNode.stringValue();
    Role role;
    try {
      // "developer" is OpenAI's newer name for the system role
      role = Role.fromWireName(roleName.equals("developer") ? "system" : roleName);
    } catch (IllegalArgumentException e) {
      throw OpenAiError.invalid(
          at + ".role",
          at + ".role: must be system, developer, user, assistant or tool, was '" + roleName + "'");
    }
    String content = content(node.get("content"), at + ".content");
    List<ToolCall> toolCalls = new ArrayList<>();
    JsonNode calls = node.get("tool_calls");
    if (calls != null && !calls.isNull()) {
      if (role != Role.ASSISTANT || !calls.isArray()) {
        throw OpenAiError.invalid(
            at + ".tool_calls",
            at + ".tool_calls: only an assistant message carries an array of them");
      }
      for (int i = 0; i < calls.size(); i++) {
        toolCalls.add(toolCall(calls.get(i), at + ".tool_calls[" + i + "]"));
      }
    }
    String toolCallId = null;
    if (role == Role.TOOL) {
      JsonNode id = node.get("tool_call_id");
      if (id == null || !id.isString() || id.stringValue().isBlank()) {
        throw OpenAiError.invalid(
            at + ".tool_call_id",
            at + ".tool_call_id: a tool message must name the call it answers");
      }
      toolCallId = id.stringValue();
    }
    if (content.isEmpty() && toolCalls.isEmpty() && role != Role.ASSISTANT) {
      if (node.get("content") == null || node.get("content").isNull()) {
        throw OpenAiError.invalid(at + ".content", at + ".content: is required");
      }
    }
    return new ChatMessage(role, content, toolCalls, toolCallId);
  }

  private static String content(JsonNode content, String at) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isString()) {
      return content.stringValue();
    }
    if (!content.isArray()) {
      throw OpenAiError.invalid(at, at + ": must be a string or an array of text parts");
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < content.size(); i++) {
      JsonNode part = content.get(i);
      JsonNode type = part.get("type");
      if (type == null || !type.isString()) {
        throw OpenAiError.invalid(at + "[" + i + "]", at + "[" + i + "].type: is required");
      }
      if (!type.stringValue().equals("text")) {
        throw OpenAiError.invalid(
            at + "[" + i + "]",
            at + "[" + i + "]: only text parts are supported, was '" + type.stringValue() + "'");
      }
      JsonNode value = part.get("text");
      if (value == null || !value.isString()) {
        throw OpenAiError.invalid(
            at + "[" + i + "].text", at + "[" + i + "].text: must be a string");
      }
      text.append(value.stringValue());
    }
    return text.toString();
  }

  private static ToolCall toolCall(JsonNode call, String at) {
    JsonNode function = call.get("function");
    if (!call.isObject() || function == null || !function.isObject()) {
      throw OpenAiError.invalid(at, at + ": must be an object with id and function");
    }
    JsonNode id = call.get("id");
    JsonNode name = function.get("name");
    JsonNode arguments = function.get("arguments");
    if (id == null || !id.isString() || name == null || !name.isString()) {
      throw OpenAiError.invalid(at, at + ": id and function.name are required strings");
    }
    String args =
        arguments == null || arguments.isNull()
            ? ""
            : arguments.isString() ? arguments.stringValue() : arguments.toString();
    try {
      return new ToolCall(id.stringValue(), name.stringValue(), args);
    } catch (IllegalArgumentException e) {
      throw OpenAiError.invalid(at, at + ": " + e.getMessage());
    }
  }

  private static List<ToolDefinition> tools(JsonNode root) {
    JsonNode tools = root.get("tools");
    List<ToolDefinition> out = new ArrayList<>();
    if (tools == null || tools.isNull()) {
      return out;
    }
    if (!tools.isArray()) {
      throw OpenAiError.invalid("tools", "tools: must be an array");
    }
    for (int i = 0; i < tools.size(); i++) {
      String at = "tools[" + i + "]";
      JsonNode tool = tools.get(i);
      JsonNode type = tool.get("type");
      JsonNode function = tool.get("function");
      if (type == null
          || !type.isString()
          || !type.stringValue().equals("function")
          || function == null
          || !function.isObject()) {
        throw OpenAiError.invalid(at, at + ": must be {\"type\":\"function\",\"function\":{...}}");
      }
      JsonNode name = function.get("name");
      if (name == null || !name.isString() || name.stringValue().isBlank()) {
        throw OpenAiError.invalid(at + ".function.name", at + ".function.name: is required");
      }
      JsonNode description = function.get("description");
      if (description != null && !description.isValueNode()) {
        throw OpenAiError.invalid(
            at + ".function.description", at + ".function.description: must be a string");
      }
      JsonNode parameters = function.get("parameters");
      out.add(
          new ToolDefinition(
              name.stringValue(),
              description == null || description.isNull() ? "" : description.asString(),
              parameters == null || parameters.isNull() ? "" : parameters.toString()));
    }
    return out;
  }

  /**
   * OpenAI's {@code response_format}: {@code {"type":"text"}}, {@code {"type":"json_object"}}, or
   * {@code {"type":"json_schema","json_schema":{"name":..., "schema":{...}, "strict":...,
   * "description":...}}}.
   */
  private static ResponseFormat responseFormat(JsonNode root) {
    JsonNode format = root.get("response_format");
    if (format == null || format.isNull()) {
      return ResponseFormat.TEXT;
    }
    if (!format.isObject()) {
      throw OpenAiError.invalid(
          "response_format",
          "response_format: must be an object such as {\"type\":\"json_object\"}");
    }
    JsonNode type = format.get("type");
    if (type == null || type.isNull()) {
      throw OpenAiError.missing("response_format.type");
    }
    String name = type.isString() ? type.stringValue() : type.toString();
    return switch (name) {
      case "text" -> ResponseFormat.TEXT;
      case "json_object" -> new ResponseFormat.JsonObject();
      case "json_schema" -> jsonSchema(format.get("json_schema"));
      default ->
          throw OpenAiError.invalid(
              "response_format.type",
              "response_format.type: must be one of text, json_object, json_schema, was " + name);
    };
  }

  private static ResponseFormat.JsonSchema jsonSchema(JsonNode spec) {
    String at = "response_format.json_schema";
    if (spec == null || spec.isNull()) {
      throw OpenAiError.missing(at);
    }
    if (!spec.isObject()) {
      throw OpenAiError.invalid(at, at + ": must be an object with a name and a schema");
    }
    JsonNode name = spec.get("name");
    if (name == null || name.isNull()) {
      throw OpenAiError.missing(at + ".name");
    }
    if (!name.isString()) {
      throw OpenAiError.invalid(at + ".name", at + ".name: must be a string");
    }
    JsonNode description = spec.get("description");
    if (description != null && !description.isNull() && !description.isString()) {
      throw OpenAiError.invalid(at + ".description", at + ".description: must be a string");
    }
    JsonNode schema = spec.get("schema");
    if (schema != null && !schema.isNull() && !schema.isObject()) {
      throw OpenAiError.invalid(at + ".schema", at + ".schema: must be a JSON Schema object");
    }
    JsonNode strict = spec.get("strict");
    if (strict != null && !strict.isNull() && !strict.isBoolean()) {
      throw OpenAiError.invalid(at + ".strict", at + ".strict: must be true or false");
    }
    try {
      return new ResponseFormat.JsonSchema(
          name.stringValue(),
          description == null || description.isNull() ? "" : description.stringValue(),
          schema == null || schema.isNull() ? "" : schema.toString(),
          strict != null && strict.isBoolean() && strict.booleanValue());
    } catch (IllegalArgumentException e) {
      throw OpenAiError.invalid(at + ".name", e.getMessage());
    }
  }

  private static List<String> stop(JsonNode root) {
    JsonNode stop = root.get("stop");
    if (stop == null || stop.isNull()) {
      return List.of();
    }
    if (stop.isString()) {
      return List.of(stop.stringValue());
    }
    if (!stop.isArray()) {
      throw OpenAiError.invalid("stop", "stop: must be a string or an array of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : stop) {
      if (!s.isString()) {
        throw OpenAiError.invalid("stop", "stop: must be a string or an array of strings");
      }
      out.add(s.stringValue());
    }
    return out;
  }

  private static String text(JsonNode root, String field, boolean required) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw OpenAiError.missing(field);
      }
      return "";
    }
    if (!value.isString()) {
      throw OpenAiError.invalid(field, field + ": must be a string");
    }
    if (required && value.stringValue().isBlank()) {
      throw OpenAiError.invalid(field, field + ": must not be empty");
    }
    return value.stringValue().trim();
  }

  private static Optional<Integer> integer(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw OpenAiError.invalid(field, field + ": must be an integer");
    }
    if (value.intValue() < 1) {
      throw OpenAiError.invalid(field, field + ": must be at least 1, was " + value.intValue());
    }
    return Optional.of(value.intValue());
  }

  private static OptionalDouble number(JsonNode root, String field) {
    JsonNode value = root.get(field);
    if (value == null || value.isNull()) {
      return OptionalDouble.empty();
    }
    if (!value.isNumber()) {
      throw OpenAiError.invalid(field, field + ": must be a number");
    }
    return OptionalDouble.of(value.doubleValue());
  }

  /** {@code param} is the field's place in the body, which the error names. */
  private static boolean bool(JsonNode node, String field, String param) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw OpenAiError.invalid(param, param + ": must be true or false");
    }
    return value.booleanValue();
  }
}

package dev.tta.models.providers.ollama;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Our chat records to and from Ollama's {@code /api/chat}. Sampling options go in {@code options}
 * ({@code num_predict} is the token limit); tool-call arguments are JSON objects on the wire, not
 * text as in OpenAI's API, and carry no id, so calls are numbered {@code call_0}, {@code call_1}...
 */
final class OllamaMapping {

  private OllamaMapping() {}

  /**
   * The request body; only the options the request sets are sent.
   *
   * @throws IllegalArgumentException when a tool schema or tool-call arguments are not JSON
   */
  static ObjectNode requestBody(String modelId, ChatRequest request, boolean stream) {
    ObjectNode body = OpenAiJson.mapper().createObjectNode();
    body.put("model", modelId);
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage message : request.messages()) {
      ObjectNode node = messages.addObject();
      node.put("role", message.role().wireName());
      node.put("content", message.content());
      if (!message.toolCalls().isEmpty()) {
        ArrayNode calls = node.putArray("tool_calls");
        for (ToolCall call : message.toolCalls()) {
          ObjectNode function = calls.addObject().putObject("function");
          function.put("name", call.name());
          function.set("arguments", json(call.arguments(), "tool call " + call.id()));
        }
      }
    }
    if (!request.tools().isEmpty()) {
      ArrayNode tools = body.putArray("tools");
      for (ToolDefinition tool : request.tools()) {
        ObjectNode function = tools.addObject().put("type", "function").putObject("function");
        function.put("name", tool.name());
        function.put("description", tool.description());
        function.set("parameters", json(tool.parametersSchema(), "tools[" + tool.name() + "]"));
      }
    }
    switch (request.responseFormat()) {
      case ResponseFormat.Text text -> {}
      case ResponseFormat.JsonObject object -> body.put("format", "json");
      case ResponseFormat.JsonSchema schema -> {
        if (schema.schema().isEmpty()) {
          body.put("format", "json");
        } else {
          body.set("format", json(schema.schema(), "response_format.json_schema.schema"));
        }
      }
    }
    ObjectNode options = OpenAiJson.mapper().createObjectNode();
    request.maxTokens().ifPresent(n -> options.put("num_predict", n));
    request.temperature().ifPresent(t -> options.put("temperature", t));
    request.topP().ifPresent(p -> options.put("top_p", p));
    request.frequencyPenalty().ifPresent(p -> options.put("frequency_penalty", p));
    request.presencePenalty().ifPresent(p -> options.put("presence_penalty", p));
    request.seed().ifPresent(seed -> options.put("seed", seed));
    if (!request.stop().isEmpty()) {
      ArrayNode stop = options.putArray("stop");
      request.stop().forEach(stop::add);
    }
    if (!options.isEmpty()) {
      body.set("options", options);
    }
    body.put("stream", stream);
    return body;
  }

  private static JsonNode json(String text, String what) {
    try {
      return OpenAiJson.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(what + ": is not valid JSON", e);
    }
  }

  /**
   * A whole answer.
   *
   * @throws IllegalArgumentException when the body has no {@code message}
   */
  static ChatResponse response(JsonNode body, String requestedModel) {
    JsonNode message = body.path("message");
    if (!message.isObject()) {
      throw new IllegalArgumentException("the answer has no 'message' object");
    }
    List<ToolCall> calls = toolCalls(message, 0);
    String text = message.path("content").asText("");
    ChatMessage answer =
        calls.isEmpty()
            ? ChatMessage.assistant(text)
            : new ChatMessage(Role.ASSISTANT, text, calls, null);
    String model = body.path("model").asText("");
    return new ChatResponse(
        "",
        model.isBlank() ? requestedModel : model,
        answer,
        finishReason(body, !calls.isEmpty()),
        usage(body));
  }

  /** The tool calls of a message, numbered from {@code first}. */
  static List<ToolCall> toolCalls(JsonNode message, int first) {
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode call : message.path("tool_calls")) {
      JsonNode function = call.path("function");
      String id = call.path("id").asText("");
      calls.add(
          new ToolCall(
              id.isBlank() ? "call_" + (first + calls.size()) : id,
              function.path("name").asText(),
              function.path("arguments").toString()));
    }
    return calls;
  }

  /**
   * {@code length} when the token limit ended it; tool calls when the answer made some (Ollama says
   * {@code stop} then); otherwise {@code stop}.
   */
  static FinishReason finishReason(JsonNode body, boolean madeToolCalls) {
    if (body.path("done_reason").asText("").equals("length")) {
      return FinishReason.LENGTH;
    }
    return madeToolCalls ? FinishReason.TOOL_CALLS : FinishReason.STOP;
  }

  /**
   * {@code prompt_eval_count} and {@code eval_count}, when the final object has them, with {@code
   * eval_duration} (nanoseconds) as the generation time, which gives Ollama's own tokens per
   * second.
   */
  static Optional<Usage> usage(JsonNode body) {
    if (!body.has("prompt_eval_count") && !body.has("eval_count")) {
      return Optional.empty();
    }
    Usage usage =
        new Usage(body.path("prompt_eval_count").asInt(0), body.path("eval_count").asInt(0));
    long evalNanos = body.path("eval_duration").asLong(-1);
    return Optional.of(
        evalNanos >= 0 ? usage.withGenerationTime(Duration.ofNanos(evalNanos)) : usage);
  }
}

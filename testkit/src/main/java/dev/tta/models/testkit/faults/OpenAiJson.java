package dev.tta.models.testkit.faults;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The JSON the upstream writes, in OpenAI's Chat Completions shapes and field order, compact (no
 * spaces), so that tests can state the exact lines a client receives.
 */
final class OpenAiJson {

  /** Thread-safe once configured, so shared. */
  static final ObjectMapper MAPPER = new ObjectMapper();

  private OpenAiJson() {}

  /**
   * An error body in OpenAI's shape: {@code {"error":{"message","type","param","code"}}}, {@code
   * null} where {@code param} or {@code code} is null.
   */
  static String error(String message, String type, String param, String code) {
    ObjectNode body = MAPPER.createObjectNode();
    body.putObject("error")
        .put("message", message)
        .put("type", type)
        .put("param", param)
        .put("code", code);
    return body.toString();
  }

  /**
   * An error object inside a stream, as OpenRouter sends one: {@code
   * {"error":{"message","type":"server_error"}}}.
   */
  static String streamError(String message) {
    ObjectNode body = MAPPER.createObjectNode();
    body.putObject("error").put("message", message).put("type", "server_error");
    return body.toString();
  }

  /** {@code GET /v1/models}: the ids in order, each {@code created} at the given second. */
  static String models(List<String> ids, long created) {
    ObjectNode body = MAPPER.createObjectNode().put("object", "list");
    ArrayNode data = body.putArray("data");
    for (String id : ids) {
      data.addObject()
          .put("id", id)
          .put("object", "model")
          .put("created", created)
          .put("owned_by", "faulty-upstream");
    }
    return body.toString();
  }

  /** A body as JSON; a missing node when it is empty or not JSON. */
  static JsonNode parse(String body) {
    try {
      JsonNode node = MAPPER.readTree(body);
      return node == null ? MissingNode.getInstance() : node;
    } catch (JsonProcessingException e) {
      return MissingNode.getInstance();
    }
  }

  static String health() {
    return MAPPER.createObjectNode().put("status", "ok").toString();
  }

  /**
   * The names one answer shares in all its JSON: {@code id}, {@code created} and {@code model}, and
   * whether the client asked for usage in its stream (then every chunk but the last carries {@code
   * "usage":null}, as OpenAI sends it).
   */
  record Reply(String id, long created, String model, boolean streamUsage) {

    /** A whole {@code chat.completion}; a null finish reason is written as {@code null}. */
    String completion(String content, String finishReason, int promptTokens, int completionTokens) {
      ObjectNode body = head("chat.completion");
      ObjectNode choice = body.putArray("choices").addObject().put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", content);
      choice.put("finish_reason", finishReason);
      usage(body, promptTokens, completionTokens);
      return body.toString();
    }

    String roleChunk() {
      ObjectNode chunk = head("chat.completion.chunk");
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      choice.putObject("delta").put("role", "assistant").put("content", "");
      choice.putNull("finish_reason");
      return render(chunk);
    }

    String contentChunk(String token) {
      ObjectNode chunk = head("chat.completion.chunk");
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      choice.putObject("delta").put("content", token);
      choice.putNull("finish_reason");
      return render(chunk);
    }

    String finishChunk(String finishReason) {
      ObjectNode chunk = head("chat.completion.chunk");
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      choice.putObject("delta");
      choice.put("finish_reason", finishReason);
      return render(chunk);
    }

    /** The usage-only chunk that ends a stream whose client asked for usage. */
    String usageChunk(int promptTokens, int completionTokens) {
      ObjectNode chunk = head("chat.completion.chunk");
      chunk.putArray("choices");
      usage(chunk, promptTokens, completionTokens);
      return chunk.toString();
    }

    private ObjectNode head(String object) {
      return MAPPER
          .createObjectNode()
          .put("id", id)
          .put("object", object)
          .put("created", created)
          .put("model", model);
    }

    /** A content-carrying chunk's text: with {@code "usage":null} when usage was asked for. */
    private String render(ObjectNode chunk) {
      if (streamUsage) {
        chunk.putNull("usage");
      }
      return chunk.toString();
    }

    private static void usage(ObjectNode body, int promptTokens, int completionTokens) {
      body.putObject("usage")
          .put("prompt_tokens", promptTokens)
          .put("completion_tokens", completionTokens)
          .put("total_tokens", promptTokens + completionTokens);
    }
  }
}

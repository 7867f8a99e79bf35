package dev.tta.models.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * An error as a server wrote it, whatever its shape: OpenAI's {@code {"error": {"message", "type",
 * "code", "param"}}} (with {@code code} a string, or the HTTP status as a number in llama.cpp's
 * server and OpenRouter), a bare error object (llama.cpp's in-stream {@code error:} line, vLLM's
 * {@code {"object": "error", ...}}), {@code {"error": "text"}} (Ollama), {@code {"detail": ...}}
 * (FastAPI servers), or text that is not JSON at all (a proxy's HTML page).
 *
 * @param type the {@code type} field, lower case, empty when absent
 * @param code the {@code code} field when it is text, lower case, empty otherwise
 * @param numericCode the {@code code} field when it is a number (an HTTP status)
 * @param message the human-readable message, possibly empty
 */
record WireError(String type, String code, OptionalInt numericCode, String message) {

  /** How much of a body that is not an error object goes into a message. */
  static final int MAX_RAW_MESSAGE = 300;

  static WireError fromTree(JsonNode root) {
    JsonNode error = root.path("error");
    if (error.isTextual()) {
      return new WireError("", "", OptionalInt.empty(), error.asText());
    }
    JsonNode object = error.isObject() ? error : root;
    JsonNode code = object.path("code");
    String message = text(object.path("message"));
    if (message.isEmpty()) {
      message = text(object.path("detail"));
    }
    return new WireError(
        text(object.path("type")).toLowerCase(Locale.ROOT),
        code.isTextual() ? code.asText().toLowerCase(Locale.ROOT) : "",
        code.isInt() ? OptionalInt.of(code.asInt()) : OptionalInt.empty(),
        message);
  }

  static WireError fromText(String body) {
    String trimmed = body == null ? "" : body.strip();
    return new WireError(
        "",
        "",
        OptionalInt.empty(),
        trimmed.substring(0, Math.min(trimmed.length(), MAX_RAW_MESSAGE)));
  }

  private static String text(JsonNode node) {
    if (node.isTextual()) {
      return node.asText();
    }
    // a missing node prints as empty text
    return node.isNull() ? "" : node.toString();
  }
}

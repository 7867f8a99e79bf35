package dev.tta.models.chat;

import dev.tta.models.internal.Checks;
import java.util.regex.Pattern;

/**
 * The shape the answer's text must have: free text, any JSON object, or JSON that a given schema
 * describes. Each provider holds its model to it in its own way (the API's own field, a grammar, a
 * forced tool call); none ignores it.
 */
public sealed interface ResponseFormat {

  /** Free text, what a request without a format asks for. */
  ResponseFormat TEXT = new Text();

  /** Free text. */
  record Text() implements ResponseFormat {}

  /** A JSON object, of any shape. */
  record JsonObject() implements ResponseFormat {}

  /**
   * JSON that the schema describes.
   *
   * @param name the schema's name: 1 to 64 letters, digits, underscores or hyphens
   * @param description what the answer is for, possibly empty
   * @param schema the JSON Schema as text, passed through unparsed; empty when none was given
   * @param strict whether the caller asked the model to follow the schema exactly
   */
  record JsonSchema(String name, String description, String schema, boolean strict)
      implements ResponseFormat {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public JsonSchema {
      Checks.notNull(name, "response_format.json_schema.name");
      Checks.require(
          NAME.matcher(name).matches(),
          "response_format.json_schema.name",
          "must be 1 to 64 letters, digits, underscores or hyphens");
      description = description == null ? "" : description;
      schema = schema == null ? "" : schema.strip();
    }
  }

  /**
   * The name OpenAI's API gives this format: {@code text}, {@code json_object}, {@code
   * json_schema}.
   */
  default String wireName() {
    return switch (this) {
      case Text t -> "text";
      case JsonObject o -> "json_object";
      case JsonSchema s -> "json_schema";
    };
  }
}

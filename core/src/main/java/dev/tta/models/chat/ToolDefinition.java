package dev.tta.models.chat;

import dev.tta.models.internal.Checks;

/**
 * A function the model may call.
 *
 * @param name the function name
 * @param description what it does, possibly empty
 * @param parametersSchema its parameters as JSON Schema text, passed through unparsed
 */
public record ToolDefinition(String name, String description, String parametersSchema) {
  public ToolDefinition {
    Checks.notBlank(name, "tools[].function.name");
    description = description == null ? "" : description;
    parametersSchema = parametersSchema == null ? "" : parametersSchema;
  }
}

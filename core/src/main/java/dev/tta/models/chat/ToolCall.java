package dev.tta.models.chat;

import dev.tta.models.internal.Checks;

/**
 * A function call the model asked for.
 *
 * @param id the call id the tool result must refer to
 * @param name the function name
 * @param arguments the arguments as the JSON text the model produced (passed through unparsed)
 */
public record ToolCall(String id, String name, String arguments) {
  public ToolCall {
    Checks.notBlank(id, "tool_calls[].id");
    Checks.notBlank(name, "tool_calls[].function.name");
    arguments = arguments == null ? "" : arguments;
  }
}

package dev.tta.models.chat;

import dev.tta.models.internal.Checks;

/**
 * A fragment of a streamed tool call: the first fragment of a call carries its id and name, the
 * later ones pieces of its arguments. Fragments with the same index belong to the same call.
 */
public record ToolCallDelta(int index, String id, String name, String argumentsDelta) {
  public ToolCallDelta {
    Checks.notNegative(index, "tool_calls[].index");
    argumentsDelta = argumentsDelta == null ? "" : argumentsDelta;
  }
}

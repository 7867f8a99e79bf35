package dev.tta.models.chat;

import dev.tta.models.internal.Checks;
import java.util.List;

/**
 * One message of a conversation.
 *
 * @param role who wrote it
 * @param content its text; empty only for an assistant message that carries tool calls
 * @param toolCalls the calls an assistant message asks for
 * @param toolCallId for a tool message, the call it answers; otherwise null
 */
public record ChatMessage(Role role, String content, List<ToolCall> toolCalls, String toolCallId) {

  public ChatMessage {
    Checks.notNull(role, "messages[].role");
    content = content == null ? "" : content;
    toolCalls = Checks.listOf(toolCalls == null ? List.of() : toolCalls, "messages[].tool_calls");
    if (!toolCalls.isEmpty() && role != Role.ASSISTANT) {
      throw new IllegalArgumentException(
          "messages[].tool_calls: only an assistant message may carry tool calls");
    }
    if (role == Role.TOOL) {
      Checks.notBlank(toolCallId, "messages[].tool_call_id");
    }
  }

  public static ChatMessage system(String content) {
    return new ChatMessage(Role.SYSTEM, content, List.of(), null);
  }

  public static ChatMessage user(String content) {
    return new ChatMessage(Role.USER, content, List.of(), null);
  }

  public static ChatMessage assistant(String content) {
    return new ChatMessage(Role.ASSISTANT, content, List.of(), null);
  }

  public static ChatMessage assistantToolCalls(List<ToolCall> toolCalls) {
    return new ChatMessage(Role.ASSISTANT, "", toolCalls, null);
  }

  public static ChatMessage tool(String toolCallId, String content) {
    return new ChatMessage(Role.TOOL, content, List.of(), toolCallId);
  }
}

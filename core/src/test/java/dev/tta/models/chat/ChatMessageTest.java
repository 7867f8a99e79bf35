package dev.tta.models.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChatMessageTest {

  private static final ToolCall CALL = new ToolCall("call_1", "weather", "{\"city\":\"Oslo\"}");

  @Test
  void factories_roleContentAndNoToolFields() {
    assertThat(ChatMessage.system("s"))
        .isEqualTo(new ChatMessage(Role.SYSTEM, "s", List.of(), null));
    assertThat(ChatMessage.user("u")).isEqualTo(new ChatMessage(Role.USER, "u", List.of(), null));
    assertThat(ChatMessage.assistant("a"))
        .isEqualTo(new ChatMessage(Role.ASSISTANT, "a", List.of(), null));
  }

  @Test
  void assistantToolCalls_emptyContentAndTheCalls() {
    ChatMessage message = ChatMessage.assistantToolCalls(List.of(CALL));

    assertThat(message.role()).isSameAs(Role.ASSISTANT);
    assertThat(message.content()).isEmpty();
    assertThat(message.toolCalls()).containsExactly(CALL);
    assertThat(message.toolCallId()).isNull();
  }

  @Test
  void tool_carriesTheCallItAnswers() {
    ChatMessage message = ChatMessage.tool("call_1", "12 degrees");

    assertThat(message.role()).isSameAs(Role.TOOL);
    assertThat(message.content()).isEqualTo("12 degrees");
    assertThat(message.toolCallId()).isEqualTo("call_1");
    assertThat(message.toolCalls()).isEmpty();
  }

  @Test
  void tool_withoutACallIdRefused() {
    assertThatThrownBy(() -> ChatMessage.tool(null, "12 degrees"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messages[].tool_call_id: must not be blank");
    assertThatThrownBy(() -> ChatMessage.tool(" ", "12 degrees"))
        .hasMessage("messages[].tool_call_id: must not be blank");
  }

  @Test
  void toolCalls_onlyOnAnAssistantMessage() {
    for (Role role : List.of(Role.SYSTEM, Role.USER, Role.TOOL)) {
      assertThatThrownBy(() -> new ChatMessage(role, "x", List.of(CALL), "call_1"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("messages[].tool_calls: only an assistant message may carry tool calls");
    }
  }

  @Test
  void role_required() {
    assertThatThrownBy(() -> new ChatMessage(null, "x", List.of(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messages[].role: is required");
  }

  @Test
  void nullContentAndToolCallsBecomeEmpty() {
    ChatMessage message = new ChatMessage(Role.ASSISTANT, null, null, null);

    assertThat(message.content()).isEmpty();
    assertThat(message.toolCalls()).isEmpty();
  }

  @Test
  void toolCalls_nullEntryRefused() {
    assertThatThrownBy(() -> new ChatMessage(Role.ASSISTANT, "", Arrays.asList(CALL, null), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("messages[].tool_calls[1]: must not be null");
  }

  @Test
  void toolCall_rules() {
    assertThatThrownBy(() -> new ToolCall("", "f", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tool_calls[].id: must not be blank");
    assertThatThrownBy(() -> new ToolCall("call_1", " ", "{}"))
        .hasMessage("tool_calls[].function.name: must not be blank");
    assertThat(new ToolCall("call_1", "f", null).arguments()).isEmpty();
    assertThat(CALL.arguments()).isEqualTo("{\"city\":\"Oslo\"}");
  }

  @Test
  void toolDefinition_rules() {
    assertThatThrownBy(() -> new ToolDefinition(null, "d", "{}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tools[].function.name: must not be blank");
    ToolDefinition bare = new ToolDefinition("f", null, null);
    assertThat(bare.description()).isEmpty();
    assertThat(bare.parametersSchema()).isEmpty();
    ToolDefinition full = new ToolDefinition("f", "does f", "{\"type\":\"object\"}");
    assertThat(full.description()).isEqualTo("does f");
    assertThat(full.parametersSchema()).isEqualTo("{\"type\":\"object\"}");
  }

  @Test
  void toolCallDelta_rules() {
    assertThatThrownBy(() -> new ToolCallDelta(-1, null, null, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tool_calls[].index: must not be negative, was -1");
    ToolCallDelta first = new ToolCallDelta(0, "call_1", "f", null);
    assertThat(first.argumentsDelta()).isEmpty();
    assertThat(first.index()).isZero();
    assertThat(new ToolCallDelta(2, null, null, "{\"a\"").argumentsDelta()).isEqualTo("{\"a\"");
  }
}

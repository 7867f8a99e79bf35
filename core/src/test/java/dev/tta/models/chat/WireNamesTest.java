package dev.tta.models.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WireNamesTest {

  @Test
  void finishReason_openAiWireNames() {
    assertThat(Arrays.stream(FinishReason.values()).map(FinishReason::wireName))
        .containsExactly("stop", "length", "tool_calls", "content_filter");
  }

  @Test
  void role_wireNames() {
    assertThat(Arrays.stream(Role.values()).map(Role::wireName))
        .containsExactly("system", "user", "assistant", "tool");
  }

  @Test
  void role_fromWireNameIgnoresCaseAndSpace() {
    assertThat(Role.fromWireName("system")).isSameAs(Role.SYSTEM);
    assertThat(Role.fromWireName("User")).isSameAs(Role.USER);
    assertThat(Role.fromWireName(" ASSISTANT ")).isSameAs(Role.ASSISTANT);
    assertThat(Role.fromWireName("tool")).isSameAs(Role.TOOL);
  }

  @Test
  void role_fromWireNameUnknownRefused() {
    assertThatThrownBy(() -> Role.fromWireName("bot"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("role: must be one of system, user, assistant, tool, was 'bot'");
    assertThatThrownBy(() -> Role.fromWireName(null))
        .hasMessage("role: must be one of system, user, assistant, tool, was 'null'");
  }
}

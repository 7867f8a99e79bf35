package dev.tta.models.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChatResponseTest {

  private static final ChatMessage ANSWER = ChatMessage.assistant("Hello there");

  @Test
  void text_theMessageContent() {
    ChatResponse response =
        new ChatResponse(
            "chatcmpl-1", "gpt-4o", ANSWER, FinishReason.STOP, Optional.of(new Usage(3, 2)));

    assertThat(response.text()).isEqualTo("Hello there");
    assertThat(response.id()).isEqualTo("chatcmpl-1");
    assertThat(response.model()).isEqualTo("gpt-4o");
    assertThat(response.usage()).contains(new Usage(3, 2));
  }

  @Test
  void id_nullBecomesEmpty() {
    assertThat(new ChatResponse(null, "m", ANSWER, FinishReason.STOP, Optional.empty()).id())
        .isEmpty();
  }

  @Test
  void requiredFields() {
    assertThatThrownBy(() -> new ChatResponse("", " ", ANSWER, FinishReason.STOP, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("model: must not be blank");
    assertThatThrownBy(() -> new ChatResponse("", "m", null, FinishReason.STOP, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("message: is required");
    assertThatThrownBy(() -> new ChatResponse("", "m", ANSWER, null, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("finish_reason: is required");
    assertThatThrownBy(() -> new ChatResponse("", "m", ANSWER, FinishReason.STOP, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("usage: is required");
  }

  @Test
  void upstreamProvider_isKeptWhenNamed_andABlankOneIsNone() {
    assertThat(
            new ChatResponse(
                    "", "m", ANSWER, FinishReason.STOP, Optional.empty(), Optional.of("Groq"))
                .upstreamProvider())
        .hasValue("Groq");
    assertThat(
            new ChatResponse("", "m", ANSWER, FinishReason.STOP, Optional.empty(), Optional.of(" "))
                .upstreamProvider())
        .isEmpty();
    assertThat(
            new ChatResponse("", "m", ANSWER, FinishReason.STOP, Optional.empty())
                .upstreamProvider())
        .isEmpty();
  }
}

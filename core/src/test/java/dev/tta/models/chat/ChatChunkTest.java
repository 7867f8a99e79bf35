package dev.tta.models.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChatChunkTest {

  @Test
  void content_aDeltaAndNothingElse() {
    ChatChunk chunk = ChatChunk.content("llama3.1:8b", "Hel");

    assertThat(chunk.model()).isEqualTo("llama3.1:8b");
    assertThat(chunk.contentDelta()).isEqualTo("Hel");
    assertThat(chunk.toolCallDeltas()).isEmpty();
    assertThat(chunk.finishReason()).isEmpty();
    assertThat(chunk.usage()).isEmpty();
  }

  @Test
  void finish_reasonAndUsage() {
    Usage usage = new Usage(12, 30);
    ChatChunk chunk = ChatChunk.finish("m", FinishReason.STOP, usage);

    assertThat(chunk.contentDelta()).isEmpty();
    assertThat(chunk.finishReason()).contains(FinishReason.STOP);
    assertThat(chunk.usage()).contains(usage);
  }

  @Test
  void finish_withoutUsage() {
    ChatChunk chunk = ChatChunk.finish("m", FinishReason.LENGTH, null);

    assertThat(chunk.finishReason()).contains(FinishReason.LENGTH);
    assertThat(chunk.usage()).isEmpty();
  }

  @Test
  void hasOutput_textOrToolCallFragment() {
    assertThat(ChatChunk.content("m", "a").hasOutput()).isTrue();
    assertThat(ChatChunk.content("m", "").hasOutput()).isFalse();
    assertThat(ChatChunk.finish("m", FinishReason.STOP, null).hasOutput()).isFalse();
    ChatChunk toolFragment =
        new ChatChunk(
            "m",
            "",
            List.of(new ToolCallDelta(0, "call_1", "f", "")),
            Optional.empty(),
            Optional.empty());
    assertThat(toolFragment.hasOutput()).isTrue();
  }

  @Test
  void nullModelAndDeltaBecomeEmpty() {
    ChatChunk chunk = ChatChunk.content(null, null);

    assertThat(chunk.model()).isEmpty();
    assertThat(chunk.contentDelta()).isEmpty();
    assertThat(chunk.hasOutput()).isFalse();
  }

  @Test
  void requiredFields() {
    assertThatThrownBy(() -> new ChatChunk("m", "", null, Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("tool_calls: is required");
    assertThatThrownBy(() -> new ChatChunk("m", "", List.of(), null, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("finish_reason: is required");
    assertThatThrownBy(() -> new ChatChunk("m", "", List.of(), Optional.empty(), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("usage: is required");
  }
}

package dev.tta.models.chat;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ChatRequestProperties {

  /** The prompt estimate t is the smallest whole number of tokens with 4t characters >= n. */
  @Property(tries = 200)
  void estimatedContextTokens_smallestTokenCountHoldingThePrompt(
      @ForAll @IntRange(min = 0, max = 2000) int characters,
      @ForAll @IntRange(min = 1, max = 100_000) int maxTokens) {
    ChatRequest request =
        ChatRequest.builder()
            .addMessage(ChatMessage.user("x".repeat(characters)))
            .maxTokens(maxTokens)
            .build();

    int promptTokens = request.estimatedContextTokens() - maxTokens;

    // ceil(n / 4) = t exactly when 0 <= 4t - n <= 3
    assertThat(4L * promptTokens - characters).isBetween(0L, 3L);
  }
}

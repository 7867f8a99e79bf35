package dev.tta.models.chat;

import static dev.tta.models.testing.PropertyChecks.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

class ChatRequestProperties {

  /** The prompt estimate t is the smallest whole number of tokens with 4t characters >= n. */
  @Test
  void estimatedContextTokens_smallestTokenCountHoldingThePrompt() {
    qt(200)
        .forAll(integers().between(0, 2000), integers().between(1, 100_000))
        .checkAssert(
            (characters, maxTokens) -> {
              ChatRequest request =
                  ChatRequest.builder()
                      .addMessage(ChatMessage.user("x".repeat(characters)))
                      .maxTokens(maxTokens)
                      .build();

              int promptTokens = request.estimatedContextTokens() - maxTokens;

              // ceil(n / 4) = t exactly when 0 <= 4t - n <= 3
              assertThat(4L * promptTokens - characters).isBetween(0L, 3L);
            });
  }
}

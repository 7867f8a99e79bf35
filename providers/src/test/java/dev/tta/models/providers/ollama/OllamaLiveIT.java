package dev.tta.models.providers.ollama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Against a real Ollama; runs only where {@code OLLAMA_HOST} is set. */
class OllamaLiveIT {

  @Test
  void listsAndAnswers() {
    assumeTrue(System.getenv(OllamaSettings.HOST_ENV) != null, "skipped: OLLAMA_HOST is not set");
    try (OllamaProvider provider =
        OllamaProviderFactory.create(
            OllamaSettings.of(
                OllamaSettings.connection(
                        ProviderId.of("ollama"), OllamaSettings.defaultBaseUrl(System.getenv()))
                    .build()))) {
      assertThat(provider.health().healthy()).isTrue();
      List<ModelInfo> models = provider.listModels(ModelFilter.ALL);
      assumeTrue(!models.isEmpty(), "skipped: Ollama has no chat model pulled");
      String text =
          provider
              .load(models.getFirst().id(), LoadOptions.DEFAULTS)
              .chat(
                  ChatRequest.builder()
                      .addMessage(ChatMessage.user("Reply with the single word: ok"))
                      .maxTokens(16)
                      .build(),
                  CallOptions.withTimeout(Duration.ofMinutes(3)))
              .text();
      assertThat(text).isNotNull();
    }
  }
}

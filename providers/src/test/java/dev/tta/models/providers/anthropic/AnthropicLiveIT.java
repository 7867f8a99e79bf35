package dev.tta.models.providers.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatChunk;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.ChatStream;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.provider.ModelInstance;
import dev.tta.models.providers.http.Secret;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Against the real Messages API; runs only where {@code ANTHROPIC_API_KEY} is set. */
class AnthropicLiveIT {

  @Test
  void listsAnswersAndStreams() {
    String key = System.getenv("ANTHROPIC_API_KEY");
    assumeTrue(key != null && !key.isBlank(), "skipped: ANTHROPIC_API_KEY is not set");
    try (AnthropicProvider provider =
        AnthropicProviderFactory.create(
            AnthropicSettings.builder(
                    AnthropicSettings.connection(
                            ProviderId.of("anthropic"), AnthropicSettings.DEFAULT_BASE_URL)
                        .apiKey(Secret.of(key))
                        .build())
                .build())) {
      assertThat(provider.health().healthy()).isTrue();
      List<ModelInfo> models = provider.listModels(ModelFilter.ALL);
      assertThat(models).isNotEmpty();
      ModelInstance model = provider.load(models.getLast().id(), LoadOptions.DEFAULTS);
      ChatRequest request =
          ChatRequest.builder()
              .addMessage(ChatMessage.user("Reply with the single word: ok"))
              .maxTokens(16)
              .build();
      CallOptions call = CallOptions.withTimeout(Duration.ofSeconds(60));
      assertThat(model.chat(request, call).text()).isNotBlank();
      try (ChatStream stream = model.stream(request, call)) {
        boolean finished = false;
        for (Optional<ChatChunk> chunk = stream.next(); chunk.isPresent(); chunk = stream.next()) {
          finished |= chunk.get().finishReason().isPresent();
        }
        assertThat(finished).isTrue();
      }
    }
  }
}

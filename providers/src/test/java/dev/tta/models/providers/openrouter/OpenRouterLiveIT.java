package dev.tta.models.providers.openrouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tta.models.catalog.ModelInfo;
import dev.tta.models.catalog.ProviderId;
import dev.tta.models.chat.ChatMessage;
import dev.tta.models.chat.ChatRequest;
import dev.tta.models.chat.ChatResponse;
import dev.tta.models.provider.CallOptions;
import dev.tta.models.provider.LoadOptions;
import dev.tta.models.provider.ModelFilter;
import dev.tta.models.providers.http.Secret;
import dev.tta.models.providers.openai.OpenAiClientConfig;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Against the real OpenRouter; runs only where {@code OPENROUTER_API_KEY} is set. */
class OpenRouterLiveIT {

  @Test
  void listsTheCatalogAndAnswersWithAFreeModel() {
    String key = System.getenv("OPENROUTER_API_KEY");
    assumeTrue(key != null && !key.isBlank(), "skipped: OPENROUTER_API_KEY is not set");
    OpenAiClientConfig connection =
        OpenAiClientConfig.builder(ProviderId.of("openrouter"), OpenRouterSettings.DEFAULT_BASE_URL)
            .apiKey(Secret.of(key))
            .build();
    try (OpenRouterProvider provider =
        OpenRouterProviderFactory.create(
            OpenRouterSettings.builder(connection)
                .appName("TTA model management live test")
                .build())) {
      assertThat(provider.health().healthy()).isTrue();
      List<ModelInfo> models = provider.listModels(ModelFilter.ALL);
      assertThat(models).isNotEmpty();
      assertThat(models).allSatisfy(m -> assertThat(m.effectiveCostPerToken()).isNotNegative());

      provider.filter(new OpenRouterFilter(true, false, OptionalDouble.empty()));
      ModelInfo free = provider.listModels(ModelFilter.ALL).getFirst();
      ChatResponse response =
          provider
              .load(free.id(), LoadOptions.DEFAULTS)
              .chat(
                  ChatRequest.builder()
                      .addMessage(ChatMessage.user("Reply with the single word: ok"))
                      .maxTokens(16)
                      .build(),
                  CallOptions.withTimeout(Duration.ofSeconds(60)));
      assertThat(response.model()).isNotBlank();
    }
  }
}

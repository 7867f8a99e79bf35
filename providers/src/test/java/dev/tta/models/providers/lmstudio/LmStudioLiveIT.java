package dev.tta.models.providers.lmstudio;

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

/** Against a real LM Studio; runs only where {@code LMSTUDIO_HOST} is set. */
class LmStudioLiveIT {

  @Test
  void listsAndAnswers() {
    assumeTrue(
        System.getenv(LmStudioSettings.HOST_ENV) != null, "skipped: LMSTUDIO_HOST is not set");
    try (LmStudioProvider provider =
        LmStudioProviderFactory.create(
            new LmStudioSettings(
                LmStudioSettings.connection(
                        ProviderId.of("lmstudio"), LmStudioSettings.defaultBaseUrl(System.getenv()))
                    .build()))) {
      assertThat(provider.health().healthy()).isTrue();
      List<ModelInfo> models = provider.listModels(ModelFilter.ALL);
      assumeTrue(!models.isEmpty(), "skipped: LM Studio has no language model downloaded");
      String text =
          provider
              .load(models.getFirst().id(), LoadOptions.DEFAULTS)
              .chat(
                  ChatRequest.builder()
                      .addMessage(ChatMessage.user("Reply with the single word: ok"))
                      .maxTokens(16)
                      .build(),
                  CallOptions.withTimeout(Duration.ofMinutes(2)))
              .text();
      assertThat(text).isNotNull();
    }
  }
}
